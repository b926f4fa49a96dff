"""Likely existing records shown before a new one is made, and the merge pages, through HTTP."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.people.models import MergeRecord, PersonOfInterest, YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.people.factories import MissingEpisodeFactory, PersonOfInterestFactory
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

REASON = "Same school and date of birth; the police record misspells the surname."
HELD = "Is this young person already recorded?"


def html(response: Any) -> str:
    return response.content.decode()


def confirm_value(response: Any) -> str:
    match = re.search(r'name="confirm_new" value="([0-9a-f]+)"', html(response))
    assert match, "no confirmation field on the page"
    return match.group(1)


def new_person(**overrides: Any) -> dict[str, Any]:
    data = {"given_names": "Jordon", "family_name": "Michell", "date_of_birth": "2010-02-10"}
    data.update(overrides)
    return data


@pytest.fixture
def recorder(agency: Any) -> Any:
    return UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])


@pytest.fixture
def existing(agency: Any) -> YoungPerson:
    return YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )


# ---------------------------------------------------------------------------------------------
# The check on create
# ---------------------------------------------------------------------------------------------


def test_likely_matches_are_shown_before_a_young_person_is_recorded(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    client.get(reverse("people:create"))
    watch = AuditWatch()
    response = client.post(reverse("people:create"), new_person())
    assert response.status_code == 200
    page = html(response)
    assert HELD in page
    assert reverse("people:detail", args=[existing.pk]) in page
    assert "Match weight" in page
    assert "Given name one or two letters apart (jordon, jordan): +" in page
    assert "Date of birth has day and month swapped: +" in page
    assert "None of these — record a new young person" in page
    assert YoungPerson.objects.count() == 1
    events = watch.new()
    assert [e.verb for e in events] == [Verb.DUPLICATES_CHECKED]
    # The count only: no names or other content in the audit event.
    assert events[0].changes == {"matches": 1, "shown": 1}
    assert events[0].subject_id == ""


def test_confirming_records_a_new_young_person(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    held = client.post(reverse("people:create"), new_person())
    watch = AuditWatch()
    response = client.post(reverse("people:create"), new_person(confirm_new=confirm_value(held)))
    assert response.status_code == 302
    created = YoungPerson.objects.get(family_name="Michell")
    assert response["Location"] == reverse("people:detail", args=[created.pk])
    assert watch.verbs() == [Verb.PERSON_CREATED]


def test_changing_the_details_after_the_check_checks_again(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    held = client.post(reverse("people:create"), new_person())
    response = client.post(
        reverse("people:create"),
        new_person(given_names="Jordan", family_name="Mitchel", confirm_new=confirm_value(held)),
    )
    assert response.status_code == 200
    assert HELD in html(response)
    assert YoungPerson.objects.count() == 1


def test_no_likely_match_goes_straight_through(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    client.get(reverse("people:create"))
    watch = AuditWatch()
    response = client.post(
        reverse("people:create"),
        new_person(given_names="Priya", family_name="Obi", date_of_birth="2011-06-30"),
    )
    assert response.status_code == 302
    assert YoungPerson.objects.filter(family_name="Obi").exists()
    # A check that finds nothing shows nothing: only the new record is audited.
    assert watch.verbs() == [Verb.PERSON_CREATED]


def test_a_match_the_user_may_not_open_shows_only_what_a_picker_shows(
    client_for: Any, recorder: Any, area: Any
) -> None:
    elsewhere = YoungPersonFactory(
        recording_agency=AgencyFactory(area=area),
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )
    # The page names the signed-in user; a generated name could hold "Mitchell" itself.
    type(recorder).objects.filter(pk=recorder.pk).update(full_name="Sam Recorder")
    response = client_for(recorder).post(reverse("people:create"), new_person())
    assert response.status_code == 200
    page = html(response)
    assert "A possible match exists that you are not involved with" in page
    assert "Ask your manager" in page
    assert str(elsewhere.pk) not in page
    # Only the name, year of birth and locality, and the parts of the weight about the names
    assert "Jordan MITCHELL, born 2010" in page
    assert "2 October 2010" not in page
    assert "day and month swapped" not in page


def test_a_match_in_another_area_is_not_shown_or_counted(client_for: Any, recorder: Any) -> None:
    YoungPersonFactory(
        recording_agency=AgencyFactory(area=AreaFactory()),
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )
    response = client_for(recorder).post(reverse("people:create"), new_person())
    assert response.status_code == 302


def test_a_match_by_alias_is_found(client_for: Any, recorder: Any, agency: Any) -> None:
    YoungPersonFactory(
        recording_agency=agency, given_names="Kez", family_name="Marsh", aliases=["Tyler Brown"]
    )
    response = client_for(recorder).post(
        reverse("people:create"),
        new_person(given_names="Tyler", family_name="Brown", date_of_birth=""),
    )
    assert response.status_code == 200
    assert "Same given name (by a known alias): +" in html(response)


def test_bad_input_is_refused_before_any_check(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    client.get(reverse("people:create"))
    watch = AuditWatch()
    response = client.post(reverse("people:create"), new_person(family_name=""))
    assert response.status_code == 400
    assert watch.verbs() == []


def test_details_the_service_refuses_are_errors_not_checked(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    client.get(reverse("people:create"))
    watch = AuditWatch()
    response = client.post(reverse("people:create"), new_person(date_of_birth="1 1 2999"))
    assert response.status_code == 400
    assert HELD not in html(response)
    assert "Date of birth must be in the past" in html(response)
    assert watch.verbs() == []


def test_likely_matches_are_shown_before_a_person_of_interest_is_recorded(
    client_for: Any, recorder: Any, agency: Any
) -> None:
    known = PersonOfInterestFactory(
        recording_agency=agency, given_names="Dwayne", family_name="Hollis", aliases=["Dee"]
    )
    client = client_for(recorder)
    data = {"given_names": "Dwain", "family_name": "Hollis"}
    held = client.post(reverse("people:poi_create"), data)
    assert held.status_code == 200
    page = html(held)
    assert "Is this person of interest already recorded?" in page
    assert reverse("people:poi_detail", args=[known.pk]) in page
    response = client.post(
        reverse("people:poi_create"), {**data, "confirm_new": confirm_value(held)}
    )
    assert response.status_code == 302
    assert PersonOfInterest.objects.filter(given_names="Dwain").exists()


# ---------------------------------------------------------------------------------------------
# Merging
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def manager(agency: Any) -> Any:
    return UserFactory(agency=agency, roles=[Role.TEAM_MANAGER])


@pytest.fixture
def duplicate(agency: Any) -> YoungPerson:
    person = YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordon",
        family_name="Michell",
        date_of_birth=dt.date(2010, 2, 10),
    )
    MissingEpisodeFactory(young_person=person)
    return person


def test_the_record_page_offers_the_merge_to_managers_only(
    client_for: Any, manager: Any, recorder: Any, existing: YoungPerson
) -> None:
    url = reverse("people:detail", args=[existing.pk])
    merge_url = reverse("people:merge_choose", args=[existing.pk])
    assert merge_url in html(client_for(manager).get(url))
    assert merge_url not in html(client_for(recorder).get(url))


def test_the_likely_duplicates_are_offered_first(
    client_for: Any,
    manager: Any,
    existing: YoungPerson,
    duplicate: YoungPerson,
    django_assert_max_num_queries: Any,
) -> None:
    YoungPersonFactory.create_batch(5, recording_agency=existing.recording_agency)
    client = client_for(manager)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("people:merge_choose", args=[existing.pk]))
    assert response.status_code == 200
    page = html(response)
    assert f'value="{duplicate.pk}"' in page
    assert "date of birth has day and month swapped: +" in page
    searched = client.get(reverse("people:merge_choose", args=[existing.pk]), {"q": "Michell"})
    assert f'value="{duplicate.pk}"' in html(searched)


def test_choosing_leads_to_the_comparison(
    client_for: Any, manager: Any, existing: YoungPerson, duplicate: YoungPerson
) -> None:
    client = client_for(manager)
    url = reverse("people:merge_choose", args=[existing.pk])
    bad = client.post(url, {"other": ""})
    assert bad.status_code == 400
    assert "Select the record to merge with" in html(bad)
    response = client.post(url, {"other": str(duplicate.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:merge_compare", args=[existing.pk, duplicate.pk])


def test_merge_and_undo_through_the_pages(
    client_for: Any, manager: Any, existing: YoungPerson, duplicate: YoungPerson
) -> None:
    client = client_for(manager)
    url = reverse("people:merge_compare", args=[existing.pk, duplicate.pk])
    watch = AuditWatch()
    page = client.get(url)
    assert page.status_code == 200
    assert "Are these the same young person?" in html(page)
    assert watch.verbs() == [Verb.PERSON_VIEWED, Verb.PERSON_VIEWED]

    bad = client.post(url, {"keep": str(existing.pk), "reason": ""})
    assert bad.status_code == 400
    assert "Enter why these two records are the same young person" in html(bad)
    assert not MergeRecord.objects.exists()

    watch = AuditWatch()
    response = client.post(url, {"keep": str(existing.pk), "reason": REASON})
    merge = MergeRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:merge_detail", args=[merge.pk])
    assert watch.verbs() == [Verb.RECORDS_MERGED]
    assert duplicate.missing_episodes.count() == 0
    assert existing.missing_episodes.count() == 1

    detail = html(client.get(response["Location"]))
    assert "was merged into Jordan Mitchell" in detail
    assert "Missing episodes: 1" in detail
    # The merged record's own address leads to the merge; the list offers it too.
    assert client.get(reverse("people:detail", args=[duplicate.pk])).status_code == 404
    merged = client.get(reverse("people:merged", args=[duplicate.pk]))
    assert merged["Location"] == reverse("people:merge_detail", args=[merge.pk])
    assert reverse("people:merged", args=[duplicate.pk]) in html(client.get(reverse("people:list")))

    watch = AuditWatch()
    undone = client.post(reverse("people:merge_undo", args=[merge.pk]))
    assert undone.status_code == 302
    assert undone["Location"] == reverse("people:detail", args=[duplicate.pk])
    assert watch.verbs() == [Verb.MERGE_UNDONE]
    assert duplicate.missing_episodes.count() == 1
    assert "This merge has been undone" in html(
        client.get(reverse("people:merge_detail", args=[merge.pk]))
    )


def test_keeping_the_other_record_merges_the_first_away(
    client_for: Any, manager: Any, existing: YoungPerson, duplicate: YoungPerson
) -> None:
    url = reverse("people:merge_compare", args=[existing.pk, duplicate.pk])
    client_for(manager).post(url, {"keep": str(duplicate.pk), "reason": REASON})
    merge = MergeRecord.objects.get()
    assert (merge.keep, merge.merge_away) == (duplicate, existing)


def test_a_refused_merge_is_a_conflict_and_changes_nothing(
    client_for: Any, manager: Any, existing: YoungPerson, duplicate: YoungPerson
) -> None:
    PersonOfInterestFactory(recording_agency=existing.recording_agency, young_person=existing)
    PersonOfInterestFactory(recording_agency=existing.recording_agency, young_person=duplicate)
    url = reverse("people:merge_compare", args=[existing.pk, duplicate.pk])
    response = client_for(manager).post(url, {"keep": str(existing.pk), "reason": REASON})
    assert response.status_code == 409
    assert "Both records are also recorded as persons of interest" in html(response)
    assert not MergeRecord.objects.exists()


def test_merge_pages_refuse_non_managers(
    client_for: Any, recorder: Any, manager: Any, existing: YoungPerson, duplicate: YoungPerson
) -> None:
    client = client_for(manager)
    client.post(
        reverse("people:merge_compare", args=[existing.pk, duplicate.pk]),
        {"keep": str(existing.pk), "reason": REASON},
    )
    merge = MergeRecord.objects.get()
    other = client_for(recorder)
    for method, url in [
        ("get", reverse("people:merge_choose", args=[existing.pk])),
        ("get", reverse("people:merge_compare", args=[existing.pk, duplicate.pk])),
        ("get", reverse("people:merge_detail", args=[merge.pk])),
        ("get", reverse("people:merged", args=[duplicate.pk])),
        ("post", reverse("people:merge_undo", args=[merge.pk])),
    ]:
        assert getattr(other, method)(url).status_code == 403, url
    assert not MergeRecord.objects.get().is_undone


def test_merge_pages_of_another_area_are_not_found(
    client_for: Any, manager: Any, existing: YoungPerson, duplicate: YoungPerson
) -> None:
    client_for(manager).post(
        reverse("people:merge_compare", args=[existing.pk, duplicate.pk]),
        {"keep": str(existing.pk), "reason": REASON},
    )
    merge = MergeRecord.objects.get()
    stranger = UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.SERVICE_MANAGER])
    client = client_for(stranger)
    assert client.get(reverse("people:merge_choose", args=[existing.pk])).status_code == 404
    assert client.get(reverse("people:merge_detail", args=[merge.pk])).status_code == 404
    assert client.post(reverse("people:merge_undo", args=[merge.pk])).status_code == 404
    assert not MergeRecord.objects.get().is_undone


def test_a_manager_not_involved_with_the_other_record_cannot_choose_it(
    client_for: Any, manager: Any, existing: YoungPerson, area: Any
) -> None:
    elsewhere = YoungPersonFactory(
        recording_agency=AgencyFactory(area=area),
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )
    client = client_for(manager)
    page = client.get(reverse("people:merge_choose", args=[existing.pk]))
    assert str(elsewhere.pk) not in html(page)
    assert (
        client.post(
            reverse("people:merge_choose", args=[existing.pk]), {"other": str(elsewhere.pk)}
        ).status_code
        == 400
    )
    assert (
        client.get(reverse("people:merge_compare", args=[existing.pk, elsewhere.pk])).status_code
        == 404
    )


# ---------------------------------------------------------------------------------------------
# The API's create
# ---------------------------------------------------------------------------------------------


def api_post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        reverse("api:young_person_list"), data=json.dumps(body), content_type="application/json"
    )


def test_the_api_answers_409_with_the_candidates_unless_confirmed(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    client = client_for(recorder)
    watch = AuditWatch()
    response = api_post(client, new_person())
    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["field"] == "confirm_new"
    assert body["candidates"][0]["id"] == str(existing.pk)
    candidate = body["candidates"][0]
    assert any(
        r.startswith("date of birth has day and month swapped: +") for r in candidate["reasons"]
    )
    swapped = next(e for e in candidate["explanation"] if e["field"] == "date_of_birth")
    assert swapped["level"] == "swapped" and swapped["weight"] > 0
    assert candidate["score"] == pytest.approx(
        sum(e["weight"] for e in candidate["explanation"]), abs=0.2
    )
    assert body["not_shown"] == 0
    assert YoungPerson.objects.count() == 1
    assert watch.verbs() == [Verb.DUPLICATES_CHECKED]

    confirmed = api_post(client, {**new_person(), "confirm_new": True})
    assert confirmed.status_code == 201
    assert YoungPerson.objects.filter(family_name="Michell").exists()


def test_the_api_creates_straight_away_when_nothing_matches(
    client_for: Any, recorder: Any, existing: YoungPerson
) -> None:
    response = api_post(
        client_for(recorder), new_person(given_names="Priya", family_name="Obi", date_of_birth=None)
    )
    assert response.status_code == 201
