"""What the meeting's services share: the attendance a minute-taker may record, the refusals,
and the checks that the actor may act and the meeting is open for minutes."""

from __future__ import annotations

from typing import Any

from riskpath.access import policy
from riskpath.core.errors import ConcurrentEditError, DomainError, NotPermitted
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    ItemMinutes,
    Meeting,
    MeetingStatus,
)

# Attendance a minute-taker may record (``invited`` is where every row starts).
RECORDABLE = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.DEPUTY,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
)
THERE = (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)
MAX_MINUTES_CHARS = 50_000


class MinutesRefused(DomainError):
    """Minutes may not be written (yet): the declaration is outstanding, or the meeting is
    closed to changes."""


class MinutesConflict(ConcurrentEditError):
    """Someone else saved the minutes of one or more items after this copy was read. Carries
    their minutes so the page can show them beside the writer's own text."""

    def __init__(self, current: dict[Any, ItemMinutes | None]) -> None:
        super().__init__("minutes")
        self.message = (
            "Someone else saved the minutes of this item while you were writing. Your text "
            "has not been saved: compare it with theirs, then save again."
        )
        self.current = current


def attendee_name(row: Attendance) -> str:
    if row.user is not None:
        return str(row.user.full_name or row.user.email)
    return row.name


def _check(rule: str, actor: Any, meeting: Meeting) -> None:
    if not policy.check(rule, actor, meeting):
        raise NotPermitted()


def _open_for_minutes(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise MinutesRefused("This meeting was cancelled.")
    if meeting.status == MeetingStatus.APPROVED:
        raise MinutesRefused("The minutes of this meeting have been approved and are closed.")
