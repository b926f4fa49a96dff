"""One error shape for every API failure: ``{"errors": [{"field": ..., "message": ...}]}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from riskpath.core.errors import (
    ConcurrentEditError,
    DomainError,
    FieldErrors,
    NotFound,
    NotPermitted,
)


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else key
            if field and name:
                name = f"{field}.{name}"
            out.extend(_flatten(value, name or field))
        return out
    if isinstance(detail, list):
        out = []
        for item in detail:
            out.extend(_flatten(item, field))
        return out
    return [{"field": field, "message": str(detail)}]


API_PREFIX = "/api/"

# Said for any failure the API did not foresee. The exception's own text is never shown: it
# can hold personal data or say too much about the system.
UNEXPECTED_MESSAGE = (
    "Sorry, there is a problem with riskpath. Nothing was changed. Try again later; if the "
    "problem continues, contact your area administrator and quote reference {reference}."
)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(message: str, code: int) -> JsonResponse:
    """The API's error shape outside a DRF view: Django's 400, 403, 404 and 500 handlers
    answer ``/api/`` paths with it (an unknown path, a route refused by the default-deny
    middleware, an exception nothing else caught)."""
    return JsonResponse({"errors": [{"field": None, "message": message}]}, status=code)


def unexpected_error(request: HttpRequest) -> JsonResponse:
    reference = getattr(request, "request_id", None) or "unknown"
    return json_error(UNEXPECTED_MESSAGE.format(reference=reference), 500)


def error_response(errors: list[dict[str, Any]], code: int) -> Response:
    return Response({"errors": errors}, status=code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, FieldErrors):
        return error_response(
            [{"field": f, "message": m} for f, m in exc.errors.items()], status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, ConcurrentEditError):
        return error_response([{"field": "version", "message": exc.message}], 409)
    if isinstance(exc, NotPermitted):
        return error_response([{"field": None, "message": exc.message}], 403)
    if isinstance(exc, NotFound):
        return error_response([{"field": None, "message": "Not found."}], 404)
    if isinstance(exc, DomainError):
        return error_response([{"field": None, "message": exc.message}], 400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"errors": _flatten(response.data)}
    return response
