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


def test_insert_many_writes_what_bulk_create_would() -> None:
    from riskpath.meetings.models import AgendaItem, ItemKind
    from tests.factories import AreaFactory
    from tests.meetings.scenario import build_scene, schedule

    scene = build_scene(AreaFactory())
    meeting = schedule(scene)
    from riskpath.core.db import insert_many

    items = [
        AgendaItem(
            meeting=meeting,
            position=n,
            kind=ItemKind.OTHER,
            title=f"Item {n}",
            young_person=scene.person if n == 1 else None,
            intelligence_ids=["a", "b"] if n == 1 else [],
        )
        for n in (1, 2)
    ]
    insert_many(items)
    stored = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    assert [i.pk for i in stored] == [i.pk for i in items]
    assert stored[0].intelligence_ids == ["a", "b"] and stored[0].young_person == scene.person
    assert stored[1].intelligence_ids == [] and stored[1].version == 1
    assert all(i.created_at is not None and not i.confidential for i in stored)
    assert not items[0]._state.adding
