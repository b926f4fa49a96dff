"""The meeting itself: attendance, confidentiality declarations, minutes per agenda item,
decisions, and the minutes' life after the meeting (held, approved, circulated).

Every write checks the access policy, validates, writes and records its audit event in one
transaction. Writing minutes is refused while a type's confidentiality declaration is
outstanding: every participant present must have signed it and the chair must have recorded
that it was read out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings import services
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson

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


# ---------------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------------


def items_for_minutes(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items that get minutes: every item not removed from the agenda, in order."""
    return (
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True)
        .select_related("young_person", "minutes", "minutes__minuted_by")
        .order_by("position", "created_at")
    )


def minutes_of(item: AgendaItem) -> ItemMinutes | None:
    try:
        return item.minutes
    except ItemMinutes.DoesNotExist:
        return None


def minutes_version(item: AgendaItem) -> int:
    """The version a writer's save is based on: 0 while the item has no minutes."""
    current = minutes_of(item)
    return current.version if current is not None else 0


@dataclass(frozen=True)
class MinutesEdit:
    item: AgendaItem
    discussion: str
    expected_version: int  # 0: the writer saw no minutes for the item yet


def minutes_save(
    *, actor: Any, meeting: Meeting, edits: Sequence[MinutesEdit]
) -> list[ItemMinutes]:
    """Save the minutes of one or more items of ``meeting`` in one go (the live-minuting page
    sends one item at a time; the page without JavaScript sends all of them). An item whose
    text is unchanged is left alone. If any item was saved by someone else since the writer
    read it, nothing is saved and ``MinutesConflict`` carries the other person's minutes."""
    _may_write_minutes(actor, meeting)
    errors: dict[str, str] = {}
    for edit in edits:
        if edit.item.meeting_id != meeting.pk:
            errors["item"] = "That item is not on this meeting's agenda"
        elif edit.item.removed_at is not None:
            errors["item"] = f"“{edit.item.title}” was removed from the agenda"
        if len(edit.discussion) > MAX_MINUTES_CHARS:
            errors["discussion"] = (
                f"The minutes of an item must be {MAX_MINUTES_CHARS:,} characters or fewer"
            )
    if errors:
        raise FieldErrors(errors)
    saved: list[ItemMinutes] = []
    conflicts: dict[Any, ItemMinutes | None] = {}
    now = clock.now()
    try:
        with transaction.atomic():
            for edit in edits:
                current = (
                    ItemMinutes.objects.select_related("minuted_by")
                    .filter(item_id=edit.item.pk)
                    .first()
                )
                if current is None:
                    if edit.expected_version != 0:
                        conflicts[edit.item.pk] = None
                        continue
                    if not edit.discussion.strip():
                        continue
                    saved.append(
                        ItemMinutes.objects.create(
                            item=edit.item,
                            discussion=edit.discussion,
                            minuted_by=actor,
                            minuted_at=now,
                        )
                    )
                    continue
                if current.discussion == edit.discussion and (
                    current.version == edit.expected_version
                ):
                    continue
                if current.version != edit.expected_version:
                    if current.discussion != edit.discussion:
                        conflicts[edit.item.pk] = current
                    continue  # same text: nothing to tell, nothing to write
                current.discussion = edit.discussion
                current.minuted_by = actor
                current.minuted_at = now
                save_versioned(
                    current,
                    expected_version=edit.expected_version,
                    fields=["discussion", "minuted_by", "minuted_at"],
                    label="minutes",
                )
                saved.append(current)
            if conflicts:
                raise MinutesConflict(conflicts)
            if saved:
                audit_record(
                    actor=actor,
                    verb=Verb.MINUTES_SAVED,
                    target=meeting,
                    subject=meeting.young_person,
                    changes={
                        "items": [str(m.item_id) for m in saved],
                        "characters": sum(len(m.discussion) for m in saved),
                    },
                )
    except IntegrityError as exc:  # two first saves of one item at once
        current_by_item = {
            e.item.pk: ItemMinutes.objects.filter(item_id=e.item.pk).first() for e in edits
        }
        raise MinutesConflict(current_by_item) from exc
    return saved


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decision_record(
    *,
    actor: Any,
    item: AgendaItem,
    kind: str,
    text: str,
    young_person: YoungPerson | None = None,
) -> Decision:
    """Minute what the meeting decided on an item. This does not change the cohort: the
    chair records cohort decisions through the cohort's own pages."""
    meeting = item.meeting
    _may_write_minutes(actor, meeting)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = "Select what kind of decision the meeting made"
    if not text:
        errors["text"] = "Enter what the meeting decided"
    elif len(text) > 4000:
        errors["text"] = "The decision must be 4,000 characters or fewer"
    if item.removed_at is not None:
        errors["item"] = "That item was removed from the agenda"
    if young_person is not None and young_person.area_id != meeting.area_id:
        errors["young_person"] = "Select a young person in this area"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        decision = Decision.objects.create(
            item=item,
            kind=kind,
            text=text,
            young_person=young_person,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
        audit_record(
            actor=actor,
            verb=Verb.DECISION_RECORDED,
            target=meeting,
            subject=young_person or item.young_person or meeting.young_person,
            changes={"item": str(item.pk), "kind": kind},
        )
    return decision


def decisions_of(meeting: Meeting) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(item__meeting=meeting)
        .select_related("item", "young_person", "recorded_by")
        .order_by("item__position", "recorded_at")
    )


# ---------------------------------------------------------------------------------------------
# Held, approved, circulated
# ---------------------------------------------------------------------------------------------


def minutes_overdue(meeting: Meeting, today: dt.date | None = None) -> bool:
    if meeting.minutes_due_on is None or meeting.status in (
        MeetingStatus.APPROVED,
        MeetingStatus.CANCELLED,
    ):
        return False
    return (today or clock.today()) > meeting.minutes_due_on


def meeting_mark_held(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    _check("can_minute_meeting", actor, meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise DomainError(f"This meeting is {meeting.get_status_display().lower()}.")
    implausible = services.meeting_date_error(timezone.localdate(meeting.starts_at))
    if implausible:
        # A date stored before dates were checked: its minutes deadline cannot be counted.
        raise FieldErrors(
            {"starts_at": f"{implausible}. Move the meeting to the date it was held first."}
        )
    with transaction.atomic():
        meeting.status = MeetingStatus.HELD
        meeting.held_at = clock.now()
        meeting.minutes_due_on = services.minutes_due_on(meeting)
        save_versioned(
            meeting,
            expected_version=expected_version,
            fields=["status", "held_at", "minutes_due_on"],
            label="meeting",
        )
        audit_record(
            actor=actor,
            verb=Verb.MEETING_UPDATED,
            target=meeting,
            subject=meeting.young_person,
            changes={
                "status": MeetingStatus.HELD,
                "minutes_due_on": meeting.minutes_due_on.isoformat()
                if meeting.minutes_due_on
                else None,
            },
        )
    return meeting


def minutes_approve(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    _check("can_approve_minutes", actor, meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("Only the minutes of a meeting marked as held can be approved.")
    minuted = (
        ItemMinutes.objects.filter(item__meeting=meeting, item__removed_at__isnull=True)
        .exclude(discussion="")
        .exists()
        or Decision.objects.filter(item__meeting=meeting).exists()
    )
    if not minuted:
        raise DomainError("Nothing has been minuted yet: there are no minutes to approve.")
    with transaction.atomic():
        meeting.status = MeetingStatus.APPROVED
        meeting.approved_at = clock.now()
        meeting.approved_by = actor
        save_versioned(
            meeting,
            expected_version=expected_version,
            fields=["status", "approved_at", "approved_by"],
            label="meeting",
        )
        audit_record(
            actor=actor, verb=Verb.MINUTES_APPROVED, target=meeting, subject=meeting.young_person
        )
    return meeting


def _recipients(meeting: Meeting) -> list[User]:
    rows: Iterable[Attendance] = attendance_rows(meeting).filter(
        status__in=THERE, user__isnull=False, user__is_active=True
    )
    return [row.user for row in rows if row.user is not None and row.user.email]


def minutes_circulate(*, actor: Any, meeting: Meeting, expected_version: int) -> list[User]:
    """E-mail every attendee present a link to the approved minutes. The e-mail carries no
    personal data: only the meeting's type and date and the link."""
    _check("can_minute_meeting", actor, meeting)
    if meeting.status != MeetingStatus.APPROVED:
        raise DomainError("Minutes can be circulated only once the chair has approved them.")
    recipients = _recipients(meeting)
    if not recipients:
        raise DomainError("Nobody with a riskpath account is recorded as present.")
    link = settings.RISKPATH_BASE_URL + reverse("meetings:detail", args=[meeting.pk])
    context = {
        "type_name": meeting.meeting_type.name,
        "date": meeting.starts_at,
        "link": link,
    }
    with transaction.atomic():
        meeting.circulated_at = clock.now()
        save_versioned(
            meeting, expected_version=expected_version, fields=["circulated_at"], label="meeting"
        )
        audit_record(
            actor=actor,
            verb=Verb.MINUTES_CIRCULATED,
            target=meeting,
            subject=meeting.young_person,
            changes={"recipients": len(recipients)},
        )
        subject = f"[riskpath] Minutes approved: {meeting.meeting_type.name}"
        body = render_to_string("meetings/conduct/circulation_email.txt", context)
        emails = [user.email for user in recipients]
        transaction.on_commit(
            lambda: [
                send_mail(subject=subject, message=body, from_email=None, recipient_list=[e])
                for e in emails
            ]
        )
    return recipients
