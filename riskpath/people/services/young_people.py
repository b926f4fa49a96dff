"""Writes to young people's records (and the name keys the duplicate check reads): policy check,
validation, write and audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record, field_changes, restore, snapshot, soft_delete
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.duplicates import alias_keys, name_keys
from riskpath.people.enums import CareStatus, Ethnicity, Gender
from riskpath.people.identifiers import CLEANERS
from riskpath.people.models import (
    AliasKey,
    MergeRecord,
    PersonOfInterest,
    YoungPerson,
)

FIELDS = [
    "given_names",
    "family_name",
    "aliases",
    "date_of_birth",
    "date_of_birth_estimated",
    "gender",
    "ethnicity",
    "school",
    "locality",
    "postcode",
    "care_status",
    "mosaic_id",
    "liquidlogic_id",
    "niche_id",
    "flare_id",
    "nhs_number",
    "lead_professional",
]
TEXT_FIELDS = ["given_names", "family_name", "school", "locality"]
MAX_ALIASES = 20
KEY_FIELDS = ["given_key", "family_key"]


def set_name_keys(person: YoungPerson | PersonOfInterest) -> None:
    """Set the phonetic keys of the record's names, for the duplicate check (the caller saves
    ``KEY_FIELDS``)."""
    person.given_key, person.family_key = name_keys(person.given_names, person.family_name)


def store_alias_keys(person: YoungPerson | PersonOfInterest) -> None:
    """Rebuild the phonetic keys of the saved record's aliases, inside the write's transaction."""
    field = "young_person" if isinstance(person, YoungPerson) else "person_of_interest"
    AliasKey.objects.filter(**{field: person}).delete()
    AliasKey.objects.bulk_create(
        AliasKey(**{field: person}, key=key)
        for key in sorted(alias_keys(person.aliases, person.family_name))
    )


def refresh_name_keys(people: Any) -> int:
    """Set the name and alias keys of every record in ``people`` (young people or persons of
    interest), after a ``bulk_create`` or for records saved before the keys existed."""
    count = 0
    for person in people.iterator(chunk_size=2000):
        set_name_keys(person)
        type(person)._base_manager.filter(pk=person.pk).update(
            given_key=person.given_key, family_key=person.family_key
        )
        if person.aliases:
            store_alias_keys(person)
        count += 1
    return count


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years from ``date_of_birth`` to ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def clean_aliases(value: Any) -> list[str]:
    """A list of distinct names, from a list or from text with one name per line."""
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        name = " ".join(str(item).split())
        if name and name.casefold() not in {o.casefold() for o in out}:
            out.append(name)
    return out


def _clean(actor: User, values: dict[str, Any]) -> dict[str, Any]:
    """The values to store, normalised; ``FieldErrors`` naming every bad field."""
    errors: dict[str, str] = {}
    out = dict(values)
    for name in TEXT_FIELDS:
        out[name] = (out.get(name) or "").strip()
    if not out["given_names"]:
        errors["given_names"] = "Enter the young person's given names"
    if not out["family_name"]:
        errors["family_name"] = "Enter the young person's family name"
    out["aliases"] = clean_aliases(out.get("aliases"))
    if len(out["aliases"]) > MAX_ALIASES:
        errors["aliases"] = f"Enter no more than {MAX_ALIASES} known aliases"
    elif any(len(a) > 120 for a in out["aliases"]):
        errors["aliases"] = "Each alias must be 120 characters or fewer"
    date_of_birth = out.get("date_of_birth")
    out["date_of_birth_estimated"] = bool(out.get("date_of_birth_estimated"))
    if date_of_birth is not None:
        if date_of_birth > clock.today():
            errors["date_of_birth"] = "Date of birth must be in the past"
        elif date_of_birth < clock.today() - dt.timedelta(days=366 * 26):
            errors["date_of_birth"] = (
                "Date of birth must make the young person 25 or younger (care leavers)"
            )
    elif out["date_of_birth_estimated"]:
        errors["date_of_birth"] = "Enter the estimated date of birth, or say it is not an estimate"
    for name, choices, default, message in (
        ("gender", Gender, Gender.NOT_KNOWN, "Select the young person's gender"),
        ("ethnicity", Ethnicity, Ethnicity.NOT_KNOWN, "Select the young person's ethnicity"),
        ("care_status", CareStatus, CareStatus.NONE, "Select the young person's care status"),
    ):
        value = out.get(name) or default
        if value not in choices.values:
            errors[name] = message
        out[name] = value
    if (
        out["care_status"] == CareStatus.CARE_LEAVER
        and date_of_birth is not None
        and "date_of_birth" not in errors
        and age_on(date_of_birth, clock.today()) < 18
    ):
        errors["care_status"] = (
            "Care status cannot be care leaver for a young person under 18: care leavers are "
            "18 to 25"
        )
    for name, cleaner in CLEANERS.items():
        try:
            out[name] = cleaner(str(out.get(name) or ""))
        except ValueError as exc:
            errors[name] = str(exc)
    lead_professional = out.get("lead_professional")
    if lead_professional is not None and (
        lead_professional.area_id != actor.area_id
        or not lead_professional.is_active
        or lead_professional.is_service_account
    ):
        errors["lead_professional"] = "Select an active lead professional in your area"
    if errors:
        raise FieldErrors(errors)
    return out


def young_person_validate(*, actor: User, **values: Any) -> None:
    """Raise the ``FieldErrors`` that ``young_person_create`` would, writing nothing (for the
    duplicate check, which runs only on details that could be recorded)."""
    _clean(actor, values)


def _created_changes(person: YoungPerson) -> dict[str, Any]:
    """The fields given a value on creation (left at their defaults: not listed)."""
    blank = snapshot(YoungPerson(), FIELDS)
    after = snapshot(person, FIELDS)
    return field_changes({}, {k: v for k, v in after.items() if v != blank[k]})


def young_person_create(
    *,
    actor: User,
    given_names: str,
    family_name: str,
    date_of_birth: dt.date | None = None,
    lead_professional: User | None = None,
    **details: Any,
) -> YoungPerson:
    """Record a young person. ``details`` are the other fields of ``FIELDS`` (aliases,
    demographics, care status, partner-system identifiers), each optional."""
    if not policy.check("can_record_young_person", actor):
        raise NotPermitted()
    unknown = set(details) - set(FIELDS)
    if unknown:
        raise TypeError(f"young_person_create() got unexpected fields {sorted(unknown)}")
    values = _clean(
        actor,
        {
            **details,
            "given_names": given_names,
            "family_name": family_name,
            "date_of_birth": date_of_birth,
            "lead_professional": lead_professional,
        },
    )
    with transaction.atomic():
        person = YoungPerson.objects.create(
            area_id=actor.area_id,
            recording_agency_id=actor.agency_id,
            recorded_by=actor,
            **values,
        )
        audit_record(
            actor=actor,
            verb=Verb.PERSON_CREATED,
            target=person,
            subject=person,
            basis="recording agency",
            changes=_created_changes(person),
        )
    return person


def young_person_update(
    *, actor: User, person: YoungPerson, expected_version: int, **values: Any
) -> YoungPerson:
    """Change the record, unless someone else has changed it since ``expected_version``.
    Fields not given keep their values."""
    basis = access_basis(actor, person)
    if basis is None or not policy.check("can_edit_young_person", actor, person):
        raise NotPermitted()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"young_person_update() got unexpected fields {sorted(unknown)}")
    merged = {name: values.get(name, getattr(person, name)) for name in FIELDS}
    cleaned = _clean(actor, merged)
    before = snapshot(person, FIELDS)
    for name, value in cleaned.items():
        setattr(person, name, value)
    with transaction.atomic():
        set_name_keys(person)
        save_versioned(
            person,
            expected_version=expected_version,
            fields=FIELDS + KEY_FIELDS,
            label="young person's record",
        )
        store_alias_keys(person)
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
    *, actor: User, person: YoungPerson, expected_version: int, reason: str
) -> YoungPerson:
    """Soft delete: hidden from every list and lookup, kept and restorable."""
    if not policy.check("can_delete_young_person", actor, person):
        raise NotPermitted()
    if person.is_deleted:
        raise DomainError("This record has already been deleted.")
    if len((reason or "").strip()) < 10:
        raise FieldErrors({"reason": "Enter why this record is being deleted"})
    return soft_delete(
        actor=actor,
        instance=person,
        expected_version=expected_version,
        reason=reason.strip(),
        verb=Verb.PERSON_DELETED,
        label="young person's record",
        subject=person,
    )


def young_person_restore(*, actor: User, person: YoungPerson, expected_version: int) -> YoungPerson:
    if not policy.check("can_delete_young_person", actor, person):
        raise NotPermitted()
    if not person.is_deleted:
        raise DomainError("This record is not deleted.")
    merge = MergeRecord.objects.filter(merge_away=person, undone_at__isnull=True).first()
    if merge is not None:
        raise DomainError(
            f"This record was merged into the record of {merge.keep}. Undo the merge instead."
        )
    return restore(
        actor=actor,
        instance=person,
        expected_version=expected_version,
        verb=Verb.PERSON_RESTORED,
        label="young person's record",
        subject=person,
    )
