"""The work list at the size of a large area: ``.venv/bin/python benchmarks/work_list.py
[--quick]``.

The pathway caseload of ``benchmarks/pathway.py`` (2,500 open episodes over every stage, 500
ended; a tenth with ``--quick``) plus 200 meetings and 2,000 open actions owned by users and
agencies. Times, through the whole request (middleware, view, template, audit write):

* the home page (the work list) of a consultant social worker, who sees the whole area's
  overdue and due-soon steps beside their own (target < 200 ms median);
* the same through the API (``/api/v1/me/work/``), and the home page of a social worker and of a
  police partner representative;
* a day's reminders for the area (``daily_reminders`` and ``pathway_reminders``, as the worker
  runs them: notifications made, e-mails enqueued) run once and run again;
* the consultant's home page while that fan-out runs in another thread (its effect on request
  latency).

Uses ``benchmarks/run.py``'s database set-up (SQLite by default; PostgreSQL with
``DATABASE_URL``). Nothing here asserts: the figures are for reading.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import pathway, run  # noqa: E402
from benchmarks.run import Figure, fmt_int, fmt_ms, progress, record  # noqa: E402

HOME_TARGET = 0.200  # seconds, median


@dataclass(frozen=True)
class Sizes:
    open_episodes: int
    ended: int
    meetings: int
    actions: int
    runs: int


FULL = Sizes(2_500, 500, 200, 2_000, 9)
QUICK = Sizes(250, 50, 20, 200, 5)


def add_meetings(consultant: Any, sizes: Sizes, rng: random.Random) -> None:
    from django.utils import timezone

    from riskpath.accounts.models import Agency, User
    from riskpath.core import clock
    from riskpath.meetings.models import Action, Meeting, MeetingKind, MeetingType

    area = consultant.agency.area
    meeting_type = MeetingType.objects.create(area=area, kind=MeetingKind.PIMM, name="PIMM")
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                area=area,
                meeting_type=meeting_type,
                title=f"PIMM {n}",
                starts_at=now + dt.timedelta(days=rng.randrange(-300, 60)),
                ends_at=now + dt.timedelta(days=1),
            )
            for n in range(sizes.meetings)
        ]
    )
    users = list(User.objects.filter(agency__area=area))
    agencies = list(Agency.objects.filter(area=area))
    today = clock.today()
    actions = []
    for n in range(sizes.actions):
        by_agency = n % 2 == 0
        actions.append(
            Action(
                area=area,
                meeting=rng.choice(meetings),
                description=f"Action {n}: map the associations and report back",
                owner_agency=rng.choice(agencies) if by_agency else None,
                owner_user=None if by_agency else rng.choice(users),
                due_on=today + dt.timedelta(days=rng.randrange(-30, 60)),
                created_by=consultant,
            )
        )
    Action.objects.bulk_create(actions, batch_size=1000)
    progress(f"{fmt_int(sizes.meetings)} meetings, {fmt_int(sizes.actions)} open actions")


def bench(sizes: Sizes, vendor: str, rng: random.Random) -> None:
    from django.core import mail
    from django.test.utils import override_settings
    from django.urls import reverse

    from benchmarks.large_area import signed_in_client
    from riskpath.accounts.enums import Role
    from riskpath.accounts.models import User
    from riskpath.notifications.models import Notification
    from riskpath.work.notices import daily_reminders, pathway_reminders
    from riskpath.work.selectors import gather

    consultant = pathway.build(pathway.Sizes(sizes.open_episodes, sizes.ended, sizes.runs), rng)
    add_meetings(consultant, sizes, rng)
    run.settle()
    size = (
        f"{fmt_int(sizes.open_episodes)} open episodes, {fmt_int(sizes.ended)} ended, "
        f"{fmt_int(sizes.actions)} open actions"
    )
    home = reverse("web:home")
    client = signed_in_client(consultant)
    items = len(gather(consultant))
    median = pathway.timed_page(client, home, sizes.runs)
    verdict = "met" if median < HOME_TARGET else "MISSED"
    record(
        Figure(
            "home page (work list), consultant social worker",
            vendor,
            size,
            f"median of {sizes.runs} requests",
            fmt_ms(median),
            f"{fmt_int(items)} items; target < {fmt_ms(HOME_TARGET)}: {verdict}",
        )
    )
    api = pathway.timed_page(client, reverse("api:my_work"), sizes.runs)
    record(
        Figure(
            "GET /api/v1/me/work/, consultant social worker",
            vendor,
            size,
            f"median of {sizes.runs} requests",
            fmt_ms(api),
            f"{fmt_int(items)} items",
        )
    )
    area = consultant.agency.area
    for role, label in (
        (Role.SOCIAL_WORKER, "social worker"),
        (Role.PARTNER_REPRESENTATIVE, "partner representative (police)"),
    ):
        user = (
            User.objects.filter(agency__area=area, roles__role=role)
            .order_by("agency__kind")
            .first()
        )
        if user is None:
            continue
        page = pathway.timed_page(signed_in_client(user), home, sizes.runs)
        record(
            Figure(
                f"home page (work list), {label}",
                vendor,
                size,
                f"median of {sizes.runs} requests",
                fmt_ms(page),
                f"{fmt_int(len(gather(user)))} items",
            )
        )

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        timings: list[float] = []
        done = threading.Event()

        def fan_out() -> None:
            from django.db import connection

            try:
                begin = time.perf_counter()
                pathway_reminders.call()
                daily_reminders.call()
                timings.append(time.perf_counter() - begin)
            finally:
                connection.close()
                done.set()

        worker = threading.Thread(target=fan_out)
        during: list[float] = []
        worker.start()
        while not done.is_set():
            begin = time.perf_counter()
            client.get(home)
            during.append(time.perf_counter() - begin)
        worker.join()
        told = Notification.objects.count()
        record(
            Figure(
                "a day's reminders for the area (first run)",
                vendor,
                size,
                "one run",
                f"{timings[0]:.2f} s" if timings else "failed",
                f"{fmt_int(told)} notifications made, {fmt_int(len(mail.outbox))} e-mails sent "
                "(jobs run at once here; the worker runs them in production)",
            )
        )
        record(
            Figure(
                "home page while the reminders run",
                vendor,
                size,
                f"median of {len(during)} requests",
                fmt_ms(statistics.median(during)) if during else "-",
                f"against {fmt_ms(median)} at rest"
                + (f"; slowest {fmt_ms(max(during))}" if during else ""),
            )
        )
        begin = time.perf_counter()
        pathway_reminders.call()
        daily_reminders.call()
        again = time.perf_counter() - begin
        record(
            Figure(
                "a day's reminders, run again the same day",
                vendor,
                size,
                "one run",
                f"{again:.2f} s",
                f"{fmt_int(Notification.objects.count() - told)} new notifications",
            )
        )


def main(argv: list[str] | None = None) -> int:
    return run.run_benchmark(
        bench,
        doc=__doc__ or "",
        full=FULL,
        quick=QUICK,
        seed=20261204,
        postgres_name="riskpath_bench_work",
        argv=argv,
    )


if __name__ == "__main__":
    raise SystemExit(main())
