from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from tests import postgres
from tests.factories import AgencyFactory, AreaFactory, UserFactory


@pytest.fixture
def area(db: Any) -> Area:
    return AreaFactory()


@pytest.fixture
def agency(area: Area) -> Agency:
    return AgencyFactory(area=area)


@pytest.fixture
def make_user(agency: Agency) -> Callable[..., User]:
    """``make_user(Role.CHAIR, agency=other)``: a user in the test area with those roles."""

    def make(*roles: str, agency: Agency | None = None, **kwargs: Any) -> User:
        return UserFactory(agency=agency or agency_default, roles=list(roles), **kwargs)

    agency_default = agency
    return make


@pytest.fixture
def area_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.AREA_ADMINISTRATOR)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client signed in as ``user`` (sign-in itself is tested in tests/accounts)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """allauth keeps its sign-in rate limits in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_append_only_triggers() -> Iterator[None]:
    """Transactional tests empty every table afterwards with TRUNCATE, which the audit tables
    refuse on PostgreSQL: the suite's flush switches their triggers off while it runs."""
    with pytest.MonkeyPatch.context() as patch:
        postgres.flush_past_triggers(patch)
        yield
