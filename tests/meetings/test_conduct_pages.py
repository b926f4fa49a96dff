"""The meeting's own pages over HTTP: attendance, the declaration, minuting without JavaScript,
decisions, and held / approve / circulate."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.urls import reverse

from riskpath.core import clock
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    ItemMinutes,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from tests.meetings.scenario import Scene, add_item, attend, schedule

pytestmark = pytest.mark.django_db


def url(name: str, meeting: Meeting, *args: Any) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def row_of(meeting: Meeting, user: Any) -> Attendance:
    return Attendance.objects.get(meeting=meeting, user=user)


def test_business_support_records_attendance_with_a_deputy(scene: Scene, client_for: Any) -> None:
    meeting = schedule(scene)
    client = client_for(scene.business_support)
    page = client.get(url("attendance", meeting))
    assert page.status_code == 200
    assert scene.social_worker.full_name in page.content.decode()
    officer, social = row_of(meeting, scene.officer), row_of(meeting, scene.social_worker)
    data = {
        f"status_{officer.pk}": "present",
        f"version_{officer.pk}": officer.version,
        f"status_{social.pk}": "deputy",
        f"version_{social.pk}": social.version,
    }
    for row in Attendance.objects.filter(meeting=meeting).exclude(pk__in=[officer.pk, social.pk]):
        data[f"version_{row.pk}"] = row.version
    # A deputy without saying who: refused, naming the row's field; nothing written.
    refused = client.post(url("attendance", meeting), data)
    assert refused.status_code == 400
    assert "Select who came as deputy" in refused.content.decode()
    assert row_of(meeting, scene.officer).status == AttendanceStatus.INVITED
    data[f"deputy_{social.pk}"] = str(scene.deputy.pk)
    response = client.post(url("attendance", meeting), data)
    assert response.status_code == 302
    assert row_of(meeting, scene.officer).status == AttendanceStatus.PRESENT
    assert row_of(meeting, scene.deputy).deputy_for == scene.social_worker
    detail = client.get(url("detail", meeting)).content.decode()
    assert f"Present as deputy for {scene.social_worker.full_name}" in detail

    # A stale version: 409 with the message.
    data[f"status_{officer.pk}"] = "absent"  # based on the officer's row before the change
    data[f"status_{social.pk}"] = "apologies"
    stale = client.post(url("attendance", meeting), data)
    assert stale.status_code == 409
    assert "Someone else changed this attendance" in stale.content.decode()


def test_guests_and_family_are_added_by_name(scene: Scene, client_for: Any) -> None:
    client = client_for(scene.business_support)
    pimm = schedule(scene)
    page = client.get(url("attendance_add", pimm)).content.decode()
    assert "A family member" not in page  # a PIMM has no family members
    assert client.post(url("attendance_add", pimm), {"status": "present"}).status_code == 400
    assert (
        client.post(
            url("attendance_add", pimm), {"name": "Sam Guest", "status": "present"}
        ).status_code
        == 302
    )
    marmm = schedule(scene, meeting_type=scene.type_of(MeetingKind.MARMM))
    response = client.post(
        url("attendance_add", marmm), {"name": "Jo Family", "is_family": "on", "status": "present"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=marmm, name="Jo Family").is_family


def test_a_participant_signs_on_the_meeting_page_and_the_chair_records_the_reading(
    scene: Scene, client_for: Any
) -> None:
    meeting = schedule(
        scene, meeting_type=scene.type_of(MeetingKind.STRATEGIC_EXPLOITATION), chair=scene.chair
    )
    item = add_item(meeting, "Trends")
    attend(meeting, scene.chair, scene.officer)
    officer = client_for(scene.officer)
    page = officer.get(url("detail", meeting)).content.decode()
    assert "I agree" in page
    assert meeting.meeting_type.declaration_text[:40] in page
    assert officer.post(url("declaration_sign", meeting)).status_code == 302
    assert row_of(meeting, scene.officer).declaration_signed_at is not None
    assert "I agree" not in officer.get(url("detail", meeting)).content.decode()
    # Not the officer's to record for others.
    assert officer.get(url("declaration", meeting)).status_code == 403

    admin = client_for(scene.business_support)
    minuting = admin.get(url("minuting", meeting)).content.decode()
    assert (
        "Minutes cannot be written until everyone present has signed the confidentiality "
        f"declaration: {scene.chair.full_name}" in minuting
    )
    chair_row = row_of(meeting, scene.chair)
    assert admin.post(url("declaration_paper", meeting, chair_row.pk)).status_code == 302
    assert row_of(meeting, scene.chair).declaration_signed_at is not None
    assert admin.post(url("declaration_read", meeting), {"version": 1}).status_code == 403
    chair = client_for(scene.chair)
    assert "Record that the declaration was read out" in (
        chair.get(url("declaration", meeting)).content.decode()
    )
    meeting.refresh_from_db()
    assert (
        chair.post(url("declaration_read", meeting), {"version": meeting.version}).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert meeting.declaration_read_at is not None
    minuting = admin.get(url("minuting", meeting)).content.decode()
    assert "Minutes cannot be written" not in minuting
    assert f'name="minutes_{item.pk}"' in minuting


def test_minuting_without_javascript_saves_every_item_and_tells_of_a_conflict(
    scene: Scene, client_for: Any
) -> None:
    meeting = schedule(scene)
    first, second = add_item(meeting, "Cohort review"), add_item(meeting, "Open actions")
    admin = client_for(scene.business_support)
    page = admin.get(url("minuting", meeting)).content.decode()
    assert page.index("1. Cohort review") < page.index("2. Open actions")
    assert "riskpath/minuting.mjs" in page and "nonce=" in page
    response = admin.post(
        url("minuting", meeting),
        {
            f"minutes_{first.pk}": "Reviewed all five.",
            f"version_{first.pk}": 0,
            f"minutes_{second.pk}": "Two closed.",
            f"version_{second.pk}": 0,
        },
    )
    assert response.status_code == 302
    assert ItemMinutes.objects.get(item=first).discussion == "Reviewed all five."

    # The chair saves the first item; business support's form is still at version 1.
    chair = client_for(scene.chair)
    chair.post(
        url("minuting", meeting),
        {
            f"minutes_{first.pk}": "The chair's account.",
            f"version_{first.pk}": 1,
            f"minutes_{second.pk}": "Two closed.",
            f"version_{second.pk}": 1,
        },
    )
    conflict = admin.post(
        url("minuting", meeting),
        {
            f"minutes_{first.pk}": "My account.",
            f"version_{first.pk}": 1,
            f"minutes_{second.pk}": "Two closed.",
            f"version_{second.pk}": 1,
        },
    )
    assert conflict.status_code == 409
    text = conflict.content.decode()
    assert "The chair&#x27;s account." in text and "My account." in text
    assert f"{scene.chair.full_name} saved this item while you were writing" in text
    assert ItemMinutes.objects.get(item=first).discussion == "The chair's account."
    # Having been told, saving again is based on the chair's version.
    assert f'name="version_{first.pk}" value="2"' in text


def test_decisions_are_recorded_from_the_minuting_page(scene: Scene, client_for: Any) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Cohort review", young_person=scene.person)
    admin = client_for(scene.business_support)
    form = admin.get(url("decision_add", meeting) + f"?item={item.pk}").content.decode()
    assert "Convene a targeted PIMM" in form
    refused = admin.post(url("decision_add", meeting), {"item": str(item.pk)})
    assert refused.status_code == 400
    assert "Enter what the meeting decided?" in refused.content.decode() or (
        "Enter what did the meeting decide?" in refused.content.decode()
    )
    response = admin.post(
        url("decision_add", meeting),
        {
            "item": str(item.pk),
            "kind": "referral",
            "text": "Refer to the youth service",
            "young_person": str(scene.person.pk),
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.kind, decision.young_person) == ("referral", scene.person)
    assert "Refer to the youth service" in admin.get(url("minuting", meeting)).content.decode()


def test_held_approved_circulated_and_overdue_on_the_meeting_page(
    scene: Scene, client_for: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Open actions")
    attend(meeting, scene.chair, scene.officer)
    admin, chair = client_for(scene.business_support), client_for(scene.chair)
    assert "Mark the meeting as held" in admin.get(url("detail", meeting)).content.decode()
    assert admin.post(url("meeting_held", meeting), {"version": 1}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes_due_on is not None

    # Overdue: shown on the meeting page.
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_due_on=clock.today() - dt.timedelta(days=2)
    )
    page = chair.get(url("detail", meeting)).content.decode()
    assert 'govuk-tag--red">Overdue' in page

    # Nothing minuted: the approval is refused with a message.
    meeting.refresh_from_db()
    response = chair.post(
        url("minutes_approve", meeting), {"version": meeting.version}, follow=True
    )
    assert "Nothing has been minuted yet" in response.content.decode()
    ItemMinutes.objects.create(item=item, discussion="All reviewed.")
    assert (
        admin.post(url("minutes_approve", meeting), {"version": meeting.version}).status_code == 403
    )
    chair.post(url("minutes_approve", meeting), {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED
    assert "Overdue" not in chair.get(url("detail", meeting)).content.decode()

    mailoutbox.clear()  # business support was told the approved minutes await them
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url("minutes_circulate", meeting), {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.circulated_at is not None
    assert len(mailoutbox) == 2


def test_outsiders_cannot_reach_the_pages(scene: Scene, client_for: Any) -> None:
    meeting = schedule(scene)
    officer, stranger = client_for(scene.officer), client_for(scene.stranger)
    for name in ("attendance", "attendance_add", "minuting", "decision_add"):
        assert officer.get(url(name, meeting)).status_code == 403, name
        assert stranger.get(url(name, meeting)).status_code == 404, name
    missing = reverse("meetings:minuting", args=[uuid.uuid4()])
    assert client_for(scene.business_support).get(missing).status_code == 404


def test_an_item_is_made_a_confidential_slot_while_minuting(scene: Scene, client_for: Any) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Location of concern")
    admin = client_for(scene.business_support)
    page = admin.get(url("minuting", meeting)).content.decode()
    assert "Make this a confidential slot" in page
    response = admin.post(
        url("minuting_confidential", meeting, item.pk), {"version": 1, "confidential": "yes"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.confidential
    page = admin.get(url("minuting", meeting)).content.decode()
    assert "No longer a confidential slot" in page and "Confidential slot</strong>" in page
    # A stale version changes nothing.
    admin.post(url("minuting_confidential", meeting, item.pk), {"version": 1, "confidential": "no"})
    item.refresh_from_db()
    assert item.confidential
    assert (
        client_for(scene.officer)
        .post(url("minuting_confidential", meeting, item.pk), {"version": 2, "confidential": "no"})
        .status_code
        == 403
    )


def test_the_vice_chair_approves_a_meeting_they_chaired_in_the_chairs_place(
    scene: Scene, client_for: Any
) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Open actions")
    ItemMinutes.objects.create(item=item, discussion="All reviewed.")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    attend(meeting, scene.chair, scene.vice_chair, scene.officer)
    meeting.refresh_from_db()
    vice = client_for(scene.vice_chair)
    # The chair was there and chaired: the vice-chair is not offered, and may not, approve.
    assert "Approve the minutes" not in vice.get(url("detail", meeting)).content.decode()
    assert (
        vice.post(url("minutes_approve", meeting), {"version": meeting.version}).status_code == 403
    )
    attend(meeting, scene.chair, status=AttendanceStatus.APOLOGIES)
    assert "Approve the minutes" in vice.get(url("detail", meeting)).content.decode()
    response = vice.post(url("minutes_approve", meeting), {"version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPROVED and meeting.approved_by == scene.vice_chair
