"""What meetings add to a young person's record: the actions agreed about them, on their
timeline, for users who may see actions, leaving out those raised in a confidential slot the
user was not in and does not own."""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator

from riskpath.access import policy
from riskpath.governance import retention
from riskpath.governance import sources as sar
from riskpath.governance.enums import HoldScope
from riskpath.meetings.access import actions_visible_q
from riskpath.meetings.models import Action, AgendaItem, Decision
from riskpath.people import timeline
from riskpath.people.models import YoungPerson


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    """Actions about the young person agreed at meetings that the user may know exist, dated
    when agreed, with where they stand (open and due, or closed with an outcome)."""
    actions = (
        Action.objects.filter(young_person=person, area_id=person.area_id)
        .filter(actions_visible_q(user))
        .select_related("meeting", "owner_user", "owner_agency")
        .order_by("-created_at")[:limit]
    )
    entries = []
    for action in actions:
        owner = " and ".join(
            str(o)
            for o in (
                action.owner_user.full_name if action.owner_user else None,
                action.owner_agency,
            )
            if o
        )
        if action.is_open:
            state = f"open, due {timeline.long_date(action.due_on)}"
        else:
            state = f"closed: {Truncator(action.outcome).chars(120)}"
        day = timeline.local_date(action.created_at)
        entries.append(
            timeline.Entry(
                when=action.created_at,
                kind=timeline.ACTION,
                summary=(
                    f"Action agreed at {action.meeting}: {Truncator(action.description).chars(160)}"
                    f" ({owner}; {state})"
                ),
                sort_key=timeline.key(day, action.created_at),
            )
        )
    return entries


timeline.register_source(
    timeline.ACTION,
    label="Action",
    filter_label="Meeting actions",
    order=70,
    visible=lambda user, person: policy.check("can_view_actions", user, person),
    entries=_entries,
)


# ---------------------------------------------------------------------------------------------
# A subject access request (``riskpath.governance.sources``): every agenda item about the
# young person with its minutes and decisions, confidential slots included, and every action
# about them with its updates; read only by the information-governance officer's compile.
# ---------------------------------------------------------------------------------------------


def _held(person: YoungPerson) -> list[sar.Held]:
    out = []
    items = (
        AgendaItem.objects.filter(young_person=person)
        .select_related("meeting", "person_of_interest", "minutes__minuted_by")
        .prefetch_related("decisions")
        .order_by("meeting__starts_at", "position")
    )
    for item in items:
        minutes = getattr(item, "minutes", None)
        lines = [
            item.detail,
            "Confidential slot" if item.confidential else "",
            f"Minutes: {minutes.discussion}" if minutes and minutes.discussion else "",
            *(f"Decision: {d.text}" for d in item.decisions.all()),
            f"Removed from the agenda: {item.removal_reason}" if item.removal_reason else "",
        ]
        poi = item.person_of_interest
        out.append(
            sar.Held(
                when=item.meeting.starts_at,
                kind="Meeting",
                title=f"Discussed at {item.meeting}: {item.title}",
                text="\n".join(line for line in lines if line),
                ref=f"meetings.agendaitem:{item.pk}",
                parties=sar.parties(
                    sar.person_of_interest_party(poi) if poi else None,
                    sar.professional(minutes.minuted_by if minutes else None),
                ),
            )
        )
    other_decisions = (
        Decision.objects.filter(young_person=person)
        .exclude(item__young_person=person)
        .select_related("item__meeting", "recorded_by")
    )
    for d in other_decisions:
        out.append(
            sar.Held(
                when=d.item.meeting.starts_at,
                kind="Meeting",
                title=f"Decision at {d.item.meeting}",
                text=d.text,
                ref=f"meetings.decision:{d.pk}",
                parties=sar.parties(sar.professional(d.recorded_by)),
            )
        )
    actions = (
        Action.objects.filter(young_person=person)
        .select_related("meeting", "owner_user", "owner_agency", "person_of_interest")
        .prefetch_related("updates__recorded_by")
    )
    for action in actions:
        owner = " and ".join(
            str(o)
            for o in (
                action.owner_user.full_name if action.owner_user else None,
                action.owner_agency,
            )
            if o
        )
        lines = [
            f"Owner: {owner}" if owner else "",
            f"Due {action.due_on:%-d %B %Y}" if action.due_on else "",
            *(f"Update: {u.text}" for u in action.updates.all()),
            f"Closed: {action.outcome}" if not action.is_open else "",
        ]
        poi = action.person_of_interest
        out.append(
            sar.Held(
                when=action.created_at,
                kind="Action",
                title=f"Action agreed at {action.meeting}: {action.description}",
                text="\n".join(line for line in lines if line),
                ref=f"meetings.action:{action.pk}",
                parties=sar.parties(
                    sar.person_of_interest_party(poi) if poi else None,
                    sar.professional(action.owner_user),
                ),
            )
        )
    return out


sar.register_source("meetings", label="Meetings and actions", order=70, entries=_held)


def _hold_covers(meeting_id: str) -> set[tuple[str, str]]:
    """A legal hold on a meeting holds the records of the young people discussed at it."""
    items = AgendaItem.objects.filter(meeting_id=meeting_id, young_person__isnull=False)
    return {
        (retention.YOUNG_PERSON_KEY, str(pk))
        for pk in items.values_list("young_person_id", flat=True)
    }


def _hold_label(area_id: Any, meeting_id: str) -> str | None:
    from riskpath.meetings.models import Meeting

    meeting = Meeting.objects.filter(area_id=area_id, pk=meeting_id).first()
    return str(meeting) if meeting else None


retention.register_hold_scope(HoldScope.MEETING, _hold_covers)
retention.register_hold_target(HoldScope.MEETING, _hold_label)
