"""Per-account limit on wrong second-factor codes (authenticator app or recovery code).

Reaching the code page means the password was right, so what is left to guess is a six-digit
code: allauth's own limit on it shares the ``login_failed`` rate with the password step, which
riskpath keeps per address only (its per-account password lockout is its own, and audited), so
nothing stopped someone who knows a password from trying codes for as long as they liked.

After ``SECOND_FACTOR_MAX_FAILURES`` wrong codes within ``SECOND_FACTOR_FAILURE_WINDOW`` the
second-factor step is locked for that account for ``SECOND_FACTOR_LOCKOUT``, whichever device
or address the codes come from. The counts live in the Django cache (Redis when ``REDIS_URL``
is set), so every server sees them; ``incr`` is atomic there.

``riskpath.accounts.signals`` counts each wrong code (allauth's ``authentication_failed``
signal); the forms below refuse a code while the account is locked."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.conf import settings
from django.core.cache import cache

from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock


def _failures_key(user: Any) -> str:
    return f"riskpath:mfa-failures:{user.pk}"


def _lock_key(user: Any) -> str:
    return f"riskpath:mfa-locked:{user.pk}"


def locked_until(user: Any) -> dt.datetime | None:
    """When the account's second-factor lockout ends, or None if it is not locked."""
    stamp = cache.get(_lock_key(user))
    if stamp is None:
        return None
    until = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
    return until if until > clock.now() else None


def record_failure(user: Any) -> bool:
    """Count a wrong code. Returns True if this one locked the account."""
    window = settings.SECOND_FACTOR_FAILURE_WINDOW
    key = _failures_key(user)
    cache.add(key, 0, timeout=window)
    try:
        failures = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        failures = 1
    if failures < settings.SECOND_FACTOR_MAX_FAILURES:
        return False
    lockout = settings.SECOND_FACTOR_LOCKOUT
    until = clock.now() + dt.timedelta(seconds=lockout)
    # add, not set: of several wrong codes arriving together, one locks (and is audited).
    if cache.add(_lock_key(user), until.timestamp(), timeout=lockout):
        cache.delete(key)
        return True
    return False


def clear(user: Any) -> None:
    """A right code: the wrong ones before it no longer count."""
    cache.delete(_failures_key(user))


def locked_message(until: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - clock.now()).total_seconds() / 60))
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return (
        "The wrong code has been entered too many times for this account. You can try again "
        f"in {wait}. If you did not just try to sign in, someone may know your password: "
        "change it, and tell your area administrator."
    )


class _LockoutMixin:
    """Refuse any code while the account is locked (audited); after the wrong code that
    locks it, say so instead of "Incorrect code"."""

    user: Any

    def clean_code(self) -> str:
        until = locked_until(self.user)
        if until is not None:
            audit_record(
                actor=None,
                verb=Verb.MFA_REFUSED_LOCKED,
                target=self.user,
                area_id=self.user.area_id,
            )
            raise forms.ValidationError(locked_message(until), code="locked")
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except forms.ValidationError:
            until = locked_until(self.user)
            if until is not None:
                raise forms.ValidationError(locked_message(until), code="locked") from None
            raise
        clear(self.user)
        return code


class SecondFactorForm(_LockoutMixin, AuthenticateForm):
    """The code page at sign-in."""


class SecondFactorReauthenticateForm(_LockoutMixin, ReauthenticateForm):
    """The code asked for again before a sensitive change, when already signed in."""
