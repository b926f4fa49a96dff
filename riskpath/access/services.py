from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from riskpath.access import policy
from riskpath.access.models import EmergencyAccessGrant
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted

MIN_REASON_LENGTH = 20


def emergency_access_grant(
    *, actor: Any, target: Any, reason: str, subject: Any = None
) -> EmergencyAccessGrant:
    """Open ``target`` for ``actor`` for a limited time, on a stated reason."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise FieldErrors(
            {
                "reason": "Enter why you need emergency access, in at least "
                f"{MIN_REASON_LENGTH} characters"
            }
        )
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
