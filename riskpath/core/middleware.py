from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from riskpath.core import context

logger = logging.getLogger("riskpath.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class RequestContextMiddleware:
    """Gives every request an id (an incoming X-Request-ID if well formed), binds it and the
    client address for audit and logs, and logs one line per request with no personal data:
    method, route name, status and duration, never the query string or body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = context.RequestContext(
            request_id=request_id,
            client_ip=request.META.get("REMOTE_ADDR"),
            channel=channel,
            memo={} if request.method in ("GET", "HEAD") else None,
        )
        started = time.monotonic()
        with context.bound(ctx):
            request.request_id = request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.view_name if match else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        response["X-Request-ID"] = request_id
        return response
