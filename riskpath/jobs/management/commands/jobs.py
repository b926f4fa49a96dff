"""``riskpath jobs probe`` enqueues a job that does nothing; ``riskpath jobs result ID`` says
what became of it (exit 0 only when it ran). With ``riskpath db_worker --batch`` in between,
they prove a worker takes jobs from the queue on this database."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from riskpath.jobs.probe import probe


class Command(BaseCommand):
    help = "Enqueue a probe job, or report what became of one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("probe", help="Enqueue a job that does nothing; prints its id.")
        result = sub.add_parser("result", help="The status of a probe job.")
        result.add_argument("id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "probe":
            self.stdout.write(str(probe.enqueue(secrets.token_hex(8)).id))
            return
        try:
            found = probe.get_result(options["id"])
        except (TaskResultDoesNotExist, ValueError) as exc:
            raise CommandError(f"No probe job {options['id']}") from exc
        self.stdout.write(str(found.status))
        if found.status != TaskResultStatus.SUCCESSFUL:
            raise CommandError(f"The probe job has not run: {found.status}")
