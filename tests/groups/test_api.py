"""The groups API through HTTP with service-account tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.groups.models import GroupMembership
from tests.api.helpers import create_token, fields, service_account
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db

LIST = "/api/v1/groups/"


def send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api(places: Places) -> Client:
    account = service_account(places.agency, Role.SOCIAL_WORKER, full_name="Sync")
    return Client(headers={"Authorization": f"Bearer {create_token(account)}"})


def test_routes_are_named(places: Places) -> None:
    pk = places.group.pk
    assert reverse("api:group_list") == LIST
    assert reverse("api:group_member_list", args=[pk]) == f"{LIST}{pk}/members/"


def test_create_read_change(api: Client, places: Places) -> None:
    response = send(api, "post", LIST, {"name": "Night crew", "kind": "peer_group"})
    assert response.status_code == 201
    url = f"{LIST}{response.json()['id']}/"
    watch = AuditWatch()
    assert api.get(url).json()["name"] == "Night crew"
    assert send(api, "patch", url, {"kind": "ocg", "version": 1}).json()["kind"] == "ocg"
    response = send(api, "patch", url, {"kind": "cohort", "version": 1})
    assert response.status_code == 409
    assert watch.verbs() == [Verb.GROUP_VIEWED, Verb.GROUP_UPDATED]
    assert fields(send(api, "post", LIST, {"name": "", "kind": "ocg"})) == {"name"}
    assert api.get(LIST).json()["count"] == 2


def test_members_add_list_and_end(api: Client, places: Places) -> None:
    url = f"{LIST}{places.group.pk}/members/"
    body = {"young_person": str(places.young_person.pk), "joined_on": "2026-01-05"}
    response = send(api, "post", url, body)
    assert response.status_code == 201, response.json()
    member = response.json()
    assert member["member"]["label"] == "Kai Linkperson"
    assert send(api, "post", url, body).status_code == 400  # already an open member
    response = send(api, "patch", f"{url}{member['id']}/", {"left_on": "2026-01-01"})
    assert fields(response) == {"left_on"}
    response = send(api, "patch", f"{url}{member['id']}/", {"left_on": "2026-02-01"})
    assert response.json()["left_on"] == "2026-02-01"
    (listed,) = api.get(url).json()
    assert listed["left_on"] == "2026-02-01"


def test_members_the_account_may_not_add(api: Client, places: Places) -> None:
    url = f"{LIST}{places.group.pk}/members/"
    for person in (places.unseen, places.far_young_person):
        body = {"young_person": str(person.pk), "joined_on": "2026-01-05"}
        assert fields(send(api, "post", url, body)) == {"young_person"}
    assert fields(send(api, "post", url, {"joined_on": "2026-01-05"})) == {"member"}
    assert not GroupMembership.objects.exists()


def test_another_areas_group_is_404(api: Client, places: Places) -> None:
    assert api.get(f"{LIST}{places.far_group.pk}/").status_code == 404
    assert api.get(f"{LIST}{places.far_group.pk}/members/").status_code == 404
