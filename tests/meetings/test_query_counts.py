"""No meetings list or record page grows its queries with its rows: each, pages and API, is read
at two sizes of one world (N and 5N meetings, agenda items, decisions, actions, updates,
attendees and partner-system tasks) and must cost no more queries at the larger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from riskpath.core import clock
from riskpath.meetings.models import Action, ActionUpdate, Meeting, PartnerSystem, PartnerTask
from tests.factories import AreaFactory, UserFactory, YoungPersonFactory
from tests.meetings.scenario import Scene, at, attend, build_scene, decision_at, next_weekday
from tests.meetings.scenario import schedule as schedule_meeting
from tests.query_counts import Page, grown

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 15


@dataclass
class World:
    scene: Scene
    meeting: Meeting
    action: Action
    task: PartnerTask


def build(n: int) -> World:
    scene = build_scene(AreaFactory())
    first = next_weekday()
    meetings = [
        schedule_meeting(scene, starts_at=at(first + dt.timedelta(days=7 * i))) for i in range(n)
    ]
    meeting = meetings[0]
    attend(meeting, *[UserFactory(agency=scene.police) for _ in range(n)])
    actions, tasks = [], []
    for i in range(n):
        person = YoungPersonFactory(
            recording_agency=scene.social_care, lead_professional=scene.lead
        )
        decision = decision_at(meeting, by=scene.chair, young_person=person)
        if i % 3 == 0:
            decision.item.confidential = True
            decision.item.save(update_fields=["confidential"])
        actions.append(
            Action.objects.create(
                area=scene.area,
                meeting=meeting,
                item=decision.item,
                description=f"Action {i}",
                owner_agency=scene.police if i % 2 else None,
                owner_user=None if i % 2 else scene.officer,
                young_person=person,
                due_on=clock.today() + dt.timedelta(days=7 + i),
                created_by=scene.chair,
            )
        )
        tasks.append(
            PartnerTask.objects.create(
                area=scene.area,
                decision=decision,
                system=PartnerSystem.MOSAIC,
                assignee=scene.lead,
                extract=f"Task {i}",
            )
        )
        ActionUpdate.objects.create(
            action=actions[0], text=f"Update {i}", recorded_by=scene.chair, recorded_at=clock.now()
        )
    return World(scene=scene, meeting=meeting, action=actions[0], task=tasks[0])


PAGES: dict[str, Page[World]] = {
    "meetings": lambda w: (w.scene.business_support, reverse("meetings:list")),
    "a meeting": lambda w: (
        w.scene.business_support,
        reverse("meetings:detail", args=[w.meeting.pk]),
    ),
    "a meeting (its chair)": lambda w: (
        w.scene.chair,
        reverse("meetings:detail", args=[w.meeting.pk]),
    ),
    "attendance": lambda w: (
        w.scene.business_support,
        reverse("meetings:attendance", args=[w.meeting.pk]),
    ),
    "minuting": lambda w: (
        w.scene.business_support,
        reverse("meetings:minuting", args=[w.meeting.pk]),
    ),
    "the action register": lambda w: (w.scene.chair, reverse("meetings:action_register")),
    "my actions": lambda w: (w.scene.officer, reverse("meetings:my_actions")),
    "an action": lambda w: (w.scene.chair, reverse("meetings:action_detail", args=[w.action.pk])),
    "partner-system tasks": lambda w: (w.scene.lead, reverse("meetings:partner_tasks")),
    "a partner-system task": lambda w: (
        w.scene.lead,
        reverse("meetings:partner_task_detail", args=[w.task.pk]),
    ),
    "API meetings": lambda w: (w.scene.business_support, reverse("api:meeting_list")),
    "API a meeting": lambda w: (
        w.scene.business_support,
        reverse("api:meeting_detail", args=[w.meeting.pk]),
    ),
    "API an agenda": lambda w: (w.scene.chair, reverse("api:agenda", args=[w.meeting.pk])),
    "API attendance": lambda w: (
        w.scene.business_support,
        reverse("api:conduct_attendance_list", args=[w.meeting.pk]),
    ),
    "API decisions": lambda w: (
        w.scene.business_support,
        reverse("api:conduct_decisions", args=[w.meeting.pk]),
    ),
    "API actions": lambda w: (w.scene.chair, reverse("api:action_list")),
    "API my actions": lambda w: (w.scene.officer, reverse("api:my_actions")),
    "API an action": lambda w: (w.scene.chair, reverse("api:action_detail", args=[w.action.pk])),
    "API an action's updates": lambda w: (
        w.scene.chair,
        reverse("api:action_updates", args=[w.action.pk]),
    ),
    "API partner-system tasks": lambda w: (w.scene.lead, reverse("api:partner_task_list")),
    "API a partner-system task": lambda w: (
        w.scene.lead,
        reverse("api:partner_task_detail", args=[w.task.pk]),
    ),
}


def test_no_meetings_page_costs_more_queries_for_more_rows() -> None:
    grew = grown(PAGES, build(SMALL), build(LARGE))
    assert not grew, f"queries grew with the rows ({SMALL} → {LARGE} rows): {grew}"
