from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskpath.administration.backup import BackupError, backup, target_for

OWNER_ALIAS = "owner"


class Command(BaseCommand):
    help = (
        "Back up riskpath's whole database to one file: 'riskpath backup --to FILE'. SQLite is "
        "copied through its online backup API, PostgreSQL dumped with pg_dump (as the owner role "
        "of DATABASE_OWNER_URL when it is set). The application may keep running. See "
        "docs/operations.md, 'Backups'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, metavar="FILE", help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        as_alias = OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else None
        try:
            size = backup(target_for("default", as_alias=as_alias), options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {options['to']} ({size:,} bytes).")
