"""Restricted content is never written to the audit log: what an intelligence item says, a
confidential slot's title… Services pass such values through ``restricted`` so that the log
keeps that a field was there and changed, its length and a digest to compare with the record,
never the text itself.

The digest is keyed (HMAC-SHA-256 with a key derived from the installation's ``SECRET_KEY``):
what was searched for is often a short name, and a plain hash of a short name is found by
hashing every name in a directory. Without the key, a copy of the log says nothing of the
words; with it, an investigator can check a given word against an event."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.crypto import salted_hmac

DIGEST_SALT = "riskpath.audit.restricted.digest"


def digest(value: Any) -> dict[str, Any]:
    """What the log keeps of restricted content: that it was there, how long, and a keyed
    digest to compare with the record (never the text)."""
    text = "" if value is None else str(value)
    mac = salted_hmac(DIGEST_SALT, text, algorithm="sha256").hexdigest()[:16]
    return {"hmac": mac, "length": len(text)}


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
