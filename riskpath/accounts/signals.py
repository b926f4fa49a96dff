"""Sign-in, sign-out and MFA changes go into the audit log."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from riskpath.accounts import second_factor
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb


@receiver(auth_signals.user_logged_in)
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, verb=Verb.SIGNED_IN, target=user)


@receiver(auth_signals.user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and not getattr(request, "_riskpath_session_expired", False):
        audit_record(actor=user, verb=Verb.SIGNED_OUT, target=user)


@receiver(account_signals.password_changed)
def _password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, verb=Verb.PASSWORD_CHANGED, target=user)


@receiver(account_signals.password_reset)
def _password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, verb=Verb.PASSWORD_RESET, target=user)


def _authenticator_event(verb: Verb) -> Any:
    def handler(sender: Any, request: Any, user: Any, authenticator: Any = None, **kw: Any) -> None:
        kind = getattr(authenticator, "type", "") if authenticator is not None else ""
        audit_record(actor=user, verb=verb, target=user, changes={"factor": kind} if kind else {})

    return handler


_added = _authenticator_event(Verb.MFA_ADDED)
_removed = _authenticator_event(Verb.MFA_REMOVED)
_reset = _authenticator_event(Verb.MFA_RESET)
_used = _authenticator_event(Verb.MFA_USED)
mfa_signals.authenticator_added.connect(_added, dispatch_uid="riskpath_mfa_added")
mfa_signals.authenticator_removed.connect(_removed, dispatch_uid="riskpath_mfa_removed")
mfa_signals.authenticator_reset.connect(_reset, dispatch_uid="riskpath_mfa_reset")
mfa_signals.authenticator_used.connect(_used, dispatch_uid="riskpath_mfa_used")


@receiver(mfa_signals.authentication_failed)
def _mfa_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=None, verb=Verb.MFA_FAILED, target=user, area_id=user.area_id)
    if second_factor.record_failure(user):
        audit_record(
            actor=None,
            verb=Verb.MFA_LOCKED,
            target=user,
            area_id=user.area_id,
            changes={"minutes": settings.SECOND_FACTOR_LOCKOUT // 60},
        )
