"""Writes to young people's records: policy check, write and audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.models import YoungPerson

FIELDS = ["given_names", "family_name", "date_of_birth", "lead_professional"]


def _validate(
    actor: Any,
    *,
    given_names: str,
    family_name: str,
    date_of_birth: dt.date | None,
    lead_professional: User | None,
) -> None:
    errors: dict[str, str] = {}
    if not given_names.strip():
        errors["given_names"] = "Enter the young person's given names"
    if not family_name.strip():
        errors["family_name"] = "Enter the young person's family name"
    if date_of_birth is not None:
        if date_of_birth > clock.today():
            errors["date_of_birth"] = "Date of birth must be in the past"
        elif date_of_birth < clock.today() - dt.timedelta(days=366 * 26):
            errors["date_of_birth"] = (
                "Date of birth must make the young person 25 or younger (care leavers)"
            )
    if lead_professional is not None and (
        lead_professional.area_id != actor.area_id
        or not lead_professional.is_active
        or lead_professional.is_service_account
    ):
        errors["lead_professional"] = "Select an active lead professional in your area"
    if errors:
        raise FieldErrors(errors)


def young_person_create(
    *,
    actor: Any,
    given_names: str,
    family_name: str,
    date_of_birth: dt.date | None = None,
    lead_professional: User | None = None,
) -> YoungPerson:
    if not policy.check("can_record_young_person", actor):
        raise NotPermitted()
    _validate(
        actor,
        given_names=given_names,
        family_name=family_name,
        date_of_birth=date_of_birth,
        lead_professional=lead_professional,
    )
    with transaction.atomic():
        person = YoungPerson.objects.create(
            area_id=actor.area_id,
            given_names=given_names.strip(),
            family_name=family_name.strip(),
            date_of_birth=date_of_birth,
            lead_professional=lead_professional,
            recording_agency_id=actor.agency_id,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.PERSON_CREATED,
            target=person,
            subject=person,
            basis="recording agency",
            changes=field_changes({}, snapshot(person, FIELDS)),
        )
    return person


def young_person_update(
    *, actor: Any, person: YoungPerson, expected_version: int, **values: Any
) -> YoungPerson:
    """Change the record, unless someone else has changed it since ``expected_version``."""
    basis = access_basis(actor, person)
    if basis is None or not policy.check("can_edit_young_person", actor, person):
        raise NotPermitted()
    merged = {name: values.get(name, getattr(person, name)) for name in FIELDS}
    _validate(actor, **merged)
    before = snapshot(person, FIELDS)
    for name, value in merged.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    with transaction.atomic():
        save_versioned(
            person, expected_version=expected_version, fields=FIELDS, label="young person's record"
        )
        audit_record(
            actor=actor,
            verb=Verb.PERSON_UPDATED,
            target=person,
            subject=person,
            basis=basis,
            changes=field_changes(before, snapshot(person, FIELDS)),
        )
    return person


def young_person_delete(
    *, actor: Any, person: YoungPerson, expected_version: int, reason: str
) -> YoungPerson:
    """Soft delete: hidden from every list and lookup, kept and restorable."""
    if not policy.check("can_delete_young_person", actor, person):
        raise NotPermitted()
    if person.is_deleted:
        raise DomainError("This record has already been deleted.")
    if len((reason or "").strip()) < 10:
        raise FieldErrors({"reason": "Enter why this record is being deleted"})
    person.deleted_at = clock.now()
    person.deleted_by = actor
    person.deletion_reason = reason.strip()
    with transaction.atomic():
        save_versioned(
            person,
            expected_version=expected_version,
            fields=["deleted_at", "deleted_by", "deletion_reason"],
            label="young person's record",
        )
        audit_record(
            actor=actor,
            verb=Verb.PERSON_DELETED,
            target=person,
            subject=person,
            reason=person.deletion_reason,
        )
    return person


def young_person_restore(*, actor: Any, person: YoungPerson, expected_version: int) -> YoungPerson:
    if not policy.check("can_delete_young_person", actor, person):
        raise NotPermitted()
    if not person.is_deleted:
        raise DomainError("This record is not deleted.")
    person.deleted_at = None
    person.deleted_by = None
    person.deletion_reason = ""
    with transaction.atomic():
        save_versioned(
            person,
            expected_version=expected_version,
            fields=["deleted_at", "deleted_by", "deletion_reason"],
            label="young person's record",
        )
        audit_record(actor=actor, verb=Verb.PERSON_RESTORED, target=person, subject=person)
    return person
