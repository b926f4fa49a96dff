"""Meeting types and scheduling, through the services: configuration with its version and
validation, core members, series from a recurrence, moving, cancelling and invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from icalendar import Calendar

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.meetings import schedule, setup
from riskpath.meetings.models import (
    Attendance,
    CoreMember,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MemberCapacity,
)
from tests.factories import UserFactory
from tests.meetings.scenario import Scene, at, next_weekday
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

# 2027: Easter Monday is 29 March; the late May bank holiday 31 May (both Mondays).
EASTER_MONDAY = dt.date(2027, 3, 29)


def ics_of(message: Any, index: int = 0) -> Any:
    """The VEVENT of the ``index``-th .ics attached to ``message``, and the calendar."""
    filename, content, mimetype = message.attachments[index]
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


# ---------------------------------------------------------------------------------------------
# Meeting types
# ---------------------------------------------------------------------------------------------


def test_an_administrator_changes_a_type_with_its_version_and_it_is_audited(scene: Scene) -> None:
    pimm = scene.pimm
    watch = AuditWatch()
    setup.meeting_type_update(
        actor=scene.business_support,
        meeting_type=pimm,
        expected_version=pimm.version,
        recurrence="rrule:freq=weekly;interval=3",
        minutes_working_days=3,
        family_may_attend=True,
        terms_review_on=dt.date(2027, 6, 1),
        core_agencies=[scene.police],
    )
    pimm.refresh_from_db()
    assert pimm.recurrence == "FREQ=WEEKLY;INTERVAL=3"
    assert pimm.minutes_working_days == 3 and pimm.family_may_attend
    assert list(pimm.core_agencies.all()) == [scene.police]
    assert pimm.version == 2
    (event,) = watch.new()
    assert event.verb == Verb.MEETING_TYPE_UPDATED
    assert event.changes["minutes_working_days"] == [5, 3]
    assert event.changes["terms_review_on"] == [None, "2027-06-01"]
    assert "core_agencies" in event.changes


def test_a_stale_version_is_refused_and_nothing_changes(scene: Scene) -> None:
    pimm = scene.pimm
    setup.meeting_type_update(
        actor=scene.area_admin, meeting_type=pimm, expected_version=1, minutes_working_days=4
    )
    with pytest.raises(ConcurrentEditError):
        setup.meeting_type_update(
            actor=scene.business_support,
            meeting_type=scene.type_of(MeetingKind.PIMM),
            expected_version=1,
            minutes_working_days=9,
        )
    pimm.refresh_from_db()
    assert pimm.minutes_working_days == 4


@pytest.mark.parametrize(
    "values,field",
    [
        ({"recurrence": "FREQ=FORTNIGHTLY"}, "recurrence"),
        ({"recurrence": "every other tuesday"}, "recurrence"),
        ({"recurrence": "FREQ=HOURLY"}, "recurrence"),
        ({"requires_declaration": True, "declaration_text": "  "}, "declaration_text"),
        ({"minutes_working_days": 500}, "minutes_working_days"),
        ({"name": ""}, "name"),
        ({"name": "marmm"}, "name"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"kind": MeetingKind.MARMM}, "kind"),
    ],
)
def test_bad_configuration_is_refused_naming_the_field(
    scene: Scene, values: dict[str, Any], field: str
) -> None:
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as caught:
        setup.meeting_type_update(
            actor=scene.business_support,
            meeting_type=scene.pimm,
            expected_version=scene.pimm.version,
            **values,
        )
    assert field in caught.value.errors
    scene.pimm.refresh_from_db()
    assert scene.pimm.version == 1 and scene.pimm.recurrence == "FREQ=WEEKLY;INTERVAL=2"
    assert watch.new() == []


def test_only_area_and_meeting_administrators_configure(scene: Scene) -> None:
    for user in (scene.chair, scene.officer, scene.stranger):
        with pytest.raises(NotPermitted):
            setup.meeting_type_update(
                actor=user, meeting_type=scene.pimm, expected_version=1, minutes_working_days=1
            )


def test_core_members_are_added_with_deputies_and_invited_to_scheduled_meetings(
    scene: Scene,
) -> None:
    meeting = schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=scene.pimm,
        starts_at=at(next_weekday()),
        send_invitations=False,
    )[0]
    nurse = UserFactory(agency=scene.health, roles=[Role.PARTNER_REPRESENTATIVE])
    member = setup.core_member_add(
        actor=scene.area_admin,
        meeting_type=scene.pimm,
        user=nurse,
        capacity=MemberCapacity.MEMBER,
        deputy=scene.teacher,
    )
    assert member.deputy == scene.teacher
    assert Attendance.objects.filter(meeting=meeting, user=nurse).exists()
    with pytest.raises(FieldErrors) as twice:
        setup.core_member_add(actor=scene.area_admin, meeting_type=scene.pimm, user=nurse)
    assert "user" in twice.value.errors
    with pytest.raises(FieldErrors) as own:
        setup.core_member_add(
            actor=scene.area_admin, meeting_type=scene.pimm, user=scene.lead, deputy=scene.lead
        )
    assert "deputy" in own.value.errors
    with pytest.raises(FieldErrors):
        setup.core_member_add(actor=scene.area_admin, meeting_type=scene.pimm, user=scene.stranger)
    setup.core_member_remove(actor=scene.area_admin, member=member)
    assert not CoreMember.objects.filter(meeting_type=scene.pimm, user=nurse).exists()
    assert not Attendance.objects.filter(meeting=meeting, user=nurse).exists()


def test_terms_of_reference_due_within_30_days_are_listed_for_configurers(
    scene: Scene,
) -> None:
    from riskpath.core import clock

    today = clock.today()
    marmm = scene.type_of(MeetingKind.MARMM)
    for meeting_type, days in ((scene.pimm, 10), (marmm, 45)):
        setup.meeting_type_update(
            actor=scene.area_admin,
            meeting_type=meeting_type,
            expected_version=meeting_type.version,
            terms_review_on=today + dt.timedelta(days=days),
        )
    assert setup.terms_due_for_review(scene.area_admin) == [scene.pimm]
    assert setup.terms_due_for_review(scene.business_support) == [scene.pimm]
    assert setup.terms_due_for_review(scene.chair) == []


# ---------------------------------------------------------------------------------------------
# Scheduling
# ---------------------------------------------------------------------------------------------


def test_a_series_from_the_fortnightly_preset_flags_the_bank_holiday(scene: Scene) -> None:
    watch = AuditWatch()
    first = at(EASTER_MONDAY - dt.timedelta(days=28))  # Monday 1 March 2027
    meetings, result = schedule.meeting_series_schedule(
        actor=scene.business_support, meeting_type=scene.pimm, first_starts_at=first, count=6
    )
    days = [m.starts_at.date() for m in meetings]
    assert days == [first.date() + dt.timedelta(days=14 * i) for i in range(6)]
    assert [m.holiday for m in meetings if m.holiday] == ["Easter Monday"]
    # 10:00 local time on both sides of the change to British Summer Time (28 March)
    assert {m.starts_at.astimezone(first.tzinfo).hour for m in meetings} == {10}
    assert {m.series_id for m in meetings} == {MeetingSeries.objects.get().pk}
    assert watch.verbs().count(Verb.MEETING_SCHEDULED) == 6
    assert watch.verbs().count(Verb.INVITATIONS_SENT) == 6
    # one e-mail per standing member, with one .ics per meeting
    assert result is not None and result.sent == 4
    assert len(mail.outbox) == 4
    assert all(len(m.attachments) == 6 for m in mail.outbox)


def test_a_series_is_capped_with_a_clear_message(scene: Scene) -> None:
    with pytest.raises(FieldErrors) as caught:
        schedule.meeting_series_schedule(
            actor=scene.business_support,
            meeting_type=scene.pimm,
            first_starts_at=at(next_weekday()),
            count=27,
        )
    assert "at most 26" in caught.value.errors["count"]
    assert not Meeting.objects.exists() and not mail.outbox


def test_a_series_needs_a_recurrence_and_a_valid_rrule(scene: Scene) -> None:
    marmm = scene.type_of(MeetingKind.MARMM)  # convened on request
    with pytest.raises(FieldErrors) as none:
        schedule.meeting_series_schedule(
            actor=scene.business_support,
            meeting_type=marmm,
            first_starts_at=at(next_weekday()),
            count=3,
        )
    assert "no recurrence" in none.value.errors["rrule"]
    with pytest.raises(FieldErrors) as bad:
        schedule.meeting_series_schedule(
            actor=scene.business_support,
            meeting_type=marmm,
            first_starts_at=at(next_weekday()),
            count=3,
            rrule="FREQ=SOMETIMES",
        )
    assert "RRULE" in bad.value.errors["rrule"]
    meetings, _ = schedule.meeting_series_schedule(
        actor=scene.business_support,
        meeting_type=marmm,
        first_starts_at=at(next_weekday()),
        count=3,
        rrule="FREQ=WEEKLY",
        send_invitations=False,
    )
    assert len(meetings) == 3 and MeetingSeries.objects.get().rrule == "FREQ=WEEKLY"


def test_the_hsb_panel_series_falls_on_first_mondays(scene: Scene) -> None:
    panel = scene.type_of(MeetingKind.HSB_AIM)
    meetings, _ = schedule.meeting_series_schedule(
        actor=scene.business_support,
        meeting_type=panel,
        first_starts_at=at(dt.date(2027, 1, 1), 13),
        count=3,
        send_invitations=False,
    )
    assert [m.starts_at.date() for m in meetings] == [
        dt.date(2027, 1, 4),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]
    assert meetings[0].papers_due_on == dt.date(2026, 12, 21)  # 7 working days, over Christmas


def test_only_schedulers_schedule(scene: Scene) -> None:
    for user in (scene.officer, scene.area_admin, scene.stranger):
        with pytest.raises(NotPermitted):
            schedule.meeting_series_schedule(
                actor=user, meeting_type=scene.pimm, first_starts_at=at(next_weekday()), count=2
            )
    assert not Meeting.objects.exists()


# ---------------------------------------------------------------------------------------------
# Invitations, moving and cancelling
# ---------------------------------------------------------------------------------------------


def test_the_invitation_is_an_ics_request_with_a_stable_uid(scene: Scene) -> None:
    meeting, result = schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=scene.pimm,
        starts_at=at(next_weekday()),
        place="Room 4",
    )
    assert result is not None and result.sent == 4
    recipients = sorted(m.to[0] for m in mail.outbox)
    members = [scene.chair, scene.vice_chair, scene.officer, scene.social_worker]
    assert recipients == sorted(u.email for u in members)
    calendar, event = ics_of(mail.outbox[0])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@riskpath"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert str(event["LOCATION"]) == "Room 4"
    assert len(event["ATTENDEE"]) == 4
    assert mail.outbox[0].attachments[0][2] == "text/calendar; method=REQUEST"
    raw = mail.outbox[0].message().as_string()
    assert 'Content-Type: text/calendar; method="REQUEST"; charset="utf-8"' in raw
    # the message names no young person: it links to riskpath
    assert f"/meetings/{meeting.pk}/" in mail.outbox[0].body

    mail.outbox.clear()
    again = schedule.invitations_send(actor=scene.chair, meetings=[meeting])
    assert again.sent == 4
    _, resent = ics_of(mail.outbox[0])
    assert str(resent["UID"]) == str(event["UID"])


def test_invitations_skip_people_without_an_address(scene: Scene) -> None:
    scene.officer.email = ""
    scene.officer.save(update_fields=["email"])
    _, result = schedule.meeting_schedule_one(
        actor=scene.business_support, meeting_type=scene.pimm, starts_at=at(next_weekday())
    )
    assert result is not None
    assert result.sent == 3 and result.without_email == [scene.officer.full_name]
    assert "No e-mail address for" in result.summary()


def test_a_meeting_on_a_bank_holiday_is_moved_and_an_updated_ics_sent(scene: Scene) -> None:
    meeting, _ = schedule.meeting_schedule_one(
        actor=scene.business_support, meeting_type=scene.pimm, starts_at=at(EASTER_MONDAY)
    )
    assert meeting.holiday == "Easter Monday"
    assert meeting.title == "PIMM 29 March 2027"
    _, first = ics_of(mail.outbox[0])
    mail.outbox.clear()
    watch = AuditWatch()
    moved, _ = schedule.meeting_move(
        actor=scene.business_support,
        meeting=meeting,
        expected_version=meeting.version,
        starts_at=at(EASTER_MONDAY + dt.timedelta(days=1), 14),
    )
    moved.refresh_from_db()
    assert moved.holiday == "" and moved.title == "PIMM 30 March 2027"
    assert moved.ends_at - moved.starts_at == dt.timedelta(minutes=120)
    assert [e.verb for e in watch.new()] == [Verb.MEETING_UPDATED, Verb.INVITATIONS_SENT]
    assert watch.new()[0].changes["holiday"] == ["Easter Monday", ""]
    _, updated = ics_of(mail.outbox[0])
    assert str(updated["UID"]) == str(first["UID"])
    assert int(updated["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert mail.outbox[0].subject.startswith("[riskpath] Updated invitation")


def test_moving_recomputes_the_papers_deadline_and_refuses_a_stale_copy(scene: Scene) -> None:
    panel = scene.type_of(MeetingKind.HSB_AIM)
    meeting, _ = schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=panel,
        starts_at=at(dt.date(2027, 2, 1), 13),
        send_invitations=False,
    )
    stale = Meeting.objects.get(pk=meeting.pk)
    schedule.meeting_move(
        actor=scene.business_support,
        meeting=meeting,
        expected_version=meeting.version,
        starts_at=at(dt.date(2027, 2, 8), 13),
        send_invitations=False,
    )
    meeting.refresh_from_db()
    assert meeting.papers_due_on == dt.date(2027, 1, 28)
    with pytest.raises(ConcurrentEditError):
        schedule.meeting_move(
            actor=scene.business_support,
            meeting=stale,
            expected_version=stale.version,
            starts_at=at(dt.date(2027, 2, 15), 13),
        )
    meeting.refresh_from_db()
    assert meeting.starts_at == at(dt.date(2027, 2, 8), 13)


def test_a_meeting_is_cancelled_with_a_reason_and_attendees_are_told(scene: Scene) -> None:
    meeting, _ = schedule.meeting_schedule_one(
        actor=scene.business_support, meeting_type=scene.pimm, starts_at=at(next_weekday())
    )
    mail.outbox.clear()
    with pytest.raises(FieldErrors) as no_reason:
        schedule.meeting_cancel(
            actor=scene.business_support, meeting=meeting, expected_version=1, reason=" "
        )
    assert "reason" in no_reason.value.errors
    watch = AuditWatch()
    schedule.meeting_cancel(
        actor=scene.business_support,
        meeting=meeting,
        expected_version=1,
        reason="The chair is unwell",
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_reason == "The chair is unwell"
    cancelled = watch.new(verb=Verb.MEETING_CANCELLED)[0]
    assert cancelled.reason == "The chair is unwell"
    calendar, event = ics_of(mail.outbox[0])
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert "unwell" not in mail.outbox[0].body  # the reason stays in riskpath
    with pytest.raises(DomainError):
        schedule.meeting_move(
            actor=scene.business_support,
            meeting=meeting,
            expected_version=meeting.version,
            starts_at=at(next_weekday()),
        )
    with pytest.raises(DomainError):
        schedule.invitations_send(actor=scene.business_support, meetings=[meeting])


def test_outsiders_may_not_move_cancel_or_invite(scene: Scene) -> None:
    meeting, _ = schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=scene.pimm,
        starts_at=at(next_weekday()),
        send_invitations=False,
    )
    for user in (scene.officer, scene.stranger, scene.area_admin):
        with pytest.raises(NotPermitted):
            schedule.meeting_move(
                actor=user,
                meeting=meeting,
                expected_version=1,
                starts_at=at(next_weekday(after=next_weekday())),
            )
        with pytest.raises(NotPermitted):
            schedule.meeting_cancel(actor=user, meeting=meeting, expected_version=1, reason="x")
        with pytest.raises(NotPermitted):
            schedule.invitations_send(actor=user, meetings=[meeting])
    assert not mail.outbox


@pytest.mark.parametrize("minutes", [30, -30, 7 * 24 * 60])
def test_booked_panel_slots_move_with_the_meeting(scene: Scene, minutes: int) -> None:
    from riskpath.meetings.models import AgendaItem, ItemKind

    panel = scene.type_of(MeetingKind.HSB_AIM)
    meeting, _ = schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=panel,
        starts_at=at(dt.date(2027, 2, 1), 13),
        send_invitations=False,
    )
    slots = [at(dt.date(2027, 2, 1), 13, 0), at(dt.date(2027, 2, 1), 13, 30)]
    for position, slot in enumerate(slots, 1):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=ItemKind.REFERRAL_SLOT,
            title=f"Referral {position}",
            slot_starts_at=slot,
        )
    delta = dt.timedelta(minutes=minutes)
    watch = AuditWatch()
    schedule.meeting_move(
        actor=scene.business_support,
        meeting=meeting,
        expected_version=meeting.version,
        starts_at=meeting.starts_at + delta,
        send_invitations=False,
    )
    booked = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("slot_starts_at", flat=True)
    )
    assert booked == [slot + delta for slot in slots]
    assert watch.new(verb=Verb.MEETING_UPDATED)[0].changes["slots_moved"] == 2
