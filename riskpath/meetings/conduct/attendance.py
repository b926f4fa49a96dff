"""Attendance (members, deputies, guests) and the confidentiality declaration (signed in
riskpath, on paper, or read out)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors
from riskpath.core.versioning import save_versioned
from riskpath.meetings.conduct.common import (
    RECORDABLE,
    THERE,
    MinutesRefused,
    _check,
    _open_for_minutes,
    attendee_name,
)
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)

# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------


def attendance_rows(meeting: Meeting) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "agency", "deputy_for")
        .order_by("is_family", "user__full_name", "name", "created_at")
    )


def deputy_candidates(meeting: Meeting) -> QuerySet[User]:
    """Who may stand in for a member: active users of the meeting's area."""
    return User.objects.filter(agency__area_id=meeting.area_id, is_active=True).order_by(
        "full_name", "email"
    )


def attendance_record(
    *,
    actor: Any,
    attendance: Attendance,
    expected_version: int,
    status: str,
    deputy: User | None = None,
) -> Attendance:
    """Record one row's attendance. ``deputy`` status means another user came in the member's
    place: the member's row becomes apologies and the deputy gets (or keeps) a row of their
    own, present as deputy for the member."""
    meeting = attendance.meeting
    _check("can_minute_meeting", actor, meeting)
    _open_for_minutes(meeting)
    if status not in RECORDABLE:
        raise FieldErrors({"status": "Select present, present as deputy, apologies or absent"})
    deputy_row: Attendance | None = None
    with transaction.atomic():
        if status == AttendanceStatus.DEPUTY and attendance.deputy_for_id is None:
            if attendance.user_id is None:
                raise FieldErrors(
                    {"deputy": "Only a member with a riskpath account can send a deputy"}
                )
            if deputy is None:
                raise FieldErrors({"deputy": "Select who came as deputy"})
            if deputy.pk == attendance.user_id or deputy.area_id != meeting.area_id:
                raise FieldErrors({"deputy": "Select someone else in this area as the deputy"})
            attendance.status = AttendanceStatus.APOLOGIES
            save_versioned(
                attendance, expected_version=expected_version, fields=["status"], label="attendance"
            )
            deputy_row = Attendance.objects.filter(meeting=meeting, user=deputy).first()
            if deputy_row is None:
                deputy_row = Attendance.objects.create(
                    meeting=meeting,
                    user=deputy,
                    agency_id=deputy.agency_id,
                    status=AttendanceStatus.DEPUTY,
                    deputy_for_id=attendance.user_id,
                )
            else:
                deputy_row.status = AttendanceStatus.DEPUTY
                deputy_row.deputy_for_id = attendance.user_id
                save_versioned(
                    deputy_row,
                    expected_version=deputy_row.version,
                    fields=["status", "deputy_for"],
                    label="attendance",
                )
        else:
            attendance.status = status
            save_versioned(
                attendance, expected_version=expected_version, fields=["status"], label="attendance"
            )
        audit_record(
            actor=actor,
            verb=Verb.ATTENDANCE_RECORDED,
            target=meeting,
            subject=meeting.young_person,
            changes={
                "attendee": attendee_name(attendance),
                "status": status,
                **({"deputy": attendee_name(deputy_row)} if deputy_row is not None else {}),
            },
        )
    return attendance


def attendance_add(
    *,
    actor: Any,
    meeting: Meeting,
    name: str,
    is_family: bool = False,
    agency: Agency | None = None,
    status: str = AttendanceStatus.PRESENT,
) -> Attendance:
    """Add someone without a riskpath account by name: a guest, or (where the meeting type
    lets family attend) a family member or the young person."""
    _check("can_minute_meeting", actor, meeting)
    _open_for_minutes(meeting)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the name of the person attending"
    elif len(name) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    if is_family and not meeting.meeting_type.family_may_attend:
        errors["is_family"] = f"Family members do not attend a {meeting.meeting_type.name}"
    if agency is not None and agency.area_id != meeting.area_id:
        errors["agency"] = "Select an agency in this area"
    if status not in RECORDABLE or status == AttendanceStatus.DEPUTY:
        errors["status"] = "Select present, apologies or absent"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        row = Attendance.objects.create(
            meeting=meeting, name=name, is_family=is_family, agency=agency, status=status
        )
        audit_record(
            actor=actor,
            verb=Verb.ATTENDANCE_RECORDED,
            target=meeting,
            subject=meeting.young_person,
            changes={
                "attendee": name,
                "added": "family member" if is_family else "guest",
                "status": status,
            },
        )
    return row


# ---------------------------------------------------------------------------------------------
# Confidentiality declarations
# ---------------------------------------------------------------------------------------------


def _require_declaration(meeting: Meeting) -> None:
    if not meeting.meeting_type.requires_declaration:
        raise DomainError("This meeting has no confidentiality declaration.")


def _sign(actor: Any, row: Attendance, how: str) -> Attendance:
    meeting = row.meeting
    with transaction.atomic():
        locked = Attendance.objects.select_for_update().get(pk=row.pk)
        if locked.declaration_signed_at is not None:
            return locked
        if locked.status not in THERE:
            raise FieldErrors(
                {"attendance": f"{attendee_name(row)} is not recorded as present at the meeting"}
            )
        locked.declaration_signed_at = clock.now()
        locked.declaration_text = meeting.meeting_type.declaration_text
        save_versioned(
            locked,
            expected_version=locked.version,
            fields=["declaration_signed_at", "declaration_text"],
            label="attendance",
        )
        audit_record(
            actor=actor,
            verb=Verb.DECLARATION_SIGNED,
            target=meeting,
            subject=meeting.young_person,
            changes={"attendee": attendee_name(row), "how": how},
        )
    return locked


def declaration_sign(*, actor: Any, meeting: Meeting) -> Attendance:
    """The signed-in participant agrees to the declaration themself."""
    _check("can_view_meeting", actor, meeting)
    _require_declaration(meeting)
    row = (
        Attendance.objects.select_related("user", "meeting__meeting_type")
        .filter(meeting=meeting, user=actor)
        .first()
    )
    if row is None or row.status not in THERE:
        raise DomainError(
            "You are not recorded as present at this meeting. Ask the meeting administrator "
            "to record your attendance first."
        )
    return _sign(actor, row, "agreed in riskpath")


def declaration_record_paper(*, actor: Any, attendance: Attendance) -> Attendance:
    """Business support records that a named participant signed the declaration on paper."""
    meeting = attendance.meeting
    _check("can_minute_meeting", actor, meeting)
    _require_declaration(meeting)
    return _sign(actor, attendance, f"signed on paper, recorded by {actor.full_name}")


def declaration_read(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    """The chair records that the declaration was read out at the start of the meeting."""
    _check("can_approve_minutes", actor, meeting)
    _require_declaration(meeting)
    _open_for_minutes(meeting)
    if meeting.declaration_read_at is not None:
        return meeting
    with transaction.atomic():
        meeting.declaration_read_at = clock.now()
        save_versioned(
            meeting,
            expected_version=expected_version,
            fields=["declaration_read_at"],
            label="meeting",
        )
        audit_record(
            actor=actor, verb=Verb.DECLARATION_READ, target=meeting, subject=meeting.young_person
        )
    return meeting


def declaration_unsigned(meeting: Meeting) -> list[str]:
    """The names of those present who have not signed the declaration."""
    if not meeting.meeting_type.requires_declaration:
        return []
    return [
        attendee_name(row)
        for row in attendance_rows(meeting).filter(
            status__in=THERE, declaration_signed_at__isnull=True
        )
    ]


def minutes_blocker(meeting: Meeting) -> str:
    """Why minutes cannot be written yet, or '' if they can."""
    if meeting.status == MeetingStatus.CANCELLED:
        return "This meeting was cancelled."
    if meeting.status == MeetingStatus.APPROVED:
        return "The minutes of this meeting have been approved and are closed."
    if not meeting.meeting_type.requires_declaration:
        return ""
    if not Attendance.objects.filter(meeting=meeting, status__in=THERE).exists():
        return (
            "Minutes cannot be written until attendance is recorded and everyone present has "
            "signed the confidentiality declaration."
        )
    unsigned = declaration_unsigned(meeting)
    if unsigned:
        return (
            "Minutes cannot be written until everyone present has signed the confidentiality "
            f"declaration: {', '.join(unsigned)}"
        )
    if meeting.declaration_read_at is None:
        return (
            "Minutes cannot be written until the chair has recorded that the confidentiality "
            "declaration was read out."
        )
    return ""


def _may_write_minutes(actor: Any, meeting: Meeting) -> None:
    _check("can_minute_meeting", actor, meeting)
    blocker = minutes_blocker(meeting)
    if blocker:
        raise MinutesRefused(blocker)
