"""On PostgreSQL the audit log has two defences: triggers refuse UPDATE, DELETE and TRUNCATE of
events whoever asks, and the application connects as a role that owns no table, so it can only
read and append, and can neither switch the triggers off nor drop them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from riskpath.accounts.enums import Role
from riskpath.audit.chain import verify_chain
from riskpath.audit.checkpoints import checkpoint_write
from riskpath.audit.models import AuditChain, AuditCheckpoint, AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.checks import check_application_role
from riskpath.core.db_roles import connected_role_problem, grant_app_role
from tests import postgres

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="roles and triggers are PostgreSQL's"
)

INSUFFICIENT_PRIVILEGE = "42501"

# What an application that had been taken over might try, to rewrite or hide the audit log.
ATTACKS = [
    "UPDATE audit_auditevent SET reason = 'rewritten' WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq = 1",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update",
    "DROP TRIGGER audit_auditevent_no_update ON audit_auditevent",
    "DROP TRIGGER audit_auditevent_no_truncate ON audit_auditevent",
    "DROP FUNCTION riskpath_audit_append_only() CASCADE",
    "ALTER TABLE audit_auditevent OWNER TO CURRENT_USER",
    "DROP TABLE audit_auditevent",
    "DELETE FROM audit_auditchain",
    "TRUNCATE audit_auditchain",
    "ALTER TABLE audit_auditchain DISABLE TRIGGER USER",
    "UPDATE audit_auditcheckpoint SET event_hash = repeat('0', 64)",
    "DELETE FROM audit_auditcheckpoint",
    "TRUNCATE audit_auditcheckpoint",
    "DROP TRIGGER audit_auditcheckpoint_no_update ON audit_auditcheckpoint",
    "INSERT INTO django_migrations (app, name, applied) VALUES ('audit', 'x', now())",
]

# What the triggers refuse even to the tables' owner.
REFUSED_TO_THE_OWNER = [
    "UPDATE audit_auditevent SET reason = 'rewritten' WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq = 1",
    "TRUNCATE audit_auditevent",
    "DELETE FROM audit_auditchain",
    "TRUNCATE audit_auditchain",
    "UPDATE audit_auditcheckpoint SET event_hash = repeat('0', 64)",
    "DELETE FROM audit_auditcheckpoint",
    "TRUNCATE audit_auditcheckpoint",
]


@pytest.fixture
def events(make_user: Any, settings: Any) -> list[AuditEvent]:
    """Three events and a signed checkpoint of them."""
    user = make_user(Role.LEAD_PROFESSIONAL)
    written = [
        audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"n": i}) for i in range(3)
    ]
    settings.AUDIT_CHECKPOINT_KEY = "a-key-for-the-tests-of-at-least-32-characters"
    checkpoint_write()
    return written


def _run(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_the_suite_connects_as_a_role_that_owns_no_table(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone()[0] is False
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
            "AND pg_has_role(current_user, relowner, 'MEMBER')"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass",
            ["audit_auditevent"],
        )
        assert cursor.fetchone()[0] == postgres.roles().owner["USER"]


@pytest.mark.parametrize("sql", ATTACKS)
def test_the_application_role_may_not_rewrite_or_hide_the_log(
    events: list[AuditEvent], sql: str
) -> None:
    with pytest.raises(DatabaseError) as info:
        _run(sql)
    # Refused by the privilege system, before any trigger is reached.
    assert info.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE  # type: ignore[union-attr]
    assert "append-only" not in str(info.value)
    # ...while appending, which every audited request does, still works and keeps the chain.
    audit_record(actor=None, verb=Verb.SIGNED_IN, actor_label="after the attempt")
    assert AuditEvent.objects.count() == 4
    assert AuditEvent.objects.get(chain=events[0].chain, seq=1).hash == events[0].hash
    assert verify_chain() == (4, None)
    # ...and so does signing a checkpoint, which the daily timer does as this role: the area's
    # chain (3 events) and the installation's (the sign-in of no area).
    assert sorted(c.seq for c in checkpoint_write()) == [1, 3]
    assert AuditCheckpoint.objects.count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sql", REFUSED_TO_THE_OWNER)
def test_the_triggers_refuse_even_the_owner(events: list[AuditEvent], sql: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        with postgres.owner_connection() as conn:
            conn.execute(sql)
    assert AuditEvent.objects.count() == 3
    assert AuditChain.objects.get(chain=events[0].chain).seq == 3
    assert AuditCheckpoint.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_granting_again_takes_back_what_the_role_should_not_have(db: None) -> None:
    app = postgres.roles().app_role
    with postgres.owner_connection() as conn:
        conn.execute(f"GRANT UPDATE, DELETE, TRUNCATE ON audit_auditevent TO {app}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege('audit_auditevent', 'TRUNCATE')")
        assert cursor.fetchone()[0] is True

    with postgres.owner_connection() as conn, conn.cursor() as cursor:
        grant_app_role(cursor, app)

    with connection.cursor() as cursor:
        for privilege, held in [
            ("SELECT", True),
            ("INSERT", True),
            ("UPDATE", False),
            ("DELETE", False),
            ("TRUNCATE", False),
        ]:
            cursor.execute("SELECT has_table_privilege('audit_auditevent', %s)", [privilege])
            assert cursor.fetchone()[0] is held, privilege
        cursor.execute("SELECT has_table_privilege('people_youngperson', 'DELETE')")
        assert cursor.fetchone()[0] is True


@pytest.mark.django_db(transaction=True)
def test_a_privilege_that_comes_through_public_is_refused(db: None) -> None:
    app = postgres.roles().app_role
    try:
        with postgres.owner_connection() as conn:
            conn.execute("GRANT UPDATE ON audit_auditevent TO PUBLIC")
        with pytest.raises(Exception, match="still has UPDATE on audit_auditevent"):
            with postgres.owner_connection() as conn, conn.cursor() as cursor:
                grant_app_role(cursor, app)
    finally:
        with postgres.owner_connection() as conn:
            conn.execute("REVOKE UPDATE ON audit_auditevent FROM PUBLIC")


def _grant(role: str, *extra: str) -> str:
    out = StringIO()
    call_command("db", "grant-app-role", "--role", role, *extra, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("no_such_role_riskpath", "There is no PostgreSQL role 'no_such_role_riskpath'"),
        ("postgres", "postgres is a superuser"),
    ],
)
def test_grant_app_role_refuses_a_role_that_would_not_be_safe(
    db: None, role: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _grant(role, "--database", "default")


def test_grant_app_role_refuses_the_owner_of_the_tables(db: None) -> None:
    owner = postgres.roles().owner["USER"]
    with postgres.owner_connection() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [owner])
        is_superuser = cursor.fetchone()[0]
        with pytest.raises(Exception, match="superuser" if is_superuser else f"{owner} owns"):
            grant_app_role(cursor, owner)
        conn.rollback()


def test_grant_app_role_must_be_run_as_the_owner(db: None) -> None:
    with pytest.raises(CommandError, match=r"may not grant on .* run this connected as the owner"):
        _grant(postgres.roles().app_role, "--database", "default")


def test_the_deploy_check_is_content_with_the_application_role(db: None) -> None:
    assert connected_role_problem(connection.cursor()) is None
    assert check_application_role(None, databases=["default"]) == []


def test_the_deploy_check_warns_of_a_connection_as_the_owner(db: None) -> None:
    owner = postgres.roles().owner["USER"]
    with postgres.owner_connection() as conn, conn.cursor() as cursor:
        problem = connected_role_problem(cursor)
    assert problem is not None
    assert problem.startswith((f"{owner} is a superuser", f"{owner} owns "))
