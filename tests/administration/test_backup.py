"""`riskpath backup` and `riskpath restore`: a round trip on the database the suite runs on
(SQLite, and PostgreSQL in CI), what restore refuses, and what it says of a restored audit log
that has been tampered with."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.administration.backup import BackupError, Target, backup, restore
from riskpath.audit.checkpoints import checkpoint_write
from riskpath.audit.models import AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from tests import postgres

KEY = "5b2e8c1d9f4a7e3b6c0d2f8a1e9b4c7d3a6f0e2b8d5c1a9e7f4b3d6c0a2e8f1b"
ON_POSTGRESQL = connection.vendor == "postgresql"

# A restore replaces the database under every connection: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def _run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _owner_target() -> Target:
    """The test database reached as the role that owns its tables, as an operator restores."""
    credentials: dict[str, Any] = dict(connection.settings_dict)
    if ON_POSTGRESQL:
        credentials.update(postgres.roles().owner)
    return Target(vendor=connection.vendor, settings=credentials)


def _app_role() -> str | None:
    return postgres.roles().app_role if ON_POSTGRESQL else None


@pytest.fixture
def filled(make_user: Callable[..., User]) -> User:
    user = make_user(Role.LEAD_PROFESSIONAL)
    for n in range(5):
        audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"n": n})
    return user


def test_a_restore_brings_back_the_database_as_it_was_backed_up(
    filled: User, make_user: Callable[..., User], tmp_path: Path
) -> None:
    archive = tmp_path / "riskpath.backup"
    size = backup(_owner_target(), archive)
    assert size == archive.stat().st_size > 0
    users_then = set(User.objects.values_list("email", flat=True))
    events_then = AuditEvent.objects.count()

    later = make_user(Role.CHAIR)  # made after the backup: the restore takes it away
    audit_record(actor=later, verb=Verb.PERSON_VIEWED)

    restored = restore(_owner_target(), archive, force=True, app_role=_app_role())

    assert set(User.objects.values_list("email", flat=True)) == users_then
    assert not User.objects.filter(pk=later.pk).exists()
    assert restored.chain_problem is None
    # the backup's own event is recorded once the file is written, so it is not in the file;
    # the restore's is appended after the restored chain has been checked
    assert restored.events == events_then - 1
    assert AuditEvent.objects.count() == events_then
    recorded = AuditEvent.objects.get(verb=Verb.DATABASE_RESTORED)
    assert recorded.changes == {
        "file": "riskpath.backup",
        "events_restored": events_then - 1,
        "chain_intact": True,
        "checkpoints_agree": None,
    }
    assert dict(restored.counts)["users"] == len(users_then)
    # the application still works on the restored tables, as its own role
    audit_record(actor=filled, verb=Verb.PERSON_VIEWED)
    assert _run("audit", "verify").startswith("Audit chain intact")


def test_the_commands_round_trip_and_check_the_signed_checkpoints(
    filled: User, tmp_path: Path, settings: Any
) -> None:
    if ON_POSTGRESQL and "owner" not in settings.DATABASES:
        pytest.skip("restoring runs as the owner role of DATABASE_OWNER_URL, which is not set")
    settings.AUDIT_CHECKPOINT_KEY = KEY
    settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    exported = tmp_path / "checkpoints.jsonl"
    checkpoint_write(export_to=exported)
    archive = tmp_path / "riskpath.backup"

    said = _run("backup", "--to", str(archive))
    assert said.startswith(f"Backed up to {archive}")

    said = _run("restore", "--from", str(archive), "--checkpoints", str(exported), "--force")
    assert "Audit chain intact" in said
    assert "Signed checkpoints agree: 1" in said
    assert "users" in said


def test_restore_refuses_a_database_that_is_not_empty(filled: User, tmp_path: Path) -> None:
    archive = tmp_path / "riskpath.backup"
    backup(_owner_target(), archive)
    before = AuditEvent.objects.count()
    with pytest.raises(BackupError, match=r"is not empty .* run again with --force"):
        restore(_owner_target(), archive)
    assert AuditEvent.objects.count() == before


def test_restore_refuses_a_file_that_is_not_a_backup_or_of_the_other_database(
    filled: User, tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a riskpath backup"):
        _run("restore", "--from", str(text), "--force")
    with pytest.raises(CommandError, match="There is no backup file"):
        _run("restore", "--from", str(tmp_path / "missing.backup"))

    other = tmp_path / "other.backup"
    other.write_bytes(b"SQLite format 3\x00" if ON_POSTGRESQL else b"PGDMP\x01\x0e\x00")
    kind = "SQLite" if ON_POSTGRESQL else "PostgreSQL"
    with pytest.raises(CommandError, match=f"is a backup of a {kind} database"):
        _run("restore", "--from", str(other), "--force")
    assert User.objects.filter(pk=filled.pk).exists()


def test_backup_names_a_directory_it_cannot_write_in(filled: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no directory"):
        _run("backup", "--to", str(tmp_path / "absent" / "riskpath.backup"))
    with pytest.raises(CommandError, match="is a directory"):
        _run("backup", "--to", str(tmp_path))


@pytest.mark.skipif(ON_POSTGRESQL, reason="edits the backup file with SQLite")
def test_a_tampered_backup_is_restored_but_reported_and_the_command_fails(
    filled: User, tmp_path: Path
) -> None:
    archive = tmp_path / "riskpath.backup"
    backup(_owner_target(), archive)
    with sqlite3.connect(archive) as copy:
        copy.execute("UPDATE audit_auditevent SET reason = 'rewritten' WHERE seq = 2")
    copy.close()

    with pytest.raises(CommandError, match="restored audit chain is broken") as refused:
        _run("restore", "--from", str(archive), "--force")
    assert refused.value.returncode == 1
