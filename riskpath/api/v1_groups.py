"""API v1 endpoints for groups."""

urlpatterns: list = []
