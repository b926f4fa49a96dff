"""Writes to a young person's missing episodes: part of the young person's record, so recorded
under an access basis to them."""

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
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.enums import EpisodeKind
from riskpath.people.models import (
    MissingEpisode,
    YoungPerson,
)

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
