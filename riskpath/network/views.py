"""The network chart's pages: around a young person, person of interest, location or group
(a group's page charts the whole group: its members and what each is linked to), and the
cohort's. The chart is progressive enhancement over the tables, which hold the same data."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import FieldErrors
from riskpath.core.forms import refused
from riskpath.groups.ends import END_LABELS
from riskpath.network import selectors
from riskpath.network.forms import NetworkFilterForm
from riskpath.network.presentation import chart_data


class _NetworkView(RuleRequiredMixin, View):
    rule = "can_view_network"
    template = "network/network.html"

    def _show(
        self,
        request: HttpRequest,
        scope: selectors.Scope,
        form: NetworkFilterForm,
        context: dict[str, Any],
    ) -> HttpResponse:
        try:
            network = selectors.network_for_user(self.actor, scope, form.filters())
        except FieldErrors as exc:
            status = refused(form, exc)
            return render(request, self.template, {**context, "form": form}, status=status)
        context.update(
            form=form,
            network=network,
            chart=chart_data(network),
            filtered=bool(network.filters.as_dict()),
        )
        if network.centre is not None:
            context["back_url"] = network.centre.url
            context["back_label"] = network.centre.label
        return render(request, self.template, context)


def _query(request: HttpRequest, depth: int | None) -> Any:
    """The filters asked for; the depth, when not asked for, the scope's default."""
    query = request.GET.copy()
    if depth is not None and not query.get("depth"):
        query["depth"] = str(depth)
    return query


class NetworkAroundView(_NetworkView):
    end_type: ClassVar[str] = ""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        default = selectors.GROUP_DEPTH if self.end_type == "group" else 1
        form = NetworkFilterForm(
            _query(request, default),
            agencies=selectors.agency_choices(self.actor),
            default_depth=default,
        )
        context: dict[str, Any] = {"kind_label": END_LABELS[self.end_type].lower()}
        if not form.is_valid():
            return render(request, self.template, {**context, "form": form}, status=400)
        scope = selectors.Scope("around", self.end_type, pk, form.depth_value())
        return self._show(request, scope, form, context)


class NetworkCohortView(_NetworkView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = NetworkFilterForm(
            _query(request, None), agencies=selectors.agency_choices(self.actor), show_depth=False
        )
        context: dict[str, Any] = {
            "kind_label": "cohort",
            "back_url": reverse("cohort:list"),
            "back_label": "the cohort",
        }
        if not form.is_valid():
            return render(request, self.template, {**context, "form": form}, status=400)
        return self._show(request, selectors.Scope("cohort"), form, context)
