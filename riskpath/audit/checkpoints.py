"""Signed checkpoints of the audit chain.

The hash chain shows that no event has changed, unless every later event and the chain head
were re-hashed too, which whoever holds the database can do. A checkpoint pins a point of the
chain with a signature the database cannot make: the chain, an event's ``seq`` and hash, and the
time, under HMAC-SHA256 with a key from the environment (``AUDIT_CHECKPOINT_KEY``, or a file
named by ``AUDIT_CHECKPOINT_KEY_FILE``). Checkpoints are stored in the database and exported, one
JSON line each, to a file kept elsewhere; ``verify_checkpoints`` compares such a file with the
log. See docs/audit.md, "Checkpoints".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from riskpath.audit.chain import GENESIS_HASH, ChainProblem, ChainWalk, chains, walk_chain
from riskpath.audit.models import AuditCheckpoint, AuditEvent, chain_prefix
from riskpath.core import clock

KEY_MIN_LENGTH = 32
SIGNED_FORMAT = "riskpath-audit-checkpoint-v1"
NEW_KEY_COMMAND = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_LINE_FIELDS = ("chain", "seq", "hash", "signed_at", "key", "hmac")


class CheckpointError(Exception):
    """A checkpoint cannot be written or checked; the message says why and what to do."""


class CheckpointKeyError(CheckpointError):
    """The checkpoint key is missing or unusable."""


class NothingToCheckpoint(CheckpointError):
    """The log is empty."""


@dataclass(frozen=True)
class CheckpointKey:
    key_id: str
    secret: bytes = field(repr=False)


@dataclass(frozen=True)
class SignedPoint:
    """A checkpoint as signed: from the database or from a line of an exported file."""

    chain: str
    seq: int
    event_hash: str
    signed_at: dt.datetime
    key_id: str
    signature: str
    line: int = 0  # its line in the file it was read from

    @property
    def when(self) -> str:
        return format_time(self.signed_at)


@dataclass(frozen=True)
class CheckpointsChecked:
    count: int
    chains: int
    first: SignedPoint
    last: SignedPoint
    problem: ChainProblem | None


def format_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def key_id_of(secret: bytes) -> str:
    """A short, public name for a key: which key signed a checkpoint, without revealing it."""
    return hashlib.sha256(b"riskpath audit checkpoint key\n" + secret).hexdigest()[:16]


def checkpoint_keys() -> list[CheckpointKey]:
    """The configured keys: the current one first (it signs), then retired ones, which only
    check the checkpoints they signed. Keys are separated by white space or new lines; in a
    key file, lines starting with ``#`` are comments."""
    inline = settings.AUDIT_CHECKPOINT_KEY
    path = settings.AUDIT_CHECKPOINT_KEY_FILE
    if inline and path:
        raise CheckpointKeyError("Set AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE, not both.")
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not text"
            raise CheckpointKeyError(
                f"Cannot read the checkpoint key file (AUDIT_CHECKPOINT_KEY_FILE={path}): {reason}."
            ) from exc
        source = f"The key file {path}"
    elif inline:
        text, source = inline, "AUDIT_CHECKPOINT_KEY"
    else:
        raise CheckpointKeyError(
            "No checkpoint key: set AUDIT_CHECKPOINT_KEY, or AUDIT_CHECKPOINT_KEY_FILE to a file "
            "that holds it, on the machine that runs this command, never in the database. "
            f"Make a key with: {NEW_KEY_COMMAND}"
        )
    secrets = [
        token
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
        for token in line.split()
    ]
    if not secrets:
        raise CheckpointKeyError(f"{source} holds no checkpoint key.")
    for number, secret in enumerate(secrets, start=1):
        if len(secret) < KEY_MIN_LENGTH:
            raise CheckpointKeyError(
                f"{source}: key {number} has {len(secret)} characters; a checkpoint key needs at "
                f"least {KEY_MIN_LENGTH}. Make one with: {NEW_KEY_COMMAND}"
            )
    return [CheckpointKey(key_id_of(s.encode()), s.encode()) for s in secrets]


def sign(
    key: CheckpointKey, *, chain: str, seq: int, event_hash: str, signed_at: dt.datetime
) -> str:
    message = "\n".join(
        [SIGNED_FORMAT, chain, str(seq), event_hash, _iso(signed_at), key.key_id]
    ).encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def signature_holds(point: SignedPoint, key: CheckpointKey) -> bool:
    expected = sign(
        key,
        chain=point.chain,
        seq=point.seq,
        event_hash=point.event_hash,
        signed_at=point.signed_at,
    )
    return point.key_id == key.key_id and hmac.compare_digest(expected, point.signature)


def checkpoint_line(checkpoint: AuditCheckpoint) -> str:
    """The checkpoint as one line of JSON, for the exported file."""
    return json.dumps(
        {
            "chain": checkpoint.chain,
            "seq": checkpoint.seq,
            "hash": checkpoint.event_hash,
            "signed_at": _iso(checkpoint.signed_at),
            "key": checkpoint.key_id,
            "hmac": checkpoint.signature,
        }
    )


def checkpoint_write(*, export_to: str | Path | None = None) -> list[AuditCheckpoint]:
    """Sign the end of every chain as it stands, store the checkpoints, and append them to the
    file ``export_to``. What the daily timer runs, through ``riskpath audit checkpoint``.

    It never holds up a request: it reads the log without taking the locks appenders queue
    for, holds no transaction open while it reads, and its writes are rows of its own table.
    Before signing it checks each chain's events since the last stored checkpoint of that chain
    it can trust (or the whole chain, the first time), so that it never signs a chain that is
    already broken or rewritten; if any chain is, it signs none and raises ``CheckpointError``
    saying what is wrong."""
    keys = checkpoint_keys()
    ends: list[ChainWalk] = []
    names: list[str] = []
    for chain in chains():
        last = AuditEvent.objects.filter(chain=chain).order_by("-seq").values_list("seq").first()
        if last is None:
            continue
        end_seq = last[0]
        start_seq, start_hash = _trusted_start(keys, chain, end_seq)
        walk = walk_chain(
            chain=chain, after_seq=start_seq, after_hash=start_hash, until_seq=end_seq
        )
        if walk.problem is not None:
            raise CheckpointError(f"Not signed: the audit chain is broken: {walk.problem.message}.")
        if walk.last_seq != end_seq:
            raise CheckpointError(
                f"Not signed: {chain_prefix(chain)}event #{end_seq} disappeared while the chain "
                "was being checked."
            )
        ends.append(walk)
        names.append(chain)
    if not ends:
        raise NothingToCheckpoint("The audit log is empty: there is nothing to checkpoint yet.")
    signer = keys[0]
    signed_at = clock.now()
    checkpoints = []
    for chain, walk in zip(names, ends, strict=True):
        checkpoint = AuditCheckpoint(
            chain=chain,
            seq=walk.last_seq,
            event_hash=walk.last_hash,
            signed_at=signed_at,
            key_id=signer.key_id,
        )
        checkpoint.signature = sign(
            signer,
            chain=checkpoint.chain,
            seq=checkpoint.seq,
            event_hash=checkpoint.event_hash,
            signed_at=signed_at,
        )
        checkpoint.save()
        checkpoints.append(checkpoint)
    if export_to is not None:
        export_checkpoints(checkpoints, export_to)
    return checkpoints


def export_checkpoints(checkpoints: list[AuditCheckpoint], path: str | Path) -> None:
    """Append the checkpoints' lines to ``path`` and make sure they have reached the disk."""
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.writelines(checkpoint_line(checkpoint) + "\n" for checkpoint in checkpoints)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise CheckpointError(
            f"{len(checkpoints)} checkpoint(s) are stored in the database but could not be "
            f"exported to {path}: {exc.strerror}."
        ) from exc


def read_checkpoint_file(path: str | Path) -> list[SignedPoint]:
    """Every checkpoint in an exported file. Raises ``CheckpointError`` naming the first line
    that is not one, or if the file holds none."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not text"
        raise CheckpointError(f"Cannot read the checkpoint file {path}: {reason}.") from exc
    points = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            points.append(_parse_line(raw, number, path))
    if not points:
        raise CheckpointError(f"{path} holds no checkpoints.")
    return points


def verify_checkpoints(path: str | Path) -> CheckpointsChecked:
    """Check every checkpoint of an exported file: its signature, with the configured keys,
    then that the event it names still has the hash it signed. Raises ``CheckpointError`` for
    an unreadable file, a missing key or a signature that does not hold (the file is not to be
    trusted); returns the first event, in the order of the log, that disagrees with its
    checkpoint as ``problem``."""
    keys = {key.key_id: key for key in checkpoint_keys()}
    points = read_checkpoint_file(path)
    for point in points:
        where = f"Line {point.line} of {path}"
        key = keys.get(point.key_id)
        if key is None:
            raise CheckpointKeyError(
                f"{where} was signed with key {point.key_id}, which is not configured. If it is a "
                "retired key, add it after the current one (docs/audit.md, 'Rotating the key')."
            )
        if not signature_holds(point, key):
            raise CheckpointError(
                f"{where} does not carry a valid signature (event #{point.seq}, "
                f"{point.when}): it has been altered or forged, so this file cannot be trusted."
            )
    ordered = sorted(points, key=lambda p: (p.chain, p.seq, p.signed_at))
    hashes = _event_hashes({(point.chain, point.seq) for point in points})
    problem = None
    agreeing: SignedPoint | None = None
    for point in ordered:
        if agreeing is not None and agreeing.chain != point.chain:
            agreeing = None
        said = chain_prefix(point.chain)
        actual = hashes.get((point.chain, point.seq))
        if actual is None:
            problem = ChainProblem(
                point.seq,
                f"{said}event #{point.seq} of the signed checkpoint of {point.when} is missing: "
                "the log has been cut short since",
                point.chain,
            )
            break
        if actual != point.event_hash:
            where = ""
            if agreeing is not None and agreeing.seq < point.seq - 1:
                where = (
                    f" (somewhere in events #{agreeing.seq + 1} to #{point.seq}: event "
                    f"#{agreeing.seq} still matches its checkpoint of {agreeing.when})"
                )
            problem = ChainProblem(
                point.seq,
                f"{said}event #{point.seq} does not match the signed checkpoint of {point.when}: "
                f"the log has been rewritten since{where}",
                point.chain,
            )
            break
        agreeing = point
    by_time = sorted(points, key=lambda p: (p.signed_at, p.chain, p.seq))
    return CheckpointsChecked(
        count=len(points),
        chains=len({point.chain for point in points}),
        first=by_time[0],
        last=by_time[-1],
        problem=problem,
    )


def _trusted_start(keys: list[CheckpointKey], chain: str, end_seq: int) -> tuple[int, str]:
    """Where to start checking ``chain`` before a new checkpoint: its newest stored checkpoint
    signed with a configured key, once its signature and its event are confirmed; else the
    chain's start."""
    by_id = {key.key_id: key for key in keys}
    stored = (
        AuditCheckpoint.objects.filter(chain=chain, key_id__in=list(by_id))
        .order_by("-seq", "-signed_at")
        .first()
    )
    if stored is None:
        return 0, GENESIS_HASH
    point = SignedPoint(
        chain=stored.chain,
        seq=stored.seq,
        event_hash=stored.event_hash,
        signed_at=stored.signed_at,
        key_id=stored.key_id,
        signature=stored.signature,
    )
    event = f"{chain_prefix(chain)}event #{point.seq}"
    if not signature_holds(point, by_id[stored.key_id]):
        raise CheckpointError(
            f"Not signed: the stored checkpoint of {event} ({point.when}) has a "
            "signature that does not hold, so the checkpoint table has been written to behind "
            "riskpath's back. Check the log with `riskpath audit verify --checkpoints FILE`."
        )
    if point.seq > end_seq:
        raise CheckpointError(
            f"Not signed: {event} of the signed checkpoint of {point.when} is "
            "missing: the log has been cut short since."
        )
    actual = (
        AuditEvent.objects.filter(chain=chain, seq=point.seq).values_list("hash", flat=True).first()
    )
    if actual != point.event_hash:
        raise CheckpointError(
            f"Not signed: {event} does not match the signed checkpoint of "
            f"{point.when}: the log has been rewritten since."
        )
    return point.seq, point.event_hash


def _event_hashes(wanted: set[tuple[str, int]], chunk: int = 500) -> dict[tuple[str, int], str]:
    by_chain: dict[str, list[int]] = {}
    for chain, seq in wanted:
        by_chain.setdefault(chain, []).append(seq)
    hashes: dict[tuple[str, int], str] = {}
    for chain, seqs in by_chain.items():
        seqs.sort()
        for start in range(0, len(seqs), chunk):
            rows = AuditEvent.objects.filter(chain=chain, seq__in=seqs[start : start + chunk])
            for seq, value in rows.values_list("seq", "hash"):
                hashes[(chain, seq)] = value
    return hashes


def _parse_line(raw: str, number: int, path: str | Path) -> SignedPoint:
    def refuse(why: str) -> CheckpointError:
        return CheckpointError(f"Line {number} of {path} is not a checkpoint: {why}.")

    try:
        data: Any = json.loads(raw)
    except json.JSONDecodeError:
        raise refuse("it is not JSON") from None
    if not isinstance(data, dict):
        raise refuse("it is not a JSON object")
    missing = [name for name in _LINE_FIELDS if name not in data]
    if missing:
        raise refuse(f"it has no {', '.join(missing)}")
    seq = data["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise refuse("its seq is not an event number")
    for name in ("chain", "key", "signed_at"):
        if not isinstance(data[name], str) or not data[name]:
            raise refuse(f"its {name} is not text")
    for name in ("hash", "hmac"):
        if not isinstance(data[name], str) or not _HEX64.match(data[name]):
            raise refuse(f"its {name} is not 64 hexadecimal digits")
    try:
        signed_at = dt.datetime.fromisoformat(data["signed_at"])
    except ValueError:
        raise refuse("its signed_at is not a date and time") from None
    if signed_at.tzinfo is None:
        raise refuse("its signed_at has no time zone")
    return SignedPoint(
        chain=data["chain"],
        seq=seq,
        event_hash=data["hash"],
        signed_at=signed_at,
        key_id=data["key"],
        signature=data["hmac"],
        line=number,
    )


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
