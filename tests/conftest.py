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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    django_db_keepdb: bool,
) -> Iterator[None]:
    """On PostgreSQL the test database is created and migrated by the tables' owner (see
    tests/postgres.py); a role the suite made for the run is dropped with the database."""
    if not postgres.is_postgresql():
        yield
        return
    postgres.prepare()
    yield
    if not django_db_keepdb:  # the database, and with it the role's privileges, are gone
        postgres.drop_app_role()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's set-up, after which every test connects as the application's role, and
    transactional tests are emptied afterwards by the owner."""
    if not postgres.is_postgresql():
        yield
        return
    with django_db_blocker.unblock():
        postgres.connect_as_app_role()
    with pytest.MonkeyPatch.context() as patch:
        postgres.flush_as_owner(patch)
        yield
    with django_db_blocker.unblock():
        postgres.connect_as_owner()
