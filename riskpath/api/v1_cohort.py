"""API v1 endpoints for cohort."""

urlpatterns: list = []
