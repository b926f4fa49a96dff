"""API v1 endpoints for bulk imports."""

urlpatterns: list = []
