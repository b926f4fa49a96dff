"""The intelligence API through HTTP with service-account tokens: the same policy, the same
audit events, restricted representations, disclosure requests and optimistic concurrency."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.intelligence.enums import DisclosureStatus
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from tests.api.helpers import errors, fields, service_account
from tests.intelligence.scenario import REASON, SECRET, Scene, c_coded, submit
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

LIST = "/api/v1/intelligence/"


def item_url(item: Any) -> str:
    return f"/api/v1/intelligence/{item.pk}/"


def send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def body(scene: Scene, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reported_on": clock.today().isoformat(),
        "text": SECRET,
        "harm_types": ["cce"],
        "source_evaluation": "1",
        "assessment": "B",
        "handling_code": "P",
        "provenance": "second_hand",
        "young_people": [str(scene.person.pk)],
    }
    data.update(overrides)
    return data


@pytest.fixture
def police_api(scene: Scene, api_for: Any) -> Any:
    return api_for(service_account(scene.police, Role.PARTNER_REPRESENTATIVE))


@pytest.fixture
def care_api(scene: Scene, api_for: Any) -> Any:
    """A social-care service account: involved with the young person, not the submitter."""
    return api_for(service_account(scene.social_care, Role.SOCIAL_WORKER))


def test_the_urls_are_where_the_documentation_says() -> None:
    pk = uuid.UUID(int=1)
    assert reverse("api:intelligence_list") == LIST
    assert reverse("api:intelligence_detail", args=[pk]) == f"{LIST}{pk}/"
    assert reverse("api:intelligence_disclosure_request", args=[pk]) == (
        f"{LIST}{pk}/disclosure-requests/"
    )
    assert reverse("api:intelligence_disclosure_decide", args=[pk]) == (
        f"{LIST}disclosure-requests/{pk}/decision/"
    )


def test_every_endpoint_is_in_the_openapi_document(client_for: Any, scene: Scene) -> None:
    schema = client_for(scene.officer).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths[LIST]) >= {"get", "post"}
    assert set(paths[LIST + "{id}/"]) >= {"get", "patch"}
    assert "post" in paths[LIST + "{id}/disclosure-requests/"]
    assert "post" in paths[LIST + "disclosure-requests/{id}/decision/"]


def test_submitting_through_the_api(police_api: Any, scene: Scene) -> None:
    watch = AuditWatch()
    response = send(police_api, "post", LIST, body(scene))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["access"] == "full"
    assert data["text"] == SECRET
    assert data["young_people"] == [str(scene.person.pk)]
    assert data["source_agency"] == "Constabulary"
    assert watch.verbs() == [Verb.INTELLIGENCE_SUBMITTED]


def test_bad_input_names_the_field_and_changes_nothing(police_api: Any, scene: Scene) -> None:
    response = send(
        police_api,
        "post",
        LIST,
        body(scene, handling_code="C", young_people=[], harm_types=["nonsense"]),
    )
    assert response.status_code == 400
    assert fields(response) == {"harm_types"}
    response = send(police_api, "post", LIST, body(scene, handling_code="C", young_people=[]))
    assert response.status_code == 400
    assert fields(response) == {"handling_conditions", "young_people"}
    assert not IntelligenceItem.objects.exists()


def test_a_restricted_item_is_a_summary_and_a_stranger_gets_404(
    care_api: Any, api_for: Any, scene: Scene
) -> None:
    item = c_coded(scene)
    watch = AuditWatch()
    response = care_api.get(item_url(item))
    assert response.status_code == 200
    data = response.json()
    assert data["access"] == "restricted"
    assert set(data) == {
        "id",
        "access",
        "reported_on",
        "source_agency",
        "source_agency_id",
        "grading",
        "source_evaluation",
        "assessment",
        "handling_code",
        "harm_types",
        "immediate_risk",
    }
    assert SECRET not in response.content.decode()
    assert watch.verbs() == [Verb.INTELLIGENCE_VIEWED]
    school = api_for(service_account(scene.school, Role.PARTNER_REPRESENTATIVE))
    assert school.get(item_url(item)).status_code == 404
    listed = care_api.get(LIST).json()
    assert [r["access"] for r in listed["results"]] == ["restricted"]
    assert school.get(LIST).json()["count"] == 0


def test_the_list_filters_and_refuses_bad_filters(police_api: Any, scene: Scene) -> None:
    submit(scene.officer, young_people=[scene.person], harm_types=["cse"])
    submit(scene.officer, young_people=[scene.person], harm_types=["hsb"])
    assert police_api.get(LIST).json()["count"] == 2
    assert police_api.get(LIST, {"harm_type": "hsb"}).json()["count"] == 1
    bad = police_api.get(LIST, {"harm_type": "gossip", "reported_from": "yesterday"})
    assert bad.status_code == 400
    assert fields(bad) == {"harm_type", "reported_from"}


def test_patch_with_a_stale_version_is_409(police_api: Any, care_api: Any, scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    ok = send(police_api, "patch", item_url(item), {"version": 1, "assessment": "A"})
    assert ok.status_code == 200, ok.content
    assert (ok.json()["assessment"], ok.json()["version"]) == ("A", 2)
    stale = send(police_api, "patch", item_url(item), {"version": 1, "assessment": "C"})
    assert stale.status_code == 409
    assert errors(stale)[0]["field"] == "version"
    assert IntelligenceItem.objects.get().assessment == "A"
    missing = send(police_api, "patch", item_url(item), {"assessment": "C"})
    assert missing.status_code == 400 and fields(missing) == {"version"}
    other = send(care_api, "patch", item_url(item), {"version": 2, "assessment": "C"})
    assert other.status_code == 403


def test_disclosure_request_and_grant_through_the_api(
    care_api: Any, api_for: Any, scene: Scene
) -> None:
    item = c_coded(scene)
    url = f"{item_url(item)}disclosure-requests/"
    assert send(care_api, "post", url, {"reason": ""}).status_code == 400
    response = send(care_api, "post", url, {"reason": REASON})
    assert response.status_code == 201
    request = DisclosureRequest.objects.get()
    police_manager = api_for(service_account(scene.police, Role.TEAM_MANAGER))
    pending = police_manager.get(f"{LIST}disclosure-requests/").json()
    assert [p["id"] for p in pending] == [str(request.pk)]
    decide = f"{LIST}disclosure-requests/{request.pk}/decision/"
    assert send(care_api, "post", decide, {"decision": "grant"}).status_code == 404
    watch = AuditWatch()
    decided = send(police_manager, "post", decide, {"decision": "grant"})
    assert decided.status_code == 200
    assert decided.json()["status"] == DisclosureStatus.GRANTED
    assert watch.verbs() == [Verb.DISCLOSURE_GRANTED]
    assert care_api.get(item_url(item)).json()["text"] == SECRET
