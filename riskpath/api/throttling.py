"""Rate limits of the API: per service token, per signed-in user, and per address for requests
that are neither (no credentials, or a token that is not valid).

DRF's throttling framework runs them (``DEFAULT_THROTTLE_CLASSES``; a refusal is DRF's
``Throttled``, a 429 whose ``Retry-After`` header DRF's exception handler sets), but not DRF's
``SimpleRateThrottle``: that keys a token and the same user's browser session together, keys
an anonymous caller by whatever ``X-Forwarded-For`` they send, and keeps each caller's history
as a list it reads and writes back, so servers sharing one cache lose each other's requests.
Here each caller has one counter per fixed window, raised with the cache's atomic ``incr``
(Redis's INCR when ``REDIS_URL`` is set), so every server counts against the same limit.

Requests are counted before the access policy is asked, so refused and unauthenticated
requests count too; a request with a token that is not valid counts against its address."""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from riskpath.api.models import ServiceToken

# Who a request is counted as, and how the 429 names them.
CALLERS = {
    "token": "this service token",
    "user": "your account",
    "anon": "your address",
}
PERIOD_NAMES = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}


def _now() -> float:
    return time.time()


def caller(request: Request) -> tuple[str, str]:
    """(scope, identity): the token's id, the signed-in user's id, or the client address."""
    if isinstance(request.auth, ServiceToken):
        return "token", str(request.auth.pk)
    user = request.user
    if user is not None and user.is_authenticated:
        return "user", str(user.pk)
    return "anon", request.META.get("REMOTE_ADDR") or "unknown"


class RateLimited(exceptions.Throttled):
    """A 429 that says whose limit it is and when to come back; DRF's exception handler
    turns ``wait`` into the ``Retry-After`` header."""

    def __init__(self, scope: str, limit: int, period: int, wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        # Not Throttled.__init__, which appends its own "Expected available in ..." sentence.
        exceptions.APIException.__init__(
            self,
            detail=(
                f"Too many requests from {CALLERS[scope]}: at most {limit} are allowed in "
                f"{PERIOD_NAMES.get(period, f'{period} seconds')}. Try again in {seconds} "
                f"second{'s' if seconds != 1 else ''}."
            ),
            code="throttled",
        )
        self.wait = seconds
        self.scope = scope


class ApiRateThrottle(BaseThrottle):
    """A fixed-window counter per caller in the shared cache."""

    def __init__(self) -> None:
        self.refusal: RateLimited | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        scope, ident = caller(request)
        rate = settings.API_RATE_LIMITS.get(scope)
        if rate is None:
            return True
        limit, period = rate
        now = _now()
        window = int(now // period)
        key = f"riskpath:api-rate:{scope}:{ident}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window's key expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        if count <= limit:
            return True
        self.refusal = RateLimited(scope, limit, period, (window + 1) * period - now)
        return False

    def wait(self) -> float | None:
        return self.refusal.wait if self.refusal else None


class RateLimitedViewMixin:
    """For the API's views: count every request before the access policy is asked (so a
    refused or anonymous request counts, and one with a token that is not valid counts
    against its address), once, and refuse with the limit in the message."""

    def perform_authentication(self, request: Request) -> None:
        try:
            request.user  # noqa: B018 - authenticates
        except exceptions.APIException:  # a token that is not valid, a session without CSRF
            self.check_throttles(request)
            raise

    def check_permissions(self, request: Request) -> None:
        self.check_throttles(request)
        super().check_permissions(request)  # type: ignore[misc]

    def check_throttles(self, request: Request) -> None:
        if getattr(request, "_riskpath_rate_counted", False):
            return
        request._riskpath_rate_counted = True  # type: ignore[attr-defined]
        for throttle in self.get_throttles():  # type: ignore[attr-defined]
            if not throttle.allow_request(request, self):
                refusal = getattr(throttle, "refusal", None)
                raise refusal if refusal is not None else exceptions.Throttled(throttle.wait())
