"""Django's ``migrate``, run as the tables' owner when ``DATABASE_OWNER_URL`` is set.

The application connects (``DATABASE_URL``) as a role that owns nothing; migrations must run
as the role that owns the tables. With the owner's connection configured, ``riskpath migrate``
uses it unless told ``--database``, and then grants the application's role (the user named in
``DATABASE_URL``) exactly what it needs on the tables, new ones included."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import connections, transaction

from riskpath.core.db_roles import MigrationRouter, RoleError, grant_app_role
from riskpath.core.management.commands.db import OWNER_ALIAS


class Command(DjangoMigrateCommand):
    help = DjangoMigrateCommand.help + (
        " With DATABASE_OWNER_URL set, runs as that owner and then grants the role of "
        "DATABASE_URL the application's privileges."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        if OWNER_ALIAS in settings.DATABASES:
            parser.set_defaults(database=OWNER_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        MigrationRouter.alias = options["database"] if options["database"] == OWNER_ALIAS else None
        try:
            super().handle(*args, **options)
        finally:
            MigrationRouter.alias = None
        if options["database"] != OWNER_ALIAS or options["plan"]:
            return
        app_role = settings.DATABASES["default"].get("USER") or ""
        if not app_role or app_role == settings.DATABASES[OWNER_ALIAS].get("USER"):
            self.stdout.write(
                "DATABASE_URL names no role of its own: grant the application's role with "
                "`riskpath db grant-app-role --role NAME`."
            )
            return
        try:
            with transaction.atomic(using=OWNER_ALIAS), connections[OWNER_ALIAS].cursor() as cur:
                report = grant_app_role(cur, app_role)
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write("\n".join(report.lines()))
