"""One audit chain per area, and one for the installation: areas append without queueing behind
each other, each chain verifies on its own, and a break is reported with the chain it is in."""

from __future__ import annotations

import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.audit.chain import GENESIS_HASH, HASHED_FIELDS, event_hash, verify_chain
from riskpath.audit.models import AuditChain, AuditEvent, chain_for_area
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from tests.audit.intruder import tamper
from tests.factories import AgencyFactory, AreaFactory, UserFactory


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_areas(make_user: Any) -> tuple[User, User]:
    here = make_user(Role.LEAD_PROFESSIONAL)
    there = UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.LEAD_PROFESSIONAL])
    for n in range(3):
        audit_record(actor=here, verb=Verb.PERSON_VIEWED, changes={"n": n})
    for n in range(2):
        audit_record(actor=there, verb=Verb.PERSON_VIEWED, changes={"n": n})
    audit_record(actor=None, verb=Verb.SIGN_IN_FAILED, actor_label="someone")
    return here, there


def test_each_area_numbers_its_own_chain_and_events_of_no_area_go_to_the_installation(
    two_areas: tuple[User, User],
) -> None:
    here, there = two_areas
    by_chain: dict[str, list[int]] = {}
    for chain, seq in AuditEvent.objects.order_by("id").values_list("chain", "seq"):
        by_chain.setdefault(chain, []).append(seq)
    assert by_chain == {
        f"area:{here.area_id}": [1, 2, 3],
        f"area:{there.area_id}": [1, 2],
        "installation": [1],
    }
    assert AuditChain.objects.get(chain=f"area:{there.area_id}").seq == 2
    assert verify_chain() == (6, None)
    assert "Audit chain intact: 6 events verified." in _verify()
    said = _verify("--area", str(there.area_id))
    assert f"Audit chain intact: the chain of area {there.area_id}: 2 events verified." in said


def test_an_event_of_the_installation_chain_is_hashed_as_before_there_were_area_chains() -> None:
    fields: dict[str, Any] = {name: None for name in HASHED_FIELDS}
    fields.update(seq=7, verb="SIGNED_IN", changes={}, prev_hash=GENESIS_HASH)
    without_chain = {k: v for k, v in fields.items() if k != "chain"}
    assert event_hash({**fields, "chain": "installation"}) == event_hash(without_chain)
    # an area's event covers its chain: it cannot be moved into another area's chain
    one = event_hash({**fields, "chain": chain_for_area("0f0e8c53-3bde-4bd8-9ad4-4c1a1f5a2b10")})
    other = event_hash({**fields, "chain": chain_for_area("5d7e4c21-8f3a-4c55-b1c2-9e8d7f6a5b4c")})
    assert len({one, other, event_hash(without_chain)}) == 3


@pytest.mark.django_db(transaction=True)
def test_a_break_names_its_area_and_the_other_chains_still_verify(
    two_areas: tuple[User, User],
) -> None:
    here, there = two_areas
    tamper(
        (
            "UPDATE audit_auditevent SET reason = %s WHERE chain = %s AND seq = %s",
            ["edited", f"area:{there.area_id}", 2],
        )
    )
    with pytest.raises(CommandError) as broken:
        _verify()
    assert broken.value.returncode == 1
    assert f"the chain of area {there.area_id}: event #2 has been altered" in str(broken.value)
    assert "3 events verified" in _verify("--area", str(here.area_id))
    with pytest.raises(CommandError, match="event #2 has been altered"):
        _verify("--area", str(there.area_id))


def test_verify_names_a_malformed_area_id(two_areas: tuple[User, User]) -> None:
    with pytest.raises(CommandError, match="--area: invalid UUID value"):
        call_command("audit", "verify", "--area", "not-an-id")


@pytest.mark.django_db(transaction=True)
def test_an_area_appends_while_another_areas_chain_is_locked(
    two_areas: tuple[User, User],
) -> None:
    """A writer holding one area's chain does not hold up another area's writer (on SQLite
    every writer queues for the one database lock, so this is PostgreSQL's)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time, whichever chain it appends to")
    here, there = two_areas
    holding = threading.Event()
    release = threading.Event()
    appended: list[int] = []
    errors: list[BaseException] = []

    def hold_here() -> None:
        try:
            with transaction.atomic():
                audit_record(actor=here, verb=Verb.PERSON_VIEWED)  # locks here's chain
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def append_there() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")
            appended.append(audit_record(actor=there, verb=Verb.PERSON_VIEWED).seq)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_here)
    holder.start()
    assert holding.wait(timeout=30)
    other = threading.Thread(target=append_there)
    other.start()
    other.join(timeout=20)
    finished_while_held = not other.is_alive()
    release.set()
    holder.join(timeout=30)
    other.join(timeout=30)
    assert errors == []
    assert finished_while_held
    assert appended == [3]
    assert verify_chain() == (8, None)
