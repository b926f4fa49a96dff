"""Deciding that two records the duplicate report pairs are not one person: remembered (the
report leaves the pair out from then on) and audited, in one transaction."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.people.models import DuplicateKind, NotSamePerson, PersonOfInterest, YoungPerson

MAX_REASON = 2000


def ordered_pair(a: Any, b: Any) -> tuple[uuid.UUID, uuid.UUID]:
    """The two ids of a pair, the smaller first (as ``NotSamePerson`` stores them)."""
    first, second = sorted((uuid.UUID(str(a)), uuid.UUID(str(b))), key=lambda u: u.int)
    return first, second


def _record_model(kind: str) -> Any:
    return YoungPerson if kind == DuplicateKind.YOUNG_PERSON else PersonOfInterest


def not_same_person_record(
    *, actor: User, kind: str, first: Any, second: Any, reason: str = ""
) -> NotSamePerson:
    """Record that the two records ``first`` and ``second`` (of ``kind``, in the actor's area)
    are of different people. Recording it twice changes nothing the second time."""
    if not policy.check("can_review_duplicates", actor):
        raise NotPermitted()
    errors: dict[str, str] = {}
    if kind not in DuplicateKind.values:
        errors["kind"] = "Choose young people or persons of interest"
    try:
        a, b = ordered_pair(first, second)
    except (TypeError, ValueError, AttributeError):
        errors["first"] = "Choose two records of the duplicate report"
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        errors["reason"] = f"Reason must be {MAX_REASON} characters or fewer"
    if errors:
        raise FieldErrors(errors)
    if a == b:
        raise FieldErrors({"second": "Choose two different records"})
    found = list(_record_model(kind).objects.filter(pk__in=[a, b], area_id=actor.area_id))
    if len(found) != 2:
        raise FieldErrors({"first": "Choose two records of the duplicate report"})
    existing = NotSamePerson.objects.filter(kind=kind, first_id=a, second_id=b).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            decision = NotSamePerson.objects.create(
                area_id=actor.area_id,
                kind=kind,
                first_id=a,
                second_id=b,
                reason=reason,
                decided_by=actor,
            )
            audit_record(
                actor=actor,
                verb=Verb.NOT_SAME_PERSON,
                target=decision,
                target_label=f"two records of {DuplicateKind(kind).label.lower()}",
                changes={"kind": kind, "first": str(a), "second": str(b), "reason": bool(reason)},
            )
    except IntegrityError:  # recorded at the same moment by someone else
        return NotSamePerson.objects.get(kind=kind, first_id=a, second_id=b)
    return decision
