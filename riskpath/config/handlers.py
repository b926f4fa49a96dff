"""Django's error handlers: an ``/api/`` path is answered in the API's JSON error shape,
never with a page; anything else with riskpath's GOV.UK error pages. Wiring only: the pages
are web's, the JSON is api's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from riskpath.api.errors import is_api_request, json_error, unexpected_error
from riskpath.web import views


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error("The request could not be understood.", 400)
    return views.page_400(request, exception)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error("You do not have permission to do that.", 403)
    return views.page_403(request, exception)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error("Not found.", 404)
    return views.page_404(request, exception)


def error_500(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return unexpected_error(request)
    return views.page_500(request)
