"""The JSON API for persons of interest, disruption, missing episodes and referrals: the same
rules, audit events and optimistic concurrency as the pages."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.people.models import DisruptionActivity, MissingEpisode, PersonOfInterest
from riskpath.referrals.models import Referral
from tests.api.helpers import create_token, errors, fields, service_account
from tests.factories import AgencyFactory, AreaFactory, YoungPersonFactory
from tests.people.factories import MissingEpisodeFactory, PersonOfInterestFactory
from tests.people.scenario import AuditWatch, Scene
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {create_token(user)}"})


@pytest.fixture
def recorder(scene: Scene) -> Any:
    return service_account(scene.recording, Role.SOCIAL_WORKER, full_name="Case system")


def test_the_urls_and_the_openapi_document() -> None:
    pk = uuid.UUID(int=1)
    assert reverse("api:poi_list") == "/api/v1/persons-of-interest/"
    assert reverse("api:poi_detail", args=[pk]) == f"/api/v1/persons-of-interest/{pk}/"
    assert reverse("api:poi_disruptions", args=[pk]) == (
        f"/api/v1/persons-of-interest/{pk}/disruptions/"
    )
    assert reverse("api:missing_list") == "/api/v1/missing-episodes/"
    assert reverse("api:missing_detail", args=[pk]) == f"/api/v1/missing-episodes/{pk}/"
    assert reverse("api:referral_list") == "/api/v1/referrals/"
    assert reverse("api:referral_detail", args=[pk]) == f"/api/v1/referrals/{pk}/"


def test_every_endpoint_is_in_the_openapi_document(recorder: Any) -> None:
    doc = api(recorder).get(reverse("api:openapi")).json()
    for p in [
        "/api/v1/persons-of-interest/",
        "/api/v1/persons-of-interest/{id}/",
        "/api/v1/persons-of-interest/{id}/disruptions/",
        "/api/v1/missing-episodes/",
        "/api/v1/missing-episodes/{id}/",
        "/api/v1/referrals/",
        "/api/v1/referrals/{id}/",
    ]:
        assert p in doc["paths"], p
    assert "patch" in doc["paths"]["/api/v1/persons-of-interest/{id}/"]


# --- persons of interest ---------------------------------------------------------------------


def test_poi_create_from_a_young_person_get_and_patch(scene: Scene, recorder: Any) -> None:
    client = api(recorder)
    watch = AuditWatch()
    created = send(
        client,
        "post",
        "/api/v1/persons-of-interest/",
        {"young_person": str(scene.person.pk), "description": "Recruits at the skate park"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["given_names"], body["family_name"]) == ("Kai", "Testperson")
    assert body["young_person"] == str(scene.person.pk)
    assert watch.verbs() == [Verb.POI_CREATED]
    url = f"/api/v1/persons-of-interest/{body['id']}/"
    # a second time: refused, naming the field
    again = send(
        client, "post", "/api/v1/persons-of-interest/", {"young_person": str(scene.person.pk)}
    )
    assert again.status_code == 400 and fields(again) == {"young_person"}
    # identity of a linked POI is the young person's
    refused = send(client, "patch", url, {"family_name": "Else", "version": 1})
    assert refused.status_code == 400 and fields(refused) == {"family_name"}
    watch = AuditWatch()
    got = client.get(url)
    assert got.status_code == 200 and got.json()["disruptions"] == []
    assert watch.verbs() == [Verb.POI_VIEWED]
    changed = send(client, "patch", url, {"postcode": "bs16 1qy", "version": 1})
    assert changed.status_code == 200 and changed.json()["postcode"] == "BS16 1QY"
    stale = send(client, "patch", url, {"postcode": "", "version": 1})
    assert stale.status_code == 409 and fields(stale) == {"version"}
    missing_version = send(client, "patch", url, {"postcode": ""})
    assert missing_version.status_code == 400 and fields(missing_version) == {"version"}


def test_poi_list_is_paginated_and_scoped(scene: Scene, recorder: Any) -> None:
    for _ in range(3):
        PersonOfInterestFactory(recording_agency=scene.third)
    PersonOfInterestFactory(recording_agency=AgencyFactory(area=AreaFactory()))
    client = api(recorder)
    watch = AuditWatch()
    body = client.get("/api/v1/persons-of-interest/", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2
    assert watch.verbs() == [Verb.POI_LISTED]


def test_a_role_without_the_rule_gets_403_from_the_poi_api(scene: Scene) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.recording)
    client = api(service_account(scene.recording, Role.STRATEGIC_PANEL_MEMBER))
    assert client.get("/api/v1/persons-of-interest/").status_code == 403
    assert client.get(f"/api/v1/persons-of-interest/{poi.pk}/").status_code == 403
    response = send(
        client,
        "post",
        f"/api/v1/persons-of-interest/{poi.pk}/disruptions/",
        {"kind": "arrest", "date": "2024-01-01"},
    )
    assert response.status_code == 403
    assert errors(response)


def test_another_areas_poi_is_404(scene: Scene, recorder: Any) -> None:
    far = PersonOfInterestFactory(recording_agency=AgencyFactory(area=AreaFactory()))
    assert api(recorder).get(f"/api/v1/persons-of-interest/{far.pk}/").status_code == 404


def test_disruption_through_the_api(scene: Scene, recorder: Any) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.third)
    client = api(recorder)
    url = f"/api/v1/persons-of-interest/{poi.pk}/disruptions/"
    bad = send(client, "post", url, {"kind": "stro", "date": "2999-01-01"})
    assert bad.status_code == 400 and fields(bad) == {"date"}
    far_agency = AgencyFactory(area=AreaFactory())
    bad = send(
        client, "post", url, {"kind": "stro", "date": "2024-01-01", "agency": str(far_agency.pk)}
    )
    assert bad.status_code == 400 and fields(bad) == {"agency"}
    assert not DisruptionActivity.objects.exists()
    ok = send(client, "post", url, {"kind": "stro", "date": "2024-01-01", "outcome": "Made"})
    assert ok.status_code == 201
    assert ok.json()["agency"] == scene.recording.name
    detail = client.get(f"/api/v1/persons-of-interest/{poi.pk}/").json()
    assert [d["kind"] for d in detail["disruptions"]] == ["stro"]


def test_create_a_poi_with_bad_input_changes_nothing(recorder: Any) -> None:
    response = send(api(recorder), "post", "/api/v1/persons-of-interest/", {"postcode": "XX"})
    assert response.status_code == 400
    assert fields(response) == {"family_name", "postcode"}
    assert not PersonOfInterest.objects.exists()


# --- missing episodes ------------------------------------------------------------------------


def test_missing_episode_create_list_get_patch(scene: Scene, recorder: Any) -> None:
    client = api(recorder)
    reported = (clock.now() - dt.timedelta(days=2)).isoformat()
    bad = send(
        client,
        "post",
        "/api/v1/missing-episodes/",
        {
            "young_person": str(scene.person.pk),
            "reported_at": reported,
            "returned_at": (clock.now() - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert bad.status_code == 400 and fields(bad) == {"returned_at"}
    assert not MissingEpisode.objects.exists()
    created = send(
        client,
        "post",
        "/api/v1/missing-episodes/",
        {"young_person": str(scene.person.pk), "reported_at": reported, "kind": "absent"},
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    other = MissingEpisodeFactory(young_person=YoungPersonFactory(recording_agency=scene.recording))
    MissingEpisodeFactory(young_person=scene.other_area_person)
    watch = AuditWatch()
    listed = client.get("/api/v1/missing-episodes/", {"young_person": str(scene.person.pk)}).json()
    assert [r["id"] for r in listed["results"]] == [pk]
    assert watch.verbs() == [Verb.MISSING_LISTED]
    everything = client.get("/api/v1/missing-episodes/").json()
    assert {r["id"] for r in everything["results"]} == {pk, str(other.pk)}
    assert client.get("/api/v1/missing-episodes/", {"young_person": "x"}).status_code == 400
    watch = AuditWatch()
    assert client.get(f"/api/v1/missing-episodes/{pk}/").status_code == 200
    assert watch.verbs() == [Verb.MISSING_VIEWED]
    returned = (clock.now() - dt.timedelta(days=1)).isoformat()
    patched = send(
        client, "patch", f"/api/v1/missing-episodes/{pk}/", {"returned_at": returned, "version": 1}
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = send(
        client, "patch", f"/api/v1/missing-episodes/{pk}/", {"where_found": "x", "version": 1}
    )
    assert stale.status_code == 409


def test_missing_episodes_of_someone_without_a_basis(scene: Scene) -> None:
    outsider = api(service_account(scene.third, Role.PARTNER_REPRESENTATIVE))
    episode = MissingEpisodeFactory(young_person=scene.person)
    assert outsider.get(f"/api/v1/missing-episodes/{episode.pk}/").status_code == 404
    response = send(
        outsider,
        "post",
        "/api/v1/missing-episodes/",
        {"young_person": str(scene.person.pk), "reported_at": clock.now().isoformat()},
    )
    assert response.status_code == 400 and fields(response) == {"young_person"}
    assert MissingEpisode.objects.count() == 1


# --- referrals -------------------------------------------------------------------------------


def test_referral_create_list_get_patch(scene: Scene, recorder: Any) -> None:
    client = api(recorder)
    created = send(
        client,
        "post",
        "/api/v1/referrals/",
        {"young_person": str(scene.person.pk), "to": "nrm"},  # the scene's agency is police
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    ReferralFactory(young_person=scene.other_area_person)
    watch = AuditWatch()
    listed = client.get("/api/v1/referrals/").json()
    assert [r["id"] for r in listed["results"]] == [pk]
    assert watch.verbs() == [Verb.REFERRAL_LISTED]
    watch = AuditWatch()
    assert client.get(f"/api/v1/referrals/{pk}/").json()["to"] == "nrm"
    assert watch.verbs() == [Verb.REFERRAL_VIEWED]
    patched = send(
        client,
        "patch",
        f"/api/v1/referrals/{pk}/",
        {"status": "made", "made_on": "2025-01-02", "version": 1},
    )
    assert patched.status_code == 200 and patched.json()["status"] == "made"
    stale = send(client, "patch", f"/api/v1/referrals/{pk}/", {"outcome": "x", "version": 1})
    assert stale.status_code == 409


def test_the_api_refuses_an_nrm_referral_from_a_non_first_responder(scene: Scene) -> None:
    school = AgencyFactory(area=scene.area, kind=AgencyKind.EDUCATION)
    young = YoungPersonFactory(recording_agency=school)
    client = api(service_account(school, Role.PARTNER_REPRESENTATIVE))
    response = send(
        client, "post", "/api/v1/referrals/", {"young_person": str(young.pk), "to": "nrm"}
    )
    assert response.status_code == 400 and fields(response) == {"to"}
    assert "first responders" in errors(response)[0]["message"]
    assert not Referral.objects.exists()
