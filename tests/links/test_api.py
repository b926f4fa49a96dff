"""The links API through HTTP with service-account tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.links import services
from riskpath.links.models import Link
from tests.api.helpers import create_token, errors, fields, service_account
from tests.links.factories import IntelligenceItemFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db

LIST = "/api/v1/links/"


def send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api(places: Places) -> Client:
    account = service_account(places.agency, Role.PARTNER_REPRESENTATIVE, full_name="Sync")
    return Client(headers={"Authorization": f"Bearer {create_token(account)}"})


def body(places: Places, **overrides: Any) -> dict[str, Any]:
    data = {
        "source_type": "young_person",
        "source_id": str(places.young_person.pk),
        "kind": "exploited_by",
        "target_type": "person_of_interest",
        "target_id": str(places.poi.pk),
        "strength": "tentative",
        "first_seen": "2026-01-10",
    }
    data.update(overrides)
    return data


def test_routes_are_named() -> None:
    assert reverse("api:link_list") == LIST


def test_create_read_filter_and_change(api: Client, places: Places) -> None:
    item = IntelligenceItemFactory(source_agency=places.agency)
    watch = AuditWatch()
    response = send(api, "post", LIST, body(places, evidence=[str(item.pk)]))
    assert response.status_code == 201, response.json()
    link = response.json()
    assert link["source"] == {
        "type": "young_person",
        "id": str(places.young_person.pk),
        "label": "Kai Linkperson",
        "hidden": False,
    }
    assert link["target"]["label"] == "Pat Interest"
    assert link["evidence"] == [str(item.pk)]
    url = f"{LIST}{link['id']}/"
    assert api.get(url).json()["kind"] == "exploited_by"
    services.link_create(
        actor=places.recorder, source=places.group, target=places.location, kind="frequents"
    )
    listed = api.get(LIST, {"entity_type": "person_of_interest", "entity_id": places.poi.pk})
    assert [r["id"] for r in listed.json()["results"]] == [link["id"]]
    assert api.get(LIST).json()["count"] == 2
    response = send(api, "patch", url, {"strength": "confirmed", "version": 1})
    assert response.json()["strength"] == "confirmed"
    response = send(api, "patch", url, {"strength": "unconfirmed", "version": 1})
    assert response.status_code == 409
    assert fields(send(api, "patch", url, {"strength": "unconfirmed"})) == {"version"}
    assert Link.objects.get(pk=link["id"]).strength == "confirmed"
    assert watch.verbs() == [
        Verb.LINK_CREATED,
        Verb.LINK_VIEWED,
        Verb.LINK_CREATED,
        Verb.LINKS_LISTED,
        Verb.LINKS_LISTED,
        Verb.LINK_UPDATED,
    ]
    filtered = watch.new(verb=Verb.LINKS_LISTED)[0]
    assert filtered.changes == {"count": 1, "entity_type": "person_of_interest"}
    assert filtered.target_id == str(places.poi.pk)


def test_a_self_link_and_a_duplicate_are_400(api: Client, places: Places) -> None:
    same = body(places, target_type="young_person", target_id=str(places.young_person.pk))
    response = send(api, "post", LIST, same)
    assert response.status_code == 400
    assert fields(response) == {"target"}
    first = send(api, "post", LIST, body(places)).json()
    response = send(api, "post", LIST, body(places))
    assert response.status_code == 400
    (error,) = errors(response)
    assert error["field"] == "kind" and first["id"] in error["message"]
    assert Link.objects.count() == 1


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"target_type": "location", "target_id": "far"}, "target_id"),
        ({"source_id": "unseen"}, "source_id"),
        ({"kind": "cousin"}, "kind"),
        ({"first_seen": "2026-02-01", "last_seen": "2026-01-01"}, "last_seen"),
        ({"evidence": ["far"]}, "evidence"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api: Client, places: Places, overrides: dict[str, Any], field: str
) -> None:
    ids = {
        "far": str(places.far_location.pk),
        "unseen": str(places.unseen.pk),
    }
    if overrides.get("evidence") == ["far"]:
        overrides["evidence"] = [str(IntelligenceItemFactory(source_agency=places.far_agency).pk)]
    overrides = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    response = send(api, "post", LIST, body(places, **overrides))
    assert response.status_code == 400
    assert fields(response) == {field}
    assert not Link.objects.exists()


def test_another_areas_link_is_404(api: Client, places: Places) -> None:
    far_link = services.link_create(
        actor=places.far_user,
        source=places.far_group,
        target=places.far_location,
        kind="frequents",
    )
    assert api.get(f"{LIST}{far_link.pk}/").status_code == 404
    response = send(api, "patch", f"{LIST}{far_link.pk}/", {"kind": "associate", "version": 1})
    assert response.status_code == 404
    assert (
        api.get(LIST, {"entity_type": "group", "entity_id": places.far_group.pk}).status_code == 404
    )
    assert api.get(LIST).json()["count"] == 0


def test_young_people_the_account_is_not_involved_with_are_not_named(
    api: Client, places: Places
) -> None:
    services.link_create(
        actor=places.colleague, source=places.unseen, target=places.location, kind="frequents"
    )
    (row,) = api.get(LIST).json()["results"]
    assert row["source"] == {
        "type": "young_person",
        "id": None,
        "label": "A young person you are not involved with",
        "hidden": True,
    }


def test_the_schema_documents_the_endpoints(client_for: Any, places: Places) -> None:
    schema = client_for(places.recorder).get("/api/v1/openapi.json")
    paths = json.loads(schema.content)["paths"]
    for path in (
        "/api/v1/locations/",
        "/api/v1/locations/{id}/",
        "/api/v1/groups/",
        "/api/v1/groups/{id}/",
        "/api/v1/groups/{id}/members/",
        "/api/v1/groups/{id}/members/{membership_pk}/",
        "/api/v1/links/",
        "/api/v1/links/{id}/",
    ):
        assert path in paths, path


@pytest.mark.parametrize(
    "query,field",
    [
        ({"entity_id": "x", "entity_type": "group"}, "entity_id"),
        ({"entity_id": "1' OR 1=1", "entity_type": "young_person"}, "entity_id"),
        ({"entity_type": "group"}, "entity_id"),
        ({"entity_type": "group", "entity_id": ""}, "entity_id"),
        (
            {"entity_type": "planet", "entity_id": "5d7c7c59-6c38-4a43-9d5d-6f0d7c4c1f10"},
            "entity_type",
        ),
        ({"entity_id": "5d7c7c59-6c38-4a43-9d5d-6f0d7c4c1f10"}, "entity_type"),
    ],
)
def test_a_malformed_filter_is_a_400_naming_the_field(
    api: Client, places: Places, query: dict[str, str], field: str
) -> None:
    response = api.get(LIST, query)
    assert response.status_code == 400
    assert fields(response) == {field}
