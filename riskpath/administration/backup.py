"""Backing up riskpath's database to a file, and restoring it from one.

One file holds the whole database as it stood at one moment: on SQLite a copy made through
SQLite's online backup API (a consistent snapshot while the application keeps running); on
PostgreSQL a ``pg_dump`` archive in its custom format, restored with ``pg_restore``. A backup is
restored into a database of the same kind and the same version of riskpath.

Restoring replaces the database's contents, so it refuses a database that already holds
riskpath's tables unless it is told to replace them (``force``). After restoring it walks the
audit chain and, with the exported file of signed checkpoints, checks the log against them:
a restored database that has been tampered with is reported, not trusted. Both acts are
recorded in the audit log. ``riskpath backup`` and ``riskpath restore`` are the commands;
docs/operations.md is the procedure."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.apps import apps
from django.db import connections
from psycopg.conninfo import make_conninfo

from riskpath.audit.chain import ChainProblem, verify_chain
from riskpath.audit.checkpoints import CheckpointsChecked, verify_checkpoints
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.db_roles import grant_app_role

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
COMMAND_LABEL = "riskpath command"


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """The database to back up or restore, and the role to do it as (the tables' owner on
    PostgreSQL, where a restore creates tables)."""

    vendor: str
    settings: Mapping[str, Any]
    alias: str = "default"

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


@dataclass
class Restored:
    events: int
    chain_problem: ChainProblem | None
    checkpoints: CheckpointsChecked | None
    counts: list[tuple[str, int]] = field(default_factory=list)


def target_for(alias: str = "default", *, as_alias: str | None = None) -> Target:
    """The database of connection ``alias``, reached as the role of ``as_alias`` (defaults to the
    same connection)."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in (SQLITE, POSTGRESQL):
        raise BackupError(
            f"riskpath backs up SQLite and PostgreSQL, not {connection.display_name}."
        )
    credentials = dict(connections[as_alias or alias].settings_dict)
    credentials["NAME"] = connection.settings_dict["NAME"]
    return Target(vendor=vendor, settings=credentials, alias=alias)


def backup(target: Target, path: str | Path) -> int:
    """Write the whole database to ``path`` (replaced only once the new copy is complete) and
    record it in the audit log. Returns the file's size in bytes."""
    destination = Path(path)
    if destination.is_dir():
        raise BackupError(f"{destination} is a directory: give the backup file's name.")
    if not destination.parent.is_dir():
        raise BackupError(f"There is no directory {destination.parent} to write the backup in.")
    with _partial_file(destination) as partial:
        if target.vendor == SQLITE:
            _sqlite_backup(target, partial)
        else:
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--file",
                    str(partial),
                ],
                target,
            )
    size = destination.stat().st_size
    audit_record(
        actor=None,
        verb=Verb.DATABASE_BACKED_UP,
        changes={"file": destination.name, "bytes": size},
        actor_label=COMMAND_LABEL,
    )
    return size


def restore(
    target: Target,
    path: str | Path,
    *,
    force: bool = False,
    checkpoints: str | Path | None = None,
    app_role: str | None = None,
) -> Restored:
    """Replace the database's contents with the backup at ``path``, then check the audit chain
    (and the signed checkpoints exported to ``checkpoints``) and count the records.

    Refuses a backup of the other kind of database, a file that is not a backup, and a database
    that already holds riskpath's tables unless ``force``. On PostgreSQL the restore is one
    transaction (nothing is changed if it fails) and ``app_role``, the role the application
    connects as, is given its privileges again."""
    source = Path(path)
    kind = _kind_of(source)
    if kind != target.vendor:
        raise BackupError(
            f"{source} is a backup of a {_vendor_name(kind)} database, but riskpath is configured "
            f"for {_vendor_name(target.vendor)}: restore it into a {_vendor_name(kind)} database."
        )
    tables = _table_count(target)
    if tables and not force:
        raise BackupError(
            f"The database {target.name} is not empty ({tables} tables). Restoring replaces "
            "everything in it: run again with --force if that is what you mean."
        )
    if kind == SQLITE:
        _sqlite_restore(target, source)
    else:
        _pg_restore(target, source, clean=bool(tables), app_role=app_role)
    for connection in connections.all():
        connection.close()
    events, problem = verify_chain()
    checked = verify_checkpoints(checkpoints) if checkpoints is not None else None
    audit_record(
        actor=None,
        verb=Verb.DATABASE_RESTORED,
        changes={
            "file": source.name,
            "events_restored": events,
            "chain_intact": problem is None,
            "checkpoints_agree": None if checked is None else checked.problem is None,
        },
        actor_label=COMMAND_LABEL,
    )
    return Restored(events=events, chain_problem=problem, checkpoints=checked, counts=counts())


def counts() -> list[tuple[str, int]]:
    """How many rows each of riskpath's kinds of record holds, for the operator to check a
    restore against what they expect."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("riskpath."):
            continue
        found.append((str(model._meta.verbose_name_plural), model._default_manager.count()))
    return sorted(found)


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_backup(target: Target, partial: Path) -> None:
    connection = connections[target.alias]
    connection.ensure_connection()
    with sqlite3.connect(partial) as copy:
        connection.connection.backup(copy)
    copy.close()


def _sqlite_restore(target: Target, source: Path) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
        problem = backup_db.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"{source} is damaged (SQLite's integrity check: {problem}).")
        connection = connections[target.alias]
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("A restore cannot run inside a transaction.")
        backup_db.backup(connection.connection)
    backup_db.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_restore(target: Target, source: Path, *, clean: bool, app_role: str | None) -> None:
    listing = _run(["pg_restore", "--list", str(source)], target, database=False)
    if "riskpath" not in listing and "audit_auditevent" not in listing:
        raise BackupError(f"{source} is a PostgreSQL archive, but not of a riskpath database.")
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run([*command, "--dbname", target.name, str(source)], target, database=False)
    if app_role and app_role != target.settings.get("USER"):
        with _pg_connect(target) as conn, conn.cursor() as cursor:
            grant_app_role(cursor, app_role)


def _table_count(target: Target) -> int:
    if target.vendor == SQLITE:
        return len(connections[target.alias].introspection.table_names())
    with _pg_connect(target) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _pg_connect(target: Target) -> Iterator[psycopg.Connection[Any]]:
    info = {
        "dbname": target.name,
        "user": target.settings.get("USER"),
        "password": target.settings.get("PASSWORD"),
        "host": target.settings.get("HOST"),
        "port": target.settings.get("PORT"),
    }
    conninfo = make_conninfo("", **{k: v for k, v in info.items() if v not in ("", None)})
    with psycopg.connect(conninfo) as conn:
        yield conn


def _run(command: list[str], target: Target, *, database: bool = True) -> str:
    """Run a PostgreSQL client program as the target's role; its output, or ``BackupError``
    with what it said."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: it comes with PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client), at the server's major version or later."
        )
    env = dict(os.environ)
    for variable, key in (
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        value = target.settings.get(key)
        if value not in ("", None):
            env[variable] = str(value)
    if database:
        env["PGDATABASE"] = target.name
    # Fixed PostgreSQL client programs with file names as arguments; never through a shell.
    finished = subprocess.run(  # noqa: S603 - see the line above
        command, env=env, capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        said = finished.stderr.strip().splitlines()
        raise BackupError(f"{command[0]} failed: {said[-1] if said else 'no message'}")
    return finished.stdout


# --- Files ----------------------------------------------------------------------------------


def _kind_of(source: Path) -> str:
    try:
        with open(source, "rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError as exc:
        raise BackupError(f"There is no backup file {source}.") from exc
    except IsADirectoryError as exc:
        raise BackupError(f"{source} is a directory, not a backup file.") from exc
    if head.startswith(SQLITE_MAGIC):
        return SQLITE
    if head.startswith(PG_DUMP_MAGIC):
        return POSTGRESQL
    raise BackupError(f"{source} is not a riskpath backup (neither SQLite nor a pg_dump archive).")


def _vendor_name(vendor: str) -> str:
    return {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}[vendor]


@contextmanager
def _partial_file(destination: Path) -> Iterator[Path]:
    """A file beside ``destination`` to write into, moved over it only when complete."""
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    os.close(handle)
    partial = Path(name)
    try:
        partial.unlink()
        yield partial
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
