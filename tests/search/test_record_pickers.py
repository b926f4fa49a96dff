"""Choosing persons of interest, locations and groups on the intelligence form is a search
too (``riskpath.search.pickers``): the form lists none of the area's records; the user types
and picks, through the JSON search (with accessible-autocomplete) or the form's own Search
button (without JavaScript). Every search is audited with a digest of what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.restricted import digest
from riskpath.audit.verbs import Verb
from riskpath.intelligence.models import IntelligenceItem
from tests.search.scenario import SearchWorld

pytestmark = pytest.mark.django_db

PICK = reverse("search:pick")
SUBMIT = reverse("intelligence:submit")


def test_the_form_lists_none_of_the_areas_records(world: SearchWorld, client_for: Any) -> None:
    html = client_for(world.officer).get(SUBMIT).content.decode()
    for name in ["Declan", "Brunswick Square", "Kingswood crew", "Station Road"]:
        assert name not in html
    assert "Find a person of interest by name" in html
    assert f'data-source="{PICK}?kind=location"' in html
    # Not found? Recording a new young person opens the create page (duplicate check first).
    assert f'href="{reverse("people:create")}"' in html and "Record a new young person" in html


def test_the_json_search_finds_by_alias_typo_and_postcode(
    world: SearchWorld, client_for: Any
) -> None:
    client = client_for(world.officer)
    declan = world.pois["Declan Marsh"]
    body = client.get(PICK, {"kind": "person_of_interest", "q": "deeko"}).json()
    assert body["results"] == [
        {"id": str(declan.pk), "label": "Declan MARSH (also known as Deeko)", "openable": True}
    ]
    places = client.get(PICK, {"kind": "location", "q": "brunswik square"}).json()["results"]
    assert [r["label"] for r in places] == ["Brunswick Square car park, BS15 1AA"]
    groups = client.get(PICK, {"kind": "group", "q": "kingswod"}).json()["results"]
    assert [r["label"] for r in groups] == ["Kingswood crew"]
    assert client.get(PICK, {"kind": "group", "q": "k"}).json()["results"] == []
    bad = client.get(PICK, {"kind": "meeting", "q": "kingswood"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"
    (event,) = AuditEvent.objects.filter(verb=Verb.SEARCHED, changes__kind="person_of_interest")
    assert event.changes["query"] == digest("deeko")
    # A role that may not see persons of interest finds none.
    panel = client_for(world.panel).get(PICK, {"kind": "person_of_interest", "q": "deeko"})
    assert panel.json()["results"] == []


def test_without_javascript_the_search_button_then_submit(
    world: SearchWorld, client_for: Any
) -> None:
    client = client_for(world.officer)
    found = client.post(
        SUBMIT, {"persons_of_interest__search": "kez", "find__persons_of_interest": "1"}
    )
    html = found.content.decode()
    kieran = world.pois["Kieran Holt"]
    assert found.status_code == 200 and f'value="{kieran.pk}"' in html
    assert "There is a problem" not in html
    response = client.post(
        SUBMIT,
        {
            "reported_on": dt.date.today().strftime("%d/%m/%Y"),
            "text": "Seen with a courier near the park",
            "harm_types": ["cce"],
            "source_evaluation": "2",
            "assessment": "B",
            "provenance": "second_hand",
            "handling_code": "P",
            "persons_of_interest": [str(kieran.pk)],
            "locations": [str(world.locations["Brunswick Square car park"].pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = IntelligenceItem.objects.get()
    assert list(item.persons_of_interest.all()) == [kieran]
    assert item.locations.count() == 1


def test_a_record_of_another_area_cannot_be_chosen(world: SearchWorld, client_for: Any) -> None:
    from tests.factories import AgencyFactory, AreaFactory

    other = AgencyFactory(area=AreaFactory())
    from riskpath.groups.models import Group

    theirs = Group.objects.create(
        area=other.area,
        name="Far crew",
        kind="peer_group",
        recording_agency=other,
        recorded_by=world.stranger,
    )
    response = client_for(world.officer).post(
        SUBMIT,
        {
            "reported_on": dt.date.today().strftime("%d/%m/%Y"),
            "text": "Seen with a courier near the park",
            "harm_types": ["cce"],
            "source_evaluation": "2",
            "assessment": "B",
            "provenance": "second_hand",
            "handling_code": "P",
            "groups": [str(theirs.pk)],
        },
    )
    assert response.status_code == 400
    assert "Choose groups from the search results" in response.content.decode()
    assert not IntelligenceItem.objects.exists()
