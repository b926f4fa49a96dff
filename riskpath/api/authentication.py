from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import authentication, exceptions

from riskpath.api.models import ServiceToken, hash_token
from riskpath.core import clock


class ServiceTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer rp_…`` for service accounts."""

    keyword = "Bearer"

    def authenticate(self, request: HttpRequest) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        raw = header[len(self.keyword) + 1 :].strip()
        token = (
            ServiceToken.objects.select_related("user", "user__agency")
            .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        ServiceToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
        return token.user, token

    def authenticate_header(self, request: HttpRequest) -> str:
        return self.keyword
