"""Writes to meeting types and meetings. Each checks the access policy, writes, and records
its audit event in one transaction. Agendas are in ``agenda``; the meeting itself (attendance,
declarations, minutes, approval) in ``conduct``; actions and partner tasks in ``actions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.models import Agency, Area
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.groups.models import Group
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingSeries,
    MeetingType,
)
from riskpath.meetings.presets import PRESETS
from riskpath.people.models import YoungPerson


def meeting_types_install_presets(*, actor: Any, area: Area) -> list[MeetingType]:
    """Add the preset meeting types the area does not have yet (by name); returns those added.
    Core agencies are the area's agencies of the kinds the preset names."""
    if not policy.check("can_configure_meetings", actor, area):
        raise NotPermitted()
    added = []
    with transaction.atomic():
        existing = set(MeetingType.objects.filter(area=area).values_list("name", flat=True))
        for preset in PRESETS:
            if preset.name in existing:
                continue
            meeting_type = MeetingType.objects.create(
                area=area,
                kind=preset.kind,
                name=preset.name,
                recurrence=preset.recurrence,
                start_time=preset.start_time,
                duration_minutes=preset.duration_minutes,
                intelligence_window_days=preset.intelligence_window_days,
                research_days_after=preset.research_days_after,
                chair_roles=list(preset.chair_roles),
                requires_declaration=preset.requires_declaration,
                declaration_text=(presets_declaration() if preset.requires_declaration else ""),
                papers_working_days=preset.papers_working_days,
                minutes_working_days=preset.minutes_working_days,
                family_may_attend=preset.family_may_attend,
                has_confidential_slot=preset.has_confidential_slot,
                slot_minutes=preset.slot_minutes,
                terms_of_reference=preset.terms_of_reference,
            )
            if preset.core_agency_kinds:
                meeting_type.core_agencies.set(
                    Agency.objects.filter(area=area, kind__in=preset.core_agency_kinds)
                )
            audit_record(
                actor=actor,
                verb=Verb.MEETING_TYPE_CREATED,
                target=meeting_type,
                changes={"preset": preset.kind},
            )
            added.append(meeting_type)
    return added


def presets_declaration() -> str:
    from riskpath.meetings.presets import DEFAULT_DECLARATION

    return DEFAULT_DECLARATION


# Meetings are planned a year or two ahead, and recorded soon after they are held. A date
# beyond this many calendar years either side of today is taken for a typing slip (9999 or
# 2062 for 2026); it would also overflow the working-day arithmetic of the papers and minutes
# deadlines near the end of the calendar.
MEETING_YEARS_AHEAD = 5
MEETING_YEARS_BEHIND = 5


def meeting_date_error(day: dt.date, noun: str = "the meeting's date") -> str | None:
    """Why ``day`` is not a plausible date for a meeting, or None."""
    this_year = clock.today().year
    if day.year > this_year + MEETING_YEARS_AHEAD:
        last = dt.date(this_year + MEETING_YEARS_AHEAD, 12, 31)
        return f"{noun[:1].upper()}{noun[1:]} must be on or before {last:%-d %B %Y}"
    if day.year < this_year - MEETING_YEARS_BEHIND:
        first = dt.date(this_year - MEETING_YEARS_BEHIND, 1, 1)
        return f"{noun[:1].upper()}{noun[1:]} must be on or after {first:%-d %B %Y}"
    return None


def check_meeting_start(starts_at: dt.datetime, field: str = "starts_at") -> None:
    error = meeting_date_error(timezone.localdate(starts_at))
    if error:
        raise FieldErrors({field: error})


def papers_due_on(meeting_type: MeetingType, starts_at: dt.datetime) -> dt.date | None:
    if meeting_type.papers_working_days is None:
        return None
    return workdays.for_area(meeting_type.area).before(
        timezone.localdate(starts_at), meeting_type.papers_working_days
    )


def minutes_due_on(meeting: Meeting) -> dt.date | None:
    """Minutes are due the type's number of working days after the meeting."""
    days = meeting.meeting_type.minutes_working_days
    if days is None:
        return None
    return workdays.for_area(meeting.area).add(timezone.localdate(meeting.starts_at), days)


def holiday_on(area: Area, starts_at: dt.datetime) -> str:
    """The name of the bank holiday or area closure day the meeting falls on, or ''. Weekends
    are not flagged here: a recurrence that lands on one is the administrator's choice."""
    return workdays.for_area(area).closure_name(timezone.localdate(starts_at)) or ""


def meeting_schedule(
    *,
    actor: Any,
    meeting_type: MeetingType,
    starts_at: dt.datetime,
    title: str = "",
    place: str = "",
    chair: Any = None,
    series: MeetingSeries | None = None,
    group: Group | None = None,
    young_person: YoungPerson | None = None,
) -> Meeting:
    """One meeting of ``meeting_type``. Standing members are invited (an attendance row each,
    status invited). A date on a bank holiday is kept but flagged for the administrator."""
    if not policy.check("can_schedule_meetings", actor, meeting_type):
        raise NotPermitted()
    if timezone.is_naive(starts_at):
        raise FieldErrors({"starts_at": "Enter the meeting's date and time"})
    check_meeting_start(starts_at)
    if not meeting_type.is_active:
        raise FieldErrors({"meeting_type": "This meeting type is no longer in use"})
    area = meeting_type.area
    local = timezone.localtime(starts_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            area=area,
            meeting_type=meeting_type,
            series=series,
            title=title.strip() or f"{meeting_type.name} {local:%-d %B %Y}",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=meeting_type.duration_minutes),
            place=place.strip(),
            holiday=holiday_on(area, starts_at),
            chair=chair,
            group=group,
            young_person=young_person,
            papers_due_on=papers_due_on(meeting_type, starts_at),
        )
        invited: set[Any] = set()
        for member in meeting_type.members.select_related("user"):
            if member.user_id in invited or not member.user.is_active:
                continue
            invited.add(member.user_id)
            Attendance.objects.create(
                meeting=meeting,
                user=member.user,
                agency_id=member.user.agency_id,
                status=AttendanceStatus.INVITED,
            )
        if chair is not None and chair.pk not in invited:
            Attendance.objects.create(
                meeting=meeting,
                user=chair,
                agency_id=chair.agency_id,
                status=AttendanceStatus.INVITED,
            )
        audit_record(
            actor=actor,
            verb=Verb.MEETING_SCHEDULED,
            target=meeting,
            subject=young_person,
            changes={
                "starts_at": starts_at.isoformat(),
                "meeting_type": meeting_type.name,
                **({"holiday": meeting.holiday} if meeting.holiday else {}),
            },
        )
    return meeting
