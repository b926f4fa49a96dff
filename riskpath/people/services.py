"""Writes to young people's records: policy check, write and audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record, field_changes, restore, snapshot, soft_delete
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.duplicates import alias_keys, name_keys
from riskpath.people.enums import CareStatus, DisruptionKind, EpisodeKind, Ethnicity, Gender
from riskpath.people.identifiers import CLEANERS, clean_postcode
from riskpath.people.models import (
    AliasKey,
    DisruptionActivity,
    MergeRecord,
    MissingEpisode,
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


# ---------------------------------------------------------------------------------------------
# Missing episodes
# ---------------------------------------------------------------------------------------------

MISSING_FIELDS = [
    "kind",
    "reported_at",
    "returned_at",
    "where_found",
    "interview_offered",
    "interview_done_at",
    "interview_by",
]


def _missing_basis(actor: User, young_person: YoungPerson) -> str:
    basis = access_basis(actor, young_person)
    if basis is None or not policy.check("can_record_missing_episode", actor, young_person):
        raise NotPermitted()
    return basis


def _clean_missing(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = dict(values)
    now = clock.now()
    out["kind"] = out.get("kind") or EpisodeKind.MISSING
    if out["kind"] not in EpisodeKind.values:
        errors["kind"] = "Select missing or absent without authorisation"
    for name in ("where_found", "interview_by"):
        out[name] = (out.get(name) or "").strip()
    out["interview_offered"] = bool(out.get("interview_offered"))
    reported, returned = out.get("reported_at"), out.get("returned_at")
    done = out.get("interview_done_at")
    if reported is None:
        errors["reported_at"] = "Enter when the young person was reported missing"
    elif reported > now:
        errors["reported_at"] = "The time reported must be in the past"
    if returned is not None:
        if returned > now:
            errors["returned_at"] = "The time of return must be in the past"
        elif reported is not None and returned < reported:
            errors["returned_at"] = "The time of return must be after the time reported"
    elif out["where_found"]:
        errors["returned_at"] = "Enter when the young person returned, if they were found"
    if done is not None:
        if returned is None:
            errors["interview_done_at"] = (
                "A return interview can only be done after the young person has returned"
            )
        elif done < returned:
            errors["interview_done_at"] = "The return interview cannot be before the return"
        elif done > now:
            errors["interview_done_at"] = "The time of the return interview must be in the past"
        if not out["interview_offered"]:
            errors["interview_offered"] = "A return interview that was done was also offered"
        if not out["interview_by"]:
            errors["interview_by"] = "Enter who did the return interview"
    if errors:
        raise FieldErrors(errors)
    return out


def missing_episode_record(
    *,
    actor: User,
    young_person: YoungPerson,
    reported_at: dt.datetime | None,
    kind: str = EpisodeKind.MISSING,
    returned_at: dt.datetime | None = None,
    where_found: str = "",
    interview_offered: bool = False,
    interview_done_at: dt.datetime | None = None,
    interview_by: str = "",
    import_key: str = "",
) -> MissingEpisode:
    basis = _missing_basis(actor, young_person)
    values = _clean_missing(
        {
            "kind": kind,
            "reported_at": reported_at,
            "returned_at": returned_at,
            "where_found": where_found,
            "interview_offered": interview_offered,
            "interview_done_at": interview_done_at,
            "interview_by": interview_by,
        }
    )
    with transaction.atomic():
        episode = MissingEpisode.objects.create(
            young_person=young_person,
            reporting_agency_id=actor.agency_id,
            recorded_by=actor,
            import_key=import_key,
            **values,
        )
        audit_record(
            actor=actor,
            verb=Verb.MISSING_RECORDED,
            target=episode,
            subject=young_person,
            basis=basis,
            changes=field_changes({}, snapshot(episode, MISSING_FIELDS)),
        )
    return episode


def missing_episode_update(
    *, actor: User, episode: MissingEpisode, expected_version: int, **values: Any
) -> MissingEpisode:
    basis = _missing_basis(actor, episode.young_person)
    unknown = set(values) - set(MISSING_FIELDS)
    if unknown:
        raise TypeError(f"missing_episode_update() got unexpected fields {sorted(unknown)}")
    merged = {name: values.get(name, getattr(episode, name)) for name in MISSING_FIELDS}
    cleaned = _clean_missing(merged)
    before = snapshot(episode, MISSING_FIELDS)
    for name, value in cleaned.items():
        setattr(episode, name, value)
    with transaction.atomic():
        save_versioned(
            episode, expected_version=expected_version, fields=MISSING_FIELDS, label="episode"
        )
        audit_record(
            actor=actor,
            verb=Verb.MISSING_UPDATED,
            target=episode,
            subject=episode.young_person,
            basis=basis,
            changes=field_changes(before, snapshot(episode, MISSING_FIELDS)),
        )
    return episode
