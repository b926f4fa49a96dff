"""What the application's database role is given, and the owner's connection setting. The
grants themselves are proved on PostgreSQL in tests/audit/test_append_only.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from riskpath.config.database import owner_database
from riskpath.core.db_roles import ORDINARY, app_role_grants

POSTGRES_DEFAULT = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "riskpath",
    "USER": "riskpath_app",
    "HOST": "db",
    "PORT": 5432,
    "OPTIONS": {"options": "-c jit=off"},
}


def test_the_audit_tables_are_read_and_append_only_for_the_application() -> None:
    grants = {grant.table: grant.privileges for grant in app_role_grants()}
    assert grants["audit_auditevent"] == ("SELECT", "INSERT")
    assert grants["audit_auditchain"] == ("SELECT", "INSERT", "UPDATE")
    assert grants["django_migrations"] == ("SELECT",)
    assert grants["people_youngperson"] == ORDINARY
    assert grants["accounts_user_groups"] == ORDINARY  # a many-to-many table
    assert not [table for table, privileges in grants.items() if "TRUNCATE" in privileges]


def test_the_owner_connection_is_the_same_postgresql_database_as_another_role() -> None:
    owner = owner_database(POSTGRES_DEFAULT, "postgres://riskpath_owner@db:5432/riskpath")
    assert owner["USER"] == "riskpath_owner"
    assert owner["NAME"] == "riskpath"
    assert owner["OPTIONS"] == {"options": "-c jit=off"}


@pytest.mark.parametrize(
    ("default", "url", "message"),
    [
        (POSTGRES_DEFAULT, "sqlite:///owner.sqlite3", "is for PostgreSQL"),
        ({"ENGINE": "django.db.backends.sqlite3"}, "postgres://o@db/riskpath", "is for PostgreSQL"),
        (POSTGRES_DEFAULT, "postgres://db:5432/riskpath", "must name the owner role"),
        (POSTGRES_DEFAULT, "owner please", "not a database URL"),
    ],
)
def test_a_wrong_owner_url_is_refused_with_the_reason(
    default: dict[str, object], url: str, message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        owner_database(default, url)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_grant_app_role_explains_that_sqlite_has_no_roles() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's answer")
    with pytest.raises(CommandError, match="Roles are PostgreSQL's"):
        call_command("db", "grant-app-role", "--role", "riskpath_app")


def test_grant_app_role_names_a_missing_connection() -> None:
    with pytest.raises(CommandError, match="no database connection called 'elsewhere'"):
        call_command("db", "grant-app-role", "--role", "x", "--database", "elsewhere")


def test_migrate_as_the_owner_routes_every_query_of_the_migration_to_the_owner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A data migration that forgets ``schema_editor.connection.alias`` (django-tasks-db's do)
    must not query as the application role, which would wait for ever on the migration's lock."""
    from django.core.management.commands.migrate import Command as DjangoMigrate
    from django.db import router

    from riskpath.core.db_roles import MigrationRouter
    from riskpath.core.management.commands.migrate import Command
    from riskpath.people.models import YoungPerson

    seen: list[tuple[str | None, str]] = []

    def migrating(self: object, *args: object, **options: object) -> None:
        seen.append((MigrationRouter.alias, router.db_for_write(YoungPerson)))

    monkeypatch.setattr(DjangoMigrate, "handle", migrating)
    monkeypatch.setattr(router, "routers", [MigrationRouter()])
    Command().handle(database="owner", plan=True)
    Command().handle(database="default", plan=True)
    assert seen == [("owner", "owner"), (None, "default")]
    assert MigrationRouter.alias is None
    assert router.db_for_write(YoungPerson) == "default"
