from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from riskpath.access import policy
from riskpath.access.models import EmergencyAccessGrant
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock, text
from riskpath.core.errors import FieldErrors, NotPermitted

# A reason for emergency access is read by the professionals involved and by auditors: it
# must say something. Counted on the text as seen (no invisible characters, one kind of
# space), it needs this many visible characters besides spaces, and this many words of
# letters, this many of them different, so that 25 zero-width spaces, "xxxxxxxxxxxxxxxxxxxx",
# "a a a a a a a a a a a" or a row of emoji are refused.
MIN_REASON_LENGTH = 20
MIN_REASON_WORDS = 4
MIN_REASON_DIFFERENT_WORDS = 3
REASON_NEEDED = (
    f"Enter why you need emergency access in words: at least {MIN_REASON_WORDS} words and "
    f"at least {MIN_REASON_LENGTH} characters, not counting spaces"
)


def clean_reason(reason: str) -> str:
    """The reason as it will be stored and shown, or FieldErrors naming ``reason``."""
    seen = text.visible(reason)
    found = text.words(seen)
    if (
        len(seen.replace(" ", "")) < MIN_REASON_LENGTH
        or len(found) < MIN_REASON_WORDS
        or len(set(found)) < MIN_REASON_DIFFERENT_WORDS
    ):
        raise FieldErrors({"reason": REASON_NEEDED})
    return seen


def emergency_access_grant(
    *, actor: User, target: Any, reason: str, subject: Any = None
) -> EmergencyAccessGrant:
    """Open ``target`` for ``actor`` for a limited time, on a stated reason."""
    reason = clean_reason(reason)
    if not policy.check("can_break_glass", actor, target):
        raise NotPermitted("Your role does not allow emergency access.")
    with transaction.atomic():
        grant = EmergencyAccessGrant.objects.create(
            user=actor,
            area_id=actor.area_id,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=str(target)[:200],
            reason=reason,
            expires_at=clock.now() + dt.timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        audit_record(
            actor=actor,
            verb=Verb.EMERGENCY_ACCESS_GRANTED,
            target=target,
            subject=subject or target,
            reason=reason,
            basis="emergency access",
        )
    return grant


def emergency_grants_for(target: Any) -> list[EmergencyAccessGrant]:
    """Every emergency opening of ``target``, newest first (shown to those involved)."""
    return list(
        EmergencyAccessGrant.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk)
        ).select_related("user", "user__agency")
    )
