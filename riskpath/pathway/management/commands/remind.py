"""``riskpath remind``: e-mail the owners of pathway steps due soon or overdue. Run it daily
(cron or a systemd timer); running it again the same day sends nothing new."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from riskpath.core.context import command_context
from riskpath.pathway.reminders import DAYS_AHEAD, remind


class Command(BaseCommand):
    help = "E-mail owners of Risk Management Pathway steps that are due soon or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days-ahead",
            type=int,
            default=DAYS_AHEAD,
            help=f"Remind of steps due within this many days (default {DAYS_AHEAD}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days_ahead"] < 0:
            self.stderr.write("--days-ahead must not be negative")
            raise SystemExit(2)
        with command_context():
            result = remind(days_ahead=options["days_ahead"])
        self.stdout.write(
            f"Sent {result.sent} reminder(s); {result.already_sent} already sent today."
        )
        if result.failed:
            self.stderr.write(f"{result.failed} reminder(s) could not be sent; rerun to retry.")
        for step in result.without_owner:
            self.stdout.write(f"No one to remind for {step}")
