"""The base for every riskpath page: default-deny, a named rule checked before anything else."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound, NotPermitted


def record_denial(request: HttpRequest) -> None:
    """A signed-in user refused a route is an audit event (anonymous users are just sent to
    sign in)."""
    if request.user.is_authenticated:
        match = request.resolver_match
        audit_record(
            actor=request.user,
            verb=Verb.ACCESS_DENIED,
            target_label=match.view_name if match else request.path[:200],
        )


class RuleRequiredMixin:
    """Set ``rule`` to the name of a rule in ``riskpath.access.policy``. Anonymous users are
    sent to sign in; users the rule refuses get 403. A view without a rule refuses everyone.
    Object-level checks happen in the ``access_<entity>`` lookups the view calls."""

    rule: ClassVar[str | None] = None
    request: HttpRequest

    @property
    def actor(self) -> User:
        """The signed-in user (dispatch has already sent anyone else to sign in)."""
        user = self.request.user
        assert isinstance(user, User)
        return user

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.rule is None or not policy.check(self.rule, request.user):
            record_denial(request)
            raise PermissionDenied
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
