"""Choosing a young person is a search that shows only enough to pick: never a list of the
area, nothing for an empty search, full details only of records the user may open, every
search audited. Through the selector, the pages' JSON search and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.restricted import digest
from riskpath.audit.verbs import Verb
from riskpath.people.picker import PICK_LIMIT, young_person_pick
from tests.api.helpers import errors
from tests.factories import UserFactory, YoungPersonFactory
from tests.people.scenario import AuditWatch, Scene

pytestmark = pytest.mark.django_db

PICK = reverse("people:pick")
API_PICK = reverse("api:young_person_pick")


def test_an_empty_or_one_letter_search_shows_nobody_and_is_not_recorded(scene: Scene) -> None:
    watch = AuditWatch()
    for query in ["", "  ", "K", "4 4"]:
        result = young_person_pick(scene.partner, query=query)
        assert result.options == [] and not result.searched
        assert "at least 2 letters" in result.message
    assert watch.new() == []


def test_a_record_the_user_may_not_open_shows_name_year_and_locality_only(scene: Scene) -> None:
    scene.person.locality = "Kingswood"
    scene.person.postcode = "BS15 9AA"
    scene.person.save()
    born = scene.person.date_of_birth
    (option,) = young_person_pick(scene.partner, query="testper").options
    assert option.label == f"Kai TESTPERSON, born {born:%Y}, Kingswood"
    assert not option.openable
    (full,) = young_person_pick(scene.lead, query="testper").options
    assert full.label == f"Kai TESTPERSON, born {born:%-d %B %Y}, Kingswood"
    assert full.openable


def test_the_locality_falls_back_to_the_postcode_district(scene: Scene) -> None:
    scene.person.postcode = "bs16 1ab"
    scene.person.save()
    (option,) = young_person_pick(scene.partner, query="Kai").options
    assert option.label.endswith(", BS16")


def test_every_search_is_audited_with_a_digest_of_what_was_asked(scene: Scene) -> None:
    """What was typed names people: the log keeps its digest and length, never the text."""
    watch = AuditWatch()
    young_person_pick(scene.partner, query="  Kai   test ", postcode="BS1", purpose="intelligence")
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_SEARCHED
    assert event.actor_id == scene.partner.pk
    assert event.changes == {
        "query": digest("Kai test"),
        "date_of_birth": False,
        "postcode": True,
        "pool": "area",
        "purpose": "intelligence",
    }


def test_another_areas_young_people_are_never_found(scene: Scene) -> None:
    assert young_person_pick(scene.partner, query="Far Away").options == []
    assert young_person_pick(scene.stranger, query="Testperson").options == []


def test_at_most_the_limit_is_shown_and_the_user_is_told_to_narrow(scene: Scene) -> None:
    for _ in range(PICK_LIMIT + 2):
        YoungPersonFactory(recording_agency=scene.recording, family_name="Commonname")
    result = young_person_pick(scene.partner, query="commonname")
    assert len(result.options) == PICK_LIMIT and result.more
    assert "add a date of birth or postcode" in result.message


def test_a_date_of_birth_or_postcode_narrows_the_search(scene: Scene) -> None:
    twin = YoungPersonFactory(
        recording_agency=scene.recording,
        given_names="Kai",
        family_name="Testperson",
        date_of_birth=dt.date(2011, 4, 2),
        postcode="BS16 1AB",
    )
    scene.person.date_of_birth = dt.date(2010, 1, 1)
    scene.person.postcode = "BS30 8AA"
    scene.person.save()
    both = {o.id for o in young_person_pick(scene.partner, query="kai testperson").options}
    assert both == {twin.pk, scene.person.pk}
    by_dob = young_person_pick(scene.partner, query="kai", date_of_birth=dt.date(2011, 4, 2))
    assert [o.id for o in by_dob.options] == [twin.pk]
    for typed in ["BS161AB", "bs16 1ab", "BS16"]:
        by_code = young_person_pick(scene.partner, query="kai", postcode=typed)
        assert [o.id for o in by_code.options] == [twin.pk], typed


def test_aliases_are_searched(scene: Scene) -> None:
    scene.person.aliases = ["Little K"]
    scene.person.save()
    assert [o.id for o in young_person_pick(scene.partner, query="little").options] == [
        scene.person.pk
    ]


def test_the_involved_pool_holds_only_records_the_user_may_open(scene: Scene) -> None:
    assert young_person_pick(scene.partner, query="Kai", pool_name="involved").options == []
    (option,) = young_person_pick(scene.lead, query="Kai", pool_name="involved").options
    assert option.openable


def test_roles_that_record_nothing_may_not_search(scene: Scene) -> None:
    panel = UserFactory(agency=scene.third, roles=[Role.STRATEGIC_PANEL_MEMBER])
    assert young_person_pick(panel, query="Kai").options == []
    admin = UserFactory(agency=scene.third, roles=[Role.AREA_ADMINISTRATOR])
    assert young_person_pick(admin, query="Kai").options == []


# ---------------------------------------------------------------------------------------------
# Through HTTP
# ---------------------------------------------------------------------------------------------


def test_the_pages_json_search(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.partner)
    body = client.get(PICK, {"q": "testperson"}).json()
    assert body["results"] == [
        {"id": str(scene.person.pk), "label": body["results"][0]["label"], "openable": False}
    ]
    assert str(scene.person.date_of_birth.year) in body["results"][0]["label"]
    assert client.get(PICK, {"q": ""}).json()["results"] == []
    assert client.get(PICK, {"q": "kai", "pool": "nonsense"}).status_code == 400
    panel = UserFactory(agency=scene.third, roles=[Role.STRATEGIC_PANEL_MEMBER])
    assert client_for(panel).get(PICK, {"q": "kai"}).status_code == 403


def test_the_api_search(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.lead)
    watch = AuditWatch()
    body = client.get(API_PICK, {"q": "testperson", "pool": "involved"}).json()
    assert [r["id"] for r in body["results"]] == [str(scene.person.pk)]
    assert body["results"][0]["openable"] is True and body["more"] is False
    assert [e.verb for e in watch.new()] == [Verb.PERSON_SEARCHED]
    bad = client.get(API_PICK, {"q": "kai", "dob": "not a date"})
    assert bad.status_code == 400 and {e["field"] for e in errors(bad)} == {"dob"}
    assert client.get(API_PICK, {"q": "kai", "pool": "nonsense"}).status_code == 400
