"""``riskpath import-records --kind intelligence|missing --user <email> <file>``: import a
partner's CSV or XLSX file as the given user (whose access rules apply), print the report,
and exit 1 if the file has problems (then nothing was imported)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskpath.accounts.models import User
from riskpath.core.context import command_context
from riskpath.core.errors import DomainError
from riskpath.imports import services
from riskpath.imports.kinds import KINDS
from riskpath.imports.readers import MAX_FILE_BYTES


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of intelligence or missing episodes (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--user", required=True, help="E-mail of the user importing")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with e-mail {options['user']}")
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        with command_context():
            try:
                report = services.records_import(
                    actor=user, kind=options["kind"], file_name=path.name, data=data
                )
            except DomainError as exc:
                raise CommandError(exc.message) from None
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("Nothing was imported.", returncode=1)
