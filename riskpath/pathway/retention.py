"""The pathway's kind of record for the retention schedule: a young person with a plan (a
pathway episode), kept longer than one without. The period starts at a birthday, at the end
of their last plan (never while one is open), or at the record's last activity; disposal
erases the young person as the schedule's other kind does, and the free text of their
episodes, plan actions and flags (dates and steps stay, for the pathway's figures)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce

from riskpath.accounts.models import Area
from riskpath.governance import retention
from riskpath.governance.disposal import (
    ERASED,
    disposed,
    erase_young_person,
    past_period,
    trigger_date,
)
from riskpath.governance.enums import RecordKind, Trigger
from riskpath.governance.models import RetentionRule
from riskpath.pathway.models import Episode, EpisodeStatus, Flag, PlanAction
from riskpath.people.models import YoungPerson

ENDED = (EpisodeStatus.ENDED, EpisodeStatus.CLOSED)
EPISODE_TEXT = (
    "team",
    "strategy_participants",
    "immediate_actions",
    "disruption_opportunities",
    "adult_safeguarding_reason",
    "early_review_reason",
    "trigger_plan_details",
    "nrm_reason",
    "escalation_reason",
    "ending_reason",
)


def _holders(area: Area) -> Any:
    return Episode.objects.filter(area=area).values_list("young_person_id", flat=True)


def _candidates(area: Area, rule: RetentionRule, today: dt.date) -> list[retention.Candidate]:
    people = (
        YoungPerson.all_objects.filter(area=area, pk__in=_holders(area))
        .only("pk", "date_of_birth", "created_at", "updated_at")
        .annotate(
            plan_ended=Max(Coalesce("pathway_episodes__closed_on", "pathway_episodes__ended_on"))
        )
    )
    open_plans = set(
        Episode.objects.filter(area=area)
        .exclude(status__in=ENDED)
        .values_list("young_person_id", flat=True)
    )

    def start(person: Any, rule: RetentionRule) -> dt.date | None:
        if rule.trigger != Trigger.PLAN_ENDED:
            return trigger_date(person, rule)
        return None if person.pk in open_plans else person.plan_ended

    return past_period(
        people,
        rule,
        today,
        gone=disposed(area, RecordKind.YOUNG_PERSON_PLAN),
        label="Young person's record (with a plan)",
        key=retention.YOUNG_PERSON_KEY,
        start=start,
    )


def _dispose(record_id: str) -> dict[str, int]:
    with transaction.atomic():
        counts = erase_young_person(record_id)
        episodes = Episode.objects.filter(young_person_id=uuid.UUID(record_id))
        counts["pathway_episodes"] = episodes.update(**dict.fromkeys(EPISODE_TEXT, ""))
        counts["plan_actions"] = PlanAction.objects.filter(episode__in=episodes).update(
            description=ERASED
        )
        counts["flags"] = Flag.objects.filter(episode__in=episodes).update(text=ERASED)
    return counts


retention.register_plan_holders(_holders)
retention.register_kind(RecordKind.YOUNG_PERSON_PLAN, candidates=_candidates, dispose=_dispose)
