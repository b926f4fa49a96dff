"""API v1 endpoints for links."""

urlpatterns: list = []
