from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock

STARTED_KEY = "_riskpath_started"
SEEN_KEY = "_riskpath_seen"


class SessionLimitsMiddleware:
    """Ends a session after a period without requests (default 30 minutes) and after an
    absolute limit since sign-in, whatever the activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = clock.now().timestamp()
            started = request.session.get(STARTED_KEY)
            seen = request.session.get(SEEN_KEY)
            if started is None:
                request.session[STARTED_KEY] = now
            elif (seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT) or (
                now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                audit_record(actor=user, verb=Verb.SESSION_EXPIRED, target=user)
                request._riskpath_session_expired = True  # type: ignore[attr-defined]
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"errors": [{"field": None, "message": "Your session has expired."}]},
                        status=401,
                    )
                messages.info(request, "You were signed out because your session expired.")
                return redirect_to_login(request.get_full_path())
            request.session[SEEN_KEY] = now
        return self.get_response(request)


MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


class RequireMFAMiddleware:
    """Where the user's area requires it, a signed-in user without a second factor can only
    reach the pages that set one up (and sign out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and needs_mfa_setup(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "errors": [
                            {
                                "field": None,
                                "message": "Your area requires two-factor sign-in; set it up "
                                "in riskpath before using the API.",
                            }
                        ]
                    },
                    status=403,
                )
            messages.warning(
                request, "Your area requires two-factor sign-in. Set up an authenticator app."
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def needs_mfa_setup(user: object) -> bool:
    from allauth.mfa.models import Authenticator

    if getattr(user, "is_service_account", False):
        return False
    area = getattr(user, "area", None)
    if area is None or not area.require_mfa:
        return False
    return not Authenticator.objects.filter(user=user).exists()
