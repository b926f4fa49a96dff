from __future__ import annotations

import csv
import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.auditlog.forms import AuditFilterForm
from riskpath.auditlog.presentation import ShownEvent, present
from riskpath.auditlog.selectors import AuditFilter, audit_events_for_user

CSV_COLUMNS = [
    "seq",
    "occurred_at",
    "actor_label",
    "verb",
    "target_type",
    "target_id",
    "target_label",
    "subject_id",
    "subject_label",
    "basis",
    "reason",
    "changes",
    "request_id",
    "client_ip",
    "channel",
    "hash",
]


def _filter(form: AuditFilterForm) -> AuditFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return AuditFilter(
        actor=data.get("actor", ""),
        subject=data.get("subject", ""),
        target=data.get("target", ""),
        verb=data.get("verb", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


class AuditLogView(RuleRequiredMixin, View):
    rule = "can_view_audit"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET or None)
        criteria = _filter(form)
        page = Paginator(audit_events_for_user(request.user, criteria), 50).get_page(
            request.GET.get("page")
        )
        # Read (and shown as the reader may see it) before this search is itself recorded.
        events = present(request.user, page.object_list)
        audit_record(actor=request.user, verb=Verb.AUDIT_VIEWED, changes=_criteria(criteria))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "auditlog/log.html",
            {"form": form, "page": page, "events": events, "query": query.urlencode()},
            status=400 if form.is_bound and not form.is_valid() else 200,
        )


class _Echo:
    def write(self, value: str) -> str:
        return value


class AuditExportView(RuleRequiredMixin, View):
    rule = "can_view_audit"

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        form = AuditFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            page = Paginator(audit_events_for_user(request.user, AuditFilter()), 50).get_page(1)
            return render(
                request, "auditlog/log.html", {"form": form, "page": page, "events": []}, status=400
            )
        criteria = _filter(form)
        events = audit_events_for_user(request.user, criteria)
        audit_record(actor=request.user, verb=Verb.AUDIT_EXPORTED, changes=_criteria(criteria))
        writer = csv.writer(_Echo())

        reader = request.user

        def rows():  # type: ignore[no-untyped-def]
            yield writer.writerow(CSV_COLUMNS)
            batch: list[Any] = []
            for event in events.iterator(chunk_size=CHUNK):
                batch.append(event)
                if len(batch) == CHUNK:
                    yield from _rows(reader, batch)
                    batch = []
            yield from _rows(reader, batch)

        def _rows(reader: Any, batch: list[Any]):  # type: ignore[no-untyped-def]
            for shown in present(reader, batch):
                yield writer.writerow([_csv_safe(_cell(shown, c)) for c in CSV_COLUMNS])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="riskpath-audit.csv"'
        return response


CHUNK = 2000


def _cell(event: ShownEvent, column: str) -> Any:
    value = getattr(event, column)
    if column == "changes":
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _criteria(criteria: AuditFilter) -> dict[str, str]:
    return {k: str(v) for k, v in criteria.__dict__.items() if v}


def _csv_safe(value: object) -> str:
    """Text for a spreadsheet cell, defused against formula injection."""
    text = "" if value is None else str(value)
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text
