"""The actions part through HTTP: the register, "My actions", one action, recording an action
at a meeting, partner-system task pages and the HSB/AIM slot page."""

from __future__ import annotations

import datetime as dt
import html as html_lib
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.core import clock
from riskpath.meetings import actions, tasks
from riskpath.meetings.models import Action, ActionUpdate, AgendaItem, Meeting, PartnerTask
from tests.factories import YoungPersonFactory
from tests.meetings.scenario import Scene, aim_panel, at, decision_at, schedule

pytestmark = pytest.mark.django_db

REGISTER = reverse("meetings:action_register")
MINE = reverse("meetings:my_actions")


def record(scene: Scene, meeting: Meeting, **kwargs: Any) -> Action:
    values: dict[str, Any] = {
        "description": "Visit the family",
        "due_on": meeting.starts_at.date() + dt.timedelta(days=14),
        "owner_user": scene.officer,
    }
    values.update(kwargs)
    return actions.action_create(actor=scene.business_support, meeting=meeting, **values)


def text(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


def past_meeting(scene: Scene, days: int = 30) -> Meeting:
    return schedule(scene, starts_at=at(clock.today() - dt.timedelta(days=days)))


# --- the register -----------------------------------------------------------------------------


def test_the_register_lists_open_actions_with_overdue_marked_and_is_audited(
    client_for: Any, scene: Scene
) -> None:
    past = past_meeting(scene)
    overdue = record(
        scene, past, description="Chase the school report", due_on=past.starts_at.date()
    )
    upcoming = record(scene, schedule(scene), description="Book a home visit")
    closed = record(scene, schedule(scene), description="Already done")
    actions.action_close(actor=scene.officer, action=closed, outcome="Done", expected_version=1)
    response = client_for(scene.officer).get(REGISTER)
    assert response.status_code == 200
    page = text(response)
    assert "Chase the school report" in page and "Book a home visit" in page
    assert "Already done" not in page
    assert page.count('govuk-tag govuk-tag--red">Overdue') == 1
    assert "2 actions matching the filters" in page
    event = AuditEvent.objects.filter(verb="ACTIONS_LISTED", actor_id=scene.officer.pk).get()
    assert event.changes == {"filters": {"status": "open"}, "count": 2}
    assert str(overdue.pk) in page and str(upcoming.pk) in page


def test_register_filters_are_applied_and_recorded(client_for: Any, scene: Scene) -> None:
    past = past_meeting(scene)
    record(scene, past, description="Late one", due_on=past.starts_at.date())
    record(scene, schedule(scene), description="On time one")
    client = client_for(scene.officer)
    page = text(client.get(REGISTER, {"overdue": "on"}))
    assert "Late one" in page and "On time one" not in page
    page = text(client.get(REGISTER, {"status": "closed"}))
    assert "No actions match." in page
    page = text(client.get(REGISTER, {"owner_agency": str(scene.health.pk), "status": "all"}))
    assert "No actions match." in page
    recorded = AuditEvent.objects.filter(verb="ACTIONS_LISTED").order_by("seq")
    assert recorded[0].changes == {"filters": {"status": "open", "overdue": True}, "count": 1}
    assert recorded[2].changes["filters"]["owner_agency"] == str(scene.health.pk)


def test_bad_filters_answer_400_naming_the_field(client_for: Any, scene: Scene) -> None:
    response = client_for(scene.officer).get(REGISTER, {"due_before": "31 31 2026"})
    assert response.status_code == 400
    assert "Enter the due before as a real date" in text(response)


def test_the_register_is_paginated(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    for n in range(30):
        record(scene, meeting, description=f"Numbered action {n:02d}")
    client = client_for(scene.officer)
    first = text(client.get(REGISTER))
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = text(client.get(REGISTER, {"page": 2}))
    assert second.count("Numbered action") == 5


def test_a_young_person_the_user_is_not_involved_with_is_not_named(
    client_for: Any, scene: Scene
) -> None:
    record(scene, schedule(scene), young_person=scene.person)
    teacher = text(client_for(scene.teacher).get(REGISTER))
    assert actions.HIDDEN_YOUNG_PERSON in teacher
    assert str(scene.person) not in teacher
    lead = text(client_for(scene.lead).get(REGISTER))
    assert str(scene.person) in lead and actions.HIDDEN_YOUNG_PERSON not in lead


def test_my_actions_shows_mine_and_my_agencys(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    record(scene, meeting, description="Officer's own")
    record(scene, meeting, owner_user=None, owner_agency=scene.police, description="Police's")
    record(scene, meeting, owner_user=scene.social_worker, description="Someone else's")
    page = text(client_for(scene.officer).get(MINE))
    assert "Officer's own" in page and "Police's" in page and "Someone else's" not in page
    event = AuditEvent.objects.get(verb="ACTIONS_LISTED")
    assert event.changes == {"filters": {"mine": True}, "count": 2}


def test_those_who_may_not_see_actions_are_refused(client_for: Any, scene: Scene) -> None:
    assert client_for(scene.area_admin).get(REGISTER).status_code == 403
    action = record(scene, schedule(scene))
    detail = reverse("meetings:action_detail", args=[action.pk])
    assert client_for(scene.stranger).get(detail).status_code == 404


# --- one action -------------------------------------------------------------------------------


def test_the_owner_adds_an_update_and_closes_with_an_outcome(client_for: Any, scene: Scene) -> None:
    action = record(scene, schedule(scene))
    client = client_for(scene.officer)
    detail = reverse("meetings:action_detail", args=[action.pk])
    page = text(client.get(detail))
    assert "Add update" in page and "Close action" in page
    update = reverse("meetings:action_add_update", args=[action.pk])
    blank = client.post(update, {"text": ""})
    assert blank.status_code == 400 and "Enter the update" in text(blank)
    assert client.post(update, {"text": "Spoke to mum"}).status_code == 302
    close = reverse("meetings:action_close", args=[action.pk])
    refused = client.post(close, {"outcome": "", "version": 1})
    assert refused.status_code == 400
    assert "Enter the outcome of the action" in text(refused)
    assert "<title>Error: " in text(refused)
    assert client.post(close, {"outcome": "Family engaged", "version": 1}).status_code == 302
    page = text(client.get(detail))
    assert "Spoke to mum" in page and "Family engaged" in page and "Close action" not in page
    action.refresh_from_db()
    assert not action.is_open
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_a_stale_close_is_a_conflict_and_changes_nothing(client_for: Any, scene: Scene) -> None:
    action = record(scene, schedule(scene))
    client = client_for(scene.officer)
    edit = reverse("meetings:action_edit", args=[action.pk])
    due = (clock.today() + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    assert (
        client.post(
            edit,
            {"description": "Changed", "due_on": due, "owner_user": scene.officer.pk, "version": 1},
        ).status_code
        == 302
    )
    response = client.post(
        reverse("meetings:action_close", args=[action.pk]), {"outcome": "Done", "version": 1}
    )
    assert response.status_code == 409
    assert "Someone else changed this action" in text(response)
    action.refresh_from_db()
    assert action.is_open and action.description == "Changed" and action.version == 2


def test_others_cannot_update_an_action(client_for: Any, scene: Scene) -> None:
    action = record(scene, schedule(scene))
    client = client_for(scene.teacher)
    assert "Add update" not in text(client.get(reverse("meetings:action_detail", args=[action.pk])))
    response = client.post(reverse("meetings:action_add_update", args=[action.pk]), {"text": "x"})
    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()


def test_recording_an_action_at_the_meeting(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    item = AgendaItem.objects.create(
        meeting=meeting, position=1, kind="other", title="About them", young_person=scene.person
    )
    client = client_for(scene.business_support)
    create = reverse("meetings:action_create", args=[meeting.pk])
    form = text(client.get(create, {"item": str(item.pk)}))
    assert "Record an action" in form
    before = (meeting.starts_at.date() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    refused = client.post(create, {"description": "Do it", "due_on": before})
    assert refused.status_code == 400
    page = text(refused)
    assert "Choose who owns the action" in page and "on or after the meeting's date" in page
    assert not Action.objects.exists()
    due = (meeting.starts_at.date() + dt.timedelta(days=7)).strftime("%d/%m/%Y")
    response = client.post(
        create,
        {
            "description": "Do it",
            "due_on": due,
            "owner_agency": scene.school.pk,
            "item": item.pk,
            "young_person": scene.person.pk,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.item == item and action.owner_agency == scene.school
    # It shows on the meeting's page
    page = text(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Actions recorded at this meeting" in page and "Do it" in page
    # A participant who does not minute may not record actions
    officer = client_for(scene.officer)
    assert officer.get(create).status_code == 403


# --- partner-system tasks -----------------------------------------------------------------------


def test_a_task_is_created_from_the_meeting_page_and_done_by_the_lead(
    client_for: Any, scene: Scene
) -> None:
    meeting = schedule(scene)
    decision = decision_at(meeting, by=scene.chair, young_person=scene.person, text="Refer on")
    chair = client_for(scene.chair)
    page = text(chair.get(reverse("meetings:detail", args=[meeting.pk])))
    create = reverse("meetings:partner_task_create", args=[decision.pk])
    assert create in page
    refused = chair.post(create, {})
    assert refused.status_code == 400
    assert "Choose Mosaic, LiquidLogic, Niche or Flare" in text(refused)
    assert chair.post(create, {"system": "mosaic"}).status_code == 302
    task = PartnerTask.objects.get()
    assert task.assignee == scene.lead

    lead = client_for(scene.lead)
    listing = text(lead.get(reverse("meetings:partner_tasks")))
    assert "Carry into Mosaic" in listing
    detail = text(lead.get(reverse("meetings:partner_task_detail", args=[task.pk])))
    assert '<label class="govuk-label govuk-label--s" for="extract">' in detail
    assert 'id="extract"' in detail and "readonly" in detail
    assert "Recorded in riskpath by" in detail and "Refer on" in detail
    assert AuditEvent.objects.filter(verb="PARTNER_TASK_VIEWED", actor_id=scene.lead.pk).exists()
    done = reverse("meetings:partner_task_done", args=[task.pk])
    assert client_for(scene.teacher).post(done, {"version": 1}).status_code == 404
    assert lead.post(done, {"version": 1}).status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    assert AuditEvent.objects.filter(verb="PARTNER_TASK_DONE").count() == 1


def test_task_pages_refuse_outsiders(client_for: Any, scene: Scene) -> None:
    decision = decision_at(schedule(scene), by=scene.chair, young_person=scene.person)
    create = reverse("meetings:partner_task_create", args=[decision.pk])
    assert client_for(scene.officer).get(create).status_code == 403
    assert client_for(scene.teacher).get(create).status_code == 404
    task = tasks.partner_task_create(actor=scene.chair, decision=decision, system="niche")
    detail = reverse("meetings:partner_task_detail", args=[task.pk])
    assert client_for(scene.officer).get(detail).status_code == 404
    assert client_for(scene.business_support).get(detail).status_code == 200


# --- HSB/AIM slots --------------------------------------------------------------------------------


def test_slots_page_books_and_refuses_a_double_booking(client_for: Any, scene: Scene) -> None:
    panel = aim_panel(scene)
    other = YoungPersonFactory(recording_agency=scene.social_care)
    client = client_for(scene.business_support)
    meeting_page = text(client.get(reverse("meetings:detail", args=[panel.pk])))
    assert "Panel slots" in meeting_page and "16:30" in meeting_page
    url = reverse("meetings:slots", args=[panel.pk])
    assert client.get(url).status_code == 200
    booked = client.post(
        url, {"slot": "13:30", "young_person": scene.person.pk, "title": "First referral"}
    )
    assert booked.status_code == 302
    again = client.post(url, {"slot": "13:30", "young_person": other.pk, "title": "Second"})
    assert again.status_code == 400
    assert "The 13:30 slot is already booked" in text(again)
    assert AgendaItem.objects.filter(meeting=panel).count() == 1
    # Participants who may not edit the agenda see the grid but cannot book
    assert client_for(scene.officer).post(url, {"slot": "14:00"}).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "meetings:action_detail",
        "meetings:action_edit",
        "meetings:action_add_update",
        "meetings:action_close",
        "meetings:action_create",
        "meetings:slots",
        "meetings:partner_task_detail",
        "meetings:partner_task_done",
        "meetings:partner_task_create",
    ],
)
def test_what_does_not_exist_is_a_404(client_for: Any, scene: Scene, name: str) -> None:
    missing = reverse(name, args=["00000000-0000-4000-8000-000000000001"])
    for user in (scene.business_support, scene.chair, scene.lead):
        client = client_for(user)
        assert client.get(missing).status_code == 404, (name, user)
        assert client.post(missing, {}).status_code in (404, 405), (name, user)


def test_marking_a_task_done_twice_is_refused_on_the_page(client_for: Any, scene: Scene) -> None:
    decision = decision_at(schedule(scene), by=scene.chair, young_person=scene.person)
    task = tasks.partner_task_create(actor=scene.chair, decision=decision, system="flare")
    lead = client_for(scene.lead)
    done = reverse("meetings:partner_task_done", args=[task.pk])
    assert lead.post(done, {"version": 1}).status_code == 302
    again = lead.post(done, {"version": 2})
    assert again.status_code == 400
    assert "This task is already done" in text(again)
