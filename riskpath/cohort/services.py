"""Writes to the cohort. Each checks the access policy, writes, and records its audit event in
one transaction."""

from __future__ import annotations

from typing import Any

from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership, ReentryFlag
from riskpath.core import clock


def cohort_note_intelligence(*, actor: Any, item: Any) -> list[ReentryFlag]:
    """Re-entry: new intelligence about a young person who has left the cohort is flagged for
    the next meeting's agenda, never lost. Call inside the submission's transaction."""
    flags: list[ReentryFlag] = []
    for person in item.young_people.all():
        spells = CohortMembership.objects.filter(young_person=person)
        if not spells.exists() or spells.filter(exited_at__isnull=True).exists():
            continue
        if ReentryFlag.objects.filter(young_person=person, cleared_at__isnull=True).exists():
            continue
        flag = ReentryFlag.objects.create(
            young_person=person, intelligence_item=item, raised_at=clock.now()
        )
        audit_record(
            actor=actor, verb=Verb.REENTRY_FLAGGED, target=flag, subject=person, basis="system"
        )
        flags.append(flag)
    return flags
