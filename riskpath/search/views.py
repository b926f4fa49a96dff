"""The search page: the header's search box submits here (GET, so it works without
JavaScript and the address can be kept); results grouped by kind, one kind paged."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import FieldErrors
from riskpath.search import pickers, services
from riskpath.search.models import Kind


class SearchView(RuleRequiredMixin, View):
    rule = "can_search_records"

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("q", "")
        kind = request.GET.get("kind", "")
        try:
            results = services.search(self.actor, text, kind=kind, page=request.GET.get("page"))
        except FieldErrors as exc:
            return render(
                request,
                "search/results.html",
                {"errors": exc.errors, "text": text[: services.QUERY_MAX]},
                status=400,
            )
        tabs = [
            {
                "kind": group.kind,
                "label": group.heading,
                "count": group.total,
                "url": "?" + urlencode({"q": results.text, "kind": group.kind}),
            }
            for group in (results.groups if not kind else [])
        ]
        return render(
            request,
            "search/results.html",
            {
                "results": results,
                "text": results.text,
                "tabs": tabs,
                "all_url": "?" + urlencode({"q": results.text}),
                "kind_name": Kind(kind).label if kind else "",
                "query": urlencode({"q": results.text, "kind": kind}),
            },
        )


class RecordPickView(RuleRequiredMixin, View):
    """The pickers' search for persons of interest, locations and groups, as JSON for the
    accessible-autocomplete enhancement (the same shape as ``people:pick``)."""

    rule = "can_search_records"

    def get(self, request: HttpRequest) -> JsonResponse:
        kind = request.GET.get("kind", "")
        if kind not in pickers.PICKABLE:
            choices = ", ".join(pickers.PICKABLE)
            return JsonResponse(
                {"errors": [{"field": "kind", "message": f"Choose one of: {choices}"}]},
                status=400,
            )
        result = pickers.record_pick(
            self.actor, kind, query=request.GET.get("q", ""), purpose="form"
        )
        return JsonResponse(
            {
                "results": [
                    {"id": str(o.id), "label": o.label, "openable": o.openable}
                    for o in result.options
                ],
                "more": result.more,
                "message": result.message,
            }
        )
