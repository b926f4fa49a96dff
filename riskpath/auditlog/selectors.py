from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from riskpath.access import policy
from riskpath.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    subject: str = ""
    target: str = ""
    verb: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_events_for_user(user: Any, f: AuditFilter) -> QuerySet[AuditEvent]:
    """The area's audit events, newest first, filtered. Only area administrators see any."""
    if not policy.check("can_view_audit", user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(area_id=user.area_id)
    if f.actor:
        actor_id = _uuid(f.actor)
        qs = qs.filter(
            Q(actor_id=actor_id) if actor_id else Q(actor_label__icontains=f.actor.strip())
        )
    # Records by id only: a search of names would tell the reader which names the log holds.
    if f.subject:
        qs = qs.filter(subject_id__startswith=f.subject.lower())
    if f.target:
        qs = qs.filter(target_id__startswith=f.target.lower())
    if f.verb:
        qs = qs.filter(verb=f.verb)
    if f.date_from:
        qs = qs.filter(occurred_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(occurred_at__date__lte=f.date_to)
    # Newest first across chains: an area's events are numbered in its own chain (and those
    # written before there were area chains, in the installation's).
    return qs.order_by("-occurred_at", "-id")


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        return None


# Reads of a record about a young person, for the lead professional's "who has viewed" page.
VIEW_VERBS = frozenset(
    {
        "PERSON_VIEWED",
        "INTELLIGENCE_VIEWED",
        "MISSING_VIEWED",
        "REFERRAL_VIEWED",
        "LINK_VIEWED",
        "EMERGENCY_ACCESS_GRANTED",
    }
)


def record_views_of(subject: Any, *, limit: int = 200) -> list[AuditEvent]:
    """Who has opened records about ``subject`` (a young person), newest first. The caller
    checks ``can_see_record_views``."""
    return list(
        AuditEvent.objects.filter(subject_id=str(subject.pk), verb__in=VIEW_VERBS).order_by(
            "-occurred_at", "-id"
        )[:limit]
    )
