"""The kinds of record below this app that the retention schedule disposes of: young people
without a plan (those with one are the pathway's kind) and persons of interest; and what a
legal hold on a young person names. Disposal erases personal data in place: the row stays
(ids, dates, what points at it), its names, identifiers and free text are blanked, and it is
marked deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from riskpath.accounts.models import Area
from riskpath.core import clock
from riskpath.governance import retention
from riskpath.governance.enums import HoldScope, RecordKind, Trigger
from riskpath.governance.models import DisposalLog, RetentionRule
from riskpath.people.models import MissingEpisode, PersonOfInterest, YoungPerson

DISPOSED = "Disposed of under the retention schedule"
ERASED = "Erased"


def trigger_date(obj: Any, rule: RetentionRule) -> dt.date | None:
    """When ``rule``'s period starts for a record with ``date_of_birth``, ``created_at`` and
    ``updated_at``; ``None`` for a trigger the record does not have (a plan's end is the
    pathway's to say)."""
    dob = getattr(obj, "date_of_birth", None)
    if rule.trigger == Trigger.BIRTHDAY_18:
        return retention.birthday(dob, 18)
    if rule.trigger == Trigger.BIRTHDAY_25:
        return retention.birthday(dob, 25)
    if rule.trigger == Trigger.CREATED:
        return obj.created_at.date()
    if rule.trigger == Trigger.LAST_ACTIVITY:
        return obj.updated_at.date()
    return None


def past_period(
    records: Iterable[Any],
    rule: RetentionRule,
    today: dt.date,
    *,
    gone: set[str],
    label: str,
    key: str,
    start: Callable[[Any, RetentionRule], dt.date | None] = trigger_date,
) -> list[retention.Candidate]:
    """The candidates among ``records`` whose period under ``rule`` has run by ``today``,
    leaving out those already disposed of (``gone``); each is labelled ``label`` and its
    short reference (never a name) and held by ``key``."""
    out = []
    for record in records:
        began = start(record, rule)
        if began is None or str(record.pk) in gone:
            continue
        due = retention.due_date(began, rule)
        if due <= today:
            out.append(
                retention.Candidate(
                    record_id=str(record.pk),
                    label=f"{label} {str(record.pk)[:8]}",
                    due_on=due,
                    keys=frozenset({(key, str(record.pk))}),
                )
            )
    return out


def disposed(area: Area, kind: str) -> set[str]:
    return set(
        DisposalLog.objects.filter(area=area, record_kind=kind).values_list("record_id", flat=True)
    )


def _young_people(area: Area, rule: RetentionRule, today: dt.date) -> list[retention.Candidate]:
    # Young people with a plan are another kind, with their own (longer) period.
    people = YoungPerson.all_objects.filter(area=area).only(
        "pk", "date_of_birth", "created_at", "updated_at"
    )
    for holders in retention.plan_holders(area):
        people = people.exclude(pk__in=holders)
    return past_period(
        people,
        rule,
        today,
        gone=disposed(area, RecordKind.YOUNG_PERSON),
        label="Young person's record",
        key=retention.YOUNG_PERSON_KEY,
    )


def erase_young_person(record_id: str) -> dict[str, int]:
    """Erase a young person's personal data in place, with their missing episodes' free text;
    inside the caller's transaction when there is one."""
    with transaction.atomic():
        person = YoungPerson.all_objects.select_for_update().get(pk=record_id)
        for name in ("school", "locality", "postcode", "mosaic_id", "liquidlogic_id"):
            setattr(person, name, "")
        for name in ("niche_id", "flare_id", "nhs_number", "family_key", "given_key"):
            setattr(person, name, "")
        person.given_names = ERASED
        person.family_name = ERASED
        person.aliases = []
        person.date_of_birth = None
        person.deletion_reason = DISPOSED
        person.deleted_at = person.deleted_at or clock.now()
        person.save()
        episodes = MissingEpisode.all_objects.filter(young_person=person).update(
            where_found="", interview_by=""
        )
    return {"young_person": 1, "missing_episodes": episodes}


def _persons_of_interest(
    area: Area, rule: RetentionRule, today: dt.date
) -> list[retention.Candidate]:
    people = PersonOfInterest.all_objects.filter(area=area).only(
        "pk", "date_of_birth", "created_at", "updated_at"
    )
    return past_period(
        people,
        rule,
        today,
        gone=disposed(area, RecordKind.PERSON_OF_INTEREST),
        label="Person of interest's record",
        key="people.personofinterest",
    )


def _dispose_person_of_interest(record_id: str) -> dict[str, int]:
    with transaction.atomic():
        poi = PersonOfInterest.all_objects.select_for_update().get(pk=record_id)
        poi.given_names = ERASED
        poi.family_name = ERASED
        poi.aliases = []
        poi.date_of_birth = None
        poi.description = ""
        poi.postcode = ""
        poi.family_key = poi.given_key = ""
        poi.deletion_reason = DISPOSED
        poi.deleted_at = poi.deleted_at or clock.now()
        poi.save()
    return {"person_of_interest": 1}


def _young_person_label(area_id: Any, target_id: str) -> str | None:
    person = YoungPerson.all_objects.filter(area_id=area_id, pk=target_id).first()
    return str(person) if person else None


retention.register_kind(
    RecordKind.YOUNG_PERSON, candidates=_young_people, dispose=erase_young_person
)
retention.register_kind(
    RecordKind.PERSON_OF_INTEREST,
    candidates=_persons_of_interest,
    dispose=_dispose_person_of_interest,
)
retention.register_hold_target(HoldScope.PERSON, _young_person_label)
