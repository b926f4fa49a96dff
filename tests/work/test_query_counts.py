"""The home page (the work list), its API and the navigation's count cost the same queries
at two sizes of the same world: more episodes, actions, meetings and tasks never mean more
queries (an N+1 fails here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from riskpath.accounts.models import User
from riskpath.core import clock
from riskpath.meetings.models import (
    Action,
    Attendance,
    Decision,
    MeetingStatus,
    PartnerTask,
)
from riskpath.work.selectors import gather
from tests.factories import AreaFactory, YoungPersonFactory
from tests.meetings.scenario import Scene, add_item, build_scene, schedule
from tests.pathway.scenario import Pathway, build_pathway, to_marmm, to_plan, working_days_ago

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 6


def pathway_world(n: int) -> Pathway:
    p = build_pathway(AreaFactory())
    for i in range(n):
        child = YoungPersonFactory(
            recording_agency=p.social_care, date_of_birth=clock.today() - dt.timedelta(days=5500)
        )
        q = dataclasses.replace(p, child=child)
        if i % 2:
            to_plan(q)  # flags for the police and health partners
        else:
            to_marmm(q, q.open_under_18(started=working_days_ago(p.area, 20)))  # overdue
    return p


def meetings_world(n: int) -> Scene:
    scene = build_scene(AreaFactory())
    for i in range(n):
        meeting = schedule(scene, starts_at=timezone.now() + dt.timedelta(days=3 + i))
        Attendance.objects.get_or_create(
            meeting=meeting, user=scene.teacher, defaults={"status": "invited"}
        )
        person = YoungPersonFactory(
            recording_agency=scene.social_care, lead_professional=scene.teacher
        )
        item = add_item(meeting, "About them", young_person=person)
        Action.objects.create(
            area=scene.area,
            meeting=meeting,
            description=f"Action {i}",
            owner_agency=scene.school,
            due_on=clock.today() + dt.timedelta(days=i - 1),
            created_by=scene.business_support,
        )
        decision = Decision.objects.create(
            item=item,
            kind="referral",
            text="Refer",
            recorded_by=scene.chair,
            recorded_at=clock.now(),
        )
        PartnerTask.objects.create(
            area=scene.area, decision=decision, system="niche", assignee=scene.teacher, extract="x"
        )
        type(meeting).objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD if i % 2 else MeetingStatus.SCHEDULED,
            held_at=clock.now() if i % 2 else None,
            minutes_due_on=clock.today() + dt.timedelta(days=2) if i % 2 else None,
            papers_due_on=clock.today(),
        )
    return scene


def _queries(user: User, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # sessions and first-use caches out of the way
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


WHO_PATHWAY = ["consultant", "service_manager", "officer", "social_worker", "business_support"]
WHO_MEETINGS = ["teacher", "business_support", "chair"]


def test_the_work_list_costs_the_same_queries_for_more_work() -> None:
    worlds: dict[str, Any] = {
        "pathway": (pathway_world(SMALL), pathway_world(LARGE), WHO_PATHWAY),
        "meetings": (meetings_world(SMALL), meetings_world(LARGE), WHO_MEETINGS),
    }
    grew = {}
    for name, (small, large, who) in worlds.items():
        for role in who:
            for url in (reverse("web:home"), reverse("api:my_work")):
                few = _queries(getattr(small, role), url)
                many = _queries(getattr(large, role), url)
                if many > few:
                    grew[f"{name} {role} {url}"] = (few, many)
    assert not grew, f"queries grew with the work ({SMALL} → {LARGE}): {grew}"
    # The worlds hold work, and the larger more of it.
    for name, (small, large, who) in worlds.items():
        for role in who:
            few, many = len(gather(getattr(small, role))), len(gather(getattr(large, role)))
            assert many > few or (few == many == 0 and role == "business_support"), (name, role)
