"""Restricted content is never written to the audit log: what an intelligence item says, a
confidential slot's title… Services pass such values through ``restricted`` so that the log
keeps that a field was there and changed, its length and a digest to compare with the record,
never the text itself."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any


def digest(value: Any) -> dict[str, Any]:
    """What the log keeps of restricted content: that it was there, how long, and a digest
    to compare with the record (never the text)."""
    text = "" if value is None else str(value)
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], "length": len(text)}


def restricted(changes: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """``changes`` with the values of ``fields`` replaced by digests, before and after."""
    out = dict(changes)
    for name in fields:
        if name not in out:
            continue
        value = out[name]
        if isinstance(value, dict) and set(value) <= {"before", "after"}:
            out[name] = {k: (digest(v) if v not in (None, "") else v) for k, v in value.items()}
        else:
            out[name] = digest(value)
    return out
