"""HSB/AIM panel slots: the panel's afternoon is cut into slots of the type's length, and each
referral is booked into a free one as an agenda item. A slot is never double-booked: the check
here gives the clear message, and the database's ``one_booking_per_slot`` constraint holds
under a race (two bookings at once), turned into the same message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.meetings.actions import young_people_for_meeting
from riskpath.meetings.models import AgendaItem, ItemKind, Meeting, MeetingKind, MeetingStatus
from riskpath.people.models import YoungPerson

TITLE_MAX = 120


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    item: AgendaItem | None
    title: str = ""  # the booked referral's title as the reader may know it (``slots_as_seen``)

    @property
    def label(self) -> str:
        return slot_label(self.starts_at)

    @property
    def is_free(self) -> bool:
        return self.item is None


def slot_label(starts_at: dt.datetime) -> str:
    return f"{timezone.localtime(starts_at):%H:%M}"


def has_slots(meeting: Meeting) -> bool:
    return meeting.meeting_type.kind == MeetingKind.HSB_AIM and bool(
        meeting.meeting_type.slot_minutes
    )


def slot_times(meeting: Meeting) -> list[dt.datetime]:
    """The start of every slot: from the meeting's start, one every ``slot_minutes``, each
    ending by the meeting's end (13:00, 13:30, ... 16:30 for 13:00 to 17:00)."""
    if not has_slots(meeting):
        return []
    step = dt.timedelta(minutes=meeting.meeting_type.slot_minutes or 0)
    times = []
    start = meeting.starts_at
    while start + step <= meeting.ends_at:
        times.append(start)
        start += step
    return times


def slots_for(meeting: Meeting) -> list[Slot]:
    """Every slot with the referral booked into it, if any."""
    booked = {
        item.slot_starts_at: item
        for item in AgendaItem.objects.filter(
            meeting=meeting, slot_starts_at__isnull=False, removed_at__isnull=True
        ).select_related("young_person")
    }
    return [Slot(starts_at=t, item=booked.get(t)) for t in slot_times(meeting)]


def slots_as_seen(seen: Any) -> list[Slot]:
    """Every slot of ``seen``'s meeting (a ``sight.MeetingSight``) with the referral booked
    into it titled as the reader may know it: a referral the reader may not see says so
    (never the name); a free slot, or one booked by a referral the reader may not know of, is
    shown as booked or free as it is."""
    titles = {str(s.item.pk): seen.title(s) for s in seen.items}
    out = []
    for slot in slots_for(seen.meeting):
        title = ""
        if slot.item is not None:
            title = titles.get(str(slot.item.pk), "Booked")
        out.append(Slot(starts_at=slot.starts_at, item=slot.item, title=title))
    return out


def taken_message(starts_at: dt.datetime) -> str:
    return f"The {slot_label(starts_at)} slot is already booked"


def slot_taken(meeting: Meeting, starts_at: dt.datetime) -> bool:
    """Is a referral already booked into the slot? (A booking committed after this check is
    caught by the database's constraint.)"""
    return AgendaItem.objects.filter(
        meeting=meeting, slot_starts_at=starts_at, removed_at__isnull=True
    ).exists()


def slot_book(
    *,
    actor: Any,
    meeting: Meeting,
    starts_at: dt.datetime | None,
    young_person: YoungPerson | None,
    title: str,
) -> AgendaItem:
    """Book a referral about ``young_person`` into the slot starting at ``starts_at``: an
    agenda item of kind referral_slot at the end of the agenda."""
    if not policy.check("can_edit_agenda", actor, meeting):
        raise NotPermitted("Only the chair or business support can book panel slots.")
    if not has_slots(meeting):
        raise FieldErrors({"slot": "Only HSB/AIM panel meetings have referral slots"})
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.APPROVED):
        raise FieldErrors(
            {"slot": f"This meeting is {meeting.get_status_display().lower()}: book another"}
        )
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter a short title for the referral"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"The title must be {TITLE_MAX} characters or fewer"
    if young_person is None:
        errors["young_person"] = "Select the young person referred"
    elif not young_people_for_meeting(actor, meeting).filter(pk=young_person.pk).exists():
        errors["young_person"] = "Select a young person you are involved with"
    times = slot_times(meeting)
    if starts_at is None or starts_at not in times:
        errors["slot"] = "Choose one of the panel's slots"
    elif slot_taken(meeting, starts_at):
        errors["slot"] = taken_message(starts_at)
    if errors:
        raise FieldErrors(errors)
    assert starts_at is not None and young_person is not None
    with transaction.atomic():
        position = (
            AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"] or 0
        ) + 1
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the outer one usable
                item = AgendaItem.objects.create(
                    meeting=meeting,
                    position=position,
                    kind=ItemKind.REFERRAL_SLOT,
                    title=title,
                    young_person=young_person,
                    slot_starts_at=starts_at,
                )
        except IntegrityError as exc:
            raise FieldErrors({"slot": taken_message(starts_at)}) from exc
        audit_record(
            actor=actor,
            verb=Verb.SLOT_BOOKED,
            target=item,
            subject=young_person,
            changes={"meeting": str(meeting.pk), "slot": slot_label(starts_at)},
        )
    return item


def slot_parse(meeting: Meeting, value: Any) -> dt.datetime | None:
    """A slot given as "13:30" (or an ISO date-time) for this meeting, or None."""
    text = str(value or "").strip()
    for slot in slot_times(meeting):
        if text == slot_label(slot):
            return slot
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed if parsed in slot_times(meeting) else None
