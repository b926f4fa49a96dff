from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskpath.audit.chain import verify_chain
from riskpath.audit.checkpoints import (
    CheckpointError,
    NothingToCheckpoint,
    checkpoint_write,
    format_time,
    verify_checkpoints,
)
from riskpath.audit.models import chain_for_area, describe_chain


class Command(BaseCommand):
    help = (
        "Audit log tools. 'riskpath audit verify' walks every area's hash chain and the "
        "installation's (or one area's, with --area ID), and with --checkpoints FILE checks them "
        "against signed checkpoints; 'riskpath audit checkpoint' signs the end of every chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Check every event's hash and link; exit 1 if broken."
        )
        verify.add_argument(
            "--area",
            metavar="ID",
            type=uuid.UUID,
            help="check only this area's chain (its id, as the area settings page shows it)",
        )
        verify.add_argument(
            "--checkpoints",
            metavar="FILE",
            help="then check every signed checkpoint exported to FILE against the log",
        )
        checkpoint = sub.add_parser(
            "checkpoint",
            help="Sign the end of the chain with the checkpoint key and store the checkpoint.",
        )
        checkpoint.add_argument(
            "--export",
            metavar="FILE",
            help="also append the checkpoint, as one JSON line, to FILE (kept off this database)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options["checkpoints"], options["area"])
        elif options["action"] == "checkpoint":
            self._checkpoint(options["export"])

    def _verify(self, checkpoints: str | None, area: uuid.UUID | None) -> None:
        only = chain_for_area(area) if area is not None else None
        checked, problem = verify_chain(only=only)
        if problem is not None:
            raise CommandError(
                f"Audit chain broken after {checked} good events: {problem.message}",
                returncode=1,
            )
        which = f"{describe_chain(only)}: " if only is not None else ""
        self.stdout.write(f"Audit chain intact: {which}{checked} events verified.")
        if checkpoints is None:
            return
        try:
            result = verify_checkpoints(checkpoints)
        except CheckpointError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if result.problem is not None:
            raise CommandError(
                f"The audit log disagrees with its signed checkpoints: {result.problem.message}",
                returncode=1,
            )
        self.stdout.write(
            f"Signed checkpoints agree: {result.count} in {checkpoints}, of {result.chains} "
            f"chain(s), signed from {result.first.when} to {result.last.when}."
        )

    def _checkpoint(self, export: str | None) -> None:
        try:
            checkpoints = checkpoint_write(export_to=export)
        except NothingToCheckpoint as exc:
            self.stdout.write(str(exc))
            return
        except CheckpointError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        exported = f", exported to {export}" if export else ""
        first = checkpoints[0]
        self.stdout.write(
            f"Checkpoint signed at {format_time(first.signed_at)} with key {first.key_id}"
            f"{exported}:"
        )
        for checkpoint in checkpoints:
            self.stdout.write(f"  {describe_chain(checkpoint.chain)}: event #{checkpoint.seq}")
