"""Who takes part in a meeting: the facts the access policy's meeting predicates read.

A meeting is known to those invited to it (an attendance row, which scheduling creates for
every standing member), its type's standing members and their deputies, and its chair.
Agenda items, actions and decisions belong to the meeting they came from."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CoreMember,
    Meeting,
    MeetingType,
    MemberCapacity,
)

CHAIR_CAPACITIES = (MemberCapacity.CHAIR, MemberCapacity.VICE_CHAIR)


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
