"""API v1 endpoints for locations."""

urlpatterns: list = []
