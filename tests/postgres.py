"""What the test suite needs to work on PostgreSQL around the audit log's defences."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations

# Every table that has triggers of its own (not the foreign-key constraint triggers).
TABLES_WITH_TRIGGERS = """
SELECT DISTINCT quote_ident(c.relname)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
ORDER BY 1
"""


def flush_past_triggers(patch: pytest.MonkeyPatch) -> None:
    """Make ``flush`` (what a transactional test ends with) switch the tables' own triggers
    off for its TRUNCATE, in the same transaction, so no other connection ever sees them off."""

    def execute_sql_flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute(TABLES_WITH_TRIGGERS)
                tables = [row[0] for row in cursor.fetchall()]
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                for sql in sql_list:
                    cursor.execute(sql)
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
