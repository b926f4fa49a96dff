"""The PostgreSQL role the application connects as, and what it may do.

Migrations run as an *owner* role, which owns every table. The application connects as an
*application* role that owns nothing: it gets SELECT, INSERT, UPDATE and DELETE on the
application's tables, except where a model narrows that with an ``app_role_privileges``
attribute (the audit tables: read and append only). Owning no table, it can neither ALTER a
table, nor drop or disable its triggers, nor TRUNCATE it; it can only read the record of applied
migrations. ``grant_app_role`` is idempotent: it revokes whatever the role had on each table and
grants exactly that, then checks that the role ends up with no more than that, whichever way
(PUBLIC, another role it belongs to) it might have come by more."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.apps import apps

ORDINARY = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Every privilege a role can hold on a table (PostgreSQL 17 adds MAINTAIN, checked when present).
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
MIGRATIONS_TABLE = "django_migrations"
# Owned by the tables' owner, so that the application's role can refresh the planner's
# statistics, which only a table's owner may do (migration core/0001).
REFRESH_STATISTICS_FUNCTION = "riskpath_refresh_statistics()"


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] | None = ...) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> Any: ...


class RoleError(Exception):
    """The role cannot be given the application's privileges, and why."""


@dataclass(frozen=True)
class TableGrant:
    table: str
    privileges: tuple[str, ...]


@dataclass
class GrantReport:
    role: str
    grants: list[TableGrant]
    owners: list[str]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        by_privileges: dict[tuple[str, ...], list[str]] = {}
        for grant in self.grants:
            by_privileges.setdefault(grant.privileges, []).append(grant.table)
        lines = [f"Granted {self.role}:"]
        for privileges, tables in sorted(by_privileges.items(), key=lambda kv: -len(kv[1])):
            what = ", ".join(privileges)
            if privileges == ORDINARY:
                lines.append(f"  {what} on {len(tables)} tables")
            else:
                lines.append(f"  only {what} on {', '.join(sorted(tables))}")
        lines.append(
            f"  and {', '.join(ORDINARY)} on tables that {', '.join(self.owners)} creates later "
            "(default privileges; the next grant narrows them where a model says so)"
        )
        lines.extend(f"Warning: {warning}" for warning in self.warnings)
        return lines


def app_role_grants() -> list[TableGrant]:
    """What the application's role gets on each table, from the installed models."""
    grants: dict[str, tuple[str, ...]] = {MIGRATIONS_TABLE: ("SELECT",)}
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        privileges = tuple(getattr(model, "app_role_privileges", ORDINARY))
        unknown = set(privileges) - set(ORDINARY)
        if unknown:
            raise ValueError(f"{model.__name__}.app_role_privileges: unknown {sorted(unknown)}")
        grants[model._meta.db_table] = privileges
    return [TableGrant(table, privileges) for table, privileges in sorted(grants.items())]


def grant_app_role(cursor: Cursor, role: str) -> GrantReport:
    """Give ``role`` exactly the application's privileges, connected (``cursor``) as the owner
    of the tables or a superuser, inside the caller's transaction. Raises ``RoleError`` if the
    role is missing, is a superuser, owns a table, or if this connection may not grant."""
    cursor.execute("SELECT quote_ident(rolname), rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise RoleError(
            f"There is no PostgreSQL role {role!r}. Create it first, with LOGIN and nothing "
            "else (scripts/pg-roles does)."
        )
    quoted_role, is_superuser = row
    if is_superuser:
        raise RoleError(
            f"{role} is a superuser. A superuser passes every permission check and can switch "
            "the audit log's triggers off: the application must connect as an ordinary role."
        )
    grants = app_role_grants()
    owners = _check_tables(cursor, role, [grant.table for grant in grants])

    cursor.execute("SELECT quote_ident(current_schema())")
    schema = cursor.fetchone()[0]
    cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {quoted_role}")
    for grant in grants:
        table = _quote(cursor, grant.table)
        cursor.execute(f"REVOKE ALL ON TABLE {table} FROM {quoted_role}")
        cursor.execute(f"GRANT {', '.join(grant.privileges)} ON TABLE {table} TO {quoted_role}")
    for owner in owners:
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quote(cursor, owner)} IN SCHEMA {schema} "
            f"GRANT {', '.join(ORDINARY)} ON TABLES TO {quoted_role}"
        )
    cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [REFRESH_STATISTICS_FUNCTION])
    if cursor.fetchone()[0]:
        cursor.execute(f"GRANT EXECUTE ON FUNCTION {REFRESH_STATISTICS_FUNCTION} TO {quoted_role}")

    _check_effective(cursor, role, grants)
    report = GrantReport(role=role, grants=grants, owners=owners)
    cursor.execute("SELECT has_schema_privilege(%s, current_schema(), 'CREATE')", [role])
    if cursor.fetchone()[0]:
        report.warnings.append(
            f"{role} may create tables in schema {schema}, and would own what it creates. "
            f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC (PostgreSQL 15 and later do not "
            "grant it) and from the role."
        )
    return report


def connected_role_problem(cursor: Cursor) -> str | None:
    """Why the role this connection runs as could rewrite the audit log despite its triggers
    (it is a superuser, or owns tables), or None if it could not."""
    cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    user, is_superuser = cursor.fetchone()
    if is_superuser:
        return f"{user} is a superuser, which can switch the audit log's triggers off."
    cursor.execute(
        "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relkind IN ('r', 'p') AND pg_has_role(current_user, relowner, 'MEMBER')"
    )
    owned = cursor.fetchone()[0]
    if owned:
        return (
            f"{user} owns {owned} of the tables (or belongs to their owner), so it can switch "
            "the audit log's triggers off."
        )
    return None


def _quote(cursor: Cursor, name: str) -> str:
    cursor.execute("SELECT quote_ident(%s)", [name])
    return str(cursor.fetchone()[0])


def _check_tables(cursor: Cursor, role: str, tables: Iterable[str]) -> list[str]:
    """The owners of ``tables``; refuses if one is missing, if ``role`` owns one (or belongs to
    a role that does), or if this connection may not grant on it."""
    owners: set[str] = set()
    for table in tables:
        cursor.execute(
            "SELECT pg_get_userbyid(c.relowner), pg_has_role(%s, c.relowner, 'MEMBER'), "
            "pg_has_role(current_user, c.relowner, 'USAGE'), current_user "
            "FROM pg_class c WHERE c.oid = to_regclass(%s)",
            [role, table],
        )
        row = cursor.fetchone()
        if row is None:
            raise RoleError(f"Table {table} does not exist: run `riskpath migrate` first.")
        owner, role_owns, may_grant, current = row
        if role_owns:
            raise RoleError(
                f"{role} owns {table} (or belongs to its owner, {owner}), so it could alter the "
                "table and drop the audit log's triggers. Run migrations as another role "
                "(DATABASE_OWNER_URL) and connect the application as one that owns nothing."
            )
        if not may_grant:
            raise RoleError(
                f"{current} may not grant on {table}, which {owner} owns: run this connected "
                "as the owner (DATABASE_OWNER_URL)."
            )
        owners.add(owner)
    return sorted(owners)


def _check_effective(cursor: Cursor, role: str, grants: list[TableGrant]) -> None:
    """Refuse if the role still holds more than it was granted, by PUBLIC or membership."""
    cursor.execute("SHOW server_version_num")
    privileges = TABLE_PRIVILEGES + (("MAINTAIN",) if int(cursor.fetchone()[0]) >= 170000 else ())
    for grant in grants:
        for privilege in privileges:
            if privilege in grant.privileges:
                continue
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, grant.table, privilege])
            if cursor.fetchone()[0]:
                raise RoleError(
                    f"{role} still has {privilege} on {grant.table} after the grant, from PUBLIC "
                    "or a role it belongs to: revoke it there."
                )


class MigrationRouter:
    """While ``riskpath migrate`` runs as the owner, every query a migration makes goes there.

    A data migration should read and write through ``schema_editor.connection.alias``, but not
    every one does (third-party ones among them): a query on the default connection would run
    as the application's role, outside the migration's transaction, and wait for the lock that
    transaction holds on the same table, for ever. Outside ``migrate`` this router says nothing
    and Django's default connection is used."""

    alias: str | None = None  # set by ``riskpath migrate`` for the length of the migration

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return MigrationRouter.alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return MigrationRouter.alias
