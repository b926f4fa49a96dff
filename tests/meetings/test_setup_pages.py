"""The meeting-type and scheduling pages, through the Django test client."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.meetings import schedule, setup
from riskpath.meetings.models import (
    CoreMember,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingType,
)
from tests.meetings.scenario import Scene, at, next_weekday
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

EASTER_MONDAY = dt.date(2027, 3, 29)


def one(scene: Scene, **kwargs: Any) -> Meeting:
    values: dict[str, Any] = {"starts_at": at(next_weekday()), "send_invitations": False}
    values.update(kwargs)
    return schedule.meeting_schedule_one(
        actor=scene.business_support, meeting_type=scene.pimm, **values
    )[0]


def type_form(meeting_type: MeetingType, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": meeting_type.name,
        "recurrence": meeting_type.recurrence,
        "start_time": "10:00",
        "duration_minutes": meeting_type.duration_minutes,
        "intelligence_window_days": meeting_type.intelligence_window_days or "",
        "papers_working_days": meeting_type.papers_working_days or "",
        "minutes_working_days": meeting_type.minutes_working_days or "",
        "declaration_text": meeting_type.declaration_text,
        "tier_2_every": meeting_type.tier_2_every,
        "tier_3_every": meeting_type.tier_3_every,
        "slot_minutes": meeting_type.slot_minutes or "",
        "terms_of_reference": meeting_type.terms_of_reference,
        "terms_review_on": "",
        "is_active": "on",
        "version": meeting_type.version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_type_pages_for_an_administrator(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.area_admin)
    listing = client.get(reverse("meetings:type_list"))
    assert listing.status_code == 200
    assert b"Strategic exploitation meeting" in listing.content
    assert b"Add the preset meeting types" not in listing.content  # all installed
    detail = client.get(reverse("meetings:type_detail", args=[scene.pimm.pk]))
    assert detail.status_code == 200
    assert b"FREQ=WEEKLY;INTERVAL=2" in detail.content
    assert scene.chair.full_name.encode() in detail.content


def test_editing_a_type_saves_and_audits(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.business_support)
    url = reverse("meetings:type_edit", args=[scene.pimm.pk])
    assert client.get(url).status_code == 200
    watch = AuditWatch()
    review = (clock.today() + dt.timedelta(days=20)).strftime("%d %m %Y")
    response = client.post(
        url,
        type_form(
            scene.pimm,
            recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
            family_may_attend="on",
            terms_review_on=review,
            core_agencies=[str(scene.police.pk), str(scene.school.pk)],
        ),
    )
    assert response.status_code == 302
    scene.pimm.refresh_from_db()
    assert scene.pimm.recurrence == "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    assert scene.pimm.family_may_attend
    assert set(scene.pimm.core_agencies.all()) == {scene.police, scene.school}
    assert watch.verbs() == [Verb.MEETING_TYPE_UPDATED]
    # the review falls due within 30 days: the meetings list tells business support
    listing = client.get(reverse("meetings:list"))
    assert b"Terms of reference due for review" in listing.content
    assert b"Schedule a meeting" in listing.content and b"Meeting types" in listing.content


def test_a_bad_recurrence_is_a_400_naming_the_field_and_changes_nothing(
    client_for: Any, scene: Scene
) -> None:
    client = client_for(scene.business_support)
    watch = AuditWatch()
    response = client.post(
        reverse("meetings:type_edit", args=[scene.pimm.pk]),
        type_form(scene.pimm, recurrence="every other week"),
    )
    assert response.status_code == 400
    assert b"not a valid iCalendar RRULE" in response.content
    assert b"id_recurrence-error" in response.content
    scene.pimm.refresh_from_db()
    assert scene.pimm.version == 1 and watch.new() == []


def test_a_stale_edit_is_a_409_with_the_message(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.business_support)
    setup.meeting_type_update(
        actor=scene.area_admin, meeting_type=scene.pimm, expected_version=1, minutes_working_days=4
    )
    response = client.post(
        reverse("meetings:type_edit", args=[scene.pimm.pk]),
        type_form(scene.pimm, version=1, minutes_working_days=9),
    )
    assert response.status_code == 409
    assert b"Someone else changed this meeting type" in response.content


def test_core_members_are_added_and_removed(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.area_admin)
    url = reverse("meetings:type_members", args=[scene.pimm.pk])
    page = client.get(url)
    assert page.status_code == 200 and scene.deputy.full_name.encode() in page.content
    refused = client.post(url, {"capacity": "member"})
    assert refused.status_code == 400 and b"Select member" in refused.content
    added = client.post(
        url, {"user": str(scene.lead.pk), "capacity": "member", "deputy": str(scene.teacher.pk)}
    )
    assert added.status_code == 302
    member = CoreMember.objects.get(meeting_type=scene.pimm, user=scene.lead)
    assert member.deputy == scene.teacher
    remove = reverse("meetings:type_member_remove", args=[scene.pimm.pk, member.pk])
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not CoreMember.objects.filter(pk=member.pk).exists()


def test_installing_presets(client_for: Any, make_user: Any) -> None:
    admin = make_user(Role.AREA_ADMINISTRATOR)
    client = client_for(admin)
    page = client.get(reverse("meetings:type_install"))
    assert page.status_code == 200 and b"HSB/AIM panel" in page.content
    assert client.post(reverse("meetings:type_install")).status_code == 302
    assert MeetingType.objects.filter(area_id=admin.area_id).count() == 9


def test_another_areas_type_is_not_found_and_partners_are_refused(
    client_for: Any, scene: Scene
) -> None:
    elsewhere = client_for(scene.stranger)
    assert elsewhere.get(reverse("meetings:type_detail", args=[scene.pimm.pk])).status_code == 404
    partner = client_for(scene.officer)
    assert partner.get(reverse("meetings:type_list")).status_code == 403
    assert partner.get(reverse("meetings:schedule")).status_code == 403
    assert b"Schedule a meeting" not in partner.get(reverse("meetings:list")).content


def test_scheduling_a_series_from_the_page(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.business_support)
    page = client.get(reverse("meetings:schedule"), {"type": str(scene.pimm.pk)})
    assert page.status_code == 200
    first = EASTER_MONDAY - dt.timedelta(days=14)
    response = client.post(
        reverse("meetings:schedule"),
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_on": first.strftime("%d %m %Y"),
            "start_time": "",
            "count": "6",
            "place": "Civic centre",
        },
        follow=True,
    )
    assert response.status_code == 200
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert len(meetings) == 6
    assert meetings[1].holiday == "Easter Monday"
    assert {timezone_hour(m) for m in meetings} == {10}  # the type's usual start time
    text = response.content.decode()
    assert "6 meetings of PIMM have been scheduled." in text
    assert "falls on a bank holiday (Easter Monday)" in text
    assert "Invitations sent to 4 people." in text
    assert len(mail.outbox) == 4


def timezone_hour(meeting: Meeting) -> int:
    from django.utils import timezone

    return timezone.localtime(meeting.starts_at).hour


def test_scheduling_too_many_is_a_400_naming_the_field(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.business_support)
    response = client.post(
        reverse("meetings:schedule"),
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_on": next_weekday().strftime("%d %m %Y"),
            "start_time": "10:00",
            "count": "40",
        },
    )
    assert response.status_code == 400
    assert b"id_count-error" in response.content
    assert not Meeting.objects.exists()


def test_a_single_meeting_on_request(client_for: Any, scene: Scene) -> None:
    marmm = scene.type_of(MeetingKind.MARMM)
    client = client_for(scene.business_support)
    day = next_weekday()
    response = client.post(
        reverse("meetings:schedule"),
        {
            "meeting_type": str(marmm.pk),
            "starts_on": day.strftime("%d %m %Y"),
            "start_time": "14:30",
            "count": "1",
            "title": "MARMM for the Thursday group",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.title == "MARMM for the Thursday group"
    series = client.post(
        reverse("meetings:schedule"),
        {
            "meeting_type": str(marmm.pk),
            "starts_on": day.strftime("%d %m %Y"),
            "start_time": "14:30",
            "count": "3",
        },
    )
    assert series.status_code == 400 and b"no recurrence" in series.content


def test_the_meeting_page_offers_move_cancel_and_invitations_to_schedulers(
    client_for: Any, scene: Scene
) -> None:
    meeting = one(scene, starts_at=at(EASTER_MONDAY))
    page = client_for(scene.business_support).get(reverse("meetings:detail", args=[meeting.pk]))
    text = page.content.decode()
    assert "Move this meeting off the bank holiday" in text
    assert "Cancel the meeting" in text and "Send invitations" in text
    member = client_for(scene.officer).get(reverse("meetings:detail", args=[meeting.pk]))
    assert member.status_code == 200
    assert "Move the meeting" not in member.content.decode()
    assert (
        client_for(scene.officer).get(reverse("meetings:move", args=[meeting.pk])).status_code
        == 403
    )


def test_moving_a_meeting_off_a_bank_holiday(client_for: Any, scene: Scene) -> None:
    meeting = one(scene, starts_at=at(EASTER_MONDAY), send_invitations=True)
    mail.outbox.clear()
    client = client_for(scene.business_support)
    url = reverse("meetings:move", args=[meeting.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"starts_on": "31 2 2027", "start_time": "10:00", "version": 1})
    assert bad.status_code == 400 and b"id_starts_on-error" in bad.content
    response = client.post(
        url, {"starts_on": "30 3 2027", "start_time": "10:00", "version": 1}, follow=True
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.holiday == "" and meeting.starts_at == at(dt.date(2027, 3, 30))
    assert (
        "The meeting has been moved to Tuesday 30 March 2027, 10:00." in response.content.decode()
    )
    assert len(mail.outbox) == 4
    stale = client.post(url, {"starts_on": "31 3 2027", "start_time": "10:00", "version": 1})
    assert stale.status_code == 409


def test_cancelling_a_meeting_and_sending_invitations(client_for: Any, scene: Scene) -> None:
    meeting = one(scene)
    client = client_for(scene.business_support)
    invitations = reverse("meetings:invitations", args=[meeting.pk])
    page = client.get(invitations)
    assert page.status_code == 200 and scene.officer.full_name.encode() in page.content
    watch = AuditWatch()
    assert client.post(invitations).status_code == 302
    assert watch.verbs() == [Verb.INVITATIONS_SENT] and len(mail.outbox) == 4
    cancel = reverse("meetings:cancel", args=[meeting.pk])
    refused = client.post(cancel, {"reason": "", "version": meeting.version})
    assert refused.status_code == 400 and b"Enter why the meeting is cancelled" in refused.content
    done = client.post(cancel, {"reason": "Room flooded", "version": meeting.version}, follow=True)
    assert done.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "Room flooded" in done.content.decode()
    # a cancelled meeting cannot be moved: back to its page with the reason
    again = client.get(reverse("meetings:move", args=[meeting.pk]))
    assert again.status_code == 302


def test_a_meeting_elsewhere_or_unknown_is_not_found(client_for: Any, scene: Scene) -> None:
    meeting = one(scene)
    client = client_for(scene.stranger)  # another area's meeting administrator
    for name in ("move", "cancel", "invitations"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404
    assert (
        client_for(scene.business_support)
        .get(reverse("meetings:move", args=["00000000-0000-4000-8000-000000000009"]))
        .status_code
        == 404
    )
