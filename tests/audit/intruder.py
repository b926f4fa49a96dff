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
            conn.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
            for sql, params in statements:
                conn.execute(sql, params)
            conn.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
            conn.execute("ALTER TABLE audit_auditchainhead ENABLE TRIGGER USER")
    else:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
