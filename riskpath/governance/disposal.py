"""The kinds of record below this app that the retention schedule disposes of: young people
(without a plan) and persons of interest; and what a legal hold on a young person names.
Disposal erases personal data in place: the row stays (ids, dates, what points at it), its
names, identifiers and free text are blanked, and it is marked deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from riskpath.accounts.models import Area
from riskpath.governance import retention
from riskpath.governance.enums import HoldScope, RecordKind, Trigger
from riskpath.governance.models import DisposalLog, RetentionRule
from riskpath.people.models import MissingEpisode, PersonOfInterest, YoungPerson

DISPOSED = "Disposed of under the retention schedule"
ERASED = "Erased"


def _trigger_date(obj: Any, rule: RetentionRule) -> dt.date | None:
    dob = getattr(obj, "date_of_birth", None)
    if rule.trigger == Trigger.BIRTHDAY_18:
        return retention.birthday(dob, 18)
    if rule.trigger == Trigger.BIRTHDAY_25:
        return retention.birthday(dob, 25)
    if rule.trigger == Trigger.CREATED:
        return obj.created_at.date()
    if rule.trigger == Trigger.LAST_ACTIVITY:
        return obj.updated_at.date()
    return None  # "plan ended": not a trigger of these kinds


def _disposed(area: Area, kind: str) -> set[str]:
    return set(
        DisposalLog.objects.filter(area=area, record_kind=kind).values_list("record_id", flat=True)
    )


def _young_people(area: Area, rule: RetentionRule, today: dt.date) -> list[retention.Candidate]:
    gone = _disposed(area, RecordKind.YOUNG_PERSON)
    out = []
    for person in YoungPerson.all_objects.filter(area=area).only(
        "pk", "date_of_birth", "created_at", "updated_at"
    ):
        start = _trigger_date(person, rule)
        if start is None or str(person.pk) in gone:
            continue
        due = retention.due_date(start, rule)
        if due <= today:
            out.append(
                retention.Candidate(
                    record_id=str(person.pk),
                    label=f"Young person's record {str(person.pk)[:8]}",
                    due_on=due,
                    keys=frozenset({(retention.YOUNG_PERSON_KEY, str(person.pk))}),
                )
            )
    return out


def _dispose_young_person(record_id: str) -> dict[str, int]:
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
        if person.deleted_at is None:
            from riskpath.core import clock

            person.deleted_at = clock.now()
        person.save()
        episodes = MissingEpisode.all_objects.filter(young_person=person).update(
            where_found="", interview_by=""
        )
    return {"young_person": 1, "missing_episodes": episodes}


def _persons_of_interest(
    area: Area, rule: RetentionRule, today: dt.date
) -> list[retention.Candidate]:
    gone = _disposed(area, RecordKind.PERSON_OF_INTEREST)
    out = []
    for poi in PersonOfInterest.all_objects.filter(area=area).only(
        "pk", "date_of_birth", "created_at", "updated_at"
    ):
        start = _trigger_date(poi, rule)
        if start is None or str(poi.pk) in gone:
            continue
        due = retention.due_date(start, rule)
        if due <= today:
            out.append(
                retention.Candidate(
                    record_id=str(poi.pk),
                    label=f"Person of interest's record {str(poi.pk)[:8]}",
                    due_on=due,
                    keys=frozenset({("people.personofinterest", str(poi.pk))}),
                )
            )
    return out


def _dispose_person_of_interest(record_id: str) -> dict[str, int]:
    from riskpath.core import clock

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
    RecordKind.YOUNG_PERSON, candidates=_young_people, dispose=_dispose_young_person
)
retention.register_kind(
    RecordKind.PERSON_OF_INTEREST,
    candidates=_persons_of_interest,
    dispose=_dispose_person_of_interest,
)
retention.register_hold_target(HoldScope.PERSON, _young_person_label)
