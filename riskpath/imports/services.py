"""Bulk import of a partner's export: validated in full, all or nothing, with a report that
names the row, the column and the problem, and no duplicates when the same file comes again.

How it works, for a file of one kind (``riskpath.imports.kinds``):

1. Read the file (``readers``) and match its headings to the kind's columns.
2. Read every row: dates, choices, and the young people it names (found in the actor's area
   by riskpath id, or by exact full name and date of birth; never created). Each row gets an
   identity (``kinds.row_key``); a row already imported is skipped and counted.
3. In ONE transaction, record every new row through the kind's domain service, each row in
   its own savepoint so that a row the service refuses (its validation, or the access policy)
   adds to the report and the next row is still checked. If any row of the file has a
   problem, the transaction is rolled back: nothing is written, and one ``IMPORT_REJECTED``
   event records the counts. Otherwise it commits, with one ``IMPORT_COMPLETED`` event; each
   record also has its own event from its service.

Audit events of an import hold counts, never the file's content or name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.db import refresh_statistics
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.imports.kinds import KINDS, REFERENCE, ImportKind, YoungPeople, row_key
from riskpath.imports.readers import UnreadableFile, normalise_heading, read_table

WHOLE_ROW = ""  # the column of a problem that is about the whole row or file


@dataclass(frozen=True)
class Problem:
    row: int | None  # as the user sees it in the spreadsheet (headings are row 1)
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    label: str = ""  # "intelligence", "missing episodes"
    rows: int = 0
    created: int = 0
    already_imported: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as plain text, for the command line."""
        if self.ok:
            return [
                f"Imported {self.label or self.kind}: {_count(self.rows, 'row')} read, "
                f"{self.created} created, {self.already_imported} already imported."
            ]
        out = [f"Nothing was imported. The file has {_problems(len(self.problems))}:"]
        for p in self.problems:
            where = f"Row {p.row}" if p.row is not None else "File"
            column = f", {p.column}" if p.column else ""
            out.append(f"  {where}{column}: {p.message}")
        return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _problems(n: int) -> str:
    return _count(n, "problem")


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    key: str


def records_import(*, actor: User, kind: str, file_name: str, data: bytes) -> ImportReport:
    """Import ``data`` (the bytes of a CSV or XLSX file called ``file_name``) as records of
    ``kind`` ("intelligence" or "missing"), from the actor's agency. Returns the report; the
    records are written only if it has no problems."""
    if not policy.check("can_import_records", actor):
        raise NotPermitted()
    spec = KINDS.get(kind)
    if spec is None:
        raise FieldErrors({"kind": "Select what the file holds"})
    report = ImportReport(kind=spec.key, label=spec.label)
    try:
        table = read_table(file_name, data)
    except UnreadableFile as exc:
        report.problems.append(Problem(None, WHOLE_ROW, exc.message))
        return _reject(actor, spec, report)
    report.rows = len(table.rows)
    columns = _match_headings(spec, table.headings, report)
    if not report.ok:
        return _reject(actor, spec, report)

    people = YoungPeople(actor.area_id)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        row_problems: list[tuple[str, str]] = []
        named = {column.heading: "" for column in spec.columns}
        for index, text in enumerate(cells):
            heading = columns[index] if index < len(columns) else None
            if heading:
                named[heading] = text
            elif text:
                row_problems.append((WHOLE_ROW, f"Cell {index + 1} has no column heading"))
        values = spec.parse(actor, named, people, row_problems)
        for column, message in row_problems:
            report.problems.append(Problem(number, column, message))
        if row_problems:
            continue
        reference = named.get(REFERENCE, "")
        key = row_key(spec.key, actor, reference, values)
        if key in seen:
            report.problems.append(
                Problem(
                    number,
                    REFERENCE if reference else WHOLE_ROW,
                    f"This row repeats row {seen[key]}: remove one of them",
                )
            )
            continue
        seen[key] = number
        rows.append(_Row(number, values, key))

    agency = actor.agency
    if agency is None:  # no agency: the policy has refused them already
        raise NotPermitted()
    with transaction.atomic():
        # Imports by one agency take turns, so that two uploads of one file cannot both
        # find its rows new.
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        existing = spec.existing(actor, [row.key for row in rows])
        for row in rows:
            if row.key in existing:
                report.already_imported += 1
                continue
            try:
                with transaction.atomic():
                    spec.write(actor, row.values, row.key)
            except FieldErrors as exc:
                for name, message in exc.errors.items():
                    column = spec.field_columns.get(name, WHOLE_ROW)
                    report.problems.append(Problem(row.number, column, message))
            except NotPermitted:
                report.problems.append(Problem(row.number, *_refusal(spec)))
            except DomainError as exc:
                report.problems.append(Problem(row.number, WHOLE_ROW, exc.message))
            else:
                report.created += 1
        if report.ok:
            audit_record(
                actor=actor,
                verb=Verb.IMPORT_COMPLETED,
                target_label=f"Import of {spec.label}",
                changes={
                    "kind": spec.key,
                    "rows": report.rows,
                    "created": report.created,
                    "already_imported": report.already_imported,
                },
            )
            if report.created:
                # A first import into a young database changes its shape: tell the planner.
                transaction.on_commit(refresh_statistics)
            return report
        transaction.set_rollback(True)
    report.created = 0
    report.already_imported = 0
    return _reject(actor, spec, report)


def _refusal(spec: ImportKind) -> tuple[str, str]:
    if spec.key == "missing":
        return (
            "Young person",
            "You are not involved with this young person, so you cannot record their "
            "missing episodes",
        )
    return (WHOLE_ROW, "You do not have permission to record this row")


def _match_headings(spec: ImportKind, headings: list[str], report: ImportReport) -> list[str]:
    """The kind's column heading for each of the file's columns ("" for a blank heading)."""
    known = {normalise_heading(column.heading): column.heading for column in spec.columns}
    out: list[str] = []
    first: dict[str, int] = {}
    for index, written in enumerate(headings):
        if not written:
            out.append("")
            continue
        heading = known.get(normalise_heading(written))
        if heading is None:
            report.problems.append(
                Problem(
                    1,
                    written,
                    "riskpath does not know this column: rename it to one of "
                    + ", ".join(c.heading for c in spec.columns)
                    + ", or remove it",
                )
            )
            out.append("")
            continue
        if heading in first:
            report.problems.append(
                Problem(1, written, f"The file has two “{heading}” columns: remove one")
            )
        first.setdefault(heading, index)
        out.append(heading)
    for column in spec.columns:
        if column.required and column.heading not in first:
            report.problems.append(
                Problem(1, column.heading, f"The file has no “{column.heading}” column: add it")
            )
    return out


def _reject(actor: User, spec: ImportKind, report: ImportReport) -> ImportReport:
    report.problems.sort(key=lambda p: (p.row or 0, _column_order(spec, p.column)))
    audit_record(
        actor=actor,
        verb=Verb.IMPORT_REJECTED,
        target_label=f"Import of {spec.label}",
        changes={"kind": spec.key, "rows": report.rows, "problems": len(report.problems)},
    )
    return report


def _column_order(spec: ImportKind, heading: str) -> int:
    for index, column in enumerate(spec.columns):
        if column.heading == heading:
            return index + 1
    return 0 if heading == WHOLE_ROW else len(spec.columns) + 1


def template_csv(kind: str) -> str:
    """A CSV of the kind's column headings, for a partner to fill in."""
    import csv
    import io

    spec = KINDS[kind]
    buf = io.StringIO()
    csv.writer(buf).writerow([column.heading for column in spec.columns])
    return buf.getvalue()
