from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularJSONAPIView

from riskpath.api.throttling import RateLimitedViewMixin


class OpenAPISchemaView(RateLimitedViewMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 description of API version 1, as JSON (the URL says .json; the plain
    SpectacularAPIView would answer a client that accepts anything with YAML)."""

    rule = "can_read_api_schema"


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "riskpath.api.authentication.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A service account's token"}


_METHODS = {"get", "put", "patch", "post", "delete", "head", "options"}


def add_rate_limit_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation may answer 429 when its caller
    passes their rate limit (``riskpath.api.throttling``), in the error shape, with
    ``Retry-After``."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Errors",
        {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string", "nullable": True},
                            "message": {"type": "string"},
                        },
                        "required": ["field", "message"],
                    },
                }
            },
            "required": ["errors"],
        },
    )
    too_many = {
        "description": (
            "Too many requests: the service token, signed-in user or (without either) the "
            "address has passed its rate limit. Wait the seconds in Retry-After."
        ),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in _METHODS:
                operation.setdefault("responses", {}).setdefault("429", too_many)
    return result
