"""How the test suite runs on PostgreSQL: as production does, the tests connect as an
application role that owns nothing, while the test database is created, migrated and emptied
by the role that owns the tables.

* ``DATABASE_OWNER_URL`` set (CI: ``scripts/pg-roles`` makes both roles): its role creates and
  migrates the test database, and the tests connect as the role of ``DATABASE_URL``.
* Only ``DATABASE_URL`` set (a developer's ``postgres://postgres@…``): its role is the owner,
  and the suite creates an application role of its own for the run, named after the test
  database (``test_riskpath_app``), and drops it afterwards unless the database is kept.

Either way the application role is given its privileges by ``riskpath.core.db_roles``, exactly
as ``riskpath migrate`` gives them in production, and tests that must act as the owner (an
intruder rewriting the log, say) open their own connection with ``owner_connection()``.
Transactional tests end with ``flush``, which the application role may not do to the audit
tables: the suite flushes as the owner instead, with the tables' triggers off for that one
transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.postgresql.operations import DatabaseOperations

from riskpath.core.db_roles import grant_app_role

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")

# Every table that has triggers of its own (not the foreign-key constraint triggers).
TABLES_WITH_TRIGGERS = """
SELECT DISTINCT quote_ident(c.relname)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
ORDER BY 1
"""


@dataclass
class Roles:
    owner: dict[str, Any]
    app: dict[str, Any]
    made_app_role: bool  # the suite created the application role and drops it afterwards

    @property
    def app_role(self) -> str:
        return str(self.app["USER"])


_roles: Roles | None = None


def roles() -> Roles:
    if _roles is None:
        raise RuntimeError("the PostgreSQL roles are set up only for tests that use the database")
    return _roles


def is_postgresql() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql")


def prepare() -> None:
    """Before the test database is created: decide the two roles and connect as the owner."""
    global _roles
    default = settings.DATABASES["default"]
    given = {key: default.get(key, "") for key in CREDENTIALS}
    if "owner" in settings.DATABASES:
        owner = {key: settings.DATABASES["owner"].get(key, "") for key in CREDENTIALS}
        _roles = Roles(owner=owner, app=given, made_app_role=False)
    else:
        test_name = connections["default"].creation._get_test_db_name()
        app = {
            **given,
            "USER": f"{test_name}_app"[:63],
            "PASSWORD": secrets.token_urlsafe(24) if given["PASSWORD"] else "",
        }
        _roles = Roles(owner=given, app=app, made_app_role=True)
    _connect_as(_roles.owner)


def connect_as_app_role() -> None:
    """After the owner has created and migrated the test database."""
    found = roles()
    if found.made_app_role:
        _make_app_role(found.app_role, found.app["PASSWORD"])
    with transaction.atomic(), connections["default"].cursor() as cursor:
        grant_app_role(cursor, found.app_role)
    if "owner" in settings.DATABASES:
        # Anything that asks for the owner's connection in a test gets the test database.
        settings.DATABASES["owner"]["NAME"] = settings.DATABASES["default"]["NAME"]
    _connect_as(found.app)


def connect_as_owner() -> None:
    """Before the owner drops the test database."""
    _connect_as(roles().owner)


def drop_app_role() -> None:
    """After the test database has gone, the role the suite made for it goes too."""
    found = roles()
    if not found.made_app_role:
        return
    with psycopg.connect(**_conninfo(found.owner, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [found.app_role])
        if exists.fetchone():
            conn.execute(f"DROP ROLE {_quote(conn, found.app_role)}")


@contextmanager
def owner_connection() -> Iterator[psycopg.Connection[Any]]:
    """A connection to the test database as the tables' owner, outside the test's transaction
    (so it sees only committed rows); committed when the block ends without an error."""
    name = str(settings.DATABASES["default"]["NAME"])
    with psycopg.connect(**_conninfo(roles().owner, name)) as conn:
        conn.execute("SET lock_timeout = '20s'")
        yield conn


def flush_as_owner(patch: pytest.MonkeyPatch) -> None:
    """Make ``flush`` (how a transactional test ends) empty the tables as their owner, with
    their own triggers off for that one transaction, so no other connection sees them off."""

    def execute_sql_flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        if _roles is None:
            raise RuntimeError("flush before the test database was set up")
        with owner_connection() as conn:
            tables = [row[0] for row in conn.execute(TABLES_WITH_TRIGGERS).fetchall()]
            for table in tables:
                conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            for sql in sql_list:
                conn.execute(sql)
            for table in tables:
                conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)


def _make_app_role(role: str, password: str) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT quote_ident(%s), 1 FROM pg_roles WHERE rolname = %s", [role, role])
        found = cursor.fetchone()
        cursor.execute("SELECT quote_ident(%s)", [role])
        quoted = cursor.fetchone()[0]
        try:
            if found is None:
                cursor.execute(f"CREATE ROLE {quoted} LOGIN")
            cursor.execute(f"ALTER ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
            if password:
                cursor.execute(f"ALTER ROLE {quoted} PASSWORD %s", [password])
        except Exception as exc:
            pytest.exit(
                f"The tests connect as an application role that owns no table, and "
                f"{settings.DATABASES['default']['USER']} may not create one ({exc}). Either "
                "connect as a role that may (the README's postgres), or create an owner and an "
                "application role with scripts/pg-roles and set DATABASE_OWNER_URL to the "
                "owner's URL and DATABASE_URL to the application role's.",
                returncode=4,
            )


def _connect_as(credentials: dict[str, Any]) -> None:
    for settings_dict in (settings.DATABASES["default"], connections["default"].settings_dict):
        settings_dict.update(credentials)
    connections["default"].close()


def _conninfo(credentials: dict[str, Any], dbname: str) -> dict[str, Any]:
    info = {
        "dbname": dbname,
        "user": credentials["USER"],
        "password": credentials["PASSWORD"],
        "host": credentials["HOST"],
        "port": credentials["PORT"],
    }
    return {key: value for key, value in info.items() if value not in ("", None)}


def _quote(conn: psycopg.Connection[Any], name: str) -> str:
    row = conn.execute("SELECT quote_ident(%s)", [name]).fetchone()
    assert row is not None
    return str(row[0])
