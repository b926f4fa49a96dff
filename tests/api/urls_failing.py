"""riskpath's routes plus API routes that fail in ways nothing foresaw, for the error-shape
tests: the API must answer them in its JSON error shape, never with Django's HTML page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.access.views import RuleRequiredMixin
from riskpath.api.views import PolicyAPIView
from riskpath.config import urls as project_urls

SECRET = "database password is hunter2"


class Broken(PolicyAPIView):
    rule = "can_read_api_schema"

    def get(self, request: Request) -> Response:
        raise RuntimeError(SECRET)


class BrokenPage(RuleRequiredMixin, View):
    rule = "can_read_api_schema"

    def get(self, request: HttpRequest) -> HttpResponse:
        raise RuntimeError(SECRET)


urlpatterns = [
    path("api/v1/broken/", Broken.as_view(), name="broken"),
    path("broken-page/", BrokenPage.as_view(), name="broken_page"),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
