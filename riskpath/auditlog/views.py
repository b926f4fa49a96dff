from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.auditlog.forms import AuditFilterForm
from riskpath.auditlog.presentation import ShownEvent, present
from riskpath.auditlog.selectors import AuditFilter, audit_events_for_user
from riskpath.core import exports
from riskpath.core.paging import page_of

PAGE_SIZE = 50
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
        page = page_of(request, audit_events_for_user(request.user, criteria), PAGE_SIZE)
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


class AuditExportView(RuleRequiredMixin, View):
    rule = "can_view_audit"

    def get(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        form = AuditFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            page = page_of(request, audit_events_for_user(request.user, AuditFilter()), PAGE_SIZE)
            return render(
                request, "auditlog/log.html", {"form": form, "page": page, "events": []}, status=400
            )
        criteria = _filter(form)
        events = audit_events_for_user(request.user, criteria)
        audit_record(actor=request.user, verb=Verb.AUDIT_EXPORTED, changes=_criteria(criteria))
        return exports.csv_response(
            "riskpath-audit.csv", CSV_COLUMNS, _shown_rows(request.user, events)
        )


def _shown_rows(reader: Any, events: Any) -> Iterator[list[Any]]:
    """The events as their reader may see them, a batch at a time (present asks who may open
    what once per batch), one list of cells per event."""
    batch: list[Any] = []
    for event in events.iterator(chunk_size=CHUNK):
        batch.append(event)
        if len(batch) == CHUNK:
            yield from ([_cell(e, c) for c in CSV_COLUMNS] for e in present(reader, batch))
            batch = []
    yield from ([_cell(e, c) for c in CSV_COLUMNS] for e in present(reader, batch))


CHUNK = 2000


def _cell(event: ShownEvent, column: str) -> Any:
    value = getattr(event, column)
    if column == "changes":
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _criteria(criteria: AuditFilter) -> dict[str, str]:
    return {k: str(v) for k, v in criteria.__dict__.items() if v}
