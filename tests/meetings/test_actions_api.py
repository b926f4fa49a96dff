"""The actions API: the register, one action and its updates, closing, "my actions",
partner-system tasks and HSB/AIM slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from riskpath.audit.models import AuditEvent
from riskpath.core import clock
from riskpath.meetings import actions
from riskpath.meetings.models import Action, AgendaItem, Meeting, PartnerTask
from tests.api.helpers import errors, fields
from tests.factories import YoungPersonFactory
from tests.meetings.scenario import Scene, aim_panel, at, decision_at, schedule

pytestmark = pytest.mark.django_db

LIST = "/api/v1/actions/"


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def patch(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


def record(scene: Scene, meeting: Meeting, **kwargs: Any) -> Action:
    values: dict[str, Any] = {
        "description": "Visit the family",
        "due_on": meeting.starts_at.date() + dt.timedelta(days=14),
        "owner_user": scene.officer,
    }
    values.update(kwargs)
    return actions.action_create(actor=scene.business_support, meeting=meeting, **values)


def test_create_read_update_and_close_an_action(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    support = client_for(scene.business_support)
    due = (meeting.starts_at.date() + dt.timedelta(days=10)).isoformat()
    body = {"meeting": str(meeting.pk), "description": "Call the school", "due_on": due}
    refused = post(support, LIST, body)
    assert refused.status_code == 400 and fields(refused) == {"owner"}
    early = post(
        support,
        LIST,
        {**body, "owner_user": str(scene.officer.pk), "due_on": "2000-01-01"},
    )
    assert early.status_code == 400 and fields(early) == {"due_on"}
    created = post(
        support,
        LIST,
        {**body, "owner_user": str(scene.officer.pk), "young_person": str(scene.person.pk)},
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["status"] == "open" and data["version"] == 1 and data["updates"] == []
    url = f"{LIST}{data['id']}/"

    officer = client_for(scene.officer)
    assert officer.get(url).json()["description"] == "Call the school"
    update = post(officer, f"{url}updates/", {"text": "Left a message"})
    assert update.status_code == 201
    assert [u["text"] for u in officer.get(f"{url}updates/").json()] == ["Left a message"]
    changed = patch(officer, url, {"version": 1, "description": "Call the head"})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = patch(officer, url, {"version": 1, "description": "Lost"})
    assert stale.status_code == 409 and fields(stale) == {"version"}
    no_outcome = post(officer, f"{url}close/", {"outcome": "", "version": 2})
    assert no_outcome.status_code == 400 and fields(no_outcome) == {"outcome"}
    closed = post(officer, f"{url}close/", {"outcome": "Head called back", "version": 2})
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "Head called back"
    assert AuditEvent.objects.filter(verb="ACTION_CLOSED").count() == 1


def test_only_those_allowed_write(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    due = (meeting.starts_at.date() + dt.timedelta(days=10)).isoformat()
    body = {
        "meeting": str(meeting.pk),
        "description": "x",
        "due_on": due,
        "owner_user": str(scene.officer.pk),
    }
    assert post(client_for(scene.officer), LIST, body).status_code == 403
    assert fields(post(client_for(scene.teacher), LIST, body)) == {"meeting"}
    action = record(scene, meeting)
    url = f"{LIST}{action.pk}/"
    assert (
        patch(client_for(scene.teacher), url, {"version": 1, "description": "y"}).status_code == 403
    )
    assert client_for(scene.stranger).get(url).status_code == 404
    assert client_for(scene.area_admin).get(LIST).status_code == 403
    assert not Action.objects.exclude(pk=action.pk).exists()


def test_register_filters_paginates_and_hides_names(client_for: Any, scene: Scene) -> None:
    past = schedule(scene, starts_at=at(clock.today() - dt.timedelta(days=30)))
    late = record(scene, past, due_on=past.starts_at.date(), young_person=scene.person)
    record(scene, schedule(scene))
    teacher = client_for(scene.teacher)
    body = teacher.get(LIST).json()
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["id"] == str(late.pk))
    assert row["young_person"] is None and row["about"] == actions.HIDDEN_YOUNG_PERSON
    assert row["overdue"] is True
    lead_row = next(
        r for r in client_for(scene.lead).get(LIST).json()["results"] if r["id"] == str(late.pk)
    )
    assert lead_row["young_person"] == str(scene.person.pk)
    overdue = teacher.get(LIST, {"overdue": "true"}).json()
    assert [r["id"] for r in overdue["results"]] == [str(late.pk)]
    assert teacher.get(LIST, {"status": "closed"}).json()["count"] == 0
    bad = teacher.get(LIST, {"due_before": "soon"})
    assert bad.status_code == 400 and fields(bad) == {"due_before"}
    assert teacher.get(LIST, {"meeting_type": str(scene.pimm.pk)}).json()["count"] == 2
    listed = AuditEvent.objects.filter(verb="ACTIONS_LISTED", actor_id=scene.teacher.pk)
    assert listed.order_by("seq").first().changes == {"filters": {"status": "open"}, "count": 2}


def test_my_actions(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    mine = record(scene, meeting)
    record(scene, meeting, owner_user=scene.social_worker)
    body = client_for(scene.officer).get(f"{LIST}mine/").json()
    assert [r["id"] for r in body["results"]] == [str(mine.pk)]


def test_partner_tasks(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    decision = decision_at(meeting, by=scene.chair, young_person=scene.person)
    chair = client_for(scene.chair)
    bad = post(chair, "/api/v1/partner-tasks/", {"decision": str(decision.pk), "system": "x"})
    assert bad.status_code == 400 and fields(bad) == {"system"}
    made = post(chair, "/api/v1/partner-tasks/", {"decision": str(decision.pk), "system": "niche"})
    assert made.status_code == 201
    task = made.json()
    assert task["assignee"] == str(scene.lead.pk) and "Recorded in riskpath by" in task["extract"]
    lead = client_for(scene.lead)
    assert [t["id"] for t in lead.get("/api/v1/partner-tasks/").json()["results"]] == [task["id"]]
    url = f"/api/v1/partner-tasks/{task['id']}/"
    assert lead.get(url).json()["extract"] == task["extract"]
    assert AuditEvent.objects.filter(verb="PARTNER_TASK_VIEWED").count() == 1
    assert client_for(scene.teacher).get(url).status_code == 404
    assert post(lead, f"{url}done/", {"version": 1}).status_code == 200
    again = post(lead, f"{url}done/", {"version": 1})
    assert again.status_code == 400 and fields(again) == {"done"}
    assert PartnerTask.objects.get().done_by == scene.lead
    officer = post(
        client_for(scene.officer),
        "/api/v1/partner-tasks/",
        {"decision": str(decision.pk), "system": "flare"},
    )
    assert officer.status_code == 403


def test_slots(client_for: Any, scene: Scene) -> None:
    panel = aim_panel(scene)
    url = f"/api/v1/meetings/{panel.pk}/slots/"
    support = client_for(scene.business_support)
    grid = support.get(url).json()
    assert [s["time"] for s in grid][:3] == ["13:00", "13:30", "14:00"] and grid[0]["free"]
    booked = post(
        support, url, {"slot": "13:30", "young_person": str(scene.person.pk), "title": "Referral"}
    )
    assert booked.status_code == 201
    other = YoungPersonFactory(recording_agency=scene.social_care)
    taken = post(support, url, {"slot": "13:30", "young_person": str(other.pk), "title": "Two"})
    assert taken.status_code == 400
    assert errors(taken) == [{"field": "slot", "message": "The 13:30 slot is already booked"}]
    assert AgendaItem.objects.filter(meeting=panel).count() == 1
    grid = support.get(url).json()
    assert grid[1]["free"] is False and grid[1]["title"] == "Referral"
    assert client_for(scene.officer).get(url).status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client_for: Any, scene: Scene) -> None:
    paths = client_for(scene.officer).get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/actions/",
        "/api/v1/actions/{id}/",
        "/api/v1/actions/{id}/close/",
        "/api/v1/actions/{id}/updates/",
        "/api/v1/actions/mine/",
        "/api/v1/partner-tasks/",
        "/api/v1/partner-tasks/{id}/",
        "/api/v1/partner-tasks/{id}/done/",
        "/api/v1/meetings/{id}/slots/",
    ):
        assert p in paths, p
    assert {"get", "post"} <= set(paths["/api/v1/actions/"])
    assert {"get", "patch"} <= set(paths["/api/v1/actions/{id}/"])


def test_what_does_not_exist_is_a_404(client_for: Any, scene: Scene) -> None:
    missing = "00000000-0000-4000-8000-000000000001"
    client = client_for(scene.business_support)
    for url in (
        f"{LIST}{missing}/",
        f"{LIST}{missing}/close/",
        f"{LIST}{missing}/updates/",
        f"/api/v1/partner-tasks/{missing}/",
        f"/api/v1/partner-tasks/{missing}/done/",
        f"/api/v1/meetings/{missing}/slots/",
    ):
        assert client.get(url).status_code in (404, 405), url
        assert post(client, url, {}).status_code in (404, 405), url
    assert patch(client, f"{LIST}{missing}/", {"version": 1}).status_code == 404
