"""``riskpath search-index rebuild [--kind KIND] [--area AREA_ID]``: write the search index
again from the live records (after a bulk load, a restore from backup, or to repair it). The
index also follows every save on its own; this is the way to start it afresh."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from riskpath.search import index
from riskpath.search.models import Kind


class Command(BaseCommand):
    help = "Rebuild the search index from the live records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--kind", action="append", choices=Kind.values, default=None)
        parser.add_argument("--area", default=None, help="only this area (its id)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            counts = index.rebuild(kinds=options["kind"], area_id=options["area"])
        except (ValueError, TypeError) as exc:
            raise CommandError(f"--area: {exc}") from exc
        took = time.perf_counter() - started
        for kind, count in counts.items():
            self.stdout.write(f"{Kind(kind).label}: {count} indexed")
        self.stdout.write(f"Search index rebuilt in {took:.1f} s.")
