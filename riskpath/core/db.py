"""Keeping the database's query planner informed.

SQLite keeps no table statistics until ``ANALYZE`` runs, and without them it guesses at join
orders: on a large area the cohort and young person pages went from about 150 ms to several
seconds. ``refresh_statistics`` runs after migrations, after the demo data and after each bulk
import. On SQLite it samples each index (``analysis_limit``), so it costs milliseconds even on a
large database; on PostgreSQL autovacuum keeps statistics, and a bulk load only needs
``ANALYZE`` of what changed, which PostgreSQL does cheaply."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate fires once per app and also after ``flush`` (the tests' reset): refresh
    once, after the last app, and only when ``migrate`` applied migrations."""
    from django.apps import apps

    if kwargs.get("plan") and sender is list(apps.get_app_configs())[-1]:
        refresh_statistics(using)
