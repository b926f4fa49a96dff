from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskpath.administration.backup import BackupError, restore, target_for
from riskpath.audit.checkpoints import CheckpointError

OWNER_ALIAS = "owner"


class Command(BaseCommand):
    help = (
        "Restore riskpath's database from a file made by 'riskpath backup': "
        "'riskpath restore --from FILE [--checkpoints FILE] [--force]'. Refuses a database that "
        "is not empty unless --force; then checks the audit chain (and, with --checkpoints, the "
        "signed checkpoints exported outside the database) and prints how many records of each "
        "kind it holds. Exits 1 if the restored audit log does not verify. See "
        "docs/operations.md, 'Restoring'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", required=True, dest="source", metavar="FILE")
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="the exported signed checkpoints to check the restored audit log against",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the contents of a database that is not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        has_owner = OWNER_ALIAS in settings.DATABASES
        target = target_for("default", as_alias=OWNER_ALIAS if has_owner else None)
        app_role = settings.DATABASES["default"].get("USER") if has_owner else None
        try:
            restored = restore(
                target,
                options["source"],
                force=options["force"],
                checkpoints=options["checkpoints"],
                app_role=app_role,
            )
        except (BackupError, CheckpointError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {options['source']}.")
        for label, count in restored.counts:
            if count:
                self.stdout.write(f"  {count:>10,}  {label}")
        if restored.chain_problem is not None:
            raise CommandError(
                f"The restored audit chain is broken after {restored.events} good events: "
                f"{restored.chain_problem.message}. Do not use this database until you know why.",
                returncode=1,
            )
        self.stdout.write(f"Audit chain intact: {restored.events} events verified.")
        checked = restored.checkpoints
        if checked is None:
            self.stdout.write(
                "Signed checkpoints not checked: give --checkpoints FILE (the file kept outside "
                "the database) to check the log has not been rewritten."
            )
        elif checked.problem is not None:
            raise CommandError(
                "The restored audit log disagrees with its signed checkpoints: "
                f"{checked.problem.message}. Do not use this database until you know why.",
                returncode=1,
            )
        else:
            self.stdout.write(
                f"Signed checkpoints agree: {checked.count}, of {checked.chains} chain(s)."
            )
