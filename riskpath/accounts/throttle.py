"""Per-account lockout after repeated failed sign-ins.

Counted per typed identifier (a keyed hash of the lower-cased e-mail address), whether or not
such an account exists, so the answers for an unknown user and a wrong password are the same."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction

from riskpath.accounts.models import SignInThrottle
from riskpath.core import clock


def identifier_key(identifier: str) -> str:
    normalised = (identifier or "").strip().lower().encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode(), normalised, hashlib.sha256).hexdigest()


def is_locked(identifier: str) -> bool:
    row = SignInThrottle.objects.filter(key=identifier_key(identifier)).first()
    return bool(row and row.locked_until and row.locked_until > clock.now())


def record_failure(identifier: str) -> bool:
    """Count a failure. Returns True if this failure locked the account."""
    now = clock.now()
    window = dt.timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW)
    with transaction.atomic():
        row, _ = SignInThrottle.objects.select_for_update().get_or_create(
            key=identifier_key(identifier), defaults={"window_started_at": now}
        )
        if now - row.window_started_at > window:
            row.failures = 0
            row.window_started_at = now
        row.failures += 1
        newly_locked = False
        if row.failures >= settings.SIGN_IN_MAX_FAILURES and not (
            row.locked_until and row.locked_until > now
        ):
            row.locked_until = now + dt.timedelta(seconds=settings.SIGN_IN_LOCKOUT)
            newly_locked = True
        row.save()
    return newly_locked


def clear(identifier: str) -> None:
    SignInThrottle.objects.filter(key=identifier_key(identifier)).delete()
