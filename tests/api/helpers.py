"""Helpers for the API tests: tokens made by the real command, and the error shape."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command

from riskpath.accounts.models import Agency, User
from tests.factories import UserFactory


def service_account(agency: Agency, *roles: str, **kwargs: Any) -> User:
    return UserFactory(agency=agency, is_service_account=True, roles=list(roles), **kwargs)


def create_token(user: User, name: str = "x") -> str:
    """A token made the way an operator makes one: with the ``api_token`` command."""
    buf = io.StringIO()
    call_command("api_token", "create", "--user", user.email, "--name", name, stdout=buf)
    return buf.getvalue().strip()


def errors(response: Any) -> list[dict[str, Any]]:
    """The API's error list, after checking the shape of the body."""
    body = response.json()
    assert set(body) == {"errors"}, body
    assert body["errors"], body
    for item in body["errors"]:
        assert set(item) == {"field", "message"}, item
        assert isinstance(item["message"], str) and item["message"]
    return body["errors"]


def fields(response: Any) -> set[Any]:
    return {e["field"] for e in errors(response)}
