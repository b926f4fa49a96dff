"""The one search, through its service: the ranking on the shared test data (the same on
SQLite and PostgreSQL: the PostgreSQL pass runs this file too), what each user may be shown,
the audit, and the index following the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.restricted import digest
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors
from riskpath.people import services as people_services
from riskpath.search.models import SearchEntry
from riskpath.search.services import FIRST_OF_EACH, PAGE_SIZE, search
from tests.factories import UserFactory, YoungPersonFactory
from tests.search.scenario import SearchWorld, titles

pytestmark = pytest.mark.django_db

YP, POI, LOC, GROUP = "young_person", "person_of_interest", "location", "group"

# What a consultant social worker (who may open every young person in the area, and every
# person of interest, place and group) is shown, in order. Both databases must give exactly
# this.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "william ashworth": [(YP, "William ASHWORTH")],
    "billy ashworth": [(YP, "William ASHWORTH")],  # a nickname
    "bill ash": [(YP, "William ASHWORTH"), (YP, "Liam ASHFORD")],  # Liam: a William too
    "wiliam ashwroth": [(YP, "William ASHWORTH")],  # two typos
    "ashworth 02/04/2011": [(YP, "William ASHWORTH")],
    "ashworth 04/02/2011": [(YP, "William ASHWORTH")],  # day and month swapped
    "02/04/2011": [(YP, "William ASHWORTH")],  # a date of birth alone
    "pennington": [(YP, "Jessica PENNINGTON"), (YP, "Jess PENINGTON")],
    "jessica penington 03/08/2012": [(YP, "Jessica PENNINGTON"), (YP, "Jess PENINGTON")],
    "katherine oduya": [(YP, "Katherine ODUYA"), (YP, "Catherine ODUYAH")],
    "catherine oduya": [(YP, "Catherine ODUYAH"), (YP, "Katherine ODUYA")],
    "mohamed farook": [(YP, "Mohammed FAROUK")],  # sounds alike
    "mo farouk": [(YP, "Mohammed FAROUK")],  # an alias
    "quenel": [(YP, "Tobias QUENNELL")],
    "BS16 1AB": [
        (YP, "Harriet BLACKWOOD"),
        (YP, "William ASHWORTH"),
        (YP, "Mohammed FAROUK"),
        (LOC, "Station Road chicken shop"),
    ],
    "deeko": [(POI, "Declan MARSH")],  # a person of interest's alias
    "kez": [(POI, "Kieran HOLT")],
    "kieran holt": [(POI, "Kieran HOLT")],
    "brunswick square": [(LOC, "Brunswick Square car park")],
    "station road": [(LOC, "Station Road chicken shop"), (GROUP, "Station Road boys")],
    "kingswood": [(LOC, "Brunswick Square car park"), (GROUP, "Kingswood crew")],
    "zzzz qqqq": [],
}


def test_the_ranking_on_the_test_data(world: SearchWorld) -> None:
    wrong = {}
    for text, expected in EXPECTED.items():
        got = titles(search(world.consultant, text))
        if got != expected:
            wrong[text] = got
    assert not wrong


def test_an_empty_search_shows_nothing_and_is_not_recorded(world: SearchWorld) -> None:
    before = AuditEvent.objects.count()
    for text in ["", "   ", "a", "?!"]:
        results = search(world.consultant, text)
        assert not results.searched and results.groups == []
        assert "at least 2 letters" in results.message
    assert AuditEvent.objects.count() == before


def test_bad_input_names_the_field(world: SearchWorld) -> None:
    with pytest.raises(FieldErrors) as too_long:
        search(world.consultant, "a" * 201)
    assert set(too_long.value.errors) == {"q"}
    with pytest.raises(FieldErrors) as bad_kind:
        search(world.consultant, "ashworth", kind="meeting")
    assert set(bad_kind.value.errors) == {"kind"}


def test_every_search_is_audited_with_a_digest_never_the_text(world: SearchWorld) -> None:
    search(world.teacher, "William Ashworth 02/04/2011")
    (event,) = AuditEvent.objects.filter(verb=Verb.SEARCHED)
    assert event.actor_id == world.teacher.pk
    assert event.changes["query"] == digest("William Ashworth 02/04/2011")
    assert event.changes["date_of_birth"] is True and event.changes["postcode"] is False
    assert event.changes["found"] == {YP: 0, POI: 0, LOC: 0, GROUP: 0}
    assert event.changes["withheld"] == 1
    assert "ashworth" not in str(event.changes).lower()


# ---------------------------------------------------------------------------------------------
# Who is shown what
# ---------------------------------------------------------------------------------------------


def _group(results: Any, kind: str) -> Any:
    return next(g for g in results.groups if g.kind == kind)


def test_a_record_the_user_may_not_open_is_only_said_to_exist(world: SearchWorld) -> None:
    results = search(world.teacher, "william ashworth")
    young = _group(results, YP)
    (hit,) = young.hits
    assert not hit.openable and hit.title == "" and hit.details == () and hit.url == ""
    assert hit.emergency_access_url == ""  # a partner representative may not break glass
    assert young.total == 0 and young.withheld == 1


def test_a_role_that_may_break_glass_is_offered_emergency_access(world: SearchWorld) -> None:
    jess = world.person("Jess Penington")  # recorded by the police
    results = search(world.social_worker, "pennington")
    young = _group(results, YP)
    assert [(h.title, h.openable) for h in young.hits] == [
        ("Jessica PENNINGTON", True),
        ("", False),
    ]
    assert young.hits[1].emergency_access_url == f"/young-people/{jess.pk}/emergency-access/"
    assert young.total == 1 and young.withheld == 1


def test_roles_that_record_nothing_see_only_what_they_may_open(world: SearchWorld) -> None:
    results = search(world.panel, "william ashworth")
    assert [g.kind for g in results.groups] == [YP]  # no persons of interest, places, groups
    assert _group(results, YP).hits == [] and _group(results, YP).withheld == 0


def test_another_areas_records_are_never_found(world: SearchWorld) -> None:
    """The stranger's own area has a William Ashworth too: theirs is found, never ours."""
    results = search(world.stranger, "william ashworth")
    found = {hit.record_id for group in results.groups for hit in group.hits}
    assert len(found) == 1 and world.person("William Ashworth").pk not in found
    assert titles(search(world.stranger, "pennington")) == []


def test_kinds_the_role_may_not_list_are_not_searched(world: SearchWorld) -> None:
    assert search(world.panel, "deeko").groups[0].kind == YP
    assert titles(search(world.officer, "deeko")) == [(POI, "Declan MARSH")]


def test_one_kind_is_paged(world: SearchWorld) -> None:
    for n in range(PAGE_SIZE + 3):
        YoungPersonFactory(
            recording_agency=world.care, given_names=f"Sam{chr(97 + n % 26)}", family_name="Hollis"
        )
    first = search(world.consultant, "hollis", kind=YP)
    (group,) = first.groups
    assert len(group.hits) == PAGE_SIZE and group.total == PAGE_SIZE + 3
    assert group.page is not None and group.page.paginator.num_pages == 2
    second = search(world.consultant, "hollis", kind=YP, page=2)
    assert len(second.groups[0].hits) == 3
    assert len(_group(search(world.consultant, "hollis"), YP).hits) == FIRST_OF_EACH


# ---------------------------------------------------------------------------------------------
# The index follows the records
# ---------------------------------------------------------------------------------------------


def test_a_changed_name_is_found_by_its_new_name_only(world: SearchWorld) -> None:
    person = world.person("Tobias Quennell")
    people_services.young_person_update(
        actor=world.officer, person=person, expected_version=person.version, family_name="Ravenhill"
    )
    assert titles(search(world.consultant, "ravenhill")) == [(YP, "Tobias RAVENHILL")]
    assert titles(search(world.consultant, "quennell")) == []


def test_a_deleted_record_is_not_found(world: SearchWorld) -> None:
    manager = UserFactory(agency=world.care, roles=[Role.TEAM_MANAGER])
    person = world.person("Harriet Blackwood")
    people_services.young_person_delete(
        actor=manager, person=person, expected_version=person.version, reason="Recorded in error"
    )
    assert titles(search(world.consultant, "blackwood")) == []
    assert not SearchEntry.objects.filter(record_id=person.pk).exists()


def test_the_rebuild_command_gives_the_same_answers(world: SearchWorld) -> None:
    before = {text: titles(search(world.consultant, text)) for text in EXPECTED}
    SearchEntry.objects.all().delete()
    assert titles(search(world.consultant, "william ashworth")) == []
    call_command("search-index", "rebuild")
    after = {text: titles(search(world.consultant, text)) for text in EXPECTED}
    assert after == before


def test_a_person_of_interest_who_is_a_young_person_is_found_by_their_name(
    world: SearchWorld,
) -> None:
    from riskpath.people.models import PersonOfInterest

    person = world.person("Katherine Oduya")
    PersonOfInterest.objects.create(
        area=world.area,
        young_person=person,
        recording_agency=world.police,
        recorded_by=world.officer,
        date_of_birth=dt.date(2009, 11, 12),
    )
    found = titles(search(world.officer, "katherine oduya", kind=POI))
    assert found == [(POI, "Katherine ODUYA")]
