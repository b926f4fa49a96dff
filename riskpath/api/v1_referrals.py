"""API v1 endpoints for referrals."""

urlpatterns: list = []
