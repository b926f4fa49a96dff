"""Who takes part in a meeting: the facts the access policy's meeting predicates read.

A meeting is known to those invited to it (an attendance row, which scheduling creates for
every standing member), its type's standing members and their deputies, and its chair.
Agenda items, actions and decisions belong to the meeting they came from.

**In a confidential slot** (an agenda item marked confidential) were: the meeting's runners
(business support, who minute every meeting, and its chair: the chair named on the meeting,
or where none is named the type's chair or vice-chair, or the deputy of either), and every
user recorded at the meeting as present, or present as a deputy (the deputy, not the member
they stood in for). Not in it: the young person, family members and guests (attendance rows
without an account, whom the slot is held without), members who sent apologies or a deputy,
were absent or whose attendance was never recorded, and everyone else. Attendance is recorded
for the whole meeting, so everyone present is in every confidential slot of it.

An action raised in a confidential slot is known to those who were in the slot and to its
owner (the owning user, or anyone in the owning agency), who need it to act; to everyone else
it does not exist (``actions_visible_q``).

The access policy reads these as facts this module registers with ``riskpath.access.facts``
(imported by the app's ``ready``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from riskpath.access import facts, policy
from riskpath.access.involvement import accessible_subset
from riskpath.accounts.enums import Role
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CoreMember,
    Meeting,
    MeetingType,
    MemberCapacity,
)

CHAIR_CAPACITIES = (MemberCapacity.CHAIR, MemberCapacity.VICE_CHAIR)
THERE = (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)


def meeting_of(obj: Any) -> Meeting | None:
    if isinstance(obj, Meeting):
        return obj
    if isinstance(obj, AgendaItem):
        return obj.meeting
    if isinstance(obj, Action):
        return obj.meeting
    meeting = getattr(obj, "meeting", None)
    return meeting if isinstance(meeting, Meeting) else None


def participates(user: Any, obj: Any) -> bool:
    meeting = meeting_of(obj)
    if meeting is None or not getattr(user, "is_authenticated", False):
        return False
    if meeting.chair_id == user.pk:
        return True
    if (
        Attendance.objects.filter(meeting=meeting)
        .filter(Q(user=user) | Q(deputy_for=user))
        .exists()
    ):
        return True
    return (
        CoreMember.objects.filter(meeting_type_id=meeting.meeting_type_id)
        .filter(Q(user=user) | Q(deputy=user))
        .exists()
    )


def chairs(user: Any, obj: Any) -> bool:
    meeting = meeting_of(obj)
    if meeting is None or not getattr(user, "is_authenticated", False):
        return False
    if meeting.chair_id is not None:
        return meeting.chair_id == user.pk
    return (
        CoreMember.objects.filter(
            meeting_type_id=meeting.meeting_type_id, capacity__in=CHAIR_CAPACITIES
        )
        .filter(Q(user=user) | Q(deputy=user))
        .exists()
    )


def approves(user: Any, obj: Any) -> bool:
    """Approves the meeting's minutes: whoever chaired it. The chair named on the meeting; where
    none is named, the type's chair (or their deputy), or its vice-chair (or theirs) when the
    chair was not recorded present — the vice-chair chaired in the chair's place."""
    meeting = meeting_of(obj)
    if meeting is None or not chairs(user, meeting):
        return False
    if meeting.chair_id is not None:
        return True
    capacities = set(
        CoreMember.objects.filter(meeting_type_id=meeting.meeting_type_id)
        .filter(Q(user=user) | Q(deputy=user))
        .values_list("capacity", flat=True)
    )
    if MemberCapacity.CHAIR in capacities:
        return True
    chair_there = Attendance.objects.filter(
        meeting=meeting,
        status__in=THERE,
        user_id__in=CoreMember.objects.filter(
            meeting_type_id=meeting.meeting_type_id, capacity=MemberCapacity.CHAIR
        ).values("user_id"),
    ).exists()
    return not chair_there


def meetings_participated(user: Any) -> QuerySet[Meeting]:
    """The meetings ``user`` takes part in, in SQL (the same test as ``participates``)."""
    types = CoreMember.objects.filter(Q(user=user) | Q(deputy=user)).values("meeting_type_id")
    invited = Attendance.objects.filter(Q(user=user) | Q(deputy_for=user)).values("meeting_id")
    return Meeting.objects.filter(area_id=user.area_id).filter(
        Q(chair=user) | Q(meeting_type_id__in=types) | Q(pk__in=invited)
    )


def types_chaired(user: Any) -> QuerySet[MeetingType]:
    ids = CoreMember.objects.filter(capacity__in=CHAIR_CAPACITIES).filter(
        Q(user=user) | Q(deputy=user)
    )
    return MeetingType.objects.filter(pk__in=ids.values("meeting_type_id"))


# ---------------------------------------------------------------------------------------------
# Confidential slots
# ---------------------------------------------------------------------------------------------


def was_present(user: Any, meeting: Meeting) -> bool:
    """Recorded at the meeting as present, or present as a deputy."""
    return Attendance.objects.filter(meeting=meeting, user=user, status__in=THERE).exists()


def in_slot_q(user: Any, prefix: str = "meeting") -> Q:
    """A ``Q`` over rows with a meeting at ``prefix`` (``meeting`` for an action): the meetings
    whose confidential slots ``user`` was in — every meeting for business support; the
    meetings they chair (named chair; with none named, the type's chair or vice-chair or the
    deputy of either, as ``chairs``); the meetings they were present at."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.has_role(Role.ADMINISTRATOR):
        return Q(pk__isnull=False)
    present = Attendance.objects.filter(user=user, status__in=THERE).values("meeting_id")
    chaired_types = (
        CoreMember.objects.filter(capacity__in=CHAIR_CAPACITIES)
        .filter(Q(user=user) | Q(deputy=user))
        .values("meeting_type_id")
    )
    return (
        Q(**{f"{prefix}_id__in": present})
        | Q(**{f"{prefix}__chair": user})
        | Q(**{f"{prefix}__chair__isnull": True, f"{prefix}__meeting_type_id__in": chaired_types})
    )


def owner_q(user: Any) -> Q:
    """Actions the user owns, or their agency owns."""
    mine = Q(owner_user_id=user.pk)
    if user.agency_id is not None:
        mine |= Q(owner_agency_id=user.agency_id)
    return mine


def actions_visible_q(user: Any) -> Q:
    """The actions ``user`` may know exist (within what ``can_view_actions`` already allows):
    every action not raised in a confidential slot; one raised in a confidential slot only if
    they were in the slot (``in_slot_q``) or own it (``owner_q``)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(item__isnull=True) | Q(item__confidential=False) | in_slot_q(user) | owner_q(user)


def sees_action(user: Any, action: Action) -> bool:
    """May ``user`` know that ``action`` exists? (``actions_visible_q`` for one action: one
    query at most, none for an action outside any confidential slot.)"""
    if action.item_id is None:
        return True
    item = action.item
    if item is None or not item.confidential:
        return True
    return Action.objects.filter(pk=action.pk).filter(actions_visible_q(user)).exists()


# ---------------------------------------------------------------------------------------------
# Which young people a reader may open, for many at once
# ---------------------------------------------------------------------------------------------


def openable_young_people(user: Any, ids: Iterable[Any]) -> set[Any]:
    """Of the young people ``ids``, those ``user`` may open (``can_view_young_person``: an
    access basis, involvement or a live emergency grant, in their area), in two queries
    whatever the number of people: the involvement bases asked in SQL, as the lists ask them.
    ``tests/meetings/test_sight.py`` checks this agrees with the policy, person by person."""
    if not policy.check("can_view_young_person", user):
        return set()
    return accessible_subset("people.youngperson", user, ids)


# ---------------------------------------------------------------------------------------------
# The facts the policy reads
# ---------------------------------------------------------------------------------------------

facts.register_fact(facts.MEETING_PARTICIPANT, participates)
facts.register_fact(facts.MEETING_CHAIR, chairs)
facts.register_fact(facts.CHAIRED_MEETING, approves)
facts.register_fact(facts.KNOWS_OF_ACTION, sees_action)
