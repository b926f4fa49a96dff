"""Signed checkpoints make a full re-hash of the audit log detectable: someone who holds the
database can rewrite an event and re-hash every later one so that `riskpath audit verify`
passes, but the checkpoints exported with a key kept outside the database no longer agree."""

from __future__ import annotations

import json
import threading
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from riskpath.accounts.enums import Role
from riskpath.audit.checkpoints import checkpoint_line, checkpoint_write, key_id_of
from riskpath.audit.models import AuditCheckpoint, AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from tests.audit.intruder import rewrite_and_rehash, tamper

KEY = "3f1c9a0b7e5d4c2a1908f7e6d5c4b3a2918f7e6d5c4b3a29180f7e6d5c4b3a2a"
OLD_KEY = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

# The intruder changes committed rows on another connection: these tests are transactional.
tampering = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def checkpoint_key(settings: Any) -> str:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    return KEY


@pytest.fixture
def user(make_user: Any) -> Any:
    return make_user(Role.LEAD_PROFESSIONAL)


def _append(user: Any, count: int) -> None:
    for i in range(count):
        audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"n": i})


def _run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@tampering
def test_a_full_rehash_fools_verify_but_not_the_signed_checkpoints(
    user: Any, tmp_path: Path
) -> None:
    exported = tmp_path / "checkpoints.jsonl"
    for _ in range(5):  # a checkpoint after every event
        _append(user, 1)
        _run("checkpoint", "--export", str(exported))

    rewrite_and_rehash(3, actor_label="someone else")

    assert "5 events verified" in _run("verify")  # the chain alone looks intact
    with pytest.raises(CommandError) as info:
        _run("verify", "--checkpoints", str(exported))
    assert info.value.returncode == 1
    message = str(info.value)
    assert "event #3 does not match the signed checkpoint of " in message
    assert "the log has been rewritten since" in message


@tampering
def test_sparse_checkpoints_bound_where_the_rewrite_lies(user: Any, tmp_path: Path) -> None:
    exported = tmp_path / "checkpoints.jsonl"
    _append(user, 2)
    _run("checkpoint", "--export", str(exported))
    _append(user, 4)
    _run("checkpoint", "--export", str(exported))

    rewrite_and_rehash(4, reason="nothing to see")

    with pytest.raises(CommandError, match=r"event #6 does not match") as info:
        _run("verify", "--checkpoints", str(exported))
    assert "somewhere in events #3 to #6: event #2 still matches its checkpoint" in str(info.value)


@tampering
def test_cutting_the_log_short_and_rewinding_the_head_is_found(user: Any, tmp_path: Path) -> None:
    exported = tmp_path / "checkpoints.jsonl"
    _append(user, 5)
    _run("checkpoint", "--export", str(exported))
    event_3 = AuditEvent.objects.get(seq=3)
    tamper(
        ("DELETE FROM audit_auditevent WHERE seq > %s", [3]),
        (
            "UPDATE audit_auditchain SET seq = %s, hash = %s WHERE chain = %s",
            [3, event_3.hash, event_3.chain],
        ),
    )

    assert "3 events verified" in _run("verify")
    with pytest.raises(CommandError, match=r"event #5 of the signed checkpoint of .* is missing"):
        _run("verify", "--checkpoints", str(exported))


def test_checkpoints_that_agree_pass(user: Any, tmp_path: Path) -> None:
    exported = tmp_path / "checkpoints.jsonl"
    _append(user, 2)
    first = _run("checkpoint", "--export", str(exported))
    _append(user, 3)
    _run("checkpoint", "--export", str(exported))

    assert first.startswith("Checkpoint signed at ")
    assert f"with key {key_id_of(KEY.encode())}, exported to {exported}:" in first
    assert f"the chain of area {user.area_id}: event #2" in first
    output = _run("verify", "--checkpoints", str(exported))
    assert "Audit chain intact: 5 events verified." in output
    assert f"Signed checkpoints agree: 2 in {exported}, of 1 chain(s), signed from " in output


def test_a_checkpoint_is_stored_and_exported_alike(user: Any, tmp_path: Path) -> None:
    _append(user, 3)
    exported = tmp_path / "checkpoints.jsonl"
    (checkpoint,) = checkpoint_write(export_to=exported)

    stored = AuditCheckpoint.objects.get()
    assert (stored.seq, stored.event_hash) == (3, AuditEvent.objects.get(seq=3).hash)
    assert stored.chain == f"area:{user.area_id}"
    assert exported.read_text() == checkpoint_line(checkpoint) + "\n"
    line = _lines(exported)[0]
    assert line["seq"] == 3 and line["hmac"] == stored.signature
    assert KEY not in exported.read_text()


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        (lambda line: {**line, "hmac": "0" * 64}, "Line 1 of .* does not carry a valid signature"),
        (lambda line: {**line, "hash": "a" * 64}, "Line 1 of .* does not carry a valid signature"),
        (lambda line: {**line, "seq": line["seq"] - 1}, "does not carry a valid signature"),
        (lambda line: {**line, "key": "0123456789abcdef"}, "signed with key 0123456789abcdef"),
    ],
)
def test_a_forged_or_altered_checkpoint_is_refused(
    user: Any, tmp_path: Path, forge: Any, message: str
) -> None:
    _append(user, 3)
    exported = tmp_path / "checkpoints.jsonl"
    checkpoint_write(export_to=exported)
    exported.write_text(json.dumps(forge(_lines(exported)[0])) + "\n")

    with pytest.raises(CommandError, match=message):
        _run("verify", "--checkpoints", str(exported))


def test_a_checkpoint_signed_with_another_key_is_refused(
    user: Any, tmp_path: Path, settings: Any
) -> None:
    _append(user, 3)
    exported = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_KEY = OLD_KEY
    checkpoint_write(export_to=exported)
    settings.AUDIT_CHECKPOINT_KEY = KEY

    with pytest.raises(CommandError, match=f"signed with key {key_id_of(OLD_KEY.encode())}"):
        _run("verify", "--checkpoints", str(exported))


def test_after_rotation_retired_keys_still_check_their_checkpoints(
    user: Any, tmp_path: Path, settings: Any
) -> None:
    exported = tmp_path / "checkpoints.jsonl"
    _append(user, 2)
    settings.AUDIT_CHECKPOINT_KEY = OLD_KEY
    checkpoint_write(export_to=exported)

    key_file = tmp_path / "checkpoint-keys"
    key_file.write_text(f"# current key first, then retired ones\n{KEY}\n{OLD_KEY}\n")
    settings.AUDIT_CHECKPOINT_KEY = ""
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(key_file)
    _append(user, 2)
    checkpoint_write(export_to=exported)

    assert [line["key"] for line in _lines(exported)] == [
        key_id_of(OLD_KEY.encode()),
        key_id_of(KEY.encode()),
    ]
    assert "Signed checkpoints agree: 2" in _run("verify", "--checkpoints", str(exported))


@pytest.mark.parametrize("action", [["checkpoint"], ["verify", "--checkpoints", "unused.jsonl"]])
def test_a_missing_key_is_a_clear_error(db: None, settings: Any, action: list[str]) -> None:
    settings.AUDIT_CHECKPOINT_KEY = ""
    audit_record(actor=None, verb=Verb.SIGNED_IN, actor_label="someone")
    with pytest.raises(CommandError, match="No checkpoint key: set AUDIT_CHECKPOINT_KEY"):
        _run(*action)
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.parametrize(
    ("key", "key_file", "message"),
    [
        ("short", None, "key 1 has 5 characters; a checkpoint key needs at least 32"),
        (KEY, "", "Set AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE, not both"),
        ("", "missing", "Cannot read the checkpoint key file .*: No such file or directory"),
        ("", "# only a comment\n", "holds no checkpoint key"),
    ],
)
def test_an_unusable_key_is_a_clear_error(
    db: None, settings: Any, tmp_path: Path, key: str, key_file: str | None, message: str
) -> None:
    settings.AUDIT_CHECKPOINT_KEY = key
    if key_file is not None:
        path = tmp_path / "key"
        if key_file != "missing":
            path.write_text(key_file)
        settings.AUDIT_CHECKPOINT_KEY_FILE = str(path)
    audit_record(actor=None, verb=Verb.SIGNED_IN, actor_label="someone")
    with pytest.raises(CommandError, match=message):
        _run("checkpoint")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Cannot read the checkpoint file .*: No such file or directory"),
        ("", "holds no checkpoints"),
        ("{}\nnot json\n", "Line 1 of .* is not a checkpoint: it has no chain, seq, hash"),
        ("\nnot json\n", "Line 2 of .* is not a checkpoint: it is not JSON"),
        ("[1, 2]\n", "Line 1 of .* is not a checkpoint: it is not a JSON object"),
    ],
)
def test_a_bad_checkpoint_file_is_a_clear_error(
    db: None, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        _run("verify", "--checkpoints", str(path))


def test_a_line_with_a_bad_field_is_named(user: Any, tmp_path: Path) -> None:
    _append(user, 1)
    path = tmp_path / "checkpoints.jsonl"
    checkpoint_write(export_to=path)
    good = _lines(path)[0]
    for field, value, why in [
        ("seq", "1", "its seq is not an event number"),
        ("hash", "xyz", "its hash is not 64 hexadecimal digits"),
        ("signed_at", "yesterday", "its signed_at is not a date and time"),
        ("signed_at", "2026-12-04T02:00:00", "its signed_at has no time zone"),
    ]:
        path.write_text(json.dumps(good) + "\n" + json.dumps({**good, field: value}) + "\n")
        with pytest.raises(CommandError, match=f"Line 2 of .* is not a checkpoint: {why}"):
            _run("verify", "--checkpoints", str(path))


def test_an_empty_log_has_nothing_to_checkpoint(db: None) -> None:
    assert "nothing to checkpoint yet" in _run("checkpoint")
    assert not AuditCheckpoint.objects.exists()


@tampering
def test_a_broken_chain_is_not_signed(user: Any) -> None:
    _append(user, 3)
    tamper(("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["edited", 2]))
    broken = (
        f"Not signed: the audit chain is broken: the chain of area {user.area_id}: event #2 has"
    )
    with pytest.raises(CommandError, match=broken):
        _run("checkpoint")
    assert not AuditCheckpoint.objects.exists()


@tampering
def test_a_rewrite_since_the_last_checkpoint_is_not_signed(user: Any) -> None:
    _append(user, 3)
    _run("checkpoint")
    _append(user, 2)
    rewrite_and_rehash(2, actor_label="someone else")

    with pytest.raises(
        CommandError, match=f"Not signed: the chain of area {user.area_id}: event #3 does not match"
    ):
        _run("checkpoint")
    assert AuditCheckpoint.objects.count() == 1


def test_an_export_that_fails_is_reported_and_the_checkpoint_kept(
    user: Any, tmp_path: Path
) -> None:
    _append(user, 2)
    with pytest.raises(CommandError, match="stored in the database but could not be exported"):
        _run("checkpoint", "--export", str(tmp_path / "no-such-directory" / "checkpoints.jsonl"))
    assert AuditCheckpoint.objects.filter(seq=2).exists()


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_does_not_wait_for_appenders(user: Any) -> None:
    """An appender holds the chain head's lock until its request's transaction commits; a
    checkpoint taken meanwhile neither waits for that lock nor takes it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the checkpoint's insert would queue")
    _append(user, 3)
    appending, release = threading.Event(), threading.Event()

    def request() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=None, verb=Verb.SIGNED_IN, actor_label="mid-request")
                appending.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=request)
    thread.start()
    try:
        assert appending.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        (checkpoint,) = checkpoint_write()
        assert checkpoint.seq == 3  # the uncommitted event is not part of the log yet
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert AuditEvent.objects.count() == 4
