"""Intelligence pages through HTTP: submitting, the list, reading in full or as a restricted
summary, disclosure requests and decisions, changes and deletion, and the audit trail."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.intelligence.enums import DisclosureStatus
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from tests.factories import UserFactory, YoungPersonFactory
from tests.intelligence.factories import IntelligenceItemFactory, PersonOfInterestFactory
from tests.intelligence.scenario import (
    CONDITIONS,
    REASON,
    SANITISED,
    SECRET,
    Scene,
    c_coded,
    submit,
)
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

LIST = "/intelligence/"
NEW = "/intelligence/new/"


def html(response: Any) -> str:
    return response.content.decode()


def detail(item: IntelligenceItem) -> str:
    return reverse("intelligence:detail", args=[item.pk])


def error_summary(response: Any) -> str:
    page = html(response)
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


def form_data(scene: Scene, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reported_on": clock.today().strftime("%d %m %Y"),
        "text": SECRET,
        "harm_types": ["cce", "county_lines"],
        "young_people": [str(scene.person.pk)],
        "source_evaluation": "1",
        "assessment": "A",
        "provenance": "first_hand",
        "handling_code": "P",
    }
    data.update(overrides)
    return data


def test_the_routes_are_where_the_pages_link() -> None:
    assert reverse("intelligence:list") == LIST
    assert reverse("intelligence:submit") == NEW


# ---------------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------------


def test_the_form_defaults_the_date_to_today_and_explains_each_grade(
    client_for: Any, scene: Scene
) -> None:
    response = client_for(scene.officer).get(NEW, {"young_person": scene.person.pk})
    assert response.status_code == 200
    page = html(response)
    today = clock.today()
    assert re.search(rf'name="reported_on" value="{today:%d/%m/%Y}"', page) or (
        f'value="{today.isoformat()}"' in page
    )
    assert "The source saw or heard it themselves." in page  # grade A's hint
    assert 'aria-describedby="id_assessment_0-item-hint"' in page
    assert "Select all that apply." in page
    # The young person the form was opened for is chosen, shown only as far as the officer
    # may see them (not involved: name, year of birth and locality).
    assert re.search(
        rf'name="young_people" type="checkbox" value="{scene.person.pk}" checked', page
    )
    born = scene.person.date_of_birth
    assert f"Kai TESTPERSON, born {born:%Y}" in page
    assert f"{born:%-d %B %Y}" not in page


def test_a_partner_submits_intelligence(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.officer)
    watch = AuditWatch()
    response = client.post(NEW, form_data(scene))
    item = IntelligenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(item)
    assert (item.grading, item.harm_types) == ("1AP", ["cce", "county_lines"])
    assert list(item.young_people.all()) == [scene.person]
    assert watch.verbs() == [Verb.INTELLIGENCE_SUBMITTED]


@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"handling_code": "C", "handling_conditions": ""},
            "Enter the handling conditions for a C-coded item",
        ),
        (
            {"young_people": []},
            "Select at least one person, place or group the intelligence is about",
        ),
        (
            {"reported_on": (clock.today() + dt.timedelta(days=2)).strftime("%d %m %Y")},
            "The date of the intelligence must be today or in the past",
        ),
        (
            {
                "period_start": "10 3 2024",
                "period_end": "1 3 2024",
            },
            "The end of the period must be the same as or after its start",
        ),
        ({"harm_types": []}, "Select at least one type of harm"),
        ({"assessment": ""}, "Select intelligence assessment"),
        ({"text": ""}, "Enter the intelligence"),
    ],
)
def test_bad_input_is_refused_naming_the_problem(
    client_for: Any, scene: Scene, overrides: dict[str, Any], message: str
) -> None:
    client = client_for(scene.officer)
    watch = AuditWatch()
    response = client.post(NEW, form_data(scene, **overrides))
    assert response.status_code == 400
    assert message in error_summary(response)
    assert not IntelligenceItem.objects.exists()
    assert watch.new() == []


def test_the_form_lists_nobody_until_searched_and_never_another_areas_young_people(
    client_for: Any, scene: Scene
) -> None:
    far = scene.stranger.agency
    from tests.factories import YoungPersonFactory

    elsewhere = YoungPersonFactory(recording_agency=far, family_name="Testperson")
    page = html(client_for(scene.officer).get(NEW))
    assert str(scene.person.pk) not in page and str(elsewhere.pk) not in page
    found = html(
        client_for(scene.officer).post(
            NEW,
            {
                **form_data(scene, young_people=[]),
                "young_people__search": "Testperson",
                "find__young_people": "1",
            },
        )
    )
    assert str(scene.person.pk) in found and str(elsewhere.pk) not in found
    response = client_for(scene.officer).post(
        NEW, form_data(scene, young_people=[str(elsewhere.pk)])
    )
    assert response.status_code == 400
    assert "Choose young people from the search results" in html(response)
    assert not IntelligenceItem.objects.exists()


def test_roles_without_the_rule_are_refused_the_form(client_for: Any, scene: Scene) -> None:
    panel = UserFactory(agency=scene.school, roles=[Role.STRATEGIC_PANEL_MEMBER])
    assert client_for(panel).get(NEW).status_code == 403
    assert client_for(panel).post(NEW, form_data(scene)).status_code == 403
    assert client_for(scene.admin).get(LIST).status_code == 403
    assert not IntelligenceItem.objects.exists()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def test_a_c_coded_item_in_full_to_the_submitting_agency_and_a_handling_role(
    client_for: Any, scene: Scene
) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.police, given_names="Dex")
    item = c_coded(scene, persons_of_interest=[poi])
    for user, basis in [
        (scene.sergeant, "submitting agency"),
        (scene.consultant, "involved with a young person it is about (consultant social worker"),
    ]:
        client = client_for(user)
        watch = AuditWatch()
        response = client.get(detail(item))
        assert response.status_code == 200
        page = html(response)
        assert SECRET in page and SANITISED in page and str(poi) in page
        assert CONDITIONS in page
        (event,) = watch.new()
        assert event.verb == Verb.INTELLIGENCE_VIEWED
        assert event.basis.startswith(basis)
        assert event.changes == {"read": "in full"}
        assert event.subject_id == str(scene.person.pk)


def test_a_c_coded_item_is_a_restricted_summary_to_another_agency_involved(
    client_for: Any, scene: Scene
) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.police, given_names="Dex")
    item = c_coded(scene, persons_of_interest=[poi])
    client = client_for(scene.social_worker)
    watch = AuditWatch()
    response = client.get(detail(item))
    assert response.status_code == 200
    page = html(response)
    assert SECRET not in page and SANITISED not in page and CONDITIONS not in page
    assert str(poi) not in page
    assert "Constabulary" in page and "2BC" in page and "Child sexual exploitation" in page
    assert "Ask to read it in full" in page
    (event,) = watch.new()
    assert (event.verb, event.changes) == (Verb.INTELLIGENCE_VIEWED, {"read": "restricted summary"})


def test_an_item_is_not_found_for_users_with_no_access_basis(client_for: Any, scene: Scene) -> None:
    item = c_coded(scene)
    for user in (scene.teacher, scene.stranger):
        client = client_for(user)
        watch = AuditWatch()
        assert client.get(detail(item)).status_code == 404
        assert Verb.INTELLIGENCE_VIEWED not in watch.verbs()
    response = client_for(scene.teacher).get(
        reverse("intelligence:request_disclosure", args=[item.pk])
    )
    assert response.status_code == 404


def test_the_list_shows_restricted_items_as_summaries(client_for: Any, scene: Scene) -> None:
    c_coded(scene)
    submit(scene.officer, young_people=[scene.person], harm_types=["trafficking"])
    response = client_for(scene.social_worker).get(LIST)
    assert response.status_code == 200
    page = html(response)
    assert "2 intelligence items" in page
    assert SECRET not in page
    assert page.count(">Restricted</strong>") == 1
    assert page.count(">Full</strong>") == 1
    assert "There is no intelligence for you to see yet." in html(
        client_for(scene.teacher).get(LIST)
    )


def test_the_list_filters(client_for: Any, scene: Scene) -> None:
    c_coded(scene, harm_types=["cse"])
    submit(scene.officer, young_people=[scene.person], harm_types=["trafficking"])
    client = client_for(scene.officer)
    assert "1 intelligence item<" in html(client.get(LIST, {"harm_type": "trafficking"}))
    assert "2 intelligence items" in html(client.get(LIST, {"agency": str(scene.police.pk)}))
    assert "No intelligence matches" in html(client.get(LIST, {"agency": str(scene.school.pk)}))
    assert client.get(LIST, {"reported_from": "not a date"}).status_code == 400


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    client_for: Any, scene: Scene, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        IntelligenceItemFactory(
            source_agency=scene.police,
            submitted_by=scene.officer,
            young_people=[scene.person],
            handling_code="C" if i % 2 else "P",
            handling_conditions="Police only" if i % 2 else "",
            reported_on=clock.today() - dt.timedelta(days=i),
        )
    client = client_for(scene.social_worker)
    with django_assert_max_num_queries(20):
        response = client.get(LIST)
    page = html(response)
    assert "Intelligence items 1 to 25 of more than 25" in page
    assert page.count('<tr class="govuk-table__row">') == 25 + 1
    second = html(client.get(LIST, {"page": 2}))
    assert "Intelligence items 26 to 30 of 30" in second
    assert "Page 2 of 2" in second
    assert second.count('<tr class="govuk-table__row">') == 5 + 1


def listed_ids(page: str) -> list[str]:
    return re.findall(r'href="/intelligence/([0-9a-f-]{36})/"', page)


def test_the_list_pages_without_counting_and_never_shows_hidden_items(
    client_for: Any, scene: Scene
) -> None:
    """The list reads one row more than a page to know there is a next one, and counts
    nothing: a count would test the access rule on every item the user may see. Items the user
    may not know of are never on any page and never in the total the last page gives."""
    visible = [
        IntelligenceItemFactory(
            source_agency=scene.police,
            submitted_by=scene.officer,
            young_people=[scene.person],
            harm_types=["trafficking"] if i < 3 else ["cce"],
            reported_on=clock.today() - dt.timedelta(days=i),
        )
        for i in range(30)
    ]
    stranger = YoungPersonFactory(recording_agency=scene.school)  # nobody in social care's
    hidden = [
        IntelligenceItemFactory(
            source_agency=scene.police,
            submitted_by=scene.officer,
            young_people=[stranger],
            text="Hidden from social care",
            # Interleaved with the visible items, newest first.
            reported_on=clock.today() - dt.timedelta(days=i),
        )
        for i in range(40)
    ]
    client = client_for(scene.social_worker)
    with CaptureQueriesContext(connection) as first_queries:
        first = html(client.get(LIST))
    assert not [q["sql"] for q in first_queries if "COUNT(" in q["sql"].upper()]
    assert "Intelligence items 1 to 25 of more than 25" in first
    assert ">Page 1</span>" in first  # not "Page 1 of ...": the number of pages is not known
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="prev"' not in first

    with CaptureQueriesContext(connection) as last_queries:
        last = html(client.get(LIST, {"page": 2}))
    assert not [q["sql"] for q in last_queries if "COUNT(" in q["sql"].upper()]
    assert "Intelligence items 26 to 30 of 30" in last  # the hidden 40 are not counted
    assert "Page 2 of 2" in last
    assert 'href="?page=1" rel="prev"' in last
    assert 'rel="next"' not in last

    shown = listed_ids(first) + listed_ids(last)
    assert shown == [str(item.pk) for item in visible]  # newest first, none twice, none missed
    assert not {str(item.pk) for item in hidden} & set(shown)
    assert "Hidden from social care" not in first + last

    # A page past the end shows the first page; the officer's agency submitted all 70 items.
    assert listed_ids(html(client.get(LIST, {"page": 9}))) == listed_ids(first)
    officer = client_for(scene.officer)
    third = html(officer.get(LIST, {"page": 3}))
    assert "Intelligence items 51 to 70 of 70" in third
    assert "Page 3 of 3" in third
    # A list that fits on one page says how many it holds, with no pages to go to.
    filtered = html(client.get(LIST, {"harm_type": "trafficking"}))
    assert "3 intelligence items" in filtered
    assert "govuk-pagination" not in filtered


def test_the_young_persons_page_lists_the_intelligence_about_them(
    client_for: Any, scene: Scene
) -> None:
    c_coded(scene)
    page = html(
        client_for(scene.social_worker).get(reverse("people:detail", args=[scene.person.pk]))
    )
    assert "Intelligence about Kai Testperson" in page
    assert ">Restricted</strong>" in page
    assert SECRET not in page


def test_the_navigation_offers_intelligence(client_for: Any, scene: Scene) -> None:
    assert 'href="/intelligence/"' in html(client_for(scene.teacher).get("/"))
    assert 'href="/intelligence/"' not in html(client_for(scene.admin).get("/"))


# ---------------------------------------------------------------------------------------------
# Disclosure
# ---------------------------------------------------------------------------------------------


def test_request_then_grant_reveals_the_item(client_for: Any, scene: Scene) -> None:
    item = c_coded(scene)
    worker = client_for(scene.social_worker)
    url = reverse("intelligence:request_disclosure", args=[item.pk])
    assert worker.get(url).status_code == 200
    refused = worker.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Enter why you need to see this intelligence in full" in error_summary(refused)
    assert not DisclosureRequest.objects.exists()

    watch = AuditWatch()
    assert worker.post(url, {"reason": REASON}).status_code == 302
    request = DisclosureRequest.objects.get()
    assert "Requested" in html(worker.get(detail(item)))

    sergeant = client_for(scene.sergeant)
    listing = html(sergeant.get(reverse("intelligence:disclosure_list")))
    assert REASON in listing and "Sol Worker" in listing
    decide = reverse("intelligence:disclosure_decide", args=[request.pk])
    qa = UserFactory(agency=scene.police, roles=[Role.QA_MEMBER])
    assert client_for(qa).get(decide).status_code == 403
    for outsider in (scene.consultant, scene.social_worker):
        assert client_for(outsider).get(decide).status_code == 404
    assert sergeant.post(decide, {"decision": "grant"}).status_code == 302
    request.refresh_from_db()
    assert request.status == DisclosureStatus.GRANTED

    assert SECRET in html(worker.get(detail(item)))
    noise = {Verb.INTELLIGENCE_VIEWED, Verb.SIGNED_IN, Verb.ACCESS_DENIED}
    assert [v for v in watch.verbs() if v not in noise] == [
        Verb.DISCLOSURE_REQUESTED,
        Verb.DISCLOSURE_GRANTED,
    ]


def test_request_then_refuse_keeps_the_item_hidden(client_for: Any, scene: Scene) -> None:
    item = c_coded(scene)
    worker = client_for(scene.social_worker)
    worker.post(reverse("intelligence:request_disclosure", args=[item.pk]), {"reason": REASON})
    request = DisclosureRequest.objects.get()
    decide = reverse("intelligence:disclosure_decide", args=[request.pk])
    sergeant = client_for(scene.sergeant)
    no_note = sergeant.post(decide, {"decision": "refuse", "note": ""})
    assert no_note.status_code == 400
    assert "Enter why the request is refused" in error_summary(no_note)
    watch = AuditWatch()
    assert (
        sergeant.post(decide, {"decision": "refuse", "note": "Live operation"}).status_code == 302
    )
    assert watch.verbs() == [Verb.DISCLOSURE_REFUSED]
    page = html(worker.get(detail(item)))
    assert SECRET not in page
    assert "Refused" in page and "Live operation" in page


# ---------------------------------------------------------------------------------------------
# Changing and deleting
# ---------------------------------------------------------------------------------------------


def test_changing_an_item_and_a_stale_save(client_for: Any, scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    url = reverse("intelligence:edit", args=[item.pk])
    client = client_for(scene.sergeant)
    assert 'name="version" value="1"' in html(client.get(url))
    data = form_data(scene, text="Updated account", version=1)
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.version) == ("Updated account", 2)
    stale = client.post(url, form_data(scene, text="Old copy", version=1))
    assert stale.status_code == 409
    assert "Someone else changed this intelligence item" in error_summary(stale)
    item.refresh_from_db()
    assert item.text == "Updated account"
    assert client_for(scene.social_worker).get(url).status_code == 403


def test_deleting_and_restoring_an_item(client_for: Any, scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    client = client_for(scene.officer)
    url = reverse("intelligence:delete", args=[item.pk])
    assert client.post(url, {"reason": "", "version": 1}).status_code == 400
    assert client.post(url, {"reason": "Entered twice by mistake", "version": 1}).status_code == 302
    assert client_for(scene.social_worker).get(detail(item)).status_code == 404
    assert "Deleted items your agency can restore" in html(client.get(LIST))
    restore = reverse("intelligence:restore", args=[item.pk])
    assert client.post(restore, {"version": 2}).status_code == 302
    assert client_for(scene.social_worker).get(detail(item)).status_code == 200
