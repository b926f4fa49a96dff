"""API tokens (made with the ``api_token`` command), the error shape of refusals, and the
OpenAPI document."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, User
from riskpath.api.models import ServiceToken
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.api.helpers import create_token, errors, service_account

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def account(agency: Agency) -> User:
    return service_account(agency, Role.CONSULTANT_SOCIAL_WORKER, email="sync@example.test")


def test_a_token_from_the_command_authenticates(account: User, token_client: Any) -> None:
    token = create_token(account, name="Case system sync")
    assert token.startswith("rp_")
    stored = ServiceToken.objects.get(user=account)
    assert stored.name == "Case system sync"
    assert stored.key_hash != token and token not in stored.key_hash  # only a hash is kept
    assert stored.last_used_at is None
    event = AuditEvent.objects.get(verb=Verb.TOKEN_CREATED)
    assert event.target_id == str(stored.pk)
    assert event.channel == "command"

    response = token_client(token).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "sync@example.test"
    assert body["roles"] == [Role.CONSULTANT_SOCIAL_WORKER]
    stored.refresh_from_db()
    assert stored.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["Bearer rp_wrong", "Bearer ", "Token {token}", "Bearer {token}x"],
)
def test_a_wrong_token_is_401_with_the_error_shape(account: User, header: str) -> None:
    token = create_token(account)
    client = Client(headers={"Authorization": header.format(token=token)})
    response = client.get("/api/v1/young-people/")
    assert response.status_code == 401
    (error,) = errors(response)
    assert error["field"] is None
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_token_is_401(account: User) -> None:
    response = Client().get("/api/v1/young-people/")
    assert response.status_code == 401
    errors(response)


def test_a_revoked_token_is_401(account: User, token_client: Any) -> None:
    token = create_token(account)
    client = token_client(token)
    assert client.get(ME).status_code == 200
    out = io.StringIO()
    call_command("api_token", "revoke", token[:10], stdout=out)
    assert "Revoked" in out.getvalue()
    assert AuditEvent.objects.filter(verb=Verb.TOKEN_REVOKED).count() == 1
    response = client.get(ME)
    assert response.status_code == 401
    assert errors(response)[0]["message"] == "The token is not valid."


def test_a_token_of_a_deactivated_account_is_401(account: User, token_client: Any) -> None:
    client = token_client(create_token(account))
    User.objects.filter(pk=account.pk).update(is_active=False)
    assert client.get(ME).status_code == 401


def test_tokens_are_only_for_service_accounts(make_user: Any) -> None:
    person = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(CommandError, match="not a service account"):
        create_token(person)
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "--user", "nobody@example.test", "--name", "x")
    assert not ServiceToken.objects.exists()


def test_a_token_does_not_widen_the_policy(agency: Agency, token_client: Any) -> None:
    no_roles = service_account(agency)
    client = token_client(create_token(no_roles))
    response = client.get("/api/v1/young-people/")
    assert response.status_code == 403
    errors(response)


def test_a_signed_in_user_can_use_the_api_with_their_session(
    client_for: Any, make_user: Any
) -> None:
    response = client_for(make_user(Role.SOCIAL_WORKER)).get("/api/v1/young-people/")
    assert response.status_code == 200
    assert response.json()["count"] == 0


# ---------------------------------------------------------------------------------------------
# OpenAPI
# ---------------------------------------------------------------------------------------------


def test_the_openapi_document(account: User, token_client: Any) -> None:
    response = token_client(create_token(account)).get(OPENAPI)
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "riskpath API"
    paths = document["paths"]
    assert "/api/v1/young-people/" in paths
    assert {"get", "post"} <= set(paths["/api/v1/young-people/"])
    detail = next(p for p in paths if p.startswith("/api/v1/young-people/{"))
    assert {"get", "patch", "delete"} <= set(paths[detail])
    assert "serviceToken" in document["components"]["securitySchemes"]
    # The documented 409 for a stale PATCH uses the one error shape.
    conflict = paths[detail]["patch"]["responses"]["409"]["content"]["application/json"]
    ref = conflict["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "errors" in document["components"]["schemas"][ref]["properties"]


def test_the_openapi_document_for_a_signed_in_user(client_for: Any, make_user: Any) -> None:
    response = client_for(make_user(Role.CHAIR)).get(OPENAPI)
    assert response.status_code == 200
    assert json.loads(response.content)["openapi"].startswith("3.")


def test_the_openapi_document_is_not_public() -> None:
    response = Client().get(OPENAPI)
    assert response.status_code in (401, 403)
    assert b"young-people" not in response.content
