"""The meeting types and meetings API: the same services, rules and audit events as the
pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from riskpath.audit.verbs import Verb
from riskpath.meetings import schedule
from riskpath.meetings.models import Meeting, MeetingKind, MeetingStatus
from tests.api.helpers import errors, fields
from tests.meetings.scenario import Scene, at, next_weekday
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

TYPES = "/api/v1/meeting-types/"
MEETINGS = "/api/v1/meetings/"
EASTER_MONDAY = dt.date(2027, 3, 29)


def send(client: Any, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, data or {}, content_type="application/json")


def one(scene: Scene, **kwargs: Any) -> Meeting:
    values: dict[str, Any] = {"starts_at": at(next_weekday()), "send_invitations": False}
    values.update(kwargs)
    return schedule.meeting_schedule_one(
        actor=scene.business_support, meeting_type=scene.pimm, **values
    )[0]


def test_meeting_types_are_listed_and_shown(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.officer)
    body = client.get(TYPES).json()
    assert len(body) == 9
    pimm = next(t for t in body if t["kind"] == MeetingKind.PIMM)
    assert pimm["recurrence"] == "FREQ=WEEKLY;INTERVAL=2"
    assert {m["name"] for m in pimm["members"]} >= {scene.chair.full_name}
    detail = client.get(f"{TYPES}{scene.pimm.pk}/")
    assert detail.status_code == 200 and detail.json()["version"] == 1
    assert client_for(scene.stranger).get(f"{TYPES}{scene.pimm.pk}/").status_code == 404


def test_a_meeting_type_is_changed_with_its_version(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.business_support)
    url = f"{TYPES}{scene.pimm.pk}/"
    watch = AuditWatch()
    response = send(
        client,
        "patch",
        url,
        {
            "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "terms_review_on": "2027-05-01",
            "core_agencies": [str(scene.police.pk)],
            "version": 1,
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["recurrence"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert response.json()["core_agencies"] == [str(scene.police.pk)]
    assert watch.verbs() == [Verb.MEETING_TYPE_UPDATED]
    stale = send(client, "patch", url, {"minutes_working_days": 3, "version": 1})
    assert stale.status_code == 409 and fields(stale) == {"version"}
    bad = send(client, "patch", url, {"recurrence": "FREQ=NEVER", "version": 2})
    assert bad.status_code == 400 and fields(bad) == {"recurrence"}
    missing = send(client, "patch", url, {"minutes_working_days": 3})
    assert missing.status_code == 400 and fields(missing) == {"version"}
    partner = send(client_for(scene.officer), "patch", url, {"name": "X", "version": 2})
    assert partner.status_code == 403


def test_a_series_is_scheduled_through_the_api(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.business_support)
    watch = AuditWatch()
    response = send(
        client,
        "post",
        MEETINGS,
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_at": at(EASTER_MONDAY - dt.timedelta(days=28)).isoformat(),
            "count": 6,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["meetings"]) == 6
    assert [m["holiday"] for m in body["meetings"]].count("Easter Monday") == 1
    assert body["invitations"]["sent"] == 4 and len(mail.outbox) == 4
    assert watch.verbs().count(Verb.MEETING_SCHEDULED) == 6
    too_many = send(
        client,
        "post",
        MEETINGS,
        {"meeting_type": str(scene.pimm.pk), "starts_at": "2027-06-02T10:00:00Z", "count": 30},
    )
    assert too_many.status_code == 400
    (error,) = errors(too_many)
    assert error["field"] == "count" and "at most 26" in error["message"]
    elsewhere = send(
        client_for(scene.stranger),
        "post",
        MEETINGS,
        {"meeting_type": str(scene.pimm.pk), "starts_at": "2027-06-02T10:00:00Z"},
    )
    assert elsewhere.status_code == 400 and fields(elsewhere) == {"meeting_type"}
    partner = send(
        client_for(scene.officer),
        "post",
        MEETINGS,
        {"meeting_type": str(scene.pimm.pk), "starts_at": "2027-06-02T10:00:00Z"},
    )
    assert partner.status_code == 403
    assert Meeting.objects.count() == 6


def test_the_list_shows_the_users_meetings(client_for: Any, scene: Scene) -> None:
    meeting = one(scene)
    marmm = schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=scene.type_of(MeetingKind.MARMM),
        starts_at=at(next_weekday()),
        send_invitations=False,
    )[0]
    mine = client_for(scene.officer).get(MEETINGS).json()
    assert [m["id"] for m in mine["results"]] == [str(meeting.pk)]
    everything = client_for(scene.business_support).get(MEETINGS).json()
    assert {m["id"] for m in everything["results"]} == {str(meeting.pk), str(marmm.pk)}
    assert client_for(scene.officer).get(MEETINGS, {"when": "soon"}).status_code == 400
    detail = client_for(scene.officer).get(f"{MEETINGS}{meeting.pk}/")
    assert detail.status_code == 200 and detail.json()["title"] == meeting.title
    assert client_for(scene.teacher).get(f"{MEETINGS}{meeting.pk}/").status_code == 404


def test_a_meeting_is_moved_cancelled_and_invited_through_the_api(
    client_for: Any, scene: Scene
) -> None:
    meeting = one(scene, starts_at=at(EASTER_MONDAY))
    client = client_for(scene.business_support)
    url = f"{MEETINGS}{meeting.pk}/"
    moved = send(
        client, "patch", url, {"starts_at": at(dt.date(2027, 3, 30)).isoformat(), "version": 1}
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["meeting"]["holiday"] == ""
    assert moved.json()["invitations"]["sent"] == 4
    stale = send(client, "patch", url, {"starts_at": "2027-03-31T10:00:00+01:00", "version": 1})
    assert stale.status_code == 409
    invited = send(client, "post", f"{url}invitations/")
    assert invited.status_code == 200 and invited.json()["sent"] == 4
    refused = send(client_for(scene.officer), "post", f"{url}invitations/")
    assert refused.status_code == 403
    no_reason = send(client, "post", f"{url}cancel/", {"reason": "", "version": 2})
    assert no_reason.status_code == 400 and fields(no_reason) == {"reason"}
    cancelled = send(client, "post", f"{url}cancel/", {"reason": "Chair unwell", "version": 2})
    assert cancelled.status_code == 200
    assert cancelled.json()["meeting"]["status"] == MeetingStatus.CANCELLED
    again = send(client, "post", f"{url}invitations/")
    assert again.status_code == 400


def test_the_endpoints_are_in_the_openapi_document(client_for: Any, scene: Scene) -> None:
    paths = client_for(scene.officer).get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/meeting-types/",
        "/api/v1/meeting-types/{id}/",
        "/api/v1/meetings/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/meetings/{id}/invitations/",
    ):
        assert p in paths, p
    assert {"get", "patch"} <= set(paths["/api/v1/meetings/{id}/"])
    assert {"get", "post"} <= set(paths["/api/v1/meetings/"])
