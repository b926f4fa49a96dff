"""A confidential slot's title and detail never reach the audit log: the events about the item
keep digests and call it "Confidential agenda item", so neither the log's page, its CSV export,
its API nor the stored events show what the slot is about."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.restricted import digest
from riskpath.audit.verbs import Verb
from riskpath.meetings import agenda
from riskpath.meetings.models import AgendaItem
from tests.meetings.scenario import Scene, schedule

pytestmark = pytest.mark.django_db

CANARY_TITLE = "Canary-7f3e slot about the quarry den"
CANARY_RENAMED = "Canary-9b1d renamed confidential slot"
CANARY_DETAIL = "Canary-c4a2 detail of the confidential slot"


def _stored(event: AuditEvent) -> str:
    return json.dumps(
        [event.target_label, event.subject_label, event.changes, event.reason], default=str
    )


def _audit_readings(scene: Scene) -> str:
    client = Client()
    client.force_login(scene.area_admin)
    page = client.get(reverse("audit:log"), {"verb": ""}).content.decode()
    export = b"".join(client.get(reverse("audit:export")).streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    api = client.get(reverse("api:audit_event_list")).content.decode()
    assert rows, "the export lists the events"
    return page + export + api


def test_a_confidential_slots_title_is_kept_as_a_digest_by_the_audit_log(scene: Scene) -> None:
    meeting = schedule(scene)
    item = agenda.agenda_item_add(
        actor=scene.chair,
        meeting=meeting,
        title=CANARY_TITLE,
        detail=CANARY_DETAIL,
        confidential=True,
    )
    agenda.agenda_item_change(
        actor=scene.chair, item=item, expected_version=item.version, title=CANARY_RENAMED
    )
    item = AgendaItem.objects.get(pk=item.pk)
    agenda.agenda_item_remove(
        actor=scene.chair, item=item, expected_version=item.version, reason="Covered elsewhere"
    )
    item = AgendaItem.objects.get(pk=item.pk)
    agenda.agenda_item_restore(actor=scene.chair, item=item, expected_version=item.version)

    events = list(AuditEvent.objects.filter(target_id=str(item.pk)).order_by("seq"))
    assert [e.verb for e in events] == [
        Verb.AGENDA_ITEM_ADDED,
        Verb.AGENDA_ITEM_CHANGED,
        Verb.AGENDA_ITEM_REMOVED,
        Verb.AGENDA_ITEM_RESTORED,
    ]
    for event in events:
        assert "Canary" not in _stored(event)
        assert event.target_label == "Confidential agenda item"
    changed = events[1].changes["title"]
    assert changed["before"] == digest(CANARY_TITLE)
    assert changed["after"] == digest(CANARY_RENAMED)
    assert "Canary" not in _audit_readings(scene)


def test_an_item_made_confidential_with_a_new_title_logs_neither_title(scene: Scene) -> None:
    meeting = schedule(scene)
    item = agenda.agenda_item_add(actor=scene.chair, meeting=meeting, title="Any other business")
    agenda.agenda_item_change(
        actor=scene.chair,
        item=item,
        expected_version=item.version,
        title=CANARY_TITLE,
        confidential=True,
    )
    event = AuditEvent.objects.get(verb=Verb.AGENDA_ITEM_CHANGED, target_id=str(item.pk))
    assert "Canary" not in _stored(event)
    assert event.changes["confidential"] == {"before": "False", "after": "True"}
    assert "Canary" not in _audit_readings(scene)


def test_an_open_items_change_is_logged_as_it_was(scene: Scene) -> None:
    meeting = schedule(scene)
    item = agenda.agenda_item_add(actor=scene.chair, meeting=meeting, title="Any other business")
    agenda.agenda_item_change(
        actor=scene.chair, item=item, expected_version=item.version, title="Transport"
    )
    event = AuditEvent.objects.get(verb=Verb.AGENDA_ITEM_CHANGED, target_id=str(item.pk))
    assert event.target_label == "Transport"
    assert event.changes == {"title": {"before": "Any other business", "after": "Transport"}}
