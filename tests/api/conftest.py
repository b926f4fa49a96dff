from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from riskpath.accounts.models import Agency, Area, User
from tests.api.helpers import create_token
from tests.people.scenario import Scene, build_scene


@pytest.fixture
def scene(area: Area, agency: Agency) -> Scene:
    return build_scene(area, agency)


@pytest.fixture
def token_client() -> Callable[[str], Client]:
    """A client that sends ``Authorization: Bearer <token>`` and has no session."""

    def make(token: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def api_for(token_client: Callable[[str], Client]) -> Callable[[User], Client]:
    """A bearer-token client for a service account, with a token from the command."""

    def make(user: User) -> Client:
        assert user.is_service_account
        return token_client(create_token(user))

    return make
