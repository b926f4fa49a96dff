"""Keeping the database's query planner informed, and writing many rows at once.

SQLite keeps no table statistics until ``ANALYZE`` runs, and without them it guesses at join
orders: on a large area the cohort and young person pages went from about 150 ms to several
seconds. ``refresh_statistics`` runs after migrations, after the demo data and after each bulk
import. On SQLite it samples each index (``analysis_limit``), so it costs milliseconds even on a
large database; on PostgreSQL autovacuum keeps statistics, and a bulk load only needs
``ANALYZE`` of what changed, which PostgreSQL does cheaply. Only a table's owner may ANALYZE it
there, and the application's role owns no table, so it calls a function that the owner's
migration left for it (``core/0001``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, router

SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT to_regprocedure('riskpath_refresh_statistics()') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("SELECT riskpath_refresh_statistics()")
            else:  # a database built without migrations
                cursor.execute("ANALYZE")


def after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate fires once per app and also after ``flush`` (the tests' reset): refresh
    once, after the last app, and only when ``migrate`` applied migrations."""
    from django.apps import apps

    if kwargs.get("plan") and sender is list(apps.get_app_configs())[-1]:
        refresh_statistics(using)


def insert_many(objs: Sequence[models.Model]) -> None:
    """INSERT new, complete rows of one model in a single ``executemany``.

    What ``bulk_create`` does for rows whose primary key is already set (riskpath's UUIDs),
    without its per-field SQL assembly, which for wide rows costs about a millisecond a row:
    an agenda of 3,000 items went from seconds to a few hundred milliseconds. Values go
    through each field's own ``pre_save`` and ``get_db_prep_save``, as ``bulk_create``'s do,
    so defaults, ``auto_now_add`` and JSON are handled the same way. No signals are sent."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, quoted by the backend; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
