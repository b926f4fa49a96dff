"""API v1 endpoints for intelligence."""

urlpatterns: list = []
