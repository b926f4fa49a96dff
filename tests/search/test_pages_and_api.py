"""The search through HTTP: the header's box on every signed-in page, the results page
(grouped by kind, counts of what the user may open, one kind paged), the API and its errors,
the OpenAPI document, and the picker's JSON search through the same matching."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.api.helpers import errors
from tests.search.scenario import SearchWorld

pytestmark = pytest.mark.django_db

PAGE = reverse("search:results")
API = reverse("api:search")


def test_the_header_holds_a_labelled_search_box_that_needs_no_script(
    world: SearchWorld, client_for: Any
) -> None:
    html = client_for(world.teacher).get(reverse("web:home")).content.decode()
    assert f'<form class="rp-header-search" method="get" action="{PAGE}" role="search"' in html
    assert '<label class="govuk-label rp-header-search__label" for="header-search">' in html
    assert 'id="header-search" name="q" type="search"' in html
    # An area administrator, who may open no young person, has no search box.
    admin_home = client_for(world.admin).get(reverse("web:home")).content.decode()
    assert "header-search" not in admin_home
    assert client_for(world.admin).get(PAGE, {"q": "ashworth"}).status_code == 403


def test_the_results_page_groups_by_kind_with_counts(world: SearchWorld, client_for: Any) -> None:
    response = client_for(world.consultant).get(PAGE, {"q": "station road"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Locations (1)" in html and "Groups (1)" in html and "Young people (0)" in html
    assert "Station Road chicken shop" in html and "Station Road boys" in html
    location = world.locations["Station Road chicken shop"]
    assert reverse("locations:detail", args=[location.pk]) in html
    assert 'value="station road"' in html  # the header box keeps what was searched


def test_a_record_the_reader_may_not_open_shows_no_details(
    world: SearchWorld, client_for: Any
) -> None:
    jess = world.person("Jess Penington")
    html = client_for(world.social_worker).get(PAGE, {"q": "pennington"}).content.decode()
    assert "Jessica PENNINGTON" in html
    assert "Jess PENINGTON" not in html and "8 March 2012" not in html
    assert "record matches that you cannot open" in html
    assert reverse("people:emergency_access", args=[jess.pk]) in html
    # A partner representative may not break glass: no link.
    teacher = client_for(world.teacher).get(PAGE, {"q": "pennington"}).content.decode()
    assert "cannot open" in teacher and "emergency-access" not in teacher
    assert "PENNINGTON" not in teacher and "PENINGTON" not in teacher


def test_one_kind_and_its_pages(world: SearchWorld, client_for: Any) -> None:
    client = client_for(world.consultant)
    html = client.get(PAGE, {"q": "ashworth", "kind": "young_person"}).content.decode()
    assert "William ASHWORTH" in html and "Back to results of every kind" in html
    assert (
        client.get(PAGE, {"q": "ashworth", "kind": "young_person", "page": "x"}).status_code == 200
    )


def test_bad_input_is_refused_naming_the_field(world: SearchWorld, client_for: Any) -> None:
    client = client_for(world.consultant)
    before = AuditEvent.objects.filter(verb=Verb.SEARCHED).count()
    bad_kind = client.get(PAGE, {"q": "ashworth", "kind": "meetings"})
    assert bad_kind.status_code == 400 and "Choose one of" in bad_kind.content.decode()
    too_long = client.get(PAGE, {"q": "x" * 201})
    assert too_long.status_code == 400 and "200 characters or fewer" in too_long.content.decode()
    assert AuditEvent.objects.filter(verb=Verb.SEARCHED).count() == before


def test_an_empty_search_page_shows_nothing(world: SearchWorld, client_for: Any) -> None:
    html = client_for(world.consultant).get(PAGE).content.decode()
    assert "ASHWORTH" not in html and "Type at least 2 letters" in html
    assert not AuditEvent.objects.filter(verb=Verb.SEARCHED).exists()


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_the_api_answers_as_the_page_does(world: SearchWorld, client_for: Any) -> None:
    body = client_for(world.social_worker).get(API, {"q": "pennington"}).json()
    assert body["searched"] is True
    young = next(k for k in body["kinds"] if k["kind"] == "young_person")
    assert young["count"] == 1 and young["withheld"] == 1
    shown, hidden = young["results"]
    assert shown["title"] == "Jessica PENNINGTON" and shown["openable"] is True
    assert hidden == {
        "kind": "young_person",
        "id": str(world.person("Jess Penington").pk),
        "openable": False,
        "title": "",
        "details": [],
        "emergency_access": True,
    }
    assert AuditEvent.objects.filter(verb=Verb.SEARCHED, actor=world.social_worker).count() == 1


def test_the_api_pages_one_kind(world: SearchWorld, client_for: Any) -> None:
    body = client_for(world.consultant).get(API, {"q": "kez", "kind": "person_of_interest"})
    (group,) = body.json()["kinds"]
    assert group["page"] == 1 and group["pages"] == 1
    assert [r["title"] for r in group["results"]] == ["Kieran HOLT"]


def test_the_api_refuses_bad_input_naming_the_field(world: SearchWorld, client_for: Any) -> None:
    client = client_for(world.consultant)
    for params, field in [
        ({"q": "ash", "kind": "meeting"}, "kind"),
        ({"q": "x" * 201}, "q"),
        ({"q": "ash", "kind": "location", "page": "0"}, "page"),
    ]:
        response = client.get(API, params)
        assert response.status_code == 400, params
        assert {e["field"] for e in errors(response)} == {field}, params
    assert client_for(world.admin).get(API, {"q": "ash"}).status_code == 403
    empty = client.get(API).json()  # no search: nothing, and not an error
    assert empty["searched"] is False and empty["kinds"] == []


def test_the_api_is_in_the_openapi_document(world: SearchWorld, client_for: Any) -> None:
    document = json.loads(client_for(world.consultant).get("/api/v1/openapi.json").content)
    operation = document["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind", "page"}


# ---------------------------------------------------------------------------------------------
# The picker matches through the same search
# ---------------------------------------------------------------------------------------------


def test_the_picker_finds_nicknames_typos_and_a_swapped_date(
    world: SearchWorld, client_for: Any
) -> None:
    client = client_for(world.teacher)
    william = str(world.person("William Ashworth").pk)
    for params in [
        {"q": "billy ashworth"},
        {"q": "wiliam ashwroth"},
        {"q": "ashworth", "dob": "04/02/2011"},  # day and month swapped
    ]:
        body = client.get(reverse("people:pick"), params).json()
        assert [r["id"] for r in body["results"]][:1] == [william], params
    # Only enough to pick: name, year of birth, place.
    (option,) = client.get(reverse("people:pick"), {"q": "william ashworth"}).json()["results"]
    assert option["label"] == "William ASHWORTH, born 2011, BS16"
