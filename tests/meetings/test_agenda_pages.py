"""The agenda through HTTP: the meeting page, the chair's edits, and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.meetings import agenda, sight
from riskpath.meetings.models import AgendaItem, Meeting
from tests.cohort.factories import intelligence, on_cohort
from tests.meetings.scenario import Scene, schedule

pytestmark = pytest.mark.django_db


def page(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def built(scene: Scene) -> Meeting:
    meeting = schedule(scene)
    on_cohort(scene.person, tier=1, by=scene.chair)
    # From health, whose users have no part in the PIMM: the officer is not involved with the
    # young person.
    intelligence(scene.person, scene.health, days_ago=1)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    return meeting


def test_the_chair_builds_the_agenda_from_the_meeting_page(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    on_cohort(scene.person, tier=1, by=scene.chair)
    client = client_for(scene.chair)
    response = client.get(page(meeting))
    assert response.status_code == 200
    assert "Build the agenda from the record" in response.content.decode()
    response = client.post(reverse("meetings:agenda_build", args=[meeting.pk]), follow=True)
    html = response.content.decode()
    assert "1 item added from the record." in html
    assert str(scene.person) in html and "Tier 1 (red): discussed at every meeting" in html
    assert AuditEvent.objects.filter(verb=Verb.MEETING_VIEWED, target_id=str(meeting.pk)).exists()


def test_participants_see_the_agenda_but_cannot_change_it(client_for: Any, scene: Scene) -> None:
    meeting = built(scene)
    item = AgendaItem.objects.get(meeting=meeting)
    officer = client_for(scene.officer)
    html = officer.get(page(meeting)).content.decode()
    assert sight.WITHHELD_YOUNG_PERSON in html
    assert str(scene.person) not in html
    assert "Build the agenda" not in html
    for url in (
        reverse("meetings:agenda_build", args=[meeting.pk]),
        reverse("meetings:agenda_item_remove", args=[meeting.pk, item.pk]),
        reverse("meetings:agenda_item_move", args=[meeting.pk, item.pk, "up"]),
    ):
        assert officer.post(url, {"reason": "x", "version": 1}).status_code == 403
    item.refresh_from_db()
    assert not item.is_removed


def test_outsiders_are_told_the_meeting_does_not_exist(client_for: Any, scene: Scene) -> None:
    meeting = built(scene)
    for user in (scene.teacher, scene.stranger):
        client = client_for(user)
        assert client.get(page(meeting)).status_code == 404
        assert client.post(reverse("meetings:agenda_build", args=[meeting.pk])).status_code == 404
        assert client.get(reverse("api:agenda", args=[meeting.pk])).status_code == 404


def test_removing_an_item_without_a_reason_is_a_400_naming_the_field(
    client_for: Any, scene: Scene
) -> None:
    meeting = built(scene)
    item = AgendaItem.objects.get(meeting=meeting)
    client = client_for(scene.chair)
    url = reverse("meetings:agenda_item_remove", args=[meeting.pk, item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "", "version": item.version})
    assert response.status_code == 400
    assert "Enter why this item is coming off the agenda" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_removed
    response = client.post(url, {"reason": "Seen at MARMM this week", "version": item.version})
    assert response.status_code == 302
    html = client.get(page(meeting)).content.decode()
    assert "Removed from the agenda (1)" in html and "Seen at MARMM this week" in html
    client.post(reverse("meetings:agenda_item_restore", args=[meeting.pk, item.pk]))
    item.refresh_from_db()
    assert not item.is_removed


def test_adding_and_changing_items_with_a_stale_version_is_a_409(
    client_for: Any, scene: Scene
) -> None:
    meeting = built(scene)
    client = client_for(scene.business_support)
    add = reverse("meetings:agenda_add", args=[meeting.pk])
    assert client.post(add, {"title": ""}).status_code == 400
    assert (
        client.post(add, {"title": "Any other business", "minutes_allowed": "5"}).status_code == 302
    )
    item = AgendaItem.objects.get(meeting=meeting, title="Any other business")
    assert item.minutes_allowed == 5 and item.position == 2
    edit = reverse("meetings:agenda_item_edit", args=[meeting.pk, item.pk])
    assert client.get(edit).status_code == 200
    data = {"title": "AOB", "minutes_allowed": "10", "version": item.version}
    assert client.post(edit, data).status_code == 302
    response = client.post(edit, {**data, "title": "Stale"})
    assert response.status_code == 409
    assert AgendaItem.objects.get(pk=item.pk).title == "AOB"
    response = client.post(edit, {**data, "version": item.version + 1, "minutes_allowed": "999"})
    assert response.status_code == 400
    assert "Time allowed must be between 1 and 240 minutes" in response.content.decode()


def test_moving_items_up_and_down_within_their_section(client_for: Any, scene: Scene) -> None:
    meeting = built(scene)  # one young person, in the tier 1 section
    agenda.agenda_item_add(actor=scene.chair, meeting=meeting, title="AOB one")
    agenda.agenda_item_add(actor=scene.chair, meeting=meeting, title="AOB two")
    person, first, second = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    assert (person.section, first.section) == ("tier_one", "other")
    client = client_for(scene.chair)

    def order() -> list[AgendaItem]:
        return list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))

    client.post(reverse("meetings:agenda_item_move", args=[meeting.pk, second.pk, "up"]))
    assert order() == [person, second, first]
    # The first of a section does not leave it: the order of business stays.
    client.post(reverse("meetings:agenda_item_move", args=[meeting.pk, second.pk, "up"]))
    assert order() == [person, second, first]
    client.post(reverse("meetings:agenda_item_move", args=[meeting.pk, person.pk, "down"]))
    assert order() == [person, second, first]
    bad = reverse("meetings:agenda_item_move", args=[meeting.pk, second.pk, "sideways"])
    assert client.post(bad).status_code == 404


def test_the_agenda_api(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    on_cohort(scene.person, tier=1, by=scene.chair)
    client = client_for(scene.chair)
    response = client.post(reverse("api:agenda_build", args=[meeting.pk]))
    assert response.status_code == 200
    (row,) = response.json()["items"]
    assert row["title"] == str(scene.person) and row["kind"] == "cohort_review"
    assert row["section"] == "tier_one"
    for title in ("AOB one", "AOB two"):
        response = client.post(
            reverse("api:agenda_items", args=[meeting.pk]),
            {"title": title, "minutes_allowed": 5},
            content_type="application/json",
        )
        assert response.status_code == 201
    body = response.json()
    assert [(s["key"], s["count"], s["minutes"]) for s in body["sections"]] == [
        ("tier_one", 1, 0),
        ("other", 2, 10),
    ]
    items = body["items"]
    order = [items[0]["id"], items[2]["id"], items[1]["id"]]
    response = client.post(
        reverse("api:agenda_reorder", args=[meeting.pk]),
        {"order": order},
        content_type="application/json",
    )
    assert [i["id"] for i in response.json()["items"]] == order
    # An order that puts an item ahead of an earlier section's keeps the order of business.
    response = client.post(
        reverse("api:agenda_reorder", args=[meeting.pk]),
        {"order": [order[1], order[2], order[0]]},
        content_type="application/json",
    )
    assert [i["id"] for i in response.json()["items"]] == [order[0], order[1], order[2]]
    one_section = client.get(reverse("api:agenda", args=[meeting.pk]), {"section": "other"})
    assert [i["id"] for i in one_section.json()["items"]] == order[1:]
    bad = client.get(reverse("api:agenda", args=[meeting.pk]), {"section": "gossip"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "section"
    remove = reverse("api:agenda_item_remove", args=[meeting.pk, row["id"]])
    response = client.post(remove, {"version": row["version"]}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    response = client.post(
        remove, {"version": row["version"], "reason": "Moved away"}, content_type="application/json"
    )
    assert response.json()["removed"][0]["removal_reason"] == "Moved away"
    stale = client.patch(
        reverse("api:agenda_item", args=[meeting.pk, row["id"]]),
        {"title": "Renamed", "version": row["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    officer = client_for(scene.officer)
    view = officer.get(reverse("api:agenda", args=[meeting.pk]))
    assert view.status_code == 200
    assert view.json()["removed"][0]["restricted"] is True
    assert officer.post(reverse("api:agenda_build", args=[meeting.pk])).status_code == 403


def test_the_agenda_endpoints_are_in_the_openapi_document(client_for: Any, scene: Scene) -> None:
    paths = client_for(scene.chair).get(reverse("api:openapi")).json()["paths"]
    for suffix in ("agenda/", "agenda/build/", "agenda/items/", "agenda/order/"):
        assert f"/api/v1/meetings/{{id}}/{suffix}" in paths, suffix
