from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from riskpath.accounts import throttle
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb


def _identifier(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")


def _known_user(identifier: str) -> User | None:
    return User.objects.filter(email__iexact=identifier.strip()).first() if identifier else None


class AccountAdapter(DefaultAccountAdapter):
    """riskpath's sign-in rules on top of allauth: no self sign-up, a per-account lockout that
    is recorded in the audit log, and the same answer whether or not the account exists."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        identifier = _identifier(credentials)
        if throttle.is_locked(identifier):
            user = _known_user(identifier)
            audit_record(
                actor=None,
                verb=Verb.SIGN_IN_REFUSED_LOCKED,
                target=user,
                area_id=user.area_id if user else None,
                target_label=str(user) if user else "an unknown account",
            )
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        identifier = _identifier(credentials)
        newly_locked = throttle.record_failure(identifier)
        user = _known_user(identifier)
        label = str(user) if user else "an unknown account"
        area_id = user.area_id if user else None
        audit_record(
            actor=None, verb=Verb.SIGN_IN_FAILED, target=user, area_id=area_id, target_label=label
        )
        if newly_locked:
            audit_record(
                actor=None,
                verb=Verb.ACCOUNT_LOCKED,
                target=user,
                area_id=area_id,
                target_label=label,
            )

    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        throttle.clear(user.email)
