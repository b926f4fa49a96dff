"""The Risk Management Pathway at scale: ``.venv/bin/python benchmarks/pathway.py [--quick]``.

An area with 2,000 open pathway episodes (200 with ``--quick``) spread over every stage: a
quarter awaiting their initial MARMM, a quarter with a plan to agree, half with a plan in
place (two MARMMs each, three flags, some unconfirmed and overdue), and 500 ended. Times,
through the whole request (middleware, view, template, audit write):

* the timescale dashboard as a consultant social worker, who sees every episode (the page
  works out every open episode's next step to sort the most urgent first);
* the same dashboard filtered to one team;
* the quarterly timeliness report;
* ``riskpath remind``'s first run of the day (every due step e-mailed, to the in-memory
  backend) and its second (nothing new to send).

Uses ``benchmarks/run.py``'s database set-up (SQLite by default; PostgreSQL with
``DATABASE_URL``, in its own database). Nothing here asserts: the figures are for reading.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run  # noqa: E402
from benchmarks.run import Figure, fmt_int, fmt_ms, progress, record  # noqa: E402

DASHBOARD_TARGET = 1.0  # seconds: the dashboard of a large area's whole caseload
TEAMS = ["Locality North", "Locality South", "Locality East", "Locality West", "Leaving care"]


@dataclass(frozen=True)
class Sizes:
    open_episodes: int
    ended: int
    runs: int


FULL = Sizes(2_000, 500, 7)
QUICK = Sizes(200, 50, 5)


def build(sizes: Sizes, rng: random.Random) -> Any:
    """The area's pathway caseload, written in bulk; returns the consultant social worker."""
    from faker import Faker

    from riskpath.accounts.enums import Role
    from riskpath.core import clock, workdays
    from riskpath.pathway.models import (
        Episode,
        EpisodeKind,
        EpisodeStatus,
        Flag,
        FlagPurpose,
        FlagSystem,
        Marmm,
        MarmmKind,
        PlanAction,
    )
    from riskpath.pathway.services import FLAG_TEXT
    from riskpath.people.models import YoungPerson
    from tests.factories import UserFactory

    fake = Faker("en_GB")
    fake.seed_instance(rng.random())
    world = run.build_world()
    area = world.area
    cal = workdays.for_area(area)
    today = clock.today()
    workers = [UserFactory(agency=world.agency, roles=[Role.SOCIAL_WORKER]) for _ in range(20)]
    managers = [UserFactory(agency=world.agency, roles=[Role.TEAM_MANAGER]) for _ in range(5)]
    UserFactory(agency=world.agency, roles=[Role.SERVICE_MANAGER])
    for agency in world.other_agencies:  # partner representatives own their flags
        UserFactory(agency=agency, roles=[Role.PARTNER_REPRESENTATIVE])
    total = sizes.open_episodes + sizes.ended
    progress(f"{fmt_int(total)} young people and episodes")
    people = YoungPerson.objects.bulk_create(
        [
            YoungPerson(
                area=area,
                given_names=fake.first_name(),
                family_name=fake.last_name(),
                date_of_birth=fake.date_of_birth(minimum_age=11, maximum_age=17),
                recording_agency=world.agency,
                recorded_by=world.user,
                locality=rng.choice(["Kingswood", "Yate", "Filton", "Thornbury"]),
            )
            for _ in range(total)
        ],
        batch_size=1000,
    )
    episodes, marmms, flags, actions = [], [], [], []
    for n, person in enumerate(people):
        started = today - dt.timedelta(days=rng.randrange(20, 200))
        worker = workers[n % len(workers)]
        manager = managers[n % len(managers)]
        stage = n % 4 if n < sizes.open_episodes else 4
        status = [
            EpisodeStatus.AWAITING_MARMM,
            EpisodeStatus.PLAN_TO_AGREE,
            EpisodeStatus.PLAN_IN_PLACE,
            EpisodeStatus.PLAN_IN_PLACE,
            EpisodeStatus.ENDED,
        ][stage]
        episode = Episode(
            area=area,
            young_person=person,
            kind=EpisodeKind.UNDER_18,
            status=status,
            opened_by=worker,
            social_worker=worker,
            team_manager=manager,
            team=TEAMS[n % len(TEAMS)],
            strategy_discussion_date=started,
            threshold_met=True,
            route="rmp",
            route_recorded_by=manager,
            route_recorded_on=started,
            route_agreed_on=started,
            marmm_due=cal.add(started, 15),
        )
        episodes.append(episode)
        if stage == 0:
            continue
        held = min(cal.add(started, rng.randrange(8, 20)), today)
        marmms.append(
            Marmm(
                episode=episode,
                kind=MarmmKind.INITIAL,
                held_on=held,
                minutes_due=cal.add(held, 2),
                minutes_circulated_on=cal.add(held, rng.randrange(1, 4)) if stage > 1 else None,
                recorded_by=worker,
            )
        )
        episode.last_marmm_on = held
        episode.next_review_due = held + dt.timedelta(weeks=12)
        if stage == 1:
            continue
        actions.append(
            PlanAction(
                episode=episode, section="support", description="Mentoring", recorded_by=worker
            )
        )
        episode.trigger_plan_needed, episode.nrm_needed = True, False
        episode.plan_agreed_on = held
        for system in FlagSystem.values:
            confirmed = rng.random() < 0.7
            flags.append(
                Flag(
                    episode=episode,
                    system=system,
                    purpose=FlagPurpose.SET,
                    text=FLAG_TEXT[system],
                    raised_on=held,
                    due_on=cal.add(held, 5),
                    confirmed_on=cal.add(held, rng.randrange(1, 9)) if confirmed else None,
                )
            )
        review = held + dt.timedelta(days=rng.randrange(40, 90))
        if review < today:
            marmms.append(
                Marmm(
                    episode=episode,
                    kind=MarmmKind.REVIEW,
                    held_on=review,
                    minutes_due=cal.add(review, 2),
                    minutes_circulated_on=cal.add(review, 1),
                    recorded_by=worker,
                )
            )
            episode.last_marmm_on = review
            episode.next_review_due = review + dt.timedelta(weeks=12)
        if stage == 4:
            episode.ended_on = episode.last_marmm_on
            episode.next_review_due = None
    Episode.objects.bulk_create(episodes, batch_size=1000)
    Marmm.objects.bulk_create(marmms, batch_size=1000)
    Flag.objects.bulk_create(flags, batch_size=1000)
    PlanAction.objects.bulk_create(actions, batch_size=1000)
    progress(f"{fmt_int(len(marmms))} MARMMs, {fmt_int(len(flags))} flags")
    return world.consultant


def timed_page(client: Any, url: str, runs: int) -> float:
    from benchmarks.large_area import get_ok

    get_ok(client, url)
    return statistics.median(run.timed_runs(lambda: get_ok(client, url), runs, warmup=1))


def bench(sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from django.core import mail
    from django.test.utils import override_settings
    from django.urls import reverse

    from benchmarks.large_area import signed_in_client
    from riskpath.pathway.reminders import remind

    consultant = build(sizes, rng)
    run.settle()
    client = signed_in_client(consultant)
    size = f"{fmt_int(sizes.open_episodes)} open episodes, {fmt_int(sizes.ended)} ended"
    dashboard = timed_page(client, reverse("pathway:dashboard"), sizes.runs)
    record(
        Figure(
            "pathway dashboard, consultant social worker",
            vendor,
            size,
            f"median of {sizes.runs} requests",
            fmt_ms(dashboard),
            f"every open episode's next step worked out and sorted; target < "
            f"{fmt_ms(DASHBOARD_TARGET)}: " + ("met" if dashboard < DASHBOARD_TARGET else "MISSED"),
        )
    )
    team = timed_page(client, reverse("pathway:dashboard") + f"?team={TEAMS[0]}", sizes.runs)
    record(
        Figure(
            "pathway dashboard, one team",
            vendor,
            size,
            f"median of {sizes.runs} requests",
            fmt_ms(team),
            f"a fifth of the episodes ({TEAMS[0]})",
        )
    )
    report = timed_page(client, reverse("pathway:timeliness"), sizes.runs)
    record(
        Figure(
            "pathway timeliness report, this quarter",
            vendor,
            size,
            f"median of {sizes.runs} requests",
            fmt_ms(report),
            "four measures over every episode's deadlines",
        )
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        begin = time.perf_counter()
        first = remind()
        first_s = time.perf_counter() - begin
        begin = time.perf_counter()
        second = remind()
        second_s = time.perf_counter() - begin
    record(
        Figure(
            "riskpath remind, first run of the day",
            vendor,
            size,
            "one run",
            f"{first_s:.2f} s",
            f"{fmt_int(first.sent)} reminders e-mailed (each recorded and audited)",
        )
    )
    record(
        Figure(
            "riskpath remind, run again the same day",
            vendor,
            size,
            "one run",
            f"{second_s:.2f} s",
            f"{fmt_int(second.sent)} sent, {fmt_int(second.already_sent)} already sent",
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
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
            settings.DATABASES["default"]["TEST"]["NAME"] = "riskpath_bench_pathway"
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
