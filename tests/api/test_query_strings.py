"""Malformed query strings get a 400 naming the parameter (or, where the parameter is a
free-text search, an honest empty answer), never a 500: found by fuzzing the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from tests.api.helpers import errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(area_admin: Any, client_for: Any) -> Client:
    return client_for(area_admin)


def test_the_audit_log_is_filtered_by_an_actors_name_or_id(
    admin: Client, area_admin: Any, make_user: Any
) -> None:
    """?actor= used a lookup the key does not have: every actor filter was a 500."""
    worker = make_user(Role.SOCIAL_WORKER, full_name="Wendy Worker")
    audit_record(actor=worker, verb=Verb.PASSWORD_CHANGED, target=worker)
    mine = AuditEvent.objects.get(verb=Verb.PASSWORD_CHANGED)
    for actor in ("Wendy", "wendy worker", str(worker.pk), f" {str(worker.pk).upper()} "):
        response = admin.get("/api/v1/audit-events/", {"actor": actor})
        assert response.status_code == 200, actor
        assert [e["seq"] for e in response.json()["results"]] == [mine.seq], actor
    for actor in ("Qzxvq", "1' OR 1=1", "00000000-0000-0000-0000-000000000000"):
        response = admin.get("/api/v1/audit-events/", {"actor": actor})
        assert response.status_code == 200, actor
        assert response.json()["results"] == [], actor


def test_the_audit_page_filters_by_an_actors_name(admin: Client, make_user: Any) -> None:
    worker = make_user(Role.SOCIAL_WORKER, full_name="Wendy Worker")
    audit_record(actor=worker, verb=Verb.PASSWORD_CHANGED, target=worker)
    response = admin.get("/audit/", {"actor": "Wendy"})
    assert response.status_code == 200
    assert "changed their password" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/groups/?kind=planet", "/api/v1/locations/?kind=planet"])
def test_an_unknown_kind_is_a_400_naming_it(client_for: Any, make_user: Any, url: str) -> None:
    """It used to answer an empty list, as if the area had none of that kind."""
    response = client_for(make_user(Role.LEAD_PROFESSIONAL)).get(url)
    assert response.status_code == 400
    [error] = errors(response)
    assert error["field"] == "kind" and error["message"].startswith("Choose one of")


@pytest.mark.parametrize(
    "url,field",
    [
        ("/api/v1/young-people/?q=a%00b", "q"),
        ("/api/v1/locations/?q=a%00b", "q"),
        ("/api/v1/groups/?q=%00", "q"),
        ("/api/v1/audit-events/?actor=%00", "actor"),
        ("/api/v1/young-people/?q=ok&x%00y=1", "xy"),
    ],
)
def test_a_nul_character_in_the_query_string_is_a_400_naming_it(
    admin: Client, make_user: Any, client_for: Any, url: str, field: str
) -> None:
    """PostgreSQL cannot compare text holding NUL: the driver raised (a 500 there)."""
    client = client_for(make_user(Role.LEAD_PROFESSIONAL, Role.AREA_ADMINISTRATOR))
    response = client.get(url)
    assert response.status_code == 400
    [error] = errors(response)
    assert error["field"] == field
    assert "cannot be used" in error["message"]


@pytest.mark.parametrize("url", ["/locations/?q=a%00b", "/groups/?q=a%00b", "/young-people/?q=%00"])
def test_a_nul_character_in_a_page_address_is_a_400_with_an_error_summary(
    client_for: Any, make_user: Any, url: str
) -> None:
    response = client_for(make_user(Role.LEAD_PROFESSIONAL)).get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "q contains a character that cannot be used" in page
    assert "<title>Error: " in page
