"""What the cohort adds to a young person's record: their current place on the cohort (on
their page) and the tier decisions on their timeline, for users who may see the cohort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.cohort.models import CohortMembership, TierDecision, tier_label
from riskpath.cohort.services import cohort_note_intelligence
from riskpath.core.pages import register_part
from riskpath.governance import sources as sar
from riskpath.intelligence.services import on_item_about_young_people
from riskpath.people import merge, timeline
from riskpath.people.models import YoungPerson


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    decisions = (
        TierDecision.objects.filter(
            membership__young_person=person, membership__area_id=person.area_id
        )
        .select_related("decided_by")
        .order_by("-decided_at", "-created_at")[:limit]
    )
    url = reverse("cohort:detail", args=[person.pk])
    entries = []
    for d in decisions:
        if d.from_tier is None and d.to_tier is not None:
            what = f"Added to the cohort at {tier_label(d.to_tier)}"
        elif d.to_tier is None:
            what = f"Left the cohort from {tier_label(d.from_tier)}"
        else:
            what = f"Tier changed from {tier_label(d.from_tier)} to {tier_label(d.to_tier)}"
        what += f", decided by {d.decided_by.full_name}"
        if d.meeting_ref:
            what += f" at {d.meeting_ref}"
        entries.append(
            timeline.Entry(
                when=d.decided_at,
                kind=timeline.TIER,
                summary=what,
                url=url,
                sort_key=timeline.key(timeline.local_date(d.decided_at), d.decided_at),
            )
        )
    return entries


timeline.register_source(
    timeline.TIER,
    label="Cohort tier",
    filter_label="Cohort tier changes",
    order=30,
    visible=lambda user, person: policy.check("can_view_cohort", user, person),
    entries=_entries,
)


@dataclass(frozen=True)
class CohortStatus:
    current: CohortMembership | None
    ever: bool  # has been on the area's cohort at some time


def cohort_status_for_user(user: Any, person: YoungPerson) -> CohortStatus | None:
    """The young person's current cohort spell, for users who may see the cohort; else None
    (the page then says nothing about the cohort)."""
    if not policy.check("can_view_cohort", user, person):
        return None
    spells = list(
        CohortMembership.objects.filter(young_person=person, area_id=person.area_id).order_by(
            "-entered_at"
        )[:2]
    )
    current = next((s for s in spells if s.exited_at is None), None)
    return CohortStatus(current=current, ever=bool(spells))


def _part(user: Any, person: YoungPerson, shared: dict[str, Any]) -> dict[str, Any]:
    return {"cohort_status": cohort_status_for_user(user, person)}


register_part("young_person", "cohort", _part, order=40)


def _both_on_the_cohort(keep: YoungPerson, away: YoungPerson) -> str | None:
    open_spells = CohortMembership.objects.filter(
        young_person__in=[keep, away], exited_at__isnull=True
    ).values_list("young_person_id", flat=True)
    if len(set(open_spells)) == 2:
        return (
            "Both records are on the cohort now. A young person can be on the cohort only "
            "once: ask the chair to record the exit of one of them before merging."
        )
    return None


merge.register_check(_both_on_the_cohort)


def _note_intelligence(actor: User, item: Any) -> None:
    """New intelligence about a former cohort member flags them for re-entry."""
    cohort_note_intelligence(actor=actor, item=item)


on_item_about_young_people(_note_intelligence)


def _held(person: YoungPerson) -> list[sar.Held]:
    """The young person's cohort history, for a subject access request: each spell on the
    cohort and every tier decision, with its reasons."""
    out = []
    spells = CohortMembership.objects.filter(young_person=person).prefetch_related(
        "decisions__decided_by"
    )
    for spell in spells:
        out.append(
            sar.Held(
                when=spell.entered_at,
                kind="Cohort",
                title="Entered the cohort",
                text=f"Reason: {spell.entry_reason}\nTier now: {tier_label(spell.tier)}",
                ref=f"cohort.cohortmembership:{spell.pk}",
            )
        )
        for d in spell.decisions.all():
            if d.from_tier is None and d.to_tier is not None:
                what = f"Added to the cohort at {tier_label(d.to_tier)}"
            elif d.to_tier is None:
                what = f"Left the cohort from {tier_label(d.from_tier)}"
            else:
                what = f"Tier changed from {tier_label(d.from_tier)} to {tier_label(d.to_tier)}"
            lines = [f"Reason: {d.reason}", f"At: {d.meeting_ref}" if d.meeting_ref else ""]
            out.append(
                sar.Held(
                    when=d.decided_at,
                    kind="Cohort",
                    title=what,
                    text="\n".join(line for line in lines if line),
                    ref=f"cohort.tierdecision:{d.pk}",
                    parties=sar.parties(sar.professional(d.decided_by)),
                )
            )
        if spell.exited_at:
            note = f"{spell.get_exit_reason_display()}" + (
                f": {spell.exit_note}" if spell.exit_note else ""
            )
            out.append(
                sar.Held(
                    when=spell.exited_at,
                    kind="Cohort",
                    title="Left the cohort",
                    text=note,
                    ref=f"cohort.cohortmembership:{spell.pk}",
                )
            )
    return out


sar.register_source("cohort", label="Cohort history", order=30, entries=_held)
