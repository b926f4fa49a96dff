from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Pages seen by a signed-in user (and every API answer) are never stored by browsers or
    proxies: ``Cache-Control: no-store``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, max-age=0, private"
        return response


NUL = "\x00"


def nul_message(name: str) -> str:
    return f"{name} contains a character that cannot be used (NUL): remove it and try again"


class RejectNulCharactersMiddleware:
    """A query string holding a NUL character ("%00") is refused with a 400 naming the
    parameter, pages and API alike. PostgreSQL cannot store or compare text holding one (the
    driver raises, a 500), and no one types it. Form and JSON bodies are checked by their
    fields (Django's and DRF's CharField refuse NUL)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bad = sorted(
            {
                name.replace(NUL, "")
                for name, values in request.GET.lists()
                if NUL in name or any(NUL in value for value in values)
            }
        )
        if not bad:
            return self.get_response(request)
        errors = [{"field": name, "message": nul_message(name)} for name in bad]
        if request.path.startswith("/api/"):
            return JsonResponse({"errors": errors}, status=400)
        return render(request, "web/400.html", {"errors": errors}, status=400)
