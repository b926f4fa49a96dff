from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from riskpath.access import policy
from riskpath.access.views import record_denial


class PolicyPermission(BasePermission):
    """Default-deny for the API: the view must name a rule of the access policy, and the
    user must pass it. Object-level checks are made by the view's ``access_<entity>`` lookup."""

    def has_permission(self, request: Any, view: Any) -> bool:
        rule = getattr(view, "rule", None)
        if rule is not None and policy.check(rule, request.user):
            return True
        record_denial(request)
        return False
