"""The agencies endpoints: the area administrator's, with the same version checks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.api.helpers import errors, fields, service_account
from tests.factories import AgencyFactory, AreaFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agencies/"


def send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def admin_api(api_for: Any, agency: Agency) -> Any:
    return api_for(service_account(agency, Role.AREA_ADMINISTRATOR))


def test_agencies_are_listed_for_the_area_only(admin_api: Any, agency: Agency) -> None:
    AgencyFactory(area=AreaFactory(), name="Elsewhere")
    response = admin_api.get(LIST)
    assert response.status_code == 200
    assert [a["name"] for a in response.json()] == [agency.name]


def test_practitioners_are_refused(api_for: Any, agency: Agency) -> None:
    client = api_for(service_account(agency, Role.SOCIAL_WORKER))
    response = client.get(LIST)
    assert response.status_code == 403
    errors(response)


def test_create_and_bad_input(admin_api: Any, area: Area) -> None:
    created = send(admin_api, "post", LIST, {"name": "Health", "kind": AgencyKind.HEALTH})
    assert created.status_code == 201
    assert Agency.objects.get(pk=created.json()["id"]).area_id == area.pk
    bad = send(admin_api, "post", LIST, {"name": "Other", "kind": "magic"})
    assert bad.status_code == 400
    assert fields(bad) == {"kind"}
    duplicate = send(admin_api, "post", LIST, {"name": "health", "kind": AgencyKind.HEALTH})
    assert duplicate.status_code == 400
    assert fields(duplicate) == {"name"}
    assert Agency.objects.filter(name__iexact="health").count() == 1


def test_patch_needs_the_current_version(admin_api: Any, agency: Agency) -> None:
    url = f"{LIST}{agency.pk}/"
    missing = send(admin_api, "patch", url, {"name": "No version"})
    assert missing.status_code == 400
    assert fields(missing) == {"version"}
    ok = send(admin_api, "patch", url, {"name": "Renamed", "version": 1})
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = send(admin_api, "patch", url, {"name": "Late", "version": 1})
    assert stale.status_code == 409
    assert fields(stale) == {"version"}
    agency.refresh_from_db()
    assert (agency.name, agency.version) == ("Renamed", 2)
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_UPDATED).count() == 1


def test_another_areas_agency_is_404(admin_api: Any) -> None:
    elsewhere = AgencyFactory(area=AreaFactory(), name="Not yours")
    response = send(admin_api, "patch", f"{LIST}{elsewhere.pk}/", {"name": "Mine", "version": 1})
    assert response.status_code == 404
    errors(response)
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Not yours"
