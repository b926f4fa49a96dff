"""Every API failure keeps the JSON error shape ``{"errors": [{"field", "message"}]}``: an
unknown path, a route refused by the default-deny middleware, a body that cannot be parsed or
nests too deeply, and an exception nothing foresaw (whose text is never shown)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency
from riskpath.api.parsers import MAX_DEPTH
from riskpath.links.models import Link
from tests.api.helpers import create_token, errors, service_account
from tests.api.urls_failing import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(agency: Agency) -> Client:
    account = service_account(agency, Role.LEAD_PROFESSIONAL)
    return Client(
        headers={"Authorization": f"Bearer {create_token(account)}"},
        raise_request_exception=False,
    )


def test_an_unknown_api_path_is_a_json_404(api: Client) -> None:
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response) == [{"field": None, "message": "Not found."}]


def test_a_page_path_still_gets_the_govuk_404_page(client_for: Any, make_user: Any) -> None:
    response = client_for(make_user(Role.LEAD_PROFESSIONAL)).get("/no-such-page/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


@pytest.mark.urls("tests.api.urls_failing")
def test_an_unexpected_exception_is_a_json_500_without_its_text(api: Client) -> None:
    response = api.get("/api/v1/broken/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    [error] = errors(response)
    assert error["field"] is None
    assert SECRET not in response.content.decode()
    assert "hunter2" not in response.content.decode()
    assert response["X-Request-ID"] in error["message"]  # a reference to quote


@pytest.mark.urls("tests.api.urls_failing")
def test_an_unexpected_page_exception_is_still_the_govuk_page(
    client_for: Any, make_user: Any
) -> None:
    """The JSON answer is for /api/ paths only; a page keeps the GOV.UK 500 page."""
    client = client_for(make_user(Role.LEAD_PROFESSIONAL))
    client.raise_request_exception = False
    response = client.get("/broken-page/")
    assert response.status_code == 500
    assert "text/html" in response["Content-Type"]
    assert "Sorry, there is a problem with riskpath" in response.content.decode()
    assert SECRET not in response.content.decode()


def test_malformed_json_is_a_400_in_the_error_shape(api: Client) -> None:
    response = api.post("/api/v1/links/", "{not json", content_type="application/json")
    assert response.status_code == 400
    [error] = errors(response)
    assert error["field"] is None and "JSON parse error" in error["message"]


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_a_body_nested_a_thousand_levels_deep_is_a_400(
    api: Client, opening: str, closing: str
) -> None:
    body = opening * 1000 + "1" + closing * 1000
    response = api.post("/api/v1/links/", body, content_type="application/json")
    assert response.status_code == 400
    [error] = errors(response)
    assert error["field"] is None
    assert "the body is nested too deeply" in error["message"].lower()
    assert not Link.objects.exists()


def test_a_body_just_past_the_depth_limit_is_refused_and_one_at_it_is_parsed(api: Client) -> None:
    too_deep = json.dumps({"x": json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)})
    response = api.post("/api/v1/links/", too_deep, content_type="application/json")
    assert "nested too deeply" in errors(response)[0]["message"]
    # At the limit the body is parsed, and validation names the fields that are wrong.
    at_limit = json.dumps({"x": json.loads("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))})
    response = api.post("/api/v1/links/", at_limit, content_type="application/json")
    assert response.status_code == 400
    assert "source_type" in {e["field"] for e in errors(response)}


def test_a_bad_request_django_refuses_early_is_json_on_api_paths(api: Client) -> None:
    """A Host header riskpath does not serve is refused by Django before any view (400)."""
    response = api.get("/api/v1/me/", HTTP_HOST="riskpath.evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert errors(response) == [{"field": None, "message": "The request could not be understood."}]
    page = Client().get("/accounts/login/", HTTP_HOST="riskpath.evil.example")
    assert page.status_code == 400 and "text/html" in page["Content-Type"]
