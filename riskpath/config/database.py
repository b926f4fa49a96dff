"""The database connections: the application's own (``DATABASE_URL``) and, where migrations run,
the tables' owner (``DATABASE_OWNER_URL``). See docs/audit.md, "Database roles"."""

from __future__ import annotations

import dj_database_url
from dj_database_url import DBConfig
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"


def owner_database(default: DBConfig, url: str) -> DBConfig:
    """The ``owner`` connection: the same PostgreSQL database as ``default``, as the role that
    owns its tables. Only ``riskpath migrate`` and ``riskpath db grant-app-role`` use it, and
    only the machine or job that runs them should be given its URL."""
    try:
        owner = dj_database_url.parse(url, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_OWNER_URL is not a database URL: {exc}") from exc
    if owner["ENGINE"] != POSTGRESQL or default["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL is for PostgreSQL, where the tables' owner and the application's "
            "role differ: set both it and DATABASE_URL to postgres:// URLs, or leave it unset."
        )
    if not owner.get("USER"):
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL must name the owner role: postgres://OWNER@host:5432/name"
        )
    owner["OPTIONS"] = dict(default.get("OPTIONS", {}))
    return owner
