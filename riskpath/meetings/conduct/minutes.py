"""Minutes per agenda item, decisions, and marking the meeting held, approving and circulating
its minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors
from riskpath.core.mail import send_after_commit
from riskpath.core.versioning import save_versioned
from riskpath.meetings import services
from riskpath.meetings.conduct.attendance import _may_write_minutes, attendance_rows
from riskpath.meetings.conduct.common import MAX_MINUTES_CHARS, THERE, MinutesConflict, _check
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson

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
        send_after_commit(subject=subject, body=body, to=[user.email for user in recipients])
    return recipients
