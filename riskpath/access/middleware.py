from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from riskpath.access import policy

logger = logging.getLogger("riskpath.access")


def declared_rule(view_func: Any) -> str | None:
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    return getattr(view_class, "rule", None) if view_class is not None else None


class DefaultDenyMiddleware:
    """Refuses any route that is neither public, a signed-in user's own page, nor behind a
    named rule of the access policy. The rule itself is checked by the view (see
    ``RuleRequiredMixin`` and the API's ``PolicyPermission``); this middleware makes sure no
    route can forget to have one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else None
        if name in policy.PUBLIC_ROUTES:
            return None
        if not request.user.is_authenticated and not request.path.startswith("/api/"):
            return redirect_to_login(request.get_full_path())
        if name in policy.SELF_ROUTES:
            return None
        rule = declared_rule(view_func)
        if rule in policy.RULE_NAMES:
            return None
        logger.error("route refused: no access rule", extra={"route": name})
        from riskpath.access.views import record_denial

        record_denial(request)
        raise PermissionDenied("This page has no access rule.")
