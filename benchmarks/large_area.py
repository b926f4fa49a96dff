"""A large area: ``.venv/bin/python benchmarks/large_area.py [--quick | --full]``.

Generates one area the size of a large partnership (10,000 young people, 2,000 persons of
interest, 500,000 intelligence items, 100,000 links, ~600 cohort spells, one young person with
exactly 500 items) in a fresh database, then prints the server time of the pages that grow with
it, against their targets: the filtered cohort page, the page of the young person with 500 items,
the duplicate check against 100,000 people (and its recall and precision), and peak memory.

The database, the Django set-up and the table come from ``benchmarks/run.py``; see
benchmarks/README.md ("A large area"). Nothing here asserts: the figures are for reading.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as dt
import gc
import io
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.run import Figure, fmt_int, fmt_ms, progress, record  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Sizes and targets
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaSizes:
    young_people: int
    persons_of_interest: int
    locations: int
    groups: int
    items: int
    links: int
    cohort_spells: int  # of which a tenth have ended
    heavy_items: int  # intelligence items about the one young person whose page is timed
    missing_episodes: int
    page_runs: int  # timed requests per page, after warm-up

    def scaled(self, factor: float) -> AreaSizes:
        def s(n: int, least: int = 1) -> int:
            return max(least, round(n * factor))

        return dataclasses.replace(
            self,
            young_people=s(self.young_people, 1_000),
            persons_of_interest=s(self.persons_of_interest, 100),
            locations=s(self.locations, 50),
            groups=s(self.groups, 10),
            items=s(self.items, 10 * self.heavy_items),
            links=s(self.links, 1_000),
            cohort_spells=s(self.cohort_spells, 60),
            missing_episodes=s(self.missing_episodes, 100),
        )


FULL = AreaSizes(
    young_people=10_000,
    persons_of_interest=2_000,
    locations=1_000,
    groups=100,
    items=500_000,
    links=100_000,
    cohort_spells=600,
    heavy_items=500,  # the same at every scale: the page's target is for 500 items
    missing_episodes=2_000,
    page_runs=20,
)

BENCH_DB_NAME = "riskpath_bench_large_area"  # on PostgreSQL, created and dropped by the run
PAGE_TARGET = 0.150  # seconds, median server time of a page
SKIP_AFTER = 3.0  # seconds: a page's wider variant is not timed after a page this slow
DUPLICATE_TARGET = 0.100  # seconds, median duplicate check
QUALITY_TARGET = 0.95  # recall and precision of the duplicate check

# Intelligence about young people on the cohort is this many times as likely to name them as
# intelligence about anyone else (the demo area's hotspot clusters give about 6x).
COHORT_WEIGHT = 5

# Each young person's intelligence mostly carries one theme (as in riskpath/web/demo_area.py).
HARM_THEMES = [
    ["cce", "county_lines"],
    ["cse", "online_harm"],
    ["serious_violence"],
    ["cce", "serious_violence"],
    ["cse", "missing"],
    ["hsb"],
    ["trafficking", "cce"],
    ["radicalisation", "online_harm"],
]
HARM_TYPES = [
    "cse",
    "cce",
    "county_lines",
    "serious_violence",
    "hsb",
    "trafficking",
    "radicalisation",
    "online_harm",
    "missing",
]
LOCALITIES = [
    "Kingswood",
    "Staple Hill",
    "Downend",
    "Hanham",
    "Longwell Green",
    "Bradley Stoke",
    "Patchway",
    "Filton",
    "Yate",
    "Chipping Sodbury",
    "Thornbury",
    "Warmley",
]
DISTRICTS = ["BS15", "BS16", "BS30", "BS32", "BS34", "BS35", "BS36", "BS37"]
TEXTS = [
    "Seen getting into a car with older males near {place}.",
    "School report: returned with new phone and clothes, will not say where from.",
    "Found in possession of cash and two phones at {place}.",
    "Parent reports late nights and unknown contacts messaging at all hours.",
    "Named by a peer as carrying a knife near {place}.",
    "Reported as frequenting {place} during school hours.",
    "Third-hand: a neighbour heard the young person is 'running for' someone.",
    "Missing overnight; returned with injuries, declined return interview.",
]

# ---------------------------------------------------------------------------------------------
# Targets met or missed
# ---------------------------------------------------------------------------------------------


@dataclass
class Target:
    what: str
    target: str
    measured: str
    met: bool


TARGETS: list[Target] = []


def judge(what: str, target: str, measured: str, met: bool) -> str:
    TARGETS.append(Target(what, target, measured, met))
    return f"target {target}: {'met' if met else 'MISSED'}"


def print_targets() -> None:
    print("## Targets")
    print()
    print("| What | Target | Measured | Met |")
    print("|---|---|---|---|")
    for t in TARGETS:
        print(f"| {t.what} | {t.target} | {t.measured} | {'yes' if t.met else '**no**'} |")
    print()


# ---------------------------------------------------------------------------------------------
# Generating the area
# ---------------------------------------------------------------------------------------------


@dataclass
class Area:
    world: Any  # run.World: area, agencies, users, young people so far (for the top-up)
    agencies: list[Any]  # all five, the benchmark user's first
    submitters: list[Any]  # one recording user per agency, in the same order
    leads: list[Any]
    chair: Any
    young_people: list[Any] = field(default_factory=list)  # primary keys, in creation order
    cohort: dict[Any, int] = field(default_factory=dict)  # young person pk -> tier (open)
    heavy: Any = None  # pk of the young person with exactly ``heavy_items`` items
    item_pks: list[Any] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # rows written, by table
    seconds: dict[str, float] = field(default_factory=dict)  # time to write them, by table


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class Timer:
    area: Area
    name: str
    begin: float = 0.0

    def __enter__(self) -> Timer:
        self.begin = time.perf_counter()
        progress(f"generating {self.name}")
        return self

    def __exit__(self, *exc: object) -> None:
        self.area.seconds[self.name] = time.perf_counter() - self.begin


def chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


def build_area(sizes: AreaSizes, rng: random.Random) -> Area:
    from faker import Faker

    from riskpath.accounts.enums import Role
    from tests.factories import UserFactory

    world = run.build_world()
    social_care_recorder = UserFactory(agency=world.agency, roles=[Role.PARTNER_REPRESENTATIVE])
    agencies = [world.agency, *world.other_agencies]
    submitters = [social_care_recorder, *world.recorders]
    leads = [world.user] + [
        UserFactory(agency=agencies[i % len(agencies)], roles=[Role.LEAD_PROFESSIONAL])
        for i in range(19)
    ]
    chair = UserFactory(agency=world.agency, roles=[Role.CHAIR])
    area = Area(world, agencies, submitters, leads, chair)
    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    today = dt.date.today()

    _young_people(area, sizes, rng, fake)
    _cohort(area, sizes, rng, today)
    places, poi_pks, group_pks = _places_people_groups(area, sizes, rng, fake)
    _intelligence(area, sizes, rng, today, places, poi_pks, group_pks)
    _links(area, sizes, rng, today, places, poi_pks, group_pks)
    _missing_and_flags(area, sizes, rng)
    return area


def key_fields(given: str, family: str) -> dict[str, str]:
    """The phonetic keys the duplicate check's blocking reads: ``bulk_create`` bypasses the
    services and signals that set them, so they are computed here, as run.py does."""
    from riskpath.people.duplicates import name_keys

    given_key, family_key = name_keys(given, family)
    return {"given_key": given_key, "family_key": family_key}


def add_young_people(area: Area, n: int, rng: random.Random, fake: Any) -> list[Any]:
    """``n`` more young people in the area, written in chunks; their primary keys."""
    from django.db import transaction

    from riskpath.people.models import YoungPerson

    agency_weights = [25, 35, 20, 10, 10]  # social care, police, education, health, YJ
    pks = []
    for part in chunks(n, 10_000):
        batch = []
        for _ in part:
            a = rng.choices(range(len(area.agencies)), weights=agency_weights)[0]
            given, family = fake.first_name(), fake.last_name()
            batch.append(
                YoungPerson(
                    id=new_uuid(rng),
                    area=area.world.area,
                    given_names=given,
                    family_name=family,
                    date_of_birth=fake.date_of_birth(minimum_age=11, maximum_age=17),
                    gender=rng.choice(["female", "male", "male", "not_known"]),
                    locality=rng.choice(LOCALITIES),
                    postcode=f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}"
                    f"{fake.random_uppercase_letter()}{fake.random_uppercase_letter()}",
                    recording_agency=area.agencies[a],
                    recorded_by=area.submitters[a],
                    lead_professional=rng.choice(area.leads) if rng.random() < 0.15 else None,
                    **key_fields(given, family),
                )
            )
        if not area.young_people and not pks:
            # The young person whose page is timed: recorded by the police, led by the
            # benchmark user (a lead professional in children's social care).
            heavy = batch[0]
            heavy.recording_agency, heavy.recorded_by = area.agencies[1], area.submitters[1]
            heavy.lead_professional = area.world.user
        with transaction.atomic():
            YoungPerson.objects.bulk_create(batch, batch_size=1000)
        pks += [p.pk for p in batch]
    area.world.people += n
    return pks


def add_alias_keys(pois: list[Any]) -> int:
    """The duplicate check's index of alias keys (``AliasKey``), for the aliases written."""
    from riskpath.people.duplicates import alias_keys
    from riskpath.people.models import AliasKey

    rows = [
        AliasKey(person_of_interest_id=p.pk, key=k)
        for p in pois
        if p.aliases
        for k in sorted(alias_keys(p.aliases, p.family_name))
    ]
    AliasKey.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _young_people(area: Area, sizes: AreaSizes, rng: random.Random, fake: Any) -> None:
    with Timer(area, "young people"):
        area.young_people = add_young_people(area, sizes.young_people, rng, fake)
        area.heavy = area.young_people[0]
        area.counts["young people"] = len(area.young_people)


def _cohort(area: Area, sizes: AreaSizes, rng: random.Random, today: dt.date) -> None:
    from django.utils import timezone

    from riskpath.cohort.models import CohortMembership, TierDecision
    from riskpath.people.models import YoungPerson

    with Timer(area, "cohort spells and decisions"):
        now = timezone.now()
        chosen = [area.heavy, *rng.sample(area.young_people[1:], sizes.cohort_spells - 1)]
        ended = sizes.cohort_spells // 10
        spells, decisions = [], []
        needs_lead = []
        for i, pk in enumerate(chosen):
            is_open = i < sizes.cohort_spells - ended
            tier = 1 if i == 0 else rng.choices([1, 2, 3], weights=[15, 35, 50])[0]
            tier = tier if is_open else 3
            entered = now - dt.timedelta(days=rng.randint(30, 700), hours=rng.randint(0, 23))
            spell = CohortMembership(
                id=new_uuid(rng),
                area=area.world.area,
                young_person_id=pk,
                tier=tier,
                entered_at=entered,
                entry_reason="Identified at PIMM from partner intelligence",
                last_discussed_on=today - dt.timedelta(days=rng.randint(0, 40)),
                next_review_on=today + dt.timedelta(days=rng.randint(1, 40)),
            )
            decisions.append(
                TierDecision(
                    membership_id=spell.id,
                    decided_by=area.chair,
                    decided_at=entered,
                    to_tier=3 if tier != 3 else tier,
                    reason="Added to the cohort at PIMM",
                    criteria=["t3_single_partner_unknown"],
                    suggested_tier=3,
                    meeting_ref="PIMM",
                )
            )
            if tier != 3:
                decisions.append(
                    TierDecision(
                        membership_id=spell.id,
                        decided_by=area.chair,
                        decided_at=entered + dt.timedelta(days=14),
                        from_tier=3,
                        to_tier=tier,
                        reason="Further intelligence from several partners",
                        criteria=["t2_not_immediate"],
                        suggested_tier=tier,
                    )
                )
                needs_lead.append(pk)
            if is_open:
                area.cohort[pk] = tier
            else:
                left = entered + dt.timedelta(days=rng.randint(20, 25))
                spell.exited_at, spell.exit_reason = left, "risk_reduced"
                spell.exit_note = "Engaging with mentoring"
                decisions.append(
                    TierDecision(
                        membership_id=spell.id,
                        decided_by=area.chair,
                        decided_at=left,
                        from_tier=3,
                        to_tier=None,
                        reason="Risk reduced; mentoring in place",
                    )
                )
            spells.append(spell)
        CohortMembership.objects.bulk_create(spells, batch_size=500)
        TierDecision.objects.bulk_create(decisions, batch_size=500)
        # Tiers 1 and 2 have a lead professional (the heavy young person's is the user).
        for pk in needs_lead[1:]:
            YoungPerson.objects.filter(pk=pk, lead_professional__isnull=True).update(
                lead_professional=rng.choice(area.leads)
            )
        area.counts["cohort spells"] = len(spells)
        area.counts["tier decisions"] = len(decisions)


def _places_people_groups(
    area: Area, sizes: AreaSizes, rng: random.Random, fake: Any
) -> tuple[list[tuple[Any, str]], list[Any], list[Any]]:
    from riskpath.groups.models import Group, GroupMembership
    from riskpath.locations.models import Location
    from riskpath.people.models import PersonOfInterest

    a = area.world.area
    with Timer(area, "locations, persons of interest, groups"):
        kinds = ["address", "park", "shop", "school", "transport_hub", "takeaway", "online"]
        locations = []
        for _ in range(sizes.locations):
            kind = rng.choice(kinds)
            online = kind == "online"
            locations.append(
                Location(
                    id=new_uuid(rng),
                    area=a,
                    name=f"{fake.street_name()} {kind.replace('_', ' ')}",
                    kind=kind,
                    address="" if online else fake.street_address(),
                    postcode="" if online else f"{rng.choice(DISTRICTS)} {rng.randint(1, 9)}AA",
                    recording_agency=area.agencies[1],
                    recorded_by=area.submitters[1],
                )
            )
        Location.objects.bulk_create(locations, batch_size=1000)
        places = [(loc.pk, loc.name) for loc in locations]

        # A twentieth of the persons of interest are also young people (one human, one record).
        also_young = rng.sample(area.young_people[1:], sizes.persons_of_interest // 20)
        pois = []
        for i in range(sizes.persons_of_interest):
            n = rng.randrange(len(area.agencies))
            yp = also_young[i] if i < len(also_young) else None
            given = "" if yp else fake.first_name_male()
            family = "" if yp else fake.last_name()
            pois.append(
                PersonOfInterest(
                    id=new_uuid(rng),
                    area=a,
                    young_person_id=yp,
                    given_names=given,
                    family_name=family,
                    aliases=[fake.first_name_male()] if not yp and rng.random() < 0.3 else [],
                    date_of_birth=None
                    if yp
                    else fake.date_of_birth(minimum_age=17, maximum_age=40),
                    description="Believed to run a drugs line",
                    recording_agency=area.agencies[n],
                    recorded_by=area.submitters[n],
                    **key_fields(given, family),
                )
            )
        PersonOfInterest.objects.bulk_create(pois, batch_size=1000)
        poi_pks = [p.pk for p in pois]
        area.counts["alias keys"] = add_alias_keys(pois)

        groups = [
            Group(
                id=new_uuid(rng),
                area=a,
                name=f"{fake.street_name()} {'network' if i % 5 == 0 else 'friendship group'}",
                kind="ocg" if i % 5 == 0 else "peer_group",
                recording_agency=area.agencies[1],
                recorded_by=area.submitters[1],
            )
            for i in range(sizes.groups)
        ]
        Group.objects.bulk_create(groups, batch_size=1000)
        members = []
        for g in groups:
            for pk in rng.sample(area.young_people, 7):
                members.append(GroupMembership(group=g, young_person_id=pk))
            for pk in rng.sample(poi_pks, 3):
                members.append(GroupMembership(group=g, person_of_interest_id=pk))
        GroupMembership.objects.bulk_create(members, batch_size=1000)
        area.counts["locations"] = len(locations)
        area.counts["persons of interest"] = len(pois)
        area.counts["groups"] = len(groups)
        area.counts["group memberships"] = len(members)
        return places, poi_pks, [g.pk for g in groups]


def _intelligence(
    area: Area,
    sizes: AreaSizes,
    rng: random.Random,
    today: dt.date,
    places: list[tuple[Any, str]],
    poi_pks: list[Any],
    group_pks: list[Any],
) -> None:
    """Items with their young people, persons of interest, locations and groups through rows,
    written in chunks (each in one transaction) so that memory stays flat."""
    from django.db import transaction

    from riskpath.intelligence.models import IntelligenceItem

    m2m = IntelligenceItem._meta
    through = {
        name: m2m.get_field(name).remote_field.through
        for name in ("young_people", "persons_of_interest", "locations", "groups")
    }
    # Who the items are about: everyone but the heavy young person, those on the cohort more.
    others = [pk for pk in area.young_people if pk != area.heavy]
    weights = [COHORT_WEIGHT if pk in area.cohort else 1 for pk in others]
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    theme = {pk: HARM_THEMES[i % len(HARM_THEMES)] for i, pk in enumerate(area.young_people)}
    heavy_items = set(rng.sample(range(sizes.items), sizes.heavy_items))
    agency_weights = [20, 40, 15, 10, 15]
    conditions = "Police use only unless the submitting agency agrees"
    rows = dict.fromkeys(through, 0)

    with Timer(area, "intelligence items and their through rows"):
        for part in chunks(sizes.items, 10_000):
            items, yp_rows, poi_rows, loc_rows, group_rows = [], [], [], [], []
            drawn = rng.choices(others, cum_weights=cum, k=2 * len(part))
            for j, n in enumerate(part):
                pk = new_uuid(rng)
                r = rng.random()
                if n in heavy_items:
                    about = [area.heavy]
                elif r < 0.85:
                    about = [drawn[2 * j]]
                elif r < 0.95:
                    about = list({drawn[2 * j], drawn[2 * j + 1]})
                else:
                    about = []
                if about:
                    harms = list(theme[about[0]])
                    if rng.random() < 0.1:
                        harms = [rng.choice(HARM_TYPES)]
                else:
                    harms = [rng.choice(HARM_TYPES)]
                place_pk, place_name = rng.choice(places)
                s = rng.choices(range(len(area.agencies)), weights=agency_weights)[0]
                grade_c = rng.random() < 0.1
                items.append(
                    IntelligenceItem(
                        id=pk,
                        area_id=area.world.area.pk,
                        reported_on=today - dt.timedelta(days=int(rng.triangular(0, 1095, 30))),
                        source_agency_id=area.agencies[s].pk,
                        submitted_by_id=area.submitters[s].pk,
                        text=rng.choice(TEXTS).format(place=place_name),
                        harm_types=harms,
                        immediate_risk=rng.random() < 0.03,
                        source_evaluation=rng.choices("123", weights=[3, 5, 1])[0],
                        assessment=rng.choices("ABCDE", weights=[2, 3, 4, 2, 1])[0],
                        handling_code="C" if grade_c else "P",
                        handling_conditions=conditions if grade_c else "",
                        provenance=rng.choices(
                            ["first_hand", "second_hand", "third_hand"], weights=[4, 3, 2]
                        )[0],
                    )
                )
                yp_through = through["young_people"]
                yp_rows += [yp_through(intelligenceitem_id=pk, youngperson_id=y) for y in about]
                if rng.random() < 0.3 or not about:
                    poi_rows.append(
                        through["persons_of_interest"](
                            intelligenceitem_id=pk, personofinterest_id=rng.choice(poi_pks)
                        )
                    )
                if rng.random() < 0.6:
                    loc_rows.append(
                        through["locations"](intelligenceitem_id=pk, location_id=place_pk)
                    )
                if rng.random() < 0.02:
                    group_rows.append(
                        through["groups"](intelligenceitem_id=pk, group_id=rng.choice(group_pks))
                    )
                area.item_pks.append(pk)
            with transaction.atomic():
                IntelligenceItem.objects.bulk_create(items, batch_size=1000)
                for name, batch in (
                    ("young_people", yp_rows),
                    ("persons_of_interest", poi_rows),
                    ("locations", loc_rows),
                    ("groups", group_rows),
                ):
                    through[name].objects.bulk_create(batch, batch_size=2000)
                    rows[name] += len(batch)
            if part.stop % 100_000 == 0:
                progress(f"  {fmt_int(part.stop)} items written")
    area.counts["intelligence items"] = sizes.items
    for name, n in rows.items():
        area.counts[f"item-{name.replace('_', ' ')} rows"] = n


def _links(
    area: Area,
    sizes: AreaSizes,
    rng: random.Random,
    today: dt.date,
    places: list[tuple[Any, str]],
    poi_pks: list[Any],
    group_pks: list[Any],
) -> None:
    from django.db import transaction

    from riskpath.links.models import Link

    evidence_through = Link.evidence.through
    people = area.young_people
    cohort = list(area.cohort)
    # (share, source end, target end, kinds)
    shapes = [
        (40, "young_person", "person_of_interest", ["exploited_by", "seen_with", "associate"]),
        (20, "young_person", "young_person", ["associate", "sibling", "seen_with"]),
        (20, "young_person", "location", ["frequents", "lives_at"]),
        (10, "person_of_interest", "location", ["frequents"]),
        (5, "person_of_interest", "person_of_interest", ["associate"]),
        (5, "young_person", "group", ["member_of"]),
    ]
    pools = {
        "person_of_interest": poi_pks,
        "location": [p for p, _ in places],
        "group": group_pks,
    }

    def pick(end: str) -> Any:
        if end == "young_person":  # a third of links involve someone on the cohort
            return rng.choice(cohort) if rng.random() < 0.33 else rng.choice(people)
        return rng.choice(pools[end])

    links_written = evidence_rows = 0
    with Timer(area, "links and their evidence"):
        for part in chunks(sizes.links, 10_000):
            links, evidence = [], []
            for _ in part:
                _, source, target, kinds = rng.choices(shapes, weights=[s[0] for s in shapes])[0]
                a, b = pick(source), pick(target)
                while source == target and a == b:
                    b = pick(target)
                first = today - dt.timedelta(days=rng.randint(30, 900))
                link = Link(
                    id=new_uuid(rng),
                    area_id=area.world.area.pk,
                    kind=rng.choice(kinds),
                    strength=rng.choice(["confirmed", "tentative", "unconfirmed"]),
                    first_seen=first,
                    last_seen=first + dt.timedelta(days=rng.randint(0, 29)),
                    recorded_by_id=area.submitters[1].pk,
                    **{f"source_{source}_id": a, f"target_{target}_id": b},
                )
                links.append(link)
                if rng.random() < 0.6:
                    for item in {rng.choice(area.item_pks) for _ in range(rng.randint(1, 2))}:
                        evidence.append(evidence_through(link_id=link.id, intelligenceitem_id=item))
            with transaction.atomic():
                Link.objects.bulk_create(links, batch_size=1000)
                evidence_through.objects.bulk_create(evidence, batch_size=2000)
            links_written += len(links)
            evidence_rows += len(evidence)
    area.counts["links"] = links_written
    area.counts["link-evidence rows"] = evidence_rows


def _missing_and_flags(area: Area, sizes: AreaSizes, rng: random.Random) -> None:
    from django.utils import timezone

    from riskpath.cohort.models import CohortMembership, ReentryFlag
    from riskpath.people.models import MissingEpisode
    from riskpath.referrals.models import Referral

    with Timer(area, "missing episodes, referrals, re-entry flags"):
        now = timezone.now()
        cohort = list(area.cohort)
        episodes = []
        for i in range(sizes.missing_episodes):
            pk = area.heavy if i < 5 else rng.choice(cohort if i % 2 else area.young_people)
            reported = now - dt.timedelta(days=rng.randint(1, 700), hours=rng.randint(0, 23))
            episodes.append(
                MissingEpisode(
                    young_person_id=pk,
                    kind=rng.choice(["missing", "missing", "absent"]),
                    reported_at=reported,
                    returned_at=reported + dt.timedelta(hours=rng.randint(3, 60)),
                    where_found=rng.choice(["Friend's address", "Town centre", "Railway station"]),
                    interview_offered=True,
                    reporting_agency=area.agencies[1],
                    recorded_by=area.submitters[1],
                )
            )
        MissingEpisode.objects.bulk_create(episodes, batch_size=1000)
        referrals = [
            Referral(
                young_person_id=area.heavy,
                to=to,
                made_on=now.date() - dt.timedelta(days=30 * k),
                status="made",
                referring_agency=area.agencies[0],
                recorded_by=area.submitters[0],
            )
            for k, to in enumerate(["csc", "base", "mentoring"])
        ]
        Referral.objects.bulk_create(referrals)
        former = list(
            CohortMembership.objects.filter(exited_at__isnull=False).values_list(
                "young_person_id", flat=True
            )
        )
        flags = [
            ReentryFlag(
                young_person_id=pk,
                intelligence_item_id=rng.choice(area.item_pks),
                raised_at=now - dt.timedelta(days=rng.randint(1, 20)),
            )
            for pk in former[: max(1, len(former) // 3)]
        ]
        ReentryFlag.objects.bulk_create(flags)
        area.counts["missing episodes"] = len(episodes)
        area.counts["re-entry flags"] = len(flags)


# ---------------------------------------------------------------------------------------------
# Measuring pages
# ---------------------------------------------------------------------------------------------


def signed_in_client(user: Any) -> Any:
    """A test client signed in as ``user``, sending a host the settings allow (the test
    environment, which would add ``testserver``, is not set up: templates render as in
    production, not instrumented)."""
    from django.conf import settings
    from django.test import Client

    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "") and not h.startswith(".")]
    client = Client(SERVER_NAME=hosts[0] if hosts else "localhost")
    client.force_login(user)
    return client


def get_ok(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


@dataclass
class Statement:
    sql: str
    params: Any
    seconds: float = 0.0
    rows: int = 0


def statements_of(fn: Callable[[], Any]) -> list[Statement]:
    """Every statement ``fn`` runs, in order."""
    from django.db import connection

    seen: list[Statement] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(Statement(sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        fn()
    return seen


def time_selects(statements: list[Statement]) -> list[Statement]:
    """Each SELECT run again on its own (execute and fetch every row, no model objects built),
    the best of three (of one, if it takes over half a second): the database's share of the
    page. Writes are not repeated."""
    from django.db import connection

    selects = [s for s in statements if s.sql.lstrip().upper().startswith("SELECT")]
    for s in selects:
        best = float("inf")
        for _ in range(3):
            with connection.cursor() as cursor:
                t0 = time.perf_counter()
                cursor.execute(s.sql, s.params)
                s.rows = len(cursor.fetchall())
                best = min(best, time.perf_counter() - t0)
            if best > 0.5:
                break
        s.seconds = best
    return selects


def short_sql(sql: str, limit: int = 2500) -> str:
    """The statement with its column list elided (the FROM and WHERE clauses are the point)."""
    head, sep, rest = sql.partition(" FROM ")
    if sep and head.upper().startswith("SELECT"):
        sql = f"SELECT … FROM {rest}"
    return sql if len(sql) <= limit else sql[:limit] + " …"


def explain(statement: Statement) -> str:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + statement.sql, statement.params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return "\n".join(r[0] for r in rows)
    return "\n".join(f"{r[1]:>3} {r[3]}" for r in rows)


def python_profile(fn: Callable[[], Any]) -> tuple[str, Any]:
    """One call of ``fn`` under cProfile, and its result: riskpath's own functions by
    cumulative time (where the request's time goes), then the top functions by own time (what
    it is spent on)."""
    profile = cProfile.Profile()
    profile.enable()
    result = fn()
    profile.disable()
    root = str(ROOT) + os.sep
    parts = []
    for title, key, restrictions in (
        ("riskpath functions by cumulative time", "cumulative", (r"riskpath/(?!.*tests)", 16)),
        ("all functions by own time", "tottime", (12,)),
    ):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(key).print_stats(*restrictions)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        body = "\n".join(line.replace(root, "") for line in lines[start:] if line.strip())
        parts.append(f"{title}:\n{body}")
    return "\n\n".join(parts), result


DIAGNOSES: list[tuple[str, str]] = []


@dataclass
class Page:
    label: str
    size: str
    client: Any
    url: str
    target: float | None


@dataclass
class GcClock:
    """Time spent in the garbage collector, from ``gc.callbacks``: a request that builds
    tens of thousands of row objects triggers full collections, which a server pays too."""

    seconds: float = 0.0
    full: int = 0  # generation-2 collections
    _start: float = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.full += info["generation"] == 2

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def median_request(client: Any, url: str, runs: int) -> tuple[list[float], int, GcClock]:
    """Server times of ``runs`` requests after warm-up (fewer when one takes over a second,
    so that a slow page does not hold the run up for minutes), the number of runs, and the
    garbage collector's time during the timed runs."""
    t0 = time.perf_counter()
    get_ok(client, url)
    first = time.perf_counter() - t0
    warmup = 2
    if first > 1.0:
        runs, warmup = max(3, min(runs, int(20 / first))), (1 if first < 5 else 0)
    for _ in range(warmup):
        get_ok(client, url)
    with GcClock() as clock:
        times = run.timed_runs(lambda: get_ok(client, url), runs, warmup=0)
    return times, runs, clock


def bench_page(page: Page, runs: int, vendor: str) -> float:
    """Median server time of ``client.get(url)``: the whole request through the middleware,
    view, template and the audit write, without a network. Then the breakdown: queries, the
    database's share (each SELECT rerun alone), allocation peak (tracemalloc) and, after the
    table, the slowest statement's plan and a Python profile of one request."""
    label, size, client, url = page.label, page.size, page.client, page.url
    times, runs, clock = median_request(client, url, runs)
    median = statistics.median(times)
    # One request both profiled and with its statements captured (a slow page is slow).
    profile, statements = python_profile(lambda: statements_of(lambda: get_ok(client, url)))
    selects = time_selects(statements)
    db = sum(s.seconds for s in selects)
    slowest = max(selects, key=lambda s: s.seconds)
    rows = sum(s.rows for s in selects)
    note = (
        f"p90 {fmt_ms(sorted(times)[max(0, int(len(times) * 0.9) - 1)])}; "
        f"{len(statements)} queries ({len(selects)} SELECTs, {fmt_int(rows)} rows); "
        f"SELECTs alone {fmt_ms(db)}, slowest {fmt_ms(slowest.seconds)} "
        f"({fmt_int(slowest.rows)} rows); garbage collector {fmt_ms(clock.seconds / runs)} "
        f"per request ({clock.full / runs:.1f} full collections)"
    )
    if page.target is not None:
        note += "; " + judge(
            f"{label} ({size})", f"< {fmt_ms(page.target)}", fmt_ms(median), median < page.target
        )
    record(Figure(label, vendor, size, f"median of {runs} requests", fmt_ms(median), note))

    tracemalloc.start()
    tracemalloc.reset_peak()
    get_ok(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    record(
        Figure(
            f"{label}: allocation peak",
            vendor,
            size,
            "tracemalloc peak, one request",
            f"{peak / 2**20:.1f} MiB",
            "Python allocations during the request (traced, so slower; not timed)",
        )
    )
    DIAGNOSES.append(
        (
            f"{label} ({vendor}, {size}): median {fmt_ms(median)}, SELECTs alone {fmt_ms(db)}",
            "Queries, in order, with the time of each SELECT run alone:\n"
            + "\n".join(
                f"{fmt_ms(st.seconds) if any(st is x for x in selects) else '(write)':>10}  "
                f"{short_sql(st.sql, 110)}"
                for st in statements
            )
            + f"\n\nSlowest SELECT ({fmt_ms(slowest.seconds)}, {fmt_int(slowest.rows)} rows):\n"
            f"{short_sql(slowest.sql)}\n\nPlan:\n{explain(slowest)}\n\n"
            f"Python profile of one request:\n{profile}",
        )
    )
    return median


def settle_after_load() -> None:
    """``run.settle`` (checkpoint; ANALYZE on PostgreSQL) and, on PostgreSQL, a VACUUM too:
    after a bulk load of millions of rows autovacuum would otherwise set hint bits and the
    visibility map during the timed requests, on the same two CPUs."""
    from django.db import connection

    run.settle()
    if connection.vendor == "postgresql":
        progress("VACUUM after the bulk load")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def bench_pages(area: Area, sizes: AreaSizes, vendor: str) -> None:
    from django.urls import reverse

    from riskpath.intelligence.models import IntelligenceItem

    cohort_url = reverse("cohort:list")
    chair = signed_in_client(area.chair)
    tier_1 = sum(1 for t in area.cohort.values() if t == 1)
    open_spells = len(area.cohort)
    count = IntelligenceItem.objects.filter(young_people=area.heavy).count()
    person_url = reverse("people:detail", args=[area.heavy])
    person_size = f"{fmt_int(count)} intelligence items about them"
    pages = [
        Page(
            "cohort page, filtered (tier 1, harm type CCE)",
            f"{fmt_int(tier_1)} at tier 1 of {fmt_int(open_spells)} open spells",
            chair,
            cohort_url + "?tier=1&harm_type=cce",
            PAGE_TARGET,
        ),
        Page(
            "cohort page, unfiltered",
            f"all {fmt_int(open_spells)} open spells",
            chair,
            cohort_url,
            None,
        ),
        Page(
            "young person page, lead professional",
            person_size,
            signed_in_client(area.world.user),
            person_url,
            PAGE_TARGET,
        ),
        Page(
            "young person page, consultant social worker",
            person_size,
            signed_in_client(area.world.consultant),
            person_url,
            None,
        ),
    ]
    measured: dict[str, float] = {}
    for page in pages:
        before = measured.get(page.label.split(",")[0])
        if page.target is None and before is not None and before > SKIP_AFTER:
            # The same page for a wider view: it reads several times as much, so it would hold
            # the run up for many minutes.
            record(
                Figure(
                    page.label,
                    vendor,
                    page.size,
                    "not measured",
                    "-",
                    f"skipped: the page above took {fmt_ms(before)} and this one reads more",
                )
            )
            continue
        measured[page.label.split(",")[0]] = bench_page(page, sizes.page_runs, vendor)


def bench_duplicate_check(area: Area, pool: int, probes: int, vendor: str, seed: int) -> None:
    """run.py's duplicate check (``run.bench_duplicates``: probes are planted near-duplicates
    of random people in the area) on this area, topped up to ``pool`` young people after the
    pages have been timed, so that the pages see the area as specified. The top-up uses this
    script's generator, which also fills the phonetic keys the check's blocking reads."""
    from faker import Faker

    rng = random.Random(f"duplicates {seed}")  # not the generator's sequence of keys
    if area.world.people < pool:
        progress(f"adding young people up to {fmt_int(pool)} for the duplicate check")
        fake = Faker("en_GB")
        fake.seed_instance(rng.random())
        begin = time.perf_counter()
        add_young_people(area, pool - area.world.people, rng, fake)
        area.seconds["duplicate-check top-up"] = time.perf_counter() - begin
        settle_after_load()
    dsizes = dataclasses.replace(run.FULL, duplicate_pool=pool, duplicate_probes=probes)
    first = len(run.FIGURES)
    run.bench_duplicates(area.world, dsizes, vendor, rng)
    for f in run.FIGURES[first:]:
        if f.benchmark == "duplicate check":
            median = float(f.result.split()[0]) / 1000
            met = median < DUPLICATE_TARGET
            f.note += "; " + judge(
                f"duplicate check ({f.size})", f"< {fmt_ms(DUPLICATE_TARGET)}", f.result, met
            )
        elif f.benchmark == "duplicate check quality":
            recall, precision = (float(x.strip(" %")) / 100 for x in f.result.split("/"))
            met = recall >= QUALITY_TARGET and precision >= QUALITY_TARGET
            f.note = judge(
                f"duplicate check recall / precision ({f.size})",
                f">= {QUALITY_TARGET:.0%} / >= {QUALITY_TARGET:.0%}",
                f.result,
                met,
            )
        elif f.benchmark == "process peak memory":
            f.note = "max RSS of the benchmark process over the whole run (database server apart)"


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def max_rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--quick", action="store_true", help="a tenth of every size")
    which.add_argument("--full", action="store_true", help="the full sizes (the default)")
    which.add_argument("--scale", type=float, help="every size times this factor")
    parser.add_argument(
        "--no-duplicates",
        action="store_true",
        help="skip the duplicate check (which tops the area up to 100,000 young people)",
    )
    parser.add_argument("--seed", type=int, default=20240601, help="seed for synthetic data")
    args = parser.parse_args(argv)
    factor = 0.1 if args.quick else (args.scale or 1.0)
    sizes = FULL if factor == 1.0 else FULL.scaled(factor)
    if args.quick:
        sizes = dataclasses.replace(sizes, page_runs=10)
    pool, probes = (
        (run.QUICK.duplicate_pool, run.QUICK.duplicate_probes)
        if args.quick
        else (
            run.FULL.duplicate_pool,
            run.FULL.duplicate_probes,
        )
    )
    rng = random.Random(args.seed)

    tmp = Path(tempfile.mkdtemp(prefix="riskpath-bench-"))
    try:
        run.configure_django(tmp)
        import django
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            # Not run.py's database: the two may run at the same time.
            settings.DATABASES["default"]["TEST"]["NAME"] = BENCH_DB_NAME

        began = time.perf_counter()
        load_before = run.loadavg()
        progress("creating a fresh database and migrating it")
        with run.fresh_database():
            from django.db import connection

            vendor, version = run.database_description()
            progress(f"database: {version}, {connection.settings_dict['NAME']}")
            start = time.perf_counter()
            area = build_area(sizes, rng)
            generated = time.perf_counter() - start
            # Let go of the generator's 500,000 item keys: a server process holds no such heap,
            # and every full collection during a timed request would walk it.
            area.item_pks.clear()
            gc.collect()
            settle_after_load()
            written = sum(area.counts.values())
            record(
                Figure(
                    "generate the area",
                    vendor,
                    ", ".join(
                        f"{fmt_int(area.counts[k])} {k}"
                        for k in ("young people", "persons of interest", "intelligence items")
                    )
                    + f", {fmt_int(area.counts['links'])} links",
                    "wall clock",
                    f"{generated:.0f} s",
                    f"{fmt_int(written)} rows ({fmt_int(round(written / generated))} rows/s); "
                    + ", ".join(f"{k} {v:.0f} s" for k, v in area.seconds.items()),
                )
            )
            record(
                Figure(
                    "process peak memory after generating",
                    vendor,
                    "generation",
                    "max RSS",
                    f"{max_rss_mib()} MiB",
                    "the benchmark process (database server apart)",
                )
            )
            bench_pages(area, sizes, vendor)
            record(
                Figure(
                    "process peak memory after the pages",
                    vendor,
                    "generation and pages",
                    "max RSS",
                    f"{max_rss_mib()} MiB",
                    "the benchmark process (database server apart)",
                )
            )
            if not args.no_duplicates:
                bench_duplicate_check(area, pool, probes, vendor, args.seed)
        label = "full" if factor == 1.0 else ("quick (--quick)" if args.quick else f"x{factor}")
        header = {
            "Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "Database": version,
            "Machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
            "Python / Django": f"{platform.python_version()} / {django.get_version()}",
            "Sizes": f"{label}: " + ", ".join(f"{fmt_int(v)} {k}" for k, v in area.counts.items()),
            "Total run time": f"{time.perf_counter() - began:.0f} s",
            "Load average (1 min) before / after": f"{load_before} / {run.loadavg()}",
        }
        run.print_table(header)
        print_targets()
        print("## Diagnosis")
        for title, body in DIAGNOSES:
            print()
            print(f"### {title}")
            print()
            print("```")
            print(body)
            print("```")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
