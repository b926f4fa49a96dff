"""Pages and endpoints outside the meeting's own page that show who a meeting discusses leave
an audit event of their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.meetings.scenario import Scene, aim_panel, schedule

pytestmark = pytest.mark.django_db


def reads(verb: str, **filters: Any) -> int:
    return AuditEvent.objects.filter(verb=verb, **filters).count()


def test_the_panel_slots_are_a_recorded_read(client_for: Any, scene: Scene) -> None:
    panel = aim_panel(scene)
    client = client_for(scene.business_support)
    assert client.get(reverse("meetings:slots", args=[panel.pk])).status_code == 200
    assert client.get(reverse("api:meeting_slots", args=[panel.pk])).status_code == 200
    events = AuditEvent.objects.filter(verb=Verb.MEETING_VIEWED, target_id=str(panel.pk))
    assert [e.changes for e in events] == [{"read": "slots"}, {"read": "slots"}]


def test_the_decision_form_is_a_recorded_read(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    client = client_for(scene.business_support)
    assert client.get(reverse("meetings:decision_add", args=[meeting.pk])).status_code == 200
    assert reads(Verb.MEETING_VIEWED, target_id=str(meeting.pk)) == 1


def test_listing_partner_system_tasks_is_recorded(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.lead)
    assert client.get(reverse("meetings:partner_tasks")).status_code == 200
    assert client.get(reverse("api:partner_task_list")).status_code == 200
    events = AuditEvent.objects.filter(verb=Verb.PARTNER_TASKS_LISTED, actor_id=scene.lead.pk)
    assert [e.changes for e in events] == [{"listed": 0}, {"listed": 0}]
