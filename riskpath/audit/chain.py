"""The hash of an audit event and the walks that verify the chains: one per area, and the
installation's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
INSTALLATION_CHAIN = "installation"  # the chain of events of no area (riskpath.audit.models)
HASHED_FIELDS = (
    "chain",
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "area_id",
    "verb",
    "target_type",
    "target_id",
    "target_label",
    "subject_id",
    "subject_label",
    "changes",
    "basis",
    "reason",
    "request_id",
    "client_ip",
    "channel",
    "prev_hash",
)


def normalise_json(value: Any) -> Any:
    """The value as it will read back from the database's JSON column."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the event's fields. An event of the installation chain is hashed without its
    chain, as every event was before there were area chains, so the log written then verifies
    unchanged; an area's event covers its chain, so it cannot be moved to another."""
    payload = {}
    for name in HASHED_FIELDS:
        value = fields.get(name)
        if name == "chain":
            if value in (None, INSTALLATION_CHAIN):
                continue
        if name == "occurred_at" and value is not None:
            value = value.isoformat(timespec="microseconds")
        elif value is not None and name in {"actor_id", "area_id"}:
            value = str(value)
        payload[name] = value
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    message: str
    chain: str = INSTALLATION_CHAIN


@dataclass
class ChainWalk:
    """How far a walk along the chain got: the events it checked, the last good event's
    ``seq`` and ``hash``, and the first problem, if any."""

    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    problem: ChainProblem | None = None


def walk_chain(
    *,
    chain: str = INSTALLATION_CHAIN,
    after_seq: int = 0,
    after_hash: str = GENESIS_HASH,
    until_seq: int | None = None,
    batch_size: int = 2000,
) -> ChainWalk:
    """Check, in order, the events of ``chain`` after ``after_seq`` (whose hash, already
    trusted, is ``after_hash``) up to ``until_seq`` or the end: each follows the one before
    without a gap, links to its hash and still has the hash of its own fields. Reads only: it
    takes no lock and holds no transaction open, so appenders carry on while it runs."""
    from riskpath.audit.models import AuditEvent, chain_prefix

    def problem(seq: int, what: str) -> ChainProblem:
        return ChainProblem(seq, chain_prefix(chain) + what.format(event=f"event #{seq}"), chain)

    walk = ChainWalk(last_seq=after_seq, last_hash=after_hash)
    events = AuditEvent.objects.filter(chain=chain)
    for event in _iter_events(events, batch_size, after=after_seq, until=until_seq):
        expected_seq = walk.last_seq + 1
        if event.seq != expected_seq:
            walk.problem = problem(
                event.seq,
                f"{{event}} follows #{expected_seq - 1}: event #{expected_seq} is missing",
            )
            return walk
        if event.prev_hash != walk.last_hash:
            walk.problem = problem(event.seq, "{event} does not link to the event before it")
            return walk
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event_hash(fields) != event.hash:
            walk.problem = problem(event.seq, "{event} has been altered since it was written")
            return walk
        walk.last_seq, walk.last_hash = event.seq, event.hash
        walk.checked += 1
    return walk


def chains() -> list[str]:
    """Every chain the log holds: those with a recorded end and those with events (an end
    that is missing is itself a problem ``verify_chain`` reports)."""
    from riskpath.audit.models import AuditChain, AuditEvent

    found = set(AuditChain.objects.values_list("chain", flat=True))
    found |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    return sorted(found)


def verify_chain(
    batch_size: int = 2000, *, only: str | None = None
) -> tuple[int, ChainProblem | None]:
    """Walk every chain (or only the chain ``only``), each event in order. Returns the number
    of events checked and the first problem, if any."""
    checked = 0
    for chain in [only] if only is not None else chains():
        count, problem = verify_one_chain(chain, batch_size)
        checked += count
        if problem is not None:
            return checked, problem
    return checked, None


def verify_one_chain(chain: str, batch_size: int = 2000) -> tuple[int, ChainProblem | None]:
    """Walk one chain. The chain's recorded end is read before the walk and again after it, so
    that events appended while the walk runs are not mistaken for tampering: the chain must
    reach at least the first end (or events were removed from its end) and go no further than
    the second."""
    from riskpath.audit.models import AuditChain, AuditEvent, chain_prefix

    said = chain_prefix(chain)
    head_before = AuditChain.objects.filter(chain=chain).first()
    walk = walk_chain(chain=chain, batch_size=batch_size)
    if walk.problem is not None:
        return walk.checked, walk.problem
    if head_before is None:
        if walk.checked:
            return walk.checked, ChainProblem(
                None, f"{said}the chain head record is missing", chain
            )
        return walk.checked, None
    if walk.last_seq < head_before.seq:
        return walk.checked, ChainProblem(
            head_before.seq,
            f"{said}the chain head records event #{head_before.seq} but the log ends at "
            f"#{walk.last_seq}: events have been removed from the end",
            chain,
        )
    if head_before.seq and (
        AuditEvent.objects.filter(chain=chain, seq=head_before.seq)
        .values_list("hash", flat=True)
        .first()
        != head_before.hash
    ):
        return walk.checked, ChainProblem(
            head_before.seq,
            f"{said}the chain head records another hash for event #{head_before.seq}: the end "
            "of the log has been rewritten",
            chain,
        )
    head_after = AuditChain.objects.filter(chain=chain).first()
    if head_after is None or walk.last_seq > head_after.seq:
        recorded = head_after.seq if head_after is not None else 0
        return walk.checked, ChainProblem(
            recorded,
            f"{said}the log ends at #{walk.last_seq} but the chain head records event "
            f"#{recorded}: the chain head has been moved back",
            chain,
        )
    return walk.checked, None


def _iter_events(events: Any, batch_size: int, *, after: int, until: int | None) -> Iterator[Any]:
    last = after
    while True:
        page = events.filter(seq__gt=last).order_by("seq")
        if until is not None:
            page = page.filter(seq__lte=until)
        batch = list(page[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
