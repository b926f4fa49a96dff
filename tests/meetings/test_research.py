"""Research before the meeting, through HTTP: a participant sees who is on a published agenda
(identity only, recorded with the basis "on the agenda of <meeting>") while the names are
circulated, answers the name check for their agency, and the chair sees the answers by agency.
Nothing beyond identity reaches them, and nobody else sees the names."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.meetings import documents
from riskpath.meetings.models import Meeting, MeetingKind, NameCheck
from tests.factories import UserFactory, YoungPersonFactory
from tests.meetings.scenario import Scene, add_item, at, attend, next_weekday, schedule

pytestmark = pytest.mark.django_db

CANARY_DETAIL = "CANARY-DETAIL-seen-at-the-garages"
CANARY_SLOT = "Quillon Harrowgate"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _text(response: object) -> str:
    body = html.unescape(response.content.decode())  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _publish(scene: Scene, meeting: Meeting) -> Meeting:
    meeting.refresh_from_db()
    return documents.papers_publish(
        actor=scene.business_support, meeting=meeting, expected_version=meeting.version
    )


@pytest.fixture
def agenda(scene: Scene) -> dict[str, object]:
    meeting = schedule(scene)
    person = scene.person
    person.school = "Brackenfield School"
    person.locality = "Eastmoor"
    person.save()
    add_item(meeting, f"New intelligence about {person}", young_person=person, detail=CANARY_DETAIL)
    secret = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Quillon", family_name="Harrowgate"
    )
    add_item(meeting, "Confidential slot", young_person=secret, confidential=True)
    gone = YoungPersonFactory(recording_agency=scene.social_care, family_name="Removedsworth")
    item = add_item(meeting, "Taken off", young_person=gone)
    item.removed_at = clock.now()
    item.save()
    return {"meeting": meeting, "person": person}


def _research(meeting: Meeting) -> str:
    return reverse("meetings:research", args=[meeting.pk])


def test_names_are_not_circulated_before_the_papers_are_published(scene, agenda):
    meeting = agenda["meeting"]
    assert _client(scene.officer).get(_research(meeting)).status_code == 403
    api = reverse("api:meeting_research", args=[meeting.pk])
    assert _client(scene.officer).get(api).status_code == 403
    assert str(agenda["person"]) not in _text(_client(scene.officer).get(_research(meeting)))


def test_a_participant_sees_identity_only_and_the_read_is_recorded(scene, agenda):
    meeting, person = agenda["meeting"], agenda["person"]
    _publish(scene, meeting)
    officer = _client(scene.officer)  # a standing member, not involved with the young person

    page = officer.get(_research(meeting))
    assert page.status_code == 200
    text = _text(page)
    assert str(person) in text
    assert person.date_of_birth.strftime("%-d %B %Y") in text
    assert "Brackenfield School" in text and "Eastmoor" in text
    assert CANARY_DETAIL not in text  # identity only, never the item
    assert CANARY_SLOT not in text  # a confidential slot is not circulated
    assert "Removedsworth" not in text  # nor an item taken off the agenda
    # The agenda itself stays need-to-know.
    meeting_page = _text(officer.get(reverse("meetings:detail", args=[meeting.pk])))
    assert CANARY_DETAIL not in meeting_page
    assert "Research the names on this agenda" in meeting_page

    event = AuditEvent.objects.get(verb=Verb.IDENTITY_VIEWED, subject_id=str(person.pk))
    assert event.actor_id == scene.officer.pk
    assert event.basis.startswith(f"on the agenda of {meeting.title}")


def test_nobody_outside_the_meeting_sees_the_names(scene, agenda):
    meeting = agenda["meeting"]
    _publish(scene, meeting)
    assert _client(scene.teacher).get(_research(meeting)).status_code == 404
    assert _client(scene.stranger).get(_research(meeting)).status_code == 404
    answer = reverse("meetings:name_check", args=[meeting.pk])
    key = f"young_person:{agenda['person'].pk}"
    response = _client(scene.teacher).post(answer, {"subject": key, "known": "yes"})
    assert response.status_code == 404
    assert not NameCheck.objects.exists()


def test_the_names_stop_being_circulated_after_the_window(scene, agenda):
    meeting = agenda["meeting"]
    _publish(scene, meeting)
    ended = clock.now() - dt.timedelta(days=8)  # the PIMM circulates them 7 days after
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - dt.timedelta(hours=2), ends_at=ended
    )
    assert _client(scene.officer).get(_research(meeting)).status_code == 403
    Meeting.objects.filter(pk=meeting.pk).update(ends_at=clock.now() - dt.timedelta(days=6))
    assert _client(scene.officer).get(_research(meeting)).status_code == 200


def test_a_meeting_type_that_does_not_circulate_names(scene):
    marmm = scene.type_of(MeetingKind.MARMM)
    assert marmm.research_days_after is None
    assert scene.pimm.research_days_after == 7
    meeting = schedule(scene, meeting_type=marmm, starts_at=at(next_weekday()))
    add_item(meeting, "About them", young_person=scene.person)
    _publish(scene, meeting)
    attend(meeting, scene.officer, status="invited")
    # A participant, who would see the names of a PIMM, is shown only what they are involved in.
    response = _client(scene.officer).get(_research(meeting))
    assert response.status_code == 403
    assert str(scene.person) not in _text(response)


def test_name_checks_by_agency(scene, agenda):
    meeting, person = agenda["meeting"], agenda["person"]
    _publish(scene, meeting)
    key = f"young_person:{person.pk}"
    answer = reverse("meetings:name_check", args=[meeting.pk])

    officer = _client(scene.officer)
    form = officer.get(answer, {"subject": key})
    assert form.status_code == 200
    assert "Is this known to Constabulary?" in _text(form)
    response = officer.post(answer, {"subject": key, "known": "yes", "note": "POLICE-NOTE-77"})
    assert response.status_code == 302
    social_worker = _client(scene.social_worker)
    response = social_worker.post(
        answer, {"subject": key, "known": "no", "note": "SOCIAL-CARE-NOTE-31"}
    )
    assert response.status_code == 302
    assert NameCheck.objects.filter(meeting=meeting).count() == 2

    # Each agency sees its own answer, never another's.
    mine = _text(officer.get(_research(meeting)))
    assert "POLICE-NOTE-77" in mine and "SOCIAL-CARE-NOTE-31" not in mine
    # The chair (and business support) see the answers by agency.
    for runner in (scene.chair, scene.business_support):
        page = _text(_client(runner).get(_research(meeting)))
        assert "POLICE-NOTE-77" in page and "SOCIAL-CARE-NOTE-31" in page
        assert "Answers by agency" in page
    assert AuditEvent.objects.filter(verb=Verb.NAME_CHECK_RECORDED).count() == 2
    assert AuditEvent.objects.filter(verb=Verb.NAME_CHECKS_VIEWED).count() == 2


def test_a_name_check_is_not_silently_overwritten(scene, agenda):
    meeting, person = agenda["meeting"], agenda["person"]
    _publish(scene, meeting)
    key = f"young_person:{person.pk}"
    answer = reverse("meetings:name_check", args=[meeting.pk])
    _client(scene.officer).post(answer, {"subject": key, "known": "yes", "note": "first"})
    # The chair, also of the police, answered from a page read before the officer's answer.
    response = _client(scene.chair).post(answer, {"subject": key, "known": "no", "note": "late"})
    assert response.status_code == 409
    assert "Someone else changed this name check" in _text(response)
    check = NameCheck.objects.get()
    assert check.note == "first" and check.known is True
    # From the current version, the change is saved.
    response = _client(scene.chair).post(
        answer, {"subject": key, "known": "no", "note": "changed", "version": check.version}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.known, check.note, check.version) == (False, "changed", 2)


def test_bad_input_names_the_field_and_changes_nothing(scene, agenda):
    meeting, person = agenda["meeting"], agenda["person"]
    _publish(scene, meeting)
    answer = reverse("meetings:name_check", args=[meeting.pk])
    key = f"young_person:{person.pk}"
    response = _client(scene.officer).post(answer, {"subject": key, "note": "x" * 600})
    assert response.status_code == 400
    text = _text(response)
    assert "Select whether your agency knows them" in text
    assert "500 characters" in text
    # A subject that is not on the agenda is not found.
    other = YoungPersonFactory(recording_agency=scene.police)
    response = _client(scene.officer).post(
        answer, {"subject": f"young_person:{other.pk}", "known": "yes"}
    )
    assert response.status_code == 404
    assert not NameCheck.objects.exists()


def test_the_api_circulates_the_same_names_and_takes_answers(scene, agenda):
    meeting, person = agenda["meeting"], agenda["person"]
    _publish(scene, meeting)
    officer = _client(scene.officer)
    data = officer.get(reverse("api:meeting_research", args=[meeting.pk])).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["subject"] == f"young_person:{person.pk}"
    assert row["school"] == "Brackenfield School" and row["replies"] == []
    assert CANARY_DETAIL not in str(data) and CANARY_SLOT not in str(data)

    url = reverse("api:meeting_name_checks", args=[meeting.pk])
    response = officer.post(
        url, {"subject": row["subject"], "known": True}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    response = officer.post(url, {"subject": row["subject"]}, content_type="application/json")
    assert response.status_code == 400
    assert "known" in response.json()["errors"][0]["field"]
    late = officer.post(
        url, {"subject": row["subject"], "known": False}, content_type="application/json"
    )
    assert late.status_code == 409
    outsider = UserFactory(agency=scene.school, roles=["partner_representative"])
    response = _client(outsider).post(
        url, {"subject": row["subject"], "known": True}, content_type="application/json"
    )
    assert response.status_code == 404
