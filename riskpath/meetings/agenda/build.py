"""Building an agenda from the record: the window and the cadence, one draft per subject with
every reason it is due, what registered agenda sources add, and ``agenda_build``, which adds
what is new and never takes anything away."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership, ReentryFlag, Tier, tier_label
from riskpath.cohort.selectors import suggestions_for_many
from riskpath.core import clock
from riskpath.core.db import insert_many
from riskpath.core.errors import DomainError, NotPermitted
from riskpath.intelligence.models import IntelligenceItem
from riskpath.locations.models import Location
from riskpath.meetings import agenda_sources
from riskpath.meetings.agenda.sections import SECTION_ORDER, section_for
from riskpath.meetings.models import (
    AgendaItem,
    Decision,
    DecisionKind,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from riskpath.people.models import PersonOfInterest, YoungPerson

DEFAULT_WINDOW_DAYS = 14
NEWLY_REPORTED_AGENCIES = 2
# Kinds of meeting whose agenda is built from the intelligence and the cohort.
BUILT_FROM_RECORD = frozenset({MeetingKind.PIMM, MeetingKind.TARGETED_PIMM})


# ---------------------------------------------------------------------------------------------
# The window and the cadence
# ---------------------------------------------------------------------------------------------


def previous_meetings(meeting: Meeting) -> Any:
    """Earlier meetings of the same type, newest first (cancelled ones apart)."""
    return (
        Meeting.objects.filter(
            meeting_type_id=meeting.meeting_type_id, starts_at__lt=meeting.starts_at
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-starts_at")
    )


def intelligence_window(meeting: Meeting) -> tuple[dt.date, dt.date]:
    """(after, until): intelligence reported after the first date, up to and including the
    second. After the previous meeting of the type; for the first meeting, the type's window
    (14 days unless configured) before the meeting."""
    until = timezone.localdate(meeting.starts_at)
    previous = previous_meetings(meeting).values_list("starts_at", flat=True).first()
    if previous is not None:
        return timezone.localdate(previous), until
    days = meeting.meeting_type.intelligence_window_days or DEFAULT_WINDOW_DAYS
    return until - dt.timedelta(days=days), until


def _cadence_cutoff(meeting: Meeting, every: int) -> dt.date | None:
    """Young people at a tier reviewed every ``every`` meetings are due unless discussed on or
    after the returned date (the date of the ``every - 1``-th previous meeting). None: due
    only if never discussed (not enough meetings yet)."""
    if every <= 1:
        return timezone.localdate(meeting.starts_at) + dt.timedelta(days=1)  # always due
    dates = list(previous_meetings(meeting).values_list("starts_at", flat=True)[: every - 1])
    if len(dates) < every - 1:
        return None
    return timezone.localdate(dates[-1])


def _due(spell: CohortMembership, day: dt.date, cutoffs: dict[int, dt.date | None]) -> str:
    """Why the cohort member is due at the meeting on ``day``, or ''."""
    if spell.tier == Tier.RED:
        return f"{tier_label(spell.tier)}: discussed at every meeting"
    if spell.next_review_on is not None and spell.next_review_on <= day:
        return f"Review due {spell.next_review_on:%-d %B %Y}"
    if spell.last_discussed_on is None:
        return f"{tier_label(spell.tier)}: not yet discussed"
    cutoff = cutoffs[spell.tier]
    if cutoff is not None and spell.last_discussed_on < cutoff:
        return f"{tier_label(spell.tier)}: due on the cohort's cadence"
    return ""


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


@dataclass
class _Draft:
    kind: str
    title: str
    reasons: list[str] = field(default_factory=list)
    young_person_id: Any = None
    person_of_interest_id: Any = None
    location_id: Any = None
    action_id: Any = None
    intelligence_ids: list[str] = field(default_factory=list)
    order: tuple[Any, ...] = ()
    tier: int | None = None  # the young person's cohort tier now, if on the cohort

    @property
    def section(self) -> str:
        return section_for(self.kind, tier=self.tier)


def _agencies(names: Iterable[str]) -> str:
    names = sorted(set(names))
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def _intelligence_in_window(meeting: Meeting, after: dt.date, until: dt.date) -> Any:
    return IntelligenceItem.objects.filter(
        area_id=meeting.area_id, reported_on__gt=after, reported_on__lte=until
    )


def _about(through: Any, owner: str, items: Any, area_id: Any) -> dict[Any, list[tuple[str, str]]]:
    """{owner id: [(item id, agency name), …]} for the items in the window."""
    out: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    rows = through.objects.filter(intelligenceitem__in=items).values_list(
        owner, "intelligenceitem_id", "intelligenceitem__source_agency__name"
    )
    for owner_id, item_id, agency in rows:
        out[owner_id].append((str(item_id), agency))
    return out


def _reported_before(through: Any, owner: str, ids: Iterable[Any], after: dt.date) -> set[Any]:
    """Those of ``ids`` with intelligence reported on or before ``after``: not new."""
    return set(
        through.objects.filter(
            **{f"{owner}__in": list(ids)},
            intelligenceitem__deleted_at__isnull=True,
            intelligenceitem__reported_on__lte=after,
        ).values_list(owner, flat=True)
    )


def _subject_drafts(
    model: Any,
    through: Any,
    owner: str,
    about: dict[Any, list[tuple[str, str]]],
    after: dt.date,
    *,
    field: str,
    label: str,
    rank: int,
) -> list[_Draft]:
    """One draft per person of interest (or place) the window's intelligence is about;
    ``field`` is the draft's key for it (``person_of_interest_id``, ``location_id``)."""
    names = {p.pk: str(p) for p in model.objects.filter(pk__in=list(about))}
    new = set(about) - _reported_before(through, owner, about, after)
    out = []
    for pk, reported in about.items():
        if pk not in names:
            continue  # a deleted record
        agencies = [a for _, a in reported]
        draft = _Draft(
            ItemKind.NEW_INTELLIGENCE,
            names[pk],
            intelligence_ids=[i for i, _ in reported],
            reasons=[
                f"{label}: {len(reported)} new intelligence "
                f"item{'s' if len(reported) != 1 else ''} from {_agencies(agencies)}"
            ],
            order=(rank, 0, names[pk]),
        )
        setattr(draft, field, pk)
        if pk in new and len(set(agencies)) >= NEWLY_REPORTED_AGENCIES:
            draft.kind = ItemKind.NEWLY_REPORTED
            draft.reasons.append(f"Newly reported by {len(set(agencies))} agencies")
        out.append(draft)
    return out


def _drafts(meeting: Meeting) -> list[_Draft]:
    """What the record puts on the agenda, in the order it is proposed: re-entry flags and
    tier 1 first, then the other young people, persons of interest, locations, escalations
    and open actions."""
    from riskpath.meetings.actions import open_actions_carried_into

    day = timezone.localdate(meeting.starts_at)
    after, until = intelligence_window(meeting)
    drafts: list[_Draft] = []
    people: dict[Any, _Draft] = {}

    def person(pk: Any, label: str) -> _Draft:
        if pk not in people:
            people[pk] = _Draft(ItemKind.NEW_INTELLIGENCE, label, young_person_id=pk)
        return people[pk]

    if meeting.meeting_type.kind in BUILT_FROM_RECORD:
        items = _intelligence_in_window(meeting, after, until)
        yp_through = IntelligenceItem.young_people.through
        poi_through = IntelligenceItem.persons_of_interest.through
        loc_through = IntelligenceItem.locations.through
        about_people = _about(yp_through, "youngperson_id", items, meeting.area_id)
        about_pois = _about(poi_through, "personofinterest_id", items, meeting.area_id)
        about_places = _about(loc_through, "location_id", items, meeting.area_id)

        spells = {
            s.young_person_id: s
            for s in CohortMembership.objects.filter(
                area_id=meeting.area_id,
                exited_at__isnull=True,
                young_person__deleted_at__isnull=True,
            )
        }
        cutoffs: dict[int, dt.date | None] = {
            Tier.AMBER: _cadence_cutoff(meeting, meeting.meeting_type.tier_2_every),
            Tier.GREEN: _cadence_cutoff(meeting, meeting.meeting_type.tier_3_every),
        }
        flags = {
            f.young_person_id: f
            for f in ReentryFlag.objects.filter(
                young_person__area_id=meeting.area_id,
                young_person__deleted_at__isnull=True,
                cleared_at__isnull=True,
            )
        }
        new_people = set(about_people) - _reported_before(
            yp_through, "youngperson_id", about_people, after
        )
        names = {
            p.pk: str(p)
            for p in YoungPerson.objects.filter(
                pk__in=set(about_people) | set(spells) | set(flags)
            ).only("given_names", "family_name")
        }
        for pk, spell in spells.items():
            reason = _due(spell, day, cutoffs)
            if reason:
                draft = person(pk, names.get(pk, "Young person"))
                draft.kind = ItemKind.COHORT_REVIEW
                draft.reasons.append(reason)
        for pk, flag in flags.items():
            draft = person(pk, names.get(pk, "Young person"))
            draft.kind = ItemKind.REENTRY
            draft.reasons.append(
                f"Left the cohort; new intelligence since, flagged {flag.raised_at:%-d %B %Y}"
            )
        for pk, reported in about_people.items():
            if pk not in names:
                continue  # a deleted record
            draft = person(pk, names[pk])
            agencies = [a for _, a in reported]
            draft.intelligence_ids += [i for i, _ in reported]
            draft.reasons.append(
                f"{len(reported)} new intelligence item{'s' if len(reported) != 1 else ''} "
                f"from {_agencies(agencies)}"
            )
            if pk in new_people and len(set(agencies)) >= NEWLY_REPORTED_AGENCIES:
                if draft.kind == ItemKind.NEW_INTELLIGENCE:
                    draft.kind = ItemKind.NEWLY_REPORTED
                draft.reasons.append(f"Newly reported by {len(set(agencies))} agencies")
        suggestions = suggestions_for_many(
            [pk for pk in people if pk in spells],
            area_id=meeting.area_id,
            as_of=day,
            window_days=meeting.meeting_type.intelligence_window_days,
        )
        for pk, suggestion in suggestions.items():
            if suggestion.tier is not None and suggestion.tier != spells[pk].tier:
                change = (
                    f"Tier-change suggestion: {tier_label(suggestion.tier)}, now "
                    f"{tier_label(spells[pk].tier)}"
                )
                people[pk].reasons.append(
                    f"{change}: {suggestion.reasons[0].text}" if suggestion.reasons else change
                )
                if people[pk].kind == ItemKind.COHORT_REVIEW:
                    people[pk].kind = ItemKind.TIER_SUGGESTION
        rank: dict[str, int] = {
            ItemKind.REENTRY: 1,
            ItemKind.NEWLY_REPORTED: 3,
            ItemKind.NEW_INTELLIGENCE: 3,
        }
        for pk, draft in people.items():
            member = spells.get(pk)
            tier = member.tier if member is not None else 4
            draft.tier = member.tier if member is not None else None
            draft.order = (0 if tier == 1 else rank.get(draft.kind, 2), tier, draft.title)
            drafts.append(draft)

        drafts += _subject_drafts(
            PersonOfInterest,
            poi_through,
            "personofinterest_id",
            about_pois,
            after,
            field="person_of_interest_id",
            label="Person of interest",
            rank=4,
        )
        drafts += _subject_drafts(
            Location,
            loc_through,
            "location_id",
            about_places,
            after,
            field="location_id",
            label="Location",
            rank=5,
        )

    escalations = (
        Decision.objects.filter(
            kind=DecisionKind.ESCALATE,
            item__meeting__area_id=meeting.area_id,
            recorded_at__date__gt=after,
            recorded_at__date__lte=until,
        )
        .exclude(item__meeting_id=meeting.pk)
        .select_related("item__meeting", "young_person")
    )
    if meeting.meeting_type.kind in BUILT_FROM_RECORD | {MeetingKind.STRATEGIC_PANEL}:
        for decision in escalations:
            subject = decision.young_person
            title = f"Escalation: {subject}" if subject else "Escalation"
            drafts.append(
                _Draft(
                    ItemKind.ESCALATION,
                    title,
                    young_person_id=subject.pk if subject else None,
                    reasons=[f"Escalated at {decision.item.meeting}: {decision.text}"],
                    order=(6, 0, title),
                )
            )

    drafts += _sourced(meeting, until)

    carried = open_actions_carried_into(meeting).values_list(
        "pk",
        "description",
        "due_on",
        "meeting__title",
        "owner_user__full_name",
        "owner_agency__name",
    )
    for pk, description, due_on, from_meeting, owner, owner_agency in carried:
        # Grouped by owner, so that each owner answers for theirs in one go.
        who = owner or owner_agency or ""
        drafts.append(
            _Draft(
                ItemKind.OPEN_ACTION,
                f"Open action: {description[:200]}",
                action_id=pk,
                reasons=[
                    f"From {from_meeting}; due {due_on:%-d %B %Y}"
                    + (f"; owner {who}" if who else "; no owner")
                ],
                order=(7, who == "", who, due_on, str(pk)),
            )
        )
    # In the order of business: by section, then as each section ranks its items.
    drafts.sort(key=lambda d: (SECTION_ORDER[d.section], d.order))
    return drafts


def _sourced(meeting: Meeting, until: dt.date) -> list[_Draft]:
    """What the apps registered with ``agenda_sources`` put on a meeting of this kind."""
    return [
        _Draft(
            item.kind,
            item.title,
            young_person_id=item.young_person_id,
            reasons=list(item.reasons),
            order=(source.rank, 0, item.title),
        )
        for source in agenda_sources.sources_for(meeting.meeting_type.kind)
        for item in source.items(meeting, until)
    ]


def _key(kind: str, yp: Any, poi: Any, loc: Any, action: Any) -> tuple[Any, ...]:
    """What makes an item the same item when the agenda is built again."""
    if action is not None:
        return ("action", str(action))
    if kind == ItemKind.ESCALATION:
        return ("escalation", str(yp))
    return ("subject", str(yp), str(poi), str(loc))


def agenda_build(*, actor: Any, meeting: Meeting) -> list[AgendaItem]:
    """Add to the agenda what the record says the meeting must discuss; returns the items
    added. Items already on the agenda (or removed from it, with their reason) are left as
    they are: building again never takes anything away, and never puts back what the chair
    removed."""
    if not policy.check("can_edit_agenda", actor, meeting):
        raise NotPermitted()
    if meeting.status in (MeetingStatus.APPROVED, MeetingStatus.CANCELLED):
        raise DomainError("The agenda of an approved or cancelled meeting cannot change.")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = {
            _key(k, yp, poi, loc, act)
            for k, yp, poi, loc, act in AgendaItem.objects.filter(meeting=locked).values_list(
                "kind", "young_person_id", "person_of_interest_id", "location_id", "action_id"
            )
        }
        start = (AgendaItem.objects.filter(meeting=locked).aggregate(m=Max("position"))["m"]) or 0
        new: list[AgendaItem] = []
        for draft in _drafts(locked):
            key = _key(
                draft.kind,
                draft.young_person_id,
                draft.person_of_interest_id,
                draft.location_id,
                draft.action_id,
            )
            if key in existing:
                continue
            existing.add(key)
            new.append(
                AgendaItem(
                    meeting=locked,
                    position=start + len(new) + 1,
                    kind=draft.kind,
                    section=draft.section,
                    title=draft.title[:300],
                    detail="\n".join(draft.reasons),
                    built=True,
                    young_person_id=draft.young_person_id,
                    person_of_interest_id=draft.person_of_interest_id,
                    location_id=draft.location_id,
                    action_id=draft.action_id,
                    intelligence_ids=draft.intelligence_ids,
                )
            )
        insert_many(new)
        locked.agenda_built_at = clock.now()
        Meeting.objects.filter(pk=locked.pk).update(agenda_built_at=locked.agenda_built_at)
        meeting.agenda_built_at = locked.agenda_built_at
        audit_record(
            actor=actor,
            verb=Verb.AGENDA_BUILT,
            target=meeting,
            changes={
                "added": len(new),
                "window": [d.isoformat() for d in intelligence_window(locked)],
            },
        )
    return new
