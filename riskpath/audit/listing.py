"""Recording that a user was shown a list of records: the one helper every list read uses.

A list shows personal data as surely as a record's page does, so it is audited the same way:
one event per list shown, naming what was listed (the verb), how many and the filters, never
the records' contents. It is written before the list is shown; if it cannot be written the
request fails and the list is not shown (audit fails closed)."""

from __future__ import annotations

from typing import Any

from riskpath.audit.models import AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb


def audit_listing(
    actor: Any,
    verb: Verb,
    *,
    count: int,
    basis: str = "",
    target: Any = None,
    subject: Any = None,
    **details: Any,
) -> AuditEvent:
    """One event for one list shown to ``actor``: ``count`` rows, with ``details`` (filters,
    which page) as given. ``target`` is the record the list belongs to, if any (a group's
    members)."""
    changes = {"count": count, **{k: v for k, v in details.items() if v not in (None, "", [])}}
    return audit_record(
        actor=actor, verb=verb, target=target, subject=subject, basis=basis, changes=changes
    )
