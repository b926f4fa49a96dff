from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskpath.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. 'riskpath audit verify' walks the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Check every event's hash and link; exit 1 if broken.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            checked, problem = verify_chain()
            if problem is not None:
                raise CommandError(
                    f"Audit chain broken after {checked} good events: {problem.message}",
                    returncode=1,
                )
            self.stdout.write(f"Audit chain intact: {checked} events verified.")
