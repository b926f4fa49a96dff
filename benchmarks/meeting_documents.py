"""Meeting documents benchmark: ``.venv/bin/python benchmarks/meeting_documents.py``.

Renders the minutes of a 40-item meeting (each item with about 150 words of minutes, two
decisions and two actions) as PDF and as DOCX, in full and in the version for the young person
and family, through ``documents.minutes_export`` (the whole download: reading the meeting,
deciding what the reader may have, rendering and the audit event), and one member's papers
pack. Prints the median of 5 runs of each (after one warm-up run). Target: under 3 s each.

Uses the database set-up of ``benchmarks/run.py`` (a fresh SQLite file in a temporary
directory, or ``riskpath_bench_documents`` on PostgreSQL when DATABASE_URL points there,
dropped at the end). Nothing here asserts on time. See the "Meeting documents" section of
benchmarks/README.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (benchmarks/run.py: the shared database set-up)

ITEMS = 40
WORDS = 150
DECISIONS = 2
ACTIONS = 2
RUNS = 5


def build_meeting(rng: random.Random) -> tuple[Any, Any, Any, dict[str, int]]:
    """A held MARMM with ``ITEMS`` minuted items; returns (meeting, business support, a
    member, counts)."""
    from django.utils import timezone
    from faker import Faker

    from riskpath.accounts.enums import AgencyKind, Role
    from riskpath.core import clock
    from riskpath.meetings import services
    from riskpath.meetings.models import (
        Action,
        AgendaItem,
        Attendance,
        AttendanceStatus,
        Decision,
        DecisionKind,
        ItemMinutes,
        MeetingKind,
        MeetingStatus,
        MeetingType,
    )
    from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

    fake = Faker("en_GB")
    fake.seed_instance(rng.randint(0, 10**6))
    area = AreaFactory(name="Benchmark area")
    agencies = [
        AgencyFactory(area=area, name=f"Benchmark {kind.label}", kind=kind)
        for kind in (AgencyKind.SOCIAL_CARE, AgencyKind.POLICE, AgencyKind.EDUCATION)
    ]
    admin = UserFactory(agency=agencies[0], roles=[Role.AREA_ADMINISTRATOR])
    services.meeting_types_install_presets(actor=admin, area=area)
    support = UserFactory(agency=agencies[0], roles=[Role.ADMINISTRATOR])
    chair = UserFactory(agency=agencies[0], roles=[Role.INDEPENDENT_CHAIR])
    members = [
        UserFactory(agency=agencies[i % 3], roles=[Role.PARTNER_REPRESENTATIVE]) for i in range(10)
    ]
    person = YoungPersonFactory(recording_agency=agencies[0])
    marmm = MeetingType.objects.get(area=area, kind=MeetingKind.MARMM)
    starts = timezone.make_aware(dt.datetime.combine(clock.today(), dt.time(10)))
    meeting = services.meeting_schedule(
        actor=support, meeting_type=marmm, starts_at=starts, chair=chair, young_person=person
    )
    meeting.status = MeetingStatus.HELD
    meeting.papers_published_at = timezone.now()
    meeting.save()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            user=m,
            agency=m.agency,
            status=rng.choice([AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES]),
        )
        for m in members
    )
    now = timezone.now()
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            kind="other",
            title=fake.sentence(nb_words=6).rstrip("."),
            detail=fake.sentence(nb_words=20),
            young_person=person if n % 4 == 0 else None,
            confidential=n % 10 == 0,
            minutes_allowed=10,
        )
        for n in range(1, ITEMS + 1)
    )
    ItemMinutes.objects.bulk_create(
        ItemMinutes(item=item, discussion=" ".join(fake.words(nb=WORDS)) + ".", minuted_at=now)
        for item in items
    )
    Decision.objects.bulk_create(
        Decision(
            item=item,
            kind=DecisionKind.OTHER,
            text=fake.sentence(nb_words=15),
            recorded_by=chair,
            recorded_at=now,
        )
        for item in items
        for _ in range(DECISIONS)
    )
    Action.objects.bulk_create(
        Action(
            area=area,
            meeting=meeting,
            item=item,
            description=fake.sentence(nb_words=12),
            owner_user=rng.choice(members),
            due_on=clock.today() + dt.timedelta(days=rng.randint(1, 30)),
            created_by=support,
        )
        for item in items
        for _ in range(ACTIONS)
    )
    counts = {
        "items": len(items),
        "words": sum(len(m.discussion.split()) for m in ItemMinutes.objects.all()),
        "decisions": Decision.objects.count(),
        "actions": Action.objects.count(),
    }
    return meeting, support, members[0], counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs of each (median)")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="riskpath-bench-docs-"))
    try:
        # A PostgreSQL database of its own, so as not to disturb a run of benchmarks/run.py.
        bench.BENCH_DB_NAME = "riskpath_bench_documents"
        bench.configure_django(tmp)
        import django

        began = time.perf_counter()
        with bench.fresh_database():
            from riskpath.meetings import documents

            vendor, version = bench.database_description()
            bench.progress(f"database: {version}")
            meeting, support, member, counts = build_meeting(rng)
            bench.settle()
            size = (
                f"{counts['items']} items, {counts['words']:,} words of minutes, "
                f"{counts['decisions']} decisions, {counts['actions']} actions"
            )
            cases = [
                ("Minutes PDF (full)", lambda: documents.minutes_export(
                    actor=support, meeting=meeting, version="full", fmt="pdf")),
                ("Minutes DOCX (full)", lambda: documents.minutes_export(
                    actor=support, meeting=meeting, version="full", fmt="docx")),
                ("Minutes PDF (family)", lambda: documents.minutes_export(
                    actor=support, meeting=meeting, version="family", fmt="pdf")),
                ("Minutes DOCX (family)", lambda: documents.minutes_export(
                    actor=support, meeting=meeting, version="family", fmt="docx")),
                ("Papers pack PDF (a member)", lambda: documents.papers_open(
                    actor=member, meeting=meeting)),
            ]  # fmt: skip
            for name, fn in cases:
                result = fn()  # warm-up, and the file's size
                queries = bench.queries_per_call(fn)
                times = bench.timed_runs(fn, args.runs, warmup=0)
                median = statistics.median(times)
                bench.record(
                    bench.Figure(
                        benchmark=f"Meeting documents: {name}",
                        vendor=vendor,
                        size=size,
                        measure=f"median of {len(times)} runs",
                        result=bench.fmt_ms(median),
                        note=(
                            f"target < 3 s: {'met' if median < 3 else 'NOT met'}; "
                            f"{len(result.content) / 1024:.0f} KiB, {queries} queries; "
                            f"min {bench.fmt_ms(min(times))}, max {bench.fmt_ms(max(times))}"
                        ),
                    )
                )
        bench.print_table(
            {
                "Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
                "Database": version,
                "Machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
                "Python / Django": f"{platform.python_version()} / {django.get_version()}",
                "Total run time": f"{time.perf_counter() - began:.0f} s",
                "Load average (1 min)": bench.loadavg(),
            }
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
