from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View, defaults
from django.views.generic import TemplateView

from riskpath.api.errors import is_api_request, json_error, unexpected_error
from riskpath.web import selectors


class HomeView(TemplateView):
    """What is the signed-in user's: their young people, emergency openings of their records,
    and (for administrators) their area's administration."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.home_for_user(self.request.user))
        return context


class HealthView(View):
    """Liveness and database reachability, for load balancers. No personal data."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


# The error handlers answer an /api/ path in the API's JSON error shape, never with a page.


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error("The request could not be understood.", 400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error("You do not have permission to do that.", 403)
    return render(request, "web/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return json_error("Not found.", 404)
    return render(request, "web/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return unexpected_error(request)
    return render(request, "web/500.html", status=500)
