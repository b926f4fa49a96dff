"""The locations API through HTTP with service-account tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.locations.models import Location
from tests.api.helpers import create_token, fields, service_account
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db

LIST = "/api/v1/locations/"


def send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api(client: Any, places: Places) -> Any:
    from django.test import Client

    account = service_account(places.agency, Role.PARTNER_REPRESENTATIVE, full_name="Sync")
    return Client(headers={"Authorization": f"Bearer {create_token(account)}"})


def test_routes_are_named() -> None:
    assert reverse("api:location_list") == LIST


def test_list_search_and_paginate(api: Any, places: Places) -> None:
    body = api.get(LIST, {"q": "station"}).json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["name"] == "Station Road takeaway"
    assert item["postcode"] == "BS16 1QY"
    assert api.get(LIST, {"kind": "park"}).json()["count"] == 0


def test_create_read_change_and_stale_change(api: Any, places: Places) -> None:
    watch = AuditWatch()
    response = send(
        api,
        "post",
        LIST,
        {
            "name": "Canal path",
            "kind": "park",
            "postcode": "bs5 6xx",
            "latitude": 51.45,
            "longitude": -2.58,
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["postcode"], created["latitude"], created["version"]) == ("BS5 6XX", 51.45, 1)
    url = f"{LIST}{created['id']}/"
    assert api.get(url).json()["name"] == "Canal path"
    response = send(api, "patch", url, {"name": "Canal towpath", "version": 1})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    response = send(api, "patch", url, {"name": "Stale", "version": 1})
    assert response.status_code == 409
    assert fields(response) == {"version"}
    assert Location.objects.get(pk=created["id"]).name == "Canal towpath"
    assert watch.verbs() == [Verb.LOCATION_CREATED, Verb.LOCATION_VIEWED, Verb.LOCATION_UPDATED]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"name": "X", "kind": "park", "postcode": "not one"}, "postcode"),
        ({"name": "X", "kind": "park", "latitude": 10}, "longitude"),
        ({"name": "X", "kind": "online", "latitude": 1, "longitude": 1}, "latitude"),
        ({"name": "X", "kind": "castle"}, "kind"),
    ],
)
def test_bad_input_is_400_naming_the_field(api: Any, body: dict[str, Any], field: str) -> None:
    response = send(api, "post", LIST, body)
    assert response.status_code == 400
    assert fields(response) == {field}
    assert not Location.objects.filter(name="X").exists()


def test_another_areas_location_is_404(api: Any, places: Places) -> None:
    url = f"{LIST}{places.far_location.pk}/"
    assert api.get(url).status_code == 404
    assert send(api, "patch", url, {"name": "Mine", "version": 1}).status_code == 404


def test_soft_delete(api: Any, places: Places) -> None:
    url = f"{LIST}{places.location.pk}/"
    response = send(api, "delete", url, {"reason": "Duplicate record of a shop.", "version": 1})
    assert response.status_code == 204
    assert api.get(url).status_code == 404
    assert Location.all_objects.get(pk=places.location.pk).is_deleted


def test_a_role_without_the_rule_is_refused(places: Places) -> None:
    from django.test import Client

    account = service_account(places.agency, Role.QA_MEMBER)
    client = Client(headers={"Authorization": f"Bearer {create_token(account)}"})
    assert client.get(LIST).status_code == 403
