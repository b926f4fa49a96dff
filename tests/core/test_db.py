"""The planner's statistics are refreshed after migrations, the demo data and imports."""

from __future__ import annotations

import pytest
from django.db import connection

from riskpath.core.db import refresh_statistics
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def _has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return bool(cursor.fetchone()[0])


def test_refresh_statistics_gives_the_planner_figures_for_populated_tables() -> None:
    for _ in range(3):
        YoungPersonFactory()
    assert not _has_statistics("people_youngperson")  # empty when the database was built
    refresh_statistics()
    assert _has_statistics("people_youngperson")
