"""The network chart at scale: ``.venv/bin/python benchmarks/network.py [--quick]``.

One area whose cohort holds 2,000 young people (500 with ``--quick``), 400 persons of interest
(100) and 100 locations (25), joined by about three links per young person (Faker en_GB names,
random ends; nothing real). As a consultant social worker (who may open every young person of
the area), times:

* the cohort's chart (``riskpath.network.selectors.network_for_user``: the reads, the
  visibility checks, the analysis and the audit event), with the node cap lifted so that
  every record is in it;
* the analysis alone (``riskpath.network.analysis.analyse``: measures and findings) on that
  graph, beside networkx's bare calls on the same graph (betweenness, components, Louvain,
  articulation points, core numbers), so the overhead of riskpath's wrapping shows;
* the chart around one young person, two steps out.

Prints the median of a few runs. Uses ``benchmarks/run.py``'s database set-up (SQLite by
default; PostgreSQL with ``DATABASE_URL``, in its own database). Nothing here asserts.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.run import Figure, fmt_int, fmt_ms, progress, record  # noqa: E402


@dataclass(frozen=True)
class Sizes:
    young_people: int
    persons_of_interest: int
    locations: int
    links_per_person: int
    runs: int


FULL = Sizes(2_000, 400, 100, 3, 5)
QUICK = Sizes(500, 100, 25, 3, 3)


def median_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        begin = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), result


def load(world: Any, sizes: Sizes, rng: random.Random) -> list[Any]:
    from django.utils import timezone
    from faker import Faker

    from riskpath.cohort.models import CohortMembership
    from riskpath.links.models import Link, LinkKind, LinkStrength
    from riskpath.locations.models import Location
    from riskpath.people.models import PersonOfInterest, YoungPerson

    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    run.add_people(world, sizes.young_people, 0, rng)
    people = list(YoungPerson.objects.filter(area=world.area).order_by("pk"))
    agency, recorder = world.other_agencies[0], world.recorders[0]
    pois = PersonOfInterest.objects.bulk_create(
        PersonOfInterest(
            area=world.area,
            given_names=fake.first_name(),
            family_name=fake.last_name(),
            recording_agency=agency,
            recorded_by=recorder,
        )
        for _ in range(sizes.persons_of_interest)
    )
    places = Location.objects.bulk_create(
        Location(
            area=world.area,
            name=f"{fake.street_name()} {n}",
            kind="shop",
            address=fake.street_address(),
            postcode="BS16 1QY",
            recording_agency=agency,
            recorded_by=recorder,
        )
        for n in range(sizes.locations)
    )
    now = timezone.now()
    CohortMembership.objects.bulk_create(
        CohortMembership(
            area=world.area,
            young_person=person,
            tier=rng.choice([1, 2, 3]),
            entered_at=now,
            entry_reason="Benchmark",
        )
        for person in people
    )
    links = []
    for person in people:
        for _ in range(sizes.links_per_person):
            roll = rng.random()
            link = Link(
                area=world.area,
                kind=LinkKind.ASSOCIATE,
                strength=rng.choice(LinkStrength.values),
                first_seen=dt.date(2026, 1, 1),
                last_seen=dt.date(2026, 6, 1),
                recorded_by=recorder,
                source_young_person=person,
            )
            if roll < 0.5:
                link.kind = LinkKind.EXPLOITED_BY
                link.target_person_of_interest = rng.choice(pois)
            elif roll < 0.8:
                other = rng.choice(people)
                if other.pk == person.pk:
                    continue
                link.target_young_person = other
            else:
                link.kind = LinkKind.FREQUENTS
                link.target_location = rng.choice(places)
            links.append(link)
    Link.objects.bulk_create(links, batch_size=1000)
    return people


def raw_networkx(graph: Any) -> None:
    """The same calls the analysis makes (betweenness sampled the same way past 500 nodes)."""
    import networkx as nx

    from riskpath.network.analysis import betweenness_sampling

    nx.betweenness_centrality(graph, **betweenness_sampling(graph))
    list(nx.connected_components(graph))
    nx.community.louvain_communities(graph, seed=15)
    set(nx.articulation_points(graph))
    nx.core_number(graph)


def bench(sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from riskpath.network.analysis import analyse, to_graph
    from riskpath.network.selectors import Scope, network_for_user

    world = run.build_world()
    progress("loading the cohort and its links")
    people = load(world, sizes, rng)
    run.settle()
    user = world.consultant
    limit = 10 * sizes.young_people
    network_for_user(user, Scope("cohort"), limit=limit)  # warm-up
    chart_s, network = median_of(
        sizes.runs, lambda: network_for_user(user, Scope("cohort"), limit=limit)
    )
    size = (
        f"{fmt_int(len(network.nodes))} nodes, {fmt_int(len(network.edges))} links "
        f"({fmt_int(sizes.young_people)} young people in the cohort)"
    )
    record(
        Figure(
            "network: the cohort's chart, built and analysed",
            vendor,
            size,
            f"median of {sizes.runs}",
            fmt_ms(chart_s),
            "reads, visibility, analysis, audit event",
        )
    )
    nodes = {n.id: (n.kind, n.label) for n in network.nodes}
    edges = [(e.source, e.target) for e in network.edges]
    analysis_s, _ = median_of(sizes.runs, lambda: analyse(nodes, edges))
    graph = to_graph(nodes, edges)
    raw_s, _ = median_of(sizes.runs, lambda: raw_networkx(graph))
    record(
        Figure(
            "network: analysis alone vs networkx's bare calls",
            vendor,
            size,
            f"median of {sizes.runs}",
            f"{fmt_ms(analysis_s)} vs {fmt_ms(raw_s)}",
            f"{analysis_s / raw_s:.2f}x networkx (measures and findings)",
        )
    )
    centre = people[0]
    around_s, around = median_of(
        sizes.runs,
        lambda: network_for_user(user, Scope("around", "young_person", centre.pk, 2)),
    )
    record(
        Figure(
            "network: chart around one young person, two steps",
            vendor,
            f"{fmt_int(len(around.nodes))} nodes, {fmt_int(len(around.edges))} links",
            f"median of {sizes.runs}",
            fmt_ms(around_s),
            "capped" if around.capped else "",
        )
    )


def main(argv: list[str] | None = None) -> int:
    return run.standalone(
        argv,
        description=__doc__.splitlines()[0],
        bench=bench,
        full=FULL,
        quick=QUICK,
        seed=20261205,
        database="riskpath_bench_network",
    )


if __name__ == "__main__":
    raise SystemExit(main())
