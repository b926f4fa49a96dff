"""The header search at scale: ``.venv/bin/python benchmarks/search.py [--quick]``.

One area with 100,000 young people (10,000 with ``--quick``), 10,000 persons of interest,
5,000 locations and 1,000 groups (a tenth with ``--quick``), all with Faker (en_GB) names,
dates of birth and postcodes; the search index built by ``riskpath.search.index.rebuild`` (the
``riskpath search-index rebuild`` command), timed. Then 200 searches each way, drawn from real
records and mistyped as people type:

* the exact name; one letter left out of the family name; given name and family name with a
  date of birth whose day and month are swapped; a family name and postcode district;
* in-process (``riskpath.search.services.search``, the audit event included) as a consultant
  social worker, who may open every young person, and as a partner representative, who may
  open none of them (so they are only said to exist);
* through HTTP (the whole request: middleware, view, template, audit) with Django's test
  client, as the consultant.

Prints the median and 95th percentile against the targets (median < 50 ms, p95 < 150 ms) and
how often the record searched for is first among the young people (recall at 1) and among
the first five. Uses ``benchmarks/run.py``'s database set-up (SQLite by default; PostgreSQL
with ``DATABASE_URL``, in its own database). Nothing here asserts: the figures are for reading.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.run import Figure, fmt_int, fmt_ms, progress, record  # noqa: E402

MEDIAN_TARGET = 0.050
P95_TARGET = 0.150


@dataclass(frozen=True)
class Sizes:
    young_people: int
    persons_of_interest: int
    locations: int
    groups: int
    searches: int
    http_searches: int


FULL = Sizes(100_000, 10_000, 5_000, 1_000, 200, 100)
QUICK = Sizes(10_000, 1_000, 500, 100, 100, 50)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def load(world: Any, sizes: Sizes, rng: random.Random) -> None:
    """Young people (with postcodes), persons of interest, locations and groups, bulk-created
    (no signals: the index is built afterwards, as after any bulk load)."""
    from faker import Faker

    from riskpath.groups.models import Group
    from riskpath.locations.models import Location
    from riskpath.people.duplicates import name_keys
    from riskpath.people.models import PersonOfInterest, YoungPerson

    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    begin = time.perf_counter()
    batch: list[Any] = []
    for _ in range(sizes.young_people):
        n = rng.randrange(len(world.other_agencies))
        given, family = fake.first_name(), fake.last_name()
        person = YoungPerson(
            area=world.area,
            given_names=given,
            family_name=family,
            date_of_birth=fake.date_of_birth(minimum_age=11, maximum_age=17),
            postcode=fake.postcode(),
            recording_agency=world.other_agencies[n],
            recorded_by=world.recorders[n],
        )
        person.given_key, person.family_key = name_keys(given, family)
        batch.append(person)
        if len(batch) >= 5000:
            YoungPerson.objects.bulk_create(batch, batch_size=1000)
            batch = []
    YoungPerson.objects.bulk_create(batch, batch_size=1000)
    pois = []
    for _ in range(sizes.persons_of_interest):
        given, family = fake.first_name(), fake.last_name()
        poi = PersonOfInterest(
            area=world.area,
            given_names=given,
            family_name=family,
            aliases=[fake.first_name()] if rng.random() < 0.3 else [],
            postcode=fake.postcode(),
            recording_agency=world.other_agencies[0],
            recorded_by=world.recorders[0],
        )
        poi.given_key, poi.family_key = name_keys(given, family)
        pois.append(poi)
    PersonOfInterest.objects.bulk_create(pois, batch_size=1000)
    Location.objects.bulk_create(
        [
            Location(
                area=world.area,
                name=f"{fake.street_name()} {rng.choice(['park', 'shop', 'car park', 'station'])}",
                address=fake.street_address(),
                postcode=fake.postcode(),
                kind="address",
                recording_agency=world.other_agencies[0],
                recorded_by=world.recorders[0],
            )
            for _ in range(sizes.locations)
        ],
        batch_size=1000,
    )
    Group.objects.bulk_create(
        [
            Group(
                area=world.area,
                name=f"{fake.street_name()} {rng.choice(['crew', 'boys', 'lot', 'gang'])}",
                kind="peer_group",
                recording_agency=world.other_agencies[0],
                recorded_by=world.recorders[0],
            )
            for _ in range(sizes.groups)
        ],
        batch_size=1000,
    )
    progress(f"records loaded in {time.perf_counter() - begin:.1f} s")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1 :]


def queries(world: Any, sizes: Sizes, rng: random.Random) -> list[tuple[str, Any]]:
    """(typed search, the young person it is for), each of the four shapes in turn."""
    from riskpath.people.models import YoungPerson

    people = list(
        YoungPerson.objects.filter(area=world.area)
        .order_by("?")
        .values_list("pk", "given_names", "family_name", "date_of_birth", "postcode")[
            : sizes.searches
        ]
    )
    out = []
    for n, (pk, given, family, dob, postcode) in enumerate(people):
        shape = n % 4
        if shape == 0:
            text = f"{given} {family}"
        elif shape == 1:
            text = f"{given} {_typo(family, rng)}"
        elif shape == 2:
            day, month = (dob.month, dob.day) if dob.day <= 12 else (dob.day, dob.month)
            text = f"{given} {family} {day:02d}/{month:02d}/{dob.year}"
        else:
            text = f"{family} {postcode.split()[0]}"
        out.append((text, pk))
    return out


def timed(fn: Callable[[], Any]) -> float:
    begin = time.perf_counter()
    fn()
    return time.perf_counter() - begin


def bench(sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from django.urls import reverse

    from benchmarks.large_area import get_ok, signed_in_client
    from riskpath.search import index
    from riskpath.search.models import SearchKey
    from riskpath.search.services import search

    world = run.build_world()
    load(world, sizes, rng)
    begin = time.perf_counter()
    counts = index.rebuild()
    build_s = time.perf_counter() - begin
    keys = SearchKey.objects.count()
    run.settle()
    size = (
        f"{fmt_int(sizes.young_people)} young people, {fmt_int(sizes.persons_of_interest)} "
        f"persons of interest, {fmt_int(sizes.locations)} locations, {fmt_int(sizes.groups)} "
        "groups"
    )
    record(
        Figure(
            "search index rebuild",
            vendor,
            size,
            "one run",
            f"{build_s:.1f} s",
            f"{fmt_int(sum(counts.values()))} entries, {fmt_int(keys)} keys",
        )
    )
    asked = queries(world, sizes, rng)
    for who, user in [
        ("consultant social worker", world.consultant),
        ("partner representative", world.recorders[0]),
    ]:
        for text, _ in asked[:10]:
            search(user, text)  # warm-up
        times = []
        first = top5 = 0
        for text, pk in asked:
            begin = time.perf_counter()
            results = search(user, text)
            times.append(time.perf_counter() - begin)
            young = next(g for g in results.groups if g.kind == "young_person")
            ids = [hit.record_id for hit in young.hits]
            first += bool(ids) and ids[0] == pk
            top5 += pk in ids
        median, high = statistics.median(times), p95(times)
        met = median < MEDIAN_TARGET and high < P95_TARGET
        record(
            Figure(
                f"header search in-process, {who}",
                vendor,
                size,
                f"median / p95 of {len(asked)} searches",
                f"{fmt_ms(median)} / {fmt_ms(high)}",
                f"target < 50 ms / < 150 ms: {'met' if met else 'MISSED'}; the record first "
                f"{first / len(asked):.0%}, in the first five {top5 / len(asked):.0%}",
            )
        )
    client = signed_in_client(world.consultant)
    url = reverse("search:results")
    http = asked[: sizes.http_searches]
    for text, _ in http[:5]:
        get_ok(client, f"{url}?{urlencode({'q': text})}")
    times = [
        timed(lambda text=text: get_ok(client, f"{url}?{urlencode({'q': text})}"))
        for text, _ in http
    ]
    median, high = statistics.median(times), p95(times)
    record(
        Figure(
            "header search through HTTP, consultant social worker",
            vendor,
            size,
            f"median / p95 of {len(http)} requests",
            f"{fmt_ms(median)} / {fmt_ms(high)}",
            "whole request: middleware, view, template, audit",
        )
    )


def main(argv: list[str] | None = None) -> int:
    return run.standalone(
        argv,
        description=__doc__.splitlines()[0],
        bench=bench,
        full=FULL,
        quick=QUICK,
        seed=20261204,
        database="riskpath_bench_search",
    )


if __name__ == "__main__":
    raise SystemExit(main())
