"""Writes to persons of interest and their disruption: policy check, validation, write and audit
event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.enums import DisruptionKind
from riskpath.people.identifiers import clean_postcode
from riskpath.people.models import (
    DisruptionActivity,
    PersonOfInterest,
    YoungPerson,
)
from riskpath.people.services.young_people import (
    KEY_FIELDS,
    MAX_ALIASES,
    clean_aliases,
    set_name_keys,
    store_alias_keys,
)

# ---------------------------------------------------------------------------------------------
# Persons of interest and their disruption
# ---------------------------------------------------------------------------------------------

POI_FIELDS = ["given_names", "family_name", "aliases", "date_of_birth", "description", "postcode"]
# Held on the young person's record when the person of interest is also a young person.
POI_IDENTITY = ["given_names", "family_name", "aliases", "date_of_birth"]
POI_BASIS = "recording member of the partnership"


def _poi_subject(person: PersonOfInterest) -> YoungPerson | None:
    return person.young_person if person.young_person_id else None


def _clean_poi(values: dict[str, Any], *, linked: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = dict(values)
    for name in ("given_names", "family_name", "description"):
        out[name] = (out.get(name) or "").strip()
    out["aliases"] = clean_aliases(out.get("aliases"))
    if len(out["aliases"]) > MAX_ALIASES:
        errors["aliases"] = f"Enter no more than {MAX_ALIASES} known aliases"
    elif any(len(a) > 120 for a in out["aliases"]):
        errors["aliases"] = "Each alias must be 120 characters or fewer"
    if not linked and not (
        out["given_names"] or out["family_name"] or out["aliases"] or out["description"]
    ):
        errors["family_name"] = (
            "Enter a name or an alias, or describe the person if no name is known"
        )
    date_of_birth = out.get("date_of_birth")
    if date_of_birth is not None and date_of_birth > clock.today():
        errors["date_of_birth"] = "Date of birth must be in the past"
    for name in ("given_names", "family_name"):
        if len(out[name]) > 120:
            errors[name] = "Enter 120 characters or fewer"
    try:
        out["postcode"] = clean_postcode(str(out.get("postcode") or ""))
    except ValueError as exc:
        errors["postcode"] = str(exc)
    if errors:
        raise FieldErrors(errors)
    return out


def person_of_interest_validate(**values: Any) -> None:
    """Raise the ``FieldErrors`` that ``person_of_interest_create`` would, writing nothing."""
    _clean_poi(values, linked=False)


def _require_poi_recorder(actor: User, obj: Any = None) -> None:
    if not policy.check("can_record_person_of_interest", actor, obj):
        raise NotPermitted()


def person_of_interest_create(
    *,
    actor: User,
    given_names: str = "",
    family_name: str = "",
    aliases: Any = None,
    date_of_birth: dt.date | None = None,
    description: str = "",
    postcode: str = "",
) -> PersonOfInterest:
    """Record a person of interest who is not a young person known to the partnership."""
    _require_poi_recorder(actor)
    values = _clean_poi(
        {
            "given_names": given_names,
            "family_name": family_name,
            "aliases": aliases,
            "date_of_birth": date_of_birth,
            "description": description,
            "postcode": postcode,
        },
        linked=False,
    )
    with transaction.atomic():
        person = PersonOfInterest.objects.create(
            area_id=actor.area_id, recording_agency_id=actor.agency_id, recorded_by=actor, **values
        )
        audit_record(
            actor=actor,
            verb=Verb.POI_CREATED,
            target=person,
            basis=POI_BASIS,
            changes=field_changes({}, snapshot(person, POI_FIELDS)),
        )
    return person


def person_of_interest_create_from_young_person(
    *, actor: User, young_person: YoungPerson, description: str = "", postcode: str = ""
) -> PersonOfInterest:
    """Record that a young person is also a person of interest. One human, one identity: the
    names, aliases and date of birth stay on the young person's record and are never copied.
    A young person is a person of interest at most once."""
    basis = access_basis(actor, young_person)
    if basis is None or young_person.area_id != actor.area_id:
        raise NotPermitted("You have no involvement with this young person.")
    _require_poi_recorder(actor, young_person)
    values = _clean_poi({"description": description, "postcode": postcode}, linked=True)
    with transaction.atomic():
        if PersonOfInterest.all_objects.filter(young_person=young_person).exists():
            raise FieldErrors(
                {"young_person": f"{young_person} is already recorded as a person of interest"}
            )
        person = PersonOfInterest.objects.create(
            area_id=actor.area_id,
            young_person=young_person,
            recording_agency_id=actor.agency_id,
            recorded_by=actor,
            description=values["description"],
            postcode=values["postcode"],
        )
        audit_record(
            actor=actor,
            verb=Verb.POI_CREATED,
            target=person,
            subject=young_person,
            basis=basis,
            changes=field_changes(
                {}, snapshot(person, ["young_person", "description", "postcode"])
            ),
        )
    return person


def person_of_interest_update(
    *, actor: User, person: PersonOfInterest, expected_version: int, **values: Any
) -> PersonOfInterest:
    """Change a person of interest. The identity of one who is also a young person is
    changed on the young person's record, so those fields are refused here."""
    _require_poi_recorder(actor, person)
    unknown = set(values) - set(POI_FIELDS)
    if unknown:
        raise TypeError(f"person_of_interest_update() got unexpected fields {sorted(unknown)}")
    linked = person.young_person_id is not None
    if linked:
        identity = sorted(name for name in POI_IDENTITY if name in values)
        if identity:
            raise FieldErrors(
                {
                    name: "This person of interest is also a young person: change their "
                    "identity on the young person's record"
                    for name in identity
                }
            )
    merged = {name: values.get(name, getattr(person, name)) for name in POI_FIELDS}
    cleaned = _clean_poi(merged, linked=linked)
    before = snapshot(person, POI_FIELDS)
    for name, value in cleaned.items():
        setattr(person, name, value)
    with transaction.atomic():
        set_name_keys(person)
        save_versioned(
            person,
            expected_version=expected_version,
            fields=POI_FIELDS + KEY_FIELDS,
            label="person of interest",
        )
        store_alias_keys(person)
        audit_record(
            actor=actor,
            verb=Verb.POI_UPDATED,
            target=person,
            subject=_poi_subject(person),
            basis=POI_BASIS,
            changes=field_changes(before, snapshot(person, POI_FIELDS)),
        )
    return person


def disruption_record(
    *,
    actor: User,
    person: PersonOfInterest,
    kind: str,
    date: dt.date | None,
    agency: Agency | None = None,
    outcome: str = "",
) -> DisruptionActivity:
    """Add what an agency did to disrupt a person of interest (the agency defaults to the
    actor's own)."""
    _require_poi_recorder(actor, person)
    errors: dict[str, str] = {}
    if kind not in DisruptionKind.values:
        errors["kind"] = "Select the kind of disruption"
    if date is None:
        errors["date"] = "Enter the date of the disruption"
    elif date > clock.today():
        errors["date"] = "The date of the disruption must be today or in the past"
    if agency is None:
        agency = actor.agency
    if agency is None or agency.area_id != actor.area_id:
        errors["agency"] = "Select an agency in your area"
    if errors:
        raise FieldErrors(errors)
    assert agency is not None and date is not None
    with transaction.atomic():
        disruption = DisruptionActivity.objects.create(
            person=person,
            kind=kind,
            date=date,
            agency=agency,
            outcome=(outcome or "").strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.DISRUPTION_RECORDED,
            target=person,
            subject=_poi_subject(person),
            basis=POI_BASIS,
            changes=field_changes({}, snapshot(disruption, ["kind", "date", "agency", "outcome"])),
        )
    return disruption
