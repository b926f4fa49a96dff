"""The hash of an audit event and the walk that verifies the whole chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
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
    payload = {}
    for name in HASHED_FIELDS:
        value = fields.get(name)
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


def verify_chain(batch_size: int = 2000) -> tuple[int, ChainProblem | None]:
    """Walk every event in order. Returns the number checked and the first problem, if any."""
    from riskpath.audit.models import AuditChainHead, AuditEvent

    checked = 0
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event in _iter_events(AuditEvent, batch_size):
        if event.seq != expected_seq:
            return checked, ChainProblem(
                event.seq,
                f"event #{event.seq} follows #{expected_seq - 1}: event #{expected_seq} is missing",
            )
        if event.prev_hash != expected_prev:
            return checked, ChainProblem(
                event.seq, f"event #{event.seq} does not link to the event before it"
            )
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event_hash(fields) != event.hash:
            return checked, ChainProblem(
                event.seq, f"event #{event.seq} has been altered since it was written"
            )
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None:
        if checked:
            return checked, ChainProblem(None, "the chain head record is missing")
        return checked, None
    if head.seq != last_seq or (checked and head.hash != expected_prev):
        return checked, ChainProblem(
            head.seq,
            f"the chain head records event #{head.seq} but the log ends at #{last_seq}: "
            "events have been removed from the end",
        )
    return checked, None


def _iter_events(model: Any, batch_size: int) -> Iterator[Any]:
    last = 0
    while True:
        batch = list(model.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
