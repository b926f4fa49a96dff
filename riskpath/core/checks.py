"""A deployment check: the application does not connect to PostgreSQL as a role that could
switch the audit log's triggers off. Run with `riskpath check --deploy --database default`."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections

from riskpath.core.db_roles import connected_role_problem


@checks.register(checks.Tags.database, deploy=True)
def check_application_role(
    app_configs: Any, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        problem = connected_role_problem(cursor)
    if problem is None:
        return []
    return [
        checks.Warning(
            f"The application connects to PostgreSQL as a role that could rewrite the audit log: "
            f"{problem}",
            hint=(
                "Connect (DATABASE_URL) as a role that owns no table, and run migrations as the "
                "owner (DATABASE_OWNER_URL): docs/audit.md, 'Database roles'."
            ),
            id="riskpath.W001",
        )
    ]
