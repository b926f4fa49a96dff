"""The area's duplicate report and the "not the same person" decision, through HTTP (pages and
API), with the need-to-know scoping of each side of a pair."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.people.models import NotSamePerson
from riskpath.people.services import ordered_pair
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.people.factories import PersonOfInterestFactory
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

REPORT = reverse("people:duplicate_report")
SURNAMES = (
    "Adams Baker Clarke Davies Evans Fisher Green Hughes Irving Jackson Khan Lewis Morgan "
    "Nolan Owusu Patel Quinn Reid Shaw Turner Usman Vaughan Walsh Xu Young Zhang Brooks "
    "Carter Dixon Ellis"
).split()
DECIDE = reverse("people:not_same_person")


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def manager(agency: Any) -> Any:
    # Named here: a generated name could hold "Mitchell" itself.
    return UserFactory(agency=agency, roles=[Role.TEAM_MANAGER], full_name="Sam Manager")


@pytest.fixture
def pair(agency: Any) -> tuple[Any, Any]:
    first = YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )
    second = YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordon",
        family_name="Michell",
        date_of_birth=dt.date(2010, 2, 10),
    )
    return first, second


def test_a_manager_sees_the_likely_pairs_explained_and_may_merge(
    client_for: Any, manager: Any, pair: tuple[Any, Any], agency: Any
) -> None:
    YoungPersonFactory.create_batch(5, recording_agency=agency)
    client = client_for(manager)
    watch = AuditWatch()
    response = client.get(REPORT)
    assert response.status_code == 200
    page = html(response)
    assert "1 likely pair." in page
    assert "Date of birth has day and month swapped: +" in page
    assert "Given name one or two letters apart (jord" in page
    assert all(reverse("people:detail", args=[p.pk]) in page for p in pair)
    assert "Compare and merge" in page
    events = watch.new()
    assert [e.verb for e in events] == [Verb.DUPLICATES_REPORTED]
    assert events[0].changes == {"kind": "young_person", "pairs": 1, "page": 1, "shown": 1}


def test_a_record_the_manager_may_not_open_shows_only_what_a_picker_shows(
    client_for: Any, manager: Any, area: Any
) -> None:
    other_agency = AgencyFactory(area=area)
    YoungPersonFactory(
        recording_agency=manager.agency,
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 10, 2),
    )
    hidden = YoungPersonFactory(
        recording_agency=other_agency,
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=dt.date(2010, 2, 10),
        postcode="BS16 1QY",
        school="Hidden Academy",
    )
    page = html(client_for(manager).get(REPORT))
    assert "Jordan MITCHELL, born 2010" in page
    assert "Not yours to open" in page
    assert reverse("people:detail", args=[hidden.pk]) not in page
    assert "2 February 2010" not in page and "Hidden Academy" not in page
    assert "day and month swapped" not in page  # the date's parts are not explained
    assert "Same given name: +" in page  # the names' parts are
    assert "Compare and merge" not in page


def test_the_area_administrator_sees_counts_only(
    client_for: Any, pair: tuple[Any, Any], agency: Any
) -> None:
    admin = UserFactory(agency=agency, roles=[Role.AREA_ADMINISTRATOR], full_name="Sam Admin")
    response = client_for(admin).get(REPORT)
    assert response.status_code == 200
    page = html(response)
    assert "There is 1 likely pair of records" in page
    assert "Mitchell" not in page and "MITCHELL" not in page
    assert str(pair[0].pk) not in page


def test_other_roles_are_refused_and_other_areas_see_nothing(
    client_for: Any, agency: Any, pair: tuple[Any, Any]
) -> None:
    worker = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    assert client_for(worker).get(REPORT).status_code == 403
    assert client_for(worker).post(DECIDE, {}).status_code == 403
    stranger = UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.TEAM_MANAGER])
    page = html(client_for(stranger).get(REPORT))
    assert "No likely duplicates." in page


def test_not_the_same_person_is_remembered_and_audited(
    client_for: Any, manager: Any, pair: tuple[Any, Any]
) -> None:
    client = client_for(manager)
    watch = AuditWatch()
    response = client.post(
        DECIDE,
        {
            "kind": "young_person",
            "first": str(pair[1].pk),
            "second": str(pair[0].pk),
            "reason": "Twins",
        },
    )
    assert response.status_code == 302
    decision = NotSamePerson.objects.get()
    assert (decision.first_id, decision.second_id) == ordered_pair(pair[0].pk, pair[1].pk)
    assert decision.decided_by == manager and decision.reason == "Twins"
    assert watch.verbs() == [Verb.NOT_SAME_PERSON]
    page = html(client.get(response["Location"]))
    assert "Marked as different people" in page
    assert "No likely duplicates." in page
    # Twice changes nothing
    client.post(DECIDE, {"kind": "young_person", "first": pair[0].pk, "second": pair[1].pk})
    assert NotSamePerson.objects.count() == 1
    assert AuditEvent.objects.filter(verb=Verb.NOT_SAME_PERSON).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "young_person", "first": "not-a-uuid", "second": "x"},
        {"kind": "nonsense", "first": "SAME", "second": "OTHER"},
        {"kind": "young_person", "first": "SAME", "second": "SAME"},
    ],
)
def test_bad_decisions_change_nothing(
    client_for: Any, manager: Any, pair: tuple[Any, Any], data: dict[str, Any]
) -> None:
    data = {
        k: {"SAME": str(pair[0].pk), "OTHER": str(pair[1].pk)}.get(v, v) for k, v in data.items()
    }
    response = client_for(manager).post(DECIDE, data, follow=True)
    assert response.status_code == 200
    assert "govuk-notification-banner" in html(response) or "error" in html(response).lower()
    assert not NotSamePerson.objects.exists()


def test_a_record_of_another_area_cannot_be_decided(
    client_for: Any, manager: Any, pair: tuple[Any, Any]
) -> None:
    elsewhere = YoungPersonFactory(recording_agency=AgencyFactory(area=AreaFactory()))
    client_for(manager).post(
        DECIDE, {"kind": "young_person", "first": pair[0].pk, "second": elsewhere.pk}
    )
    assert not NotSamePerson.objects.exists()


def test_the_report_is_paged_25_at_a_time(client_for: Any, manager: Any, agency: Any) -> None:
    for i, family in enumerate(SURNAMES):
        dob = dt.date(2008, 1, 1) + dt.timedelta(days=40 * i)
        for given in ("Oliver", "Olivier"):
            YoungPersonFactory(
                recording_agency=agency, given_names=given, family_name=family, date_of_birth=dob
            )
    client = client_for(manager)
    first = html(client.get(REPORT))
    assert "30 likely pairs." in first
    assert first.count("Not the same person<span") == 25
    assert "Page 1 of 2" in first
    second = html(client.get(REPORT, {"page": 2}))
    assert second.count("Not the same person<span") == 5


def test_persons_of_interest_one_kind_at_a_time(
    client_for: Any, manager: Any, agency: Any, pair: tuple[Any, Any]
) -> None:
    for given in ("Dwayne", "Dwain"):
        PersonOfInterestFactory(
            recording_agency=agency, given_names=given, family_name="Hollis", date_of_birth=None
        )
    page = html(client_for(manager).get(REPORT, {"kind": "person_of_interest"}))
    assert "1 likely pair." in page
    assert "Dwain Hollis" in page and "Dwayne Hollis" in page
    assert "Mitchell" not in page  # young people are the other kind


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_the_api_lists_the_pairs_and_records_a_decision(
    client_for: Any, manager: Any, pair: tuple[Any, Any]
) -> None:
    client = client_for(manager)
    body = client.get(reverse("api:duplicate_report"), {"kind": "young_person"}).json()
    assert (body["count"], body["page"], body["pages"], body["counts_only"]) == (1, 1, 1, False)
    result = body["results"][0]
    assert {result["first"]["id"], result["second"]["id"]} == {str(p.pk) for p in pair}
    assert result["may_merge"] is True
    assert result["weight"] == pytest.approx(sum(e["weight"] for e in result["explanation"]), 0.1)
    assert any(e["level"] == "swapped" for e in result["explanation"])
    response = client.post(
        reverse("api:not_same_person"),
        data=json.dumps(
            {"kind": "young_person", "first": str(pair[0].pk), "second": str(pair[1].pk)}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(reverse("api:duplicate_report")).json()["count"] == 0
    bad = client.post(
        reverse("api:not_same_person"),
        data=json.dumps({"kind": "young_person", "first": "x"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert reverse("api:duplicate_report") in client.get(reverse("api:openapi")).content.decode()


def test_the_api_refuses_other_roles(client_for: Any, agency: Any) -> None:
    worker = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    assert client_for(worker).get(reverse("api:duplicate_report")).status_code == 403


def api_json(client: Any, name: str, body: dict[str, Any], *args: Any) -> Any:
    return client.post(
        reverse(name, args=args), data=json.dumps(body), content_type="application/json"
    )


def test_the_api_merges_and_undoes(
    client_for: Any, manager: Any, pair: tuple[Any, Any], agency: Any
) -> None:
    keep, away = pair
    client = client_for(manager)
    watch = AuditWatch()
    body = {"keep": str(keep.pk), "merge_away": str(away.pk), "reason": "Day and month swapped"}
    response = api_json(client, "api:merge_create", body)
    assert response.status_code == 201, response.content
    merged = response.json()
    assert (merged["keep"], merged["merge_away"]) == (str(keep.pk), str(away.pk))
    assert Verb.RECORDS_MERGED in watch.verbs()
    away.refresh_from_db()
    assert type(away).all_objects.get(pk=away.pk).is_deleted
    undone = api_json(client, "api:merge_undo", {}, merged["id"])
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert not type(away).all_objects.get(pk=away.pk).is_deleted


def test_the_api_merge_refuses_bad_input_and_others(
    client_for: Any, manager: Any, pair: tuple[Any, Any], agency: Any
) -> None:
    keep, away = pair
    client = client_for(manager)
    same = {"keep": str(keep.pk), "merge_away": str(keep.pk), "reason": "The same record"}
    assert api_json(client, "api:merge_create", same).status_code == 400
    no_reason = {"keep": str(keep.pk), "merge_away": str(away.pk), "reason": "short"}
    assert api_json(client, "api:merge_create", no_reason).status_code == 400
    elsewhere = YoungPersonFactory(recording_agency=AgencyFactory(area=AreaFactory()))
    other_area = {"keep": str(keep.pk), "merge_away": str(elsewhere.pk), "reason": "x" * 20}
    assert api_json(client, "api:merge_create", other_area).status_code == 404
    worker = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    body = {"keep": str(keep.pk), "merge_away": str(away.pk), "reason": "x" * 20}
    assert api_json(client_for(worker), "api:merge_create", body).status_code == 403
    assert not type(keep).all_objects.filter(deleted_at__isnull=False).exists()
