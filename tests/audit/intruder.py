"""What someone who holds the database could do to the audit log behind the application's back.

On PostgreSQL the application's role may not touch the log, so the intruder connects as the
tables' owner and switches the append-only triggers off first; the rows they change must
therefore be committed, and tests that use this are transactional. On SQLite there is neither
role nor trigger, and the intruder just writes."""

from __future__ import annotations

from typing import Any

from django.db import connection

from tests import postgres


def tamper(*statements: tuple[str, list[Any]]) -> None:
    """Run each ``(sql, params)`` on the audit tables, together, as the intruder."""
    if connection.vendor == "postgresql":
        with postgres.owner_connection() as conn:
            conn.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            conn.execute("ALTER TABLE audit_auditchain DISABLE TRIGGER USER")
            for sql, params in statements:
                conn.execute(sql, params)
            conn.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            conn.execute("ALTER TABLE audit_auditchain ENABLE TRIGGER USER")
    else:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)


def rewrite_and_rehash(seq: int, chain: str | None = None, **changes: Any) -> None:
    """Change event ``seq`` of ``chain`` (the only chain with events, if not given), then
    re-hash it and every later event of the chain and move the chain head to the new last
    hash: a rewrite that ``riskpath audit verify`` alone cannot see."""
    from riskpath.audit.chain import HASHED_FIELDS, event_hash
    from riskpath.audit.models import AuditEvent

    statements: list[tuple[str, list[Any]]] = []
    if chain is None:
        (chain,) = set(AuditEvent.objects.values_list("chain", flat=True))
    events = list(AuditEvent.objects.filter(chain=chain, seq__gte=seq).order_by("seq"))
    prev_hash = events[0].prev_hash
    for event in events:
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event.seq == seq:
            fields.update(changes)
        fields["prev_hash"] = prev_hash
        new_hash = event_hash(fields)
        assignments = ", ".join(f"{name} = %s" for name in changes) if event.seq == seq else ""
        values = list(changes.values()) if event.seq == seq else []
        statements.append(
            (
                "UPDATE audit_auditevent SET "
                + (assignments + ", " if assignments else "")
                + "prev_hash = %s, hash = %s WHERE chain = %s AND seq = %s",
                [*values, prev_hash, new_hash, chain, event.seq],
            )
        )
        prev_hash = new_hash
    statements.append(
        ("UPDATE audit_auditchain SET hash = %s WHERE chain = %s", [prev_hash, chain])
    )
    tamper(*statements)
