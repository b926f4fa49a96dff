"""Building a PIMM agenda: ``.venv/bin/python benchmarks/meeting_agenda.py [--quick]``.

A fortnight's worth of record for one area: 1,000 new intelligence items (about young people,
persons of interest and places), 500 young people on the cohort (100 at tier 1, 200 at tier 2,
200 at tier 3), 2,000 open actions from the previous PIMM, then times ``agenda_build`` for the
next PIMM (target: under 1 s), and the chair's meeting page and largest agenda section page of
the last one built, through Django's test client (target: under 1 s). Each timed run builds the
agenda of a new meeting at the same time, so every run does the whole build. Uses
``benchmarks/run.py``'s database set-up (SQLite by default; PostgreSQL with ``DATABASE_URL``).
Nothing here asserts: the figures are for reading.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.run import Figure, fmt_int, fmt_ms, progress, record  # noqa: E402

TARGET = 1.0  # seconds
PAGE_TARGET = 1.0  # seconds: the large area's agenda page (a 150-item PIMM: 0.3 s)


@dataclass(frozen=True)
class Sizes:
    young_people: int
    items: int
    cohort: tuple[int, int, int]  # at tiers 1, 2, 3
    actions: int
    persons_of_interest: int
    locations: int
    runs: int


FULL = Sizes(3_000, 1_000, (100, 200, 200), 2_000, 200, 150, 7)
QUICK = Sizes(300, 100, (10, 20, 20), 200, 20, 15, 3)


def build(sizes: Sizes, rng: random.Random) -> tuple[object, object]:
    """The area's record; returns (the chair, the PIMM meeting type)."""
    from django.utils import timezone
    from faker import Faker

    from riskpath.accounts.enums import Role
    from riskpath.cohort.models import CohortMembership
    from riskpath.core import clock
    from riskpath.intelligence.models import IntelligenceItem
    from riskpath.meetings import services
    from riskpath.meetings.models import (
        Action,
        CoreMember,
        MeetingKind,
        MeetingType,
        MemberCapacity,
    )
    from riskpath.people.models import PersonOfInterest, YoungPerson
    from tests.factories import UserFactory
    from tests.intelligence.factories import LocationFactory

    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    world = run.build_world()
    area = world.area
    admin = UserFactory(agency=world.agency, roles=[Role.AREA_ADMINISTRATOR])
    services.meeting_types_install_presets(actor=admin, area=area)
    pimm = MeetingType.objects.get(area=area, kind=MeetingKind.PIMM)
    chair = UserFactory(agency=world.agency, roles=[Role.CHAIR])
    CoreMember.objects.create(meeting_type=pimm, user=chair, capacity=MemberCapacity.CHAIR)
    today = clock.today()
    now = clock.now()

    progress(f"{fmt_int(sizes.young_people)} young people")
    people = YoungPerson.objects.bulk_create(
        [
            YoungPerson(
                area=area,
                given_names=fake.first_name(),
                family_name=fake.last_name(),
                recording_agency=world.agency,
                recorded_by=world.user,
            )
            for _ in range(sizes.young_people)
        ],
        batch_size=1000,
    )
    progress("cohort")
    members = rng.sample(people, sum(sizes.cohort))
    tiers = [1] * sizes.cohort[0] + [2] * sizes.cohort[1] + [3] * sizes.cohort[2]
    CohortMembership.objects.bulk_create(
        [
            CohortMembership(
                area=area,
                young_person=p,
                tier=t,
                entered_at=now - dt.timedelta(days=90),
                entry_reason="Concerns shared at the PIMM",
                last_discussed_on=today - dt.timedelta(days=rng.choice([14, 28, 42])),
            )
            for p, t in zip(members, tiers, strict=True)
        ],
        batch_size=1000,
    )
    pois = PersonOfInterest.objects.bulk_create(
        [
            PersonOfInterest(
                area=area,
                given_names=fake.first_name(),
                family_name=fake.last_name(),
                recording_agency=world.agency,
                recorded_by=world.user,
            )
            for _ in range(sizes.persons_of_interest)
        ]
    )
    places = [LocationFactory(area=area) for _ in range(sizes.locations)]
    progress(f"{fmt_int(sizes.items)} intelligence items in the fortnight")
    agencies = [world.agency, *world.other_agencies]
    items = IntelligenceItem.objects.bulk_create(
        [
            IntelligenceItem(
                area=area,
                reported_on=today - dt.timedelta(days=rng.randint(0, 13)),
                source_agency=rng.choice(agencies),
                submitted_by=world.user,
                text=fake.paragraph(),
                source_evaluation=rng.choice("12"),
                assessment=rng.choice("ABC"),
                handling_code="P",
                provenance="first_hand",
                harm_types=[rng.choice(["cce", "cse", "county_lines"])],
            )
            for _ in range(sizes.items)
        ],
        batch_size=1000,
    )
    yp = IntelligenceItem.young_people.through
    yp.objects.bulk_create(
        [yp(intelligenceitem_id=i.pk, youngperson_id=rng.choice(people).pk) for i in items],
        batch_size=1000,
    )
    poi = IntelligenceItem.persons_of_interest.through
    poi.objects.bulk_create(
        [
            poi(intelligenceitem_id=i.pk, personofinterest_id=rng.choice(pois).pk)
            for i in items[: len(items) // 3]
        ]
    )
    loc = IntelligenceItem.locations.through
    loc.objects.bulk_create(
        [
            loc(intelligenceitem_id=i.pk, location_id=rng.choice(places).pk)
            for i in items[: len(items) // 4]
        ]
    )
    progress(f"{fmt_int(sizes.actions)} open actions from the previous PIMM")
    previous = services.meeting_schedule(
        actor=chair,
        meeting_type=pimm,
        starts_at=timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=14), dt.time(10))
        ),
    )
    Action.objects.bulk_create(
        [
            Action(
                area=area,
                meeting=previous,
                description=fake.sentence(),
                owner_agency=rng.choice(agencies),
                due_on=today + dt.timedelta(days=rng.randint(-10, 20)),
                created_by=chair,
            )
            for _ in range(sizes.actions)
        ],
        batch_size=1000,
    )
    return chair, pimm


def bench(sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from django.utils import timezone

    from riskpath.core import clock
    from riskpath.meetings import agenda, services
    from riskpath.meetings.models import AgendaItem

    chair, pimm = build(sizes, rng)
    run.settle()
    starts = timezone.make_aware(
        dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(10))
    )
    times = []
    added = 0
    for n in range(sizes.runs + 1):
        meeting = services.meeting_schedule(actor=chair, meeting_type=pimm, starts_at=starts)
        begin = time.perf_counter()
        added = len(agenda.agenda_build(actor=chair, meeting=meeting))
        if n:  # the first run warms the caches
            times.append(time.perf_counter() - begin)
    median = statistics.median(times)
    size = (
        f"{fmt_int(sizes.items)} new items, {fmt_int(sum(sizes.cohort))} on the cohort, "
        f"{fmt_int(sizes.actions)} open actions"
    )
    record(
        Figure(
            "PIMM agenda built from the record",
            vendor,
            size,
            f"median of {len(times)} builds",
            fmt_ms(median),
            f"{fmt_int(added)} agenda items; target < {fmt_ms(TARGET)}: "
            + ("met" if median < TARGET else "MISSED"),
        )
    )
    progress(f"{AgendaItem.objects.count()} agenda items written in all")
    pages(meeting, chair, vendor, size, added)


def pages(meeting: object, chair: object, vendor: str, size: str, added: int) -> None:
    """The chair's meeting page (every section folded to its first items) and the largest
    section's first page, in-process through Django's test client (the server time)."""
    from django.urls import reverse

    from benchmarks.large_area import signed_in_client
    from riskpath.meetings.models import AgendaItem

    client = signed_in_client(chair)
    largest = (
        AgendaItem.objects.filter(meeting=meeting)
        .values_list("section", flat=True)
        .order_by("section")
    )
    counts: dict[str, int] = {}
    for section in largest:
        counts[section] = counts.get(section, 0) + 1
    biggest = max(counts, key=counts.__getitem__)
    pk = meeting.pk  # type: ignore[attr-defined]
    for label, url in (
        ("PIMM meeting page (agenda by section)", reverse("meetings:detail", args=[pk])),
        (
            f"PIMM agenda section page ({counts[biggest]} items, page 1)",
            reverse("meetings:agenda_section", args=[pk, biggest]),
        ),
    ):
        times = []
        length = 0
        for n in range(6):
            begin = time.perf_counter()
            response = client.get(url)
            if n:
                times.append(time.perf_counter() - begin)
            assert response.status_code == 200, (url, response.status_code)
            length = len(response.content)
        median = statistics.median(times)
        record(
            Figure(
                label,
                vendor,
                f"{fmt_int(added)} agenda items ({size})",
                f"median of {len(times)} requests, in-process",
                fmt_ms(median),
                f"{length / 1024:.0f} KB; target < {fmt_ms(PAGE_TARGET)}: "
                + ("met" if median < PAGE_TARGET else "MISSED"),
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--seed", type=int, default=20261122, help="seed for synthetic data")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="riskpath-bench-"))
    try:
        run.configure_django(tmp)

        began = time.perf_counter()
        with run.fresh_database():
            vendor, version = run.database_description()
            progress(f"database: {version}")
            bench(sizes, vendor, rng)
        run.print_table(run.run_facts(version, began, "quick (--quick)" if args.quick else "full"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
