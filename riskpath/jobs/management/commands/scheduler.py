"""``riskpath scheduler``: enqueue the jobs of the schedule (``RISKPATH_SCHEDULE``) when they
fall due. It runs nothing itself: the worker (``riskpath db_worker``) does the work. Run one;
a second scheduler (or a restart inside a minute) enqueues a job twice, which the jobs shrug off
because every reminder and notification is sent once per key (``riskpath.notifications``)."""

from __future__ import annotations

from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from riskpath.core import clock
from riskpath.jobs.schedule import enqueue, entries


class Command(BaseCommand):
    help = "Enqueue the scheduled jobs (daily reminders, digests…) when they fall due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="Print the schedule and its next times, and exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for entry in entries():
            entry.job()  # a mistyped path fails here, at start, not at the first firing
            scheduler.add_job(
                enqueue,
                entry.trigger(settings.TIME_ZONE),
                args=[entry.path],
                id=entry.path,
                name=entry.path,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=3600,
            )
        if options["list"]:
            for entry in entries():
                when = entry.trigger(settings.TIME_ZONE).get_next_fire_time(None, clock.now())
                self.stdout.write(f"{entry.cron:<15} {entry.path}  next: {when:%Y-%m-%d %H:%M}")
            return
        self.stdout.write(f"riskpath scheduler: {len(entries())} job(s) scheduled")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
