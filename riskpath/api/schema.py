from drf_spectacular.views import SpectacularAPIView


class OpenAPISchemaView(SpectacularAPIView):
    """The OpenAPI 3 description of API version 1."""

    rule = "can_read_api_schema"
