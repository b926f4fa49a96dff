from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularJSONAPIView


class OpenAPISchemaView(SpectacularJSONAPIView):
    """The OpenAPI 3 description of API version 1, as JSON (the URL says .json; the plain
    SpectacularAPIView would answer a client that accepts anything with YAML)."""

    rule = "can_read_api_schema"


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "riskpath.api.authentication.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A service account's token"}
