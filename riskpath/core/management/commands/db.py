from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from riskpath.core.db_roles import RoleError, grant_app_role

OWNER_ALIAS = "owner"


class Command(BaseCommand):
    help = (
        "Database tools. 'riskpath db grant-app-role --role NAME' gives the PostgreSQL role the "
        "application connects as exactly what it needs: ordinary access to the application's "
        "tables, and only reading and appending on the audit tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        grant = sub.add_parser(
            "grant-app-role",
            help="Grant the application's role its privileges (run as the tables' owner).",
        )
        grant.add_argument("--role", required=True, help="the role the application connects as")
        grant.add_argument(
            "--database",
            default=OWNER_ALIAS if OWNER_ALIAS in settings.DATABASES else "default",
            help="the connection to grant through: 'owner' (DATABASE_OWNER_URL) when it is set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        if alias not in connections:
            raise CommandError(f"There is no database connection called {alias!r}.")
        if connections[alias].vendor != "postgresql":
            raise CommandError(
                "Roles are PostgreSQL's: this database is "
                f"{connections[alias].display_name}, which has none to grant."
            )
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                report = grant_app_role(cursor, options["role"])
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(report.lines()))
