from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View, defaults
from django.views.generic import TemplateView

from riskpath.access import policy
from riskpath.notifications.selectors import unread_count
from riskpath.web import selectors
from riskpath.work.selectors import KINDS, work_for_user


class HomeView(TemplateView):
    """What is the signed-in user's: their work (overdue first, then due soon, then waiting on
    others; filtered by ``?kind=``), their young people, emergency openings of their records,
    and (for administrators) their area's administration."""

    template_name = "web/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if policy.check("can_view_own_work", user):
            work = work_for_user(user, kind=self.request.GET.get("kind", ""))
            unread_count(user)  # the navigation's count, refreshed
            context["work"] = work
            context["kinds"] = [
                {"key": key, "label": label, "count": work.counts.get(key, 0)}
                for key, label in KINDS.items()
                if work.counts.get(key)
            ]
        context.update(selectors.home_for_user(user))
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


# The pages of Django's error handlers (riskpath.config.handlers chooses between these and the
# API's JSON error shape).


def page_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def page_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/403.html", status=403)


def page_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def page_500(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)
