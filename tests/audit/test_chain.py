"""The audit log is a hash chain: reads and writes add events, and any edit, deletion or
truncation is found by `riskpath audit verify`."""

from __future__ import annotations

import itertools
import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from riskpath.accounts.enums import Role
from riskpath.audit.chain import verify_chain
from riskpath.audit.models import AuditChain, AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from tests.audit.intruder import tamper
from tests.factories import YoungPersonFactory


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _tamper(sql: str, params: list[Any]) -> None:
    tamper((sql, params))


# The intruder's changes are made on another connection, which sees only committed events.
tampering = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events(make_user: Any) -> list[AuditEvent]:
    user = make_user(Role.LEAD_PROFESSIONAL)
    return [audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"n": i}) for i in range(5)]


def test_events_link_into_a_chain_that_verifies(events: list[AuditEvent]) -> None:
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    for earlier, later in itertools.pairwise(events):
        assert later.prev_hash == earlier.hash
    assert "5 events verified" in _verify()


@tampering
def test_an_edited_event_breaks_the_chain(events: list[AuditEvent]) -> None:
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["edited", 3])
    with pytest.raises(CommandError, match="#3 has been altered"):
        _verify()


@tampering
def test_a_deleted_event_breaks_the_chain(events: list[AuditEvent]) -> None:
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    with pytest.raises(CommandError, match="event #2 is missing"):
        _verify()


@tampering
def test_deleting_the_newest_events_is_found_from_the_chain_head(
    events: list[AuditEvent],
) -> None:
    _tamper("DELETE FROM audit_auditevent WHERE seq >= %s", [4])
    checked, problem = verify_chain()
    assert checked == 3
    assert problem is not None and "removed from the end" in problem.message


@tampering
def test_a_chain_head_moved_back_is_found(events: list[AuditEvent]) -> None:
    chain = events[0].chain
    _tamper(
        "UPDATE audit_auditchain SET seq = %s, hash = %s WHERE chain = %s",
        [3, events[2].hash, chain],
    )
    _checked, problem = verify_chain()
    assert problem is not None
    assert problem.chain == chain
    assert problem.message == (
        f"the chain of area {events[0].area_id}: the log ends at #5 but the chain head records "
        "event #3: the chain head has been moved back"
    )


@tampering
def test_a_chain_head_with_another_hash_is_found(events: list[AuditEvent]) -> None:
    _tamper("UPDATE audit_auditchain SET hash = %s WHERE chain = %s", ["f" * 64, events[0].chain])
    with pytest.raises(CommandError, match="the chain head records another hash for event #5"):
        _verify()


@tampering
def test_a_relinked_forgery_is_found(events: list[AuditEvent]) -> None:
    """Rewriting an event's hash to match its edit still breaks the next event's link."""
    forged = events[1]
    _tamper(
        "UPDATE audit_auditevent SET actor_label = %s, hash = %s WHERE seq = %s",
        ["someone else", "f" * 64, forged.seq],
    )
    _checked, problem = verify_chain()
    assert problem is not None and problem.seq == 2


@tampering
def test_verify_exits_non_zero(events: list[AuditEvent]) -> None:
    _tamper("UPDATE audit_auditevent SET verb = %s WHERE seq = %s", ["SIGNED_IN", 1])
    with pytest.raises(CommandError) as info:
        _verify()
    assert info.value.returncode == 1


def test_the_model_cannot_be_used_to_rewrite_an_event_on_postgresql(
    events: list[AuditEvent],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(reason="rewritten")


def test_a_write_and_its_event_commit_or_roll_back_together(make_user: Any) -> None:
    user = make_user(Role.LEAD_PROFESSIONAL)
    person = YoungPersonFactory(recording_agency=user.agency)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=user, verb=Verb.PERSON_UPDATED, target=person, subject=person)
        raise RuntimeError("the write failed")
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_UPDATED).exists()
    assert verify_chain()[1] is None


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_never_fork_the_chain(make_user: Any) -> None:
    user = make_user(Role.LEAD_PROFESSIONAL)
    writers, per_writer = 8, 250
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"w": n, "i": i})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == writers * per_writer
    checked, problem = verify_chain()
    assert problem is None
    assert checked == 2000
    assert AuditChain.objects.get(chain=f"area:{user.area_id}").seq == 2000
