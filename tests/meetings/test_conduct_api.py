"""The API of the meeting itself: attendance, declaration, item minutes (409 on a stale
version, with the other person's text), decisions, held / approve / circulate."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from riskpath.audit.models import AuditEvent
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    ItemMinutes,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from tests.api.helpers import errors
from tests.meetings.scenario import Scene, add_item, attend, schedule

pytestmark = pytest.mark.django_db


def api(meeting: Meeting, tail: str) -> str:
    return f"/api/v1/meetings/{meeting.pk}/{tail}"


def send(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data or {}, content_type="application/json")


def test_attendance_is_listed_updated_and_added(scene: Scene, client_for: Any) -> None:
    meeting = schedule(scene)
    admin = client_for(scene.business_support)
    listed = admin.get(api(meeting, "attendance/"))
    assert listed.status_code == 200
    by_user = {row["user"]: row for row in listed.json()}
    social = by_user[str(scene.social_worker.pk)]
    assert social["status"] == "invited"
    response = send(
        admin,
        "patch",
        api(meeting, f"attendance/{social['id']}/"),
        {"status": "deputy", "deputy": str(scene.deputy.pk), "version": social["version"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "apologies"
    deputy = Attendance.objects.get(meeting=meeting, user=scene.deputy)
    assert deputy.status == AttendanceStatus.DEPUTY
    stale = send(
        admin,
        "patch",
        api(meeting, f"attendance/{social['id']}/"),
        {"status": "present", "version": social["version"]},
    )
    assert stale.status_code == 409
    assert errors(stale)[0]["field"] == "version"
    bad = send(admin, "patch", api(meeting, f"attendance/{social['id']}/"), {"status": "x"})
    assert bad.status_code == 400
    assert {e["field"] for e in errors(bad)} == {"status", "version"}

    added = send(admin, "post", api(meeting, "attendance/"), {"name": "Pat Guest"})
    assert added.status_code == 201 and added.json()["status"] == "present"
    family = send(admin, "post", api(meeting, "attendance/"), {"name": "Jo", "is_family": True})
    assert family.status_code == 400 and errors(family)[0]["field"] == "is_family"
    # A participant may read the attendance but not record it.
    officer = client_for(scene.officer)
    assert officer.get(api(meeting, "attendance/")).status_code == 200
    assert send(officer, "post", api(meeting, "attendance/"), {"name": "X"}).status_code == 403
    assert client_for(scene.stranger).get(api(meeting, "attendance/")).status_code == 404


def test_declaration_sign_paper_read_and_minutes_refused_until_done(
    scene: Scene, client_for: Any
) -> None:
    meeting = schedule(
        scene, meeting_type=scene.type_of(MeetingKind.STRATEGIC_EXPLOITATION), chair=scene.chair
    )
    item = add_item(meeting, "Trends")
    attend(meeting, scene.chair, scene.officer)
    admin, officer, chair = (
        client_for(scene.business_support),
        client_for(scene.officer),
        client_for(scene.chair),
    )
    put = send(admin, "put", api(meeting, f"minutes/{item.pk}/"), {"discussion": "x", "version": 0})
    assert put.status_code == 400
    message = errors(put)[0]["message"]
    assert message.startswith("Minutes cannot be written until everyone present has signed")
    assert scene.officer.full_name in message and scene.chair.full_name in message

    signed = send(officer, "post", api(meeting, "declaration/"))
    assert signed.status_code == 200
    assert signed.json()["unsigned"] == [scene.chair.full_name]
    chair_row = Attendance.objects.get(meeting=meeting, user=scene.chair)
    assert (
        send(
            officer, "post", api(meeting, "declaration/paper/"), {"attendance": str(chair_row.pk)}
        ).status_code
        == 403
    )
    paper = send(
        admin, "post", api(meeting, "declaration/paper/"), {"attendance": str(chair_row.pk)}
    )
    assert paper.json()["unsigned"] == []
    assert "read out" in paper.json()["minutes_blocked"]
    assert send(admin, "post", api(meeting, "declaration/read/"), {"version": 1}).status_code == 403
    read = send(chair, "post", api(meeting, "declaration/read/"), {"version": meeting.version})
    assert read.status_code == 200 and read.json()["minutes_blocked"] == ""
    put = send(admin, "put", api(meeting, f"minutes/{item.pk}/"), {"discussion": "x", "version": 0})
    assert put.status_code == 200


def test_item_minutes_get_put_and_a_stale_version_gets_409_with_their_text(
    scene: Scene, client_for: Any
) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Cohort review")
    admin, chair = client_for(scene.business_support), client_for(scene.chair)
    url = api(meeting, f"minutes/{item.pk}/")
    empty = admin.get(url).json()
    assert (empty["discussion"], empty["version"]) == ("", 0)
    saved = send(admin, "put", url, {"discussion": "Typed so far", "version": 0})
    assert saved.status_code == 200
    assert saved.json()["version"] == 1
    assert saved.json()["minuted_by"] == scene.business_support.full_name
    send(chair, "put", url, {"discussion": "The chair's words", "version": 1})
    before = AuditEvent.objects.filter(verb="MINUTES_SAVED").count()
    conflict = send(admin, "put", url, {"discussion": "Typed so far, and more", "version": 1})
    assert conflict.status_code == 409
    body = conflict.json()
    assert body["errors"][0]["field"] == "version"
    assert body["current"]["discussion"] == "The chair's words"
    assert body["current"]["version"] == 2
    assert body["current"]["minuted_by"] == scene.chair.full_name
    assert ItemMinutes.objects.get(item=item).discussion == "The chair's words"
    assert AuditEvent.objects.filter(verb="MINUTES_SAVED").count() == before
    # Told, the writer chooses to save theirs on top of version 2.
    assert send(admin, "put", url, {"discussion": "Mine", "version": 2}).status_code == 200
    assert admin.get(url).json()["discussion"] == "Mine"
    assert send(admin, "put", url, {"version": 3}).status_code == 400
    officer = client_for(scene.officer)
    assert officer.get(url).status_code == 200
    assert send(officer, "put", url, {"discussion": "x", "version": 3}).status_code == 403
    missing = api(meeting, f"minutes/{uuid.uuid4()}/")
    assert admin.get(missing).status_code == 404


def test_decisions_and_the_minutes_life_cycle(
    scene: Scene, client_for: Any, django_capture_on_commit_callbacks: Any, mailoutbox: Any
) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Cohort review", young_person=scene.person)
    attend(meeting, scene.chair, scene.officer)
    admin, chair = client_for(scene.business_support), client_for(scene.chair)
    created = send(
        admin,
        "post",
        api(meeting, "decisions/"),
        {
            "item": str(item.pk),
            "kind": "convene_complex",
            "text": "Convene a complex safeguarding meeting",
            "young_person": str(scene.person.pk),
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "convene_complex"
    assert [d["id"] for d in admin.get(api(meeting, "decisions/")).json()] == [
        str(Decision.objects.get().pk)
    ]
    bad = send(admin, "post", api(meeting, "decisions/"), {"item": str(uuid.uuid4())})
    assert bad.status_code == 400

    held = send(admin, "post", api(meeting, "held/"), {"version": meeting.version})
    assert held.status_code == 200 and held.json()["status"] == MeetingStatus.HELD
    assert held.json()["minutes_due_on"] is not None
    version = held.json()["version"]
    assert send(admin, "post", api(meeting, "approve/"), {"version": version}).status_code == 403
    assert (
        send(chair, "post", api(meeting, "approve/"), {"version": version - 1}).status_code == 409
    )
    approved = send(chair, "post", api(meeting, "approve/"), {"version": version})
    assert approved.json()["status"] == MeetingStatus.APPROVED
    mailoutbox.clear()  # business support was told the approved minutes await them
    with django_capture_on_commit_callbacks(execute=True):
        circulated = send(
            admin, "post", api(meeting, "circulate/"), {"version": approved.json()["version"]}
        )
    assert circulated.status_code == 200 and circulated.json()["circulated_at"]
    assert len(mailoutbox) == 2


def test_the_endpoints_are_in_the_openapi_document(scene: Scene, client_for: Any) -> None:
    paths = client_for(scene.business_support).get("/api/v1/openapi.json").json()["paths"]
    for tail in (
        "attendance/",
        "attendance/{attendance_pk}/",
        "declaration/",
        "declaration/paper/",
        "declaration/read/",
        "minutes/{item_pk}/",
        "decisions/",
        "held/",
        "approve/",
        "circulate/",
    ):
        assert f"/api/v1/meetings/{{id}}/{tail}" in paths, tail
    put = paths["/api/v1/meetings/{id}/minutes/{item_pk}/"]["put"]
    assert "409" in put["responses"]


def test_the_api_lets_the_vice_chair_approve_only_when_the_chair_was_away(
    scene: Scene, client_for: Any
) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Open actions")
    ItemMinutes.objects.create(item=item, discussion="All reviewed.")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    attend(meeting, scene.chair, scene.vice_chair)
    meeting.refresh_from_db()
    vice = client_for(scene.vice_chair)
    refused = send(vice, "post", api(meeting, "approve/"), {"version": meeting.version})
    assert refused.status_code == 403
    attend(meeting, scene.chair, status=AttendanceStatus.ABSENT)
    approved = send(vice, "post", api(meeting, "approve/"), {"version": meeting.version})
    assert approved.status_code == 200 and approved.json()["status"] == MeetingStatus.APPROVED
    assert approved.json()["approved_by"] == str(scene.vice_chair.pk)
