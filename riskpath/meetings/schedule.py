"""Scheduling meetings: one, or a series from an iCalendar RRULE; moving and cancelling a
meeting; and the invitations (e-mail with an ``.ics`` attachment per meeting) that go to those
invited.

Every meeting is made by ``services.meeting_schedule`` (which invites the standing members and
flags a bank holiday). Writes check ``can_schedule_meetings`` on the meeting type, write and
audit in one transaction; e-mail goes out after the transaction, so a mail server that is down
never undoes a schedule (the page says which invitations could not be sent)."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings import services
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MeetingType,
)
from riskpath.meetings.setup import recurrence_check

log = logging.getLogger(__name__)

MAX_SERIES = 26  # a year of fortnightly meetings
PRODID = "-//riskpath//Meetings//EN"


def _check_schedule(actor: Any, meeting_type: MeetingType) -> None:
    if not policy.check("can_schedule_meetings", actor, meeting_type):
        raise NotPermitted("Only meeting administrators and chairs schedule meetings.")


def _default_title(meeting_type: MeetingType, starts_at: dt.datetime) -> str:
    return f"{meeting_type.name} {timezone.localtime(starts_at):%-d %B %Y}"


# ---------------------------------------------------------------------------------------------
# Scheduling
# ---------------------------------------------------------------------------------------------


def series_dates(rrule: str, first_starts_at: dt.datetime, count: int) -> list[dt.datetime]:
    """The first ``count`` occurrences of ``rrule`` from ``first_starts_at``, as aware
    datetimes at the same local clock time (so 10:00 stays 10:00 across a change to or from
    British Summer Time). The RRULE's own COUNT or UNTIL may end it sooner."""
    local = timezone.localtime(first_starts_at).replace(tzinfo=None)
    rule = rrulestr(rrule, dtstart=local)
    return [timezone.make_aware(d) for d in itertools.islice(iter(rule), count)]


def meeting_schedule_one(
    *,
    actor: Any,
    meeting_type: MeetingType,
    starts_at: dt.datetime,
    title: str = "",
    place: str = "",
    chair: Any = None,
    send_invitations: bool = True,
) -> tuple[Meeting, InvitationResult | None]:
    """One meeting, then its invitations."""
    _check_schedule(actor, meeting_type)
    _check_chair(meeting_type, chair)
    meeting = services.meeting_schedule(
        actor=actor,
        meeting_type=meeting_type,
        starts_at=starts_at,
        title=title,
        place=place,
        chair=chair,
    )
    result = invitations_send(actor=actor, meetings=[meeting]) if send_invitations else None
    return meeting, result


def meeting_series_schedule(
    *,
    actor: Any,
    meeting_type: MeetingType,
    first_starts_at: dt.datetime,
    count: int,
    rrule: str = "",
    place: str = "",
    chair: Any = None,
    send_invitations: bool = True,
) -> tuple[list[Meeting], InvitationResult | None]:
    """A series of ``count`` meetings (at most ``MAX_SERIES``) from ``rrule``, or the type's
    recurrence when it is blank. Each occurrence is an ordinary meeting; one on a bank holiday
    is flagged for the administrator to move."""
    _check_schedule(actor, meeting_type)
    errors: dict[str, str] = {}
    rule = ""
    try:
        rule = recurrence_check(rrule or meeting_type.recurrence, field="rrule")
    except FieldErrors as exc:
        errors.update(exc.errors)
    else:
        if not rule:
            errors["rrule"] = (
                f"{meeting_type.name} is convened on request and has no recurrence: give a "
                "recurrence, or schedule one meeting at a time"
            )
    if not isinstance(count, int) or count < 1:
        errors["count"] = "Enter how many meetings to schedule, 1 or more"
    elif count > MAX_SERIES:
        errors["count"] = (
            f"Schedule at most {MAX_SERIES} meetings at a time; you asked for {count}. "
            "Schedule the rest later."
        )
    if first_starts_at is None or timezone.is_naive(first_starts_at):
        errors["starts_at"] = "Enter the first meeting's date and time"
    else:
        error = services.meeting_date_error(
            timezone.localdate(first_starts_at), "the first meeting's date"
        )
        if error:
            errors["starts_at"] = error
    if errors:
        raise FieldErrors(errors)
    _check_chair(meeting_type, chair)
    dates = series_dates(rule, first_starts_at, count)
    if not dates:
        raise FieldErrors({"rrule": "The recurrence gives no dates from the start date"})
    late = services.meeting_date_error(timezone.localdate(dates[-1]), "the last meeting's date")
    if late:
        raise FieldErrors({"count": f"{late}: schedule fewer meetings, or more often"})
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            meeting_type=meeting_type,
            rrule=rule,
            first_starts_at=dates[0],
            created_by=actor,
        )
        meetings = [
            services.meeting_schedule(
                actor=actor,
                meeting_type=meeting_type,
                starts_at=starts_at,
                place=place,
                chair=chair,
                series=series,
            )
            for starts_at in dates
        ]
    result = invitations_send(actor=actor, meetings=meetings) if send_invitations else None
    return meetings, result


def _check_chair(meeting_type: MeetingType, chair: Any) -> None:
    if chair is not None and (chair.area_id != meeting_type.area_id or not chair.is_active):
        raise FieldErrors({"chair": "Choose an active user in the meeting type's area as chair"})


def _check_open(meeting: Meeting, doing: str) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise DomainError(
            f"This meeting is {meeting.get_status_display().lower()}: only a meeting not yet "
            f"held can be {doing}."
        )


def meeting_move(
    *,
    actor: Any,
    meeting: Meeting,
    expected_version: int,
    starts_at: dt.datetime,
    place: str | None = None,
    send_invitations: bool = True,
) -> tuple[Meeting, InvitationResult | None]:
    """Move a meeting (for example off a bank holiday). Its length is kept; the holiday flag
    and papers deadline are worked out again; a title that was only the type and the date
    follows the new date. Those invited get an updated invitation (its SEQUENCE goes up)."""
    _check_schedule(actor, meeting.meeting_type)
    _check_open(meeting, "moved")
    if starts_at is None or timezone.is_naive(starts_at):
        raise FieldErrors({"starts_at": "Enter the new date and time"})
    services.check_meeting_start(starts_at)
    new_place = meeting.place if place is None else place.strip()
    if starts_at == meeting.starts_at and new_place == meeting.place:
        raise FieldErrors({"starts_at": "Enter a different date or time, or a different place"})
    was = meeting.starts_at
    old: dict[str, Any] = {
        "starts_at": meeting.starts_at,
        "place": meeting.place,
        "holiday": meeting.holiday,
        "title": meeting.title,
        "papers_due_on": meeting.papers_due_on,
    }
    length = meeting.ends_at - meeting.starts_at
    if meeting.title == _default_title(meeting.meeting_type, meeting.starts_at):
        meeting.title = _default_title(meeting.meeting_type, starts_at)
    meeting.starts_at = starts_at
    meeting.ends_at = starts_at + length
    meeting.place = new_place
    meeting.holiday = services.holiday_on(meeting.area, starts_at)
    meeting.papers_due_on = services.papers_due_on(meeting.meeting_type, starts_at)
    changes: dict[str, Any] = {}
    for name, before in old.items():
        after = getattr(meeting, name)
        if before != after:
            changes[name] = [_plain(before), _plain(after)]
    with transaction.atomic():
        save_versioned(
            meeting,
            expected_version=expected_version,
            fields=["title", "starts_at", "ends_at", "place", "holiday", "papers_due_on"],
            label="meeting",
        )
        moved_slots = _shift_slots(meeting, meeting.starts_at - was)
        if moved_slots:
            changes["slots_moved"] = moved_slots
        audit_record(
            actor=actor,
            verb=Verb.MEETING_UPDATED,
            target=meeting,
            subject=meeting.young_person,
            changes=changes,
        )
    result = invitations_send(actor=actor, meetings=[meeting]) if send_invitations else None
    return meeting, result


def _shift_slots(meeting: Meeting, delta: dt.timedelta) -> int:
    """Referrals booked into the panel's time slots move with the meeting. One row at a time,
    the latest first when moving later (the earliest first when earlier), so no two bookings
    ever hold the same slot on the way."""
    if not delta:
        return 0
    booked = AgendaItem.objects.filter(
        meeting=meeting, slot_starts_at__isnull=False, removed_at__isnull=True
    ).order_by("-slot_starts_at" if delta > dt.timedelta(0) else "slot_starts_at")
    count = 0
    for pk, slot in booked.values_list("pk", "slot_starts_at"):
        if slot is None:
            continue
        AgendaItem.objects.filter(pk=pk).update(
            slot_starts_at=slot + delta, version=F("version") + 1
        )
        count += 1
    return count


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def meeting_cancel(
    *,
    actor: Any,
    meeting: Meeting,
    expected_version: int,
    reason: str,
    notify: bool = True,
) -> tuple[Meeting, InvitationResult | None]:
    """Cancel a meeting not yet held, with a reason. Those invited are told (an ``.ics``
    cancellation, so the meeting leaves their calendars)."""
    _check_schedule(actor, meeting.meeting_type)
    _check_open(meeting, "cancelled")
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "Enter why the meeting is cancelled"})
    if len(reason) > 2000:
        raise FieldErrors({"reason": "Enter the reason in 2,000 characters or fewer"})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    with transaction.atomic():
        save_versioned(
            meeting,
            expected_version=expected_version,
            fields=["status", "cancelled_reason"],
            label="meeting",
        )
        audit_record(
            actor=actor,
            verb=Verb.MEETING_CANCELLED,
            target=meeting,
            subject=meeting.young_person,
            reason=reason,
        )
    result = _send(actor=actor, meetings=[meeting], method="CANCEL") if notify else None
    return meeting, result


# ---------------------------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------------------------


@dataclass
class InvitationResult:
    """What happened to one round of invitations."""

    meetings: int = 0
    sent_to: list[str] = field(default_factory=list)  # names
    failed: list[str] = field(default_factory=list)  # names whose e-mail could not be sent
    without_email: list[str] = field(default_factory=list)  # invited, with no address

    @property
    def sent(self) -> int:
        return len(self.sent_to)

    def summary(self) -> str:
        if not self.sent_to and not self.failed:
            return "Nobody invited has an e-mail address, so no invitations were sent."
        text = f"Invitations sent to {self.sent} {'person' if self.sent == 1 else 'people'}."
        if self.failed:
            text += f" They could not be sent to {', '.join(self.failed)}: try again later."
        if self.without_email:
            text += f" No e-mail address for {', '.join(self.without_email)}."
        return text


def _name(user: Any) -> str:
    return str(user.full_name or user.email)


def invitation_attendance(meeting: Meeting) -> list[Attendance]:
    """Everyone invited with a riskpath account (guests and family are invited by the
    administrator in person)."""
    return list(
        Attendance.objects.filter(meeting=meeting, user__isnull=False)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def meeting_uid(meeting: Meeting) -> str:
    """The iCalendar UID: the same for every invitation about the meeting, so a calendar
    replaces the event when it moves."""
    return f"meeting-{meeting.pk}@riskpath"


def meeting_sequence(meeting: Meeting) -> int:
    """The iCalendar SEQUENCE: the meeting's version less one, so it starts at 0 and goes up
    with every change to the meeting (a move, a cancellation)."""
    return max(int(meeting.version) - 1, 0)


def meeting_link(meeting: Meeting) -> str:
    return f"{settings.RISKPATH_BASE_URL}{reverse('meetings:detail', kwargs={'pk': meeting.pk})}"


def _organiser() -> vCalAddress:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@riskpath.invalid"
    organiser = vCalAddress(f"mailto:{address}")
    organiser.params["cn"] = vText("riskpath")
    return organiser


def meeting_ics(meeting: Meeting, *, method: str = "REQUEST", attendees: list[Any]) -> bytes:
    """An iCalendar (RFC 5545) invitation (iTIP REQUEST) or cancellation (CANCEL) for one
    meeting. It carries no personal details: the title, time, place and a link."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting_sequence(meeting))
    event.add("dtstamp", clock.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add(
        "description",
        f"{meeting.meeting_type.name}. The agenda and papers are in riskpath: "
        f"{meeting_link(meeting)}",
    )
    event.add("url", meeting_link(meeting))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", _organiser())
    for user in attendees:
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = vText(_name(user))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def invitations_send(*, actor: Any, meetings: list[Meeting]) -> InvitationResult:
    """E-mail each person invited to ``meetings`` (with an address) one message with an
    ``.ics`` invitation per meeting. Audited per meeting (INVITATIONS_SENT)."""
    for meeting in meetings:
        _check_schedule(actor, meeting.meeting_type)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise DomainError(
                f"{meeting.title} is {meeting.get_status_display().lower()}: invitations go "
                "only to meetings not yet held."
            )
    return _send(actor=actor, meetings=meetings, method="REQUEST")


def _send(*, actor: Any, meetings: list[Meeting], method: str) -> InvitationResult:
    result = InvitationResult(meetings=len(meetings))
    # recipient -> their meetings (in order); the attendee list of each meeting
    by_user: dict[Any, tuple[Any, list[Meeting]]] = {}
    attendees: dict[Any, list[Any]] = {}
    without: dict[Any, str] = {}
    for meeting in meetings:
        people = []
        for row in invitation_attendance(meeting):
            user = row.user
            if user is None or not user.is_active:
                continue
            if not user.email:
                without[user.pk] = _name(user)
                continue
            people.append(user)
            by_user.setdefault(user.pk, (user, []))[1].append(meeting)
        attendees[meeting.pk] = people
    result.without_email = sorted(without.values())
    sent_by_meeting: dict[Any, list[str]] = {m.pk: [] for m in meetings}
    for user, theirs in by_user.values():
        message = _message(user, theirs, method=method, attendees=attendees)
        try:
            message.send(fail_silently=False)
        except Exception:  # an SMTP or network failure: report it, keep the schedule
            log.exception("Meeting invitation to user %s could not be sent", user.pk)
            result.failed.append(_name(user))
            continue
        result.sent_to.append(_name(user))
        for meeting in theirs:
            sent_by_meeting[meeting.pk].append(str(user.pk))
    with transaction.atomic():
        for meeting in meetings:
            recipients = sent_by_meeting[meeting.pk]
            if not recipients:
                continue
            audit_record(
                actor=actor,
                verb=Verb.INVITATIONS_SENT,
                target=meeting,
                subject=meeting.young_person,
                changes={
                    "method": method,
                    "sequence": meeting_sequence(meeting),
                    "recipients": recipients,
                },
            )
    return result


def _message(
    user: Any, meetings: list[Meeting], *, method: str, attendees: dict[Any, list[Any]]
) -> EmailMessage:
    cancelled = method == "CANCEL"
    first = meetings[0]
    if len(meetings) == 1:
        when = timezone.localtime(first.starts_at)
        verb = (
            "Cancelled"
            if cancelled
            else ("Updated invitation" if first.version > 1 else "Invitation")
        )
        subject = f"[riskpath] {verb}: {first.title}, {when:%-d %B %Y %H:%M}"
    else:
        subject = f"[riskpath] Invitation: {len(meetings)} meetings of {first.meeting_type.name}"
    lines = [f"Dear {user.full_name or 'colleague'},", ""]
    if cancelled:
        lines.append("This meeting has been cancelled:")
    elif len(meetings) == 1:
        lines.append("You are invited to this meeting:")
    else:
        lines.append("You are invited to these meetings:")
    lines.append("")
    for meeting in meetings:
        when = timezone.localtime(meeting.starts_at)
        ends = timezone.localtime(meeting.ends_at)
        place = f", {meeting.place}" if meeting.place else ""
        lines.append(f"- {meeting.title}: {when:%A %-d %B %Y, %H:%M} to {ends:%H:%M}{place}")
        lines.append(f"  {meeting_link(meeting)}")
    if cancelled:
        lines += ["", "The reason is recorded in riskpath."]
    lines += [
        "",
        "A calendar file for each meeting is attached. Sign in to riskpath for the agenda and "
        "papers: they are not sent by e-mail.",
    ]
    message = EmailMessage(subject=subject, body="\n".join(lines), to=[user.email])
    for meeting in meetings:
        ics = meeting_ics(meeting, method=method, attendees=attendees[meeting.pk])
        day = timezone.localtime(meeting.starts_at)
        message.attach(
            f"meeting-{day:%Y-%m-%d}.ics",
            ics.decode("utf-8"),
            f"text/calendar; method={method}",
        )
    return message
