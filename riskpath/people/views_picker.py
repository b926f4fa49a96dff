"""The young-person picker's search, as JSON for the accessible-autocomplete enhancement of the
picker on every form. The same search answers the form's own Search button without JavaScript
(``people.picker.PickerStep``)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.people import picker


class YoungPersonPickView(RuleRequiredMixin, View):
    rule = "can_pick_young_person"

    def get(self, request: HttpRequest) -> JsonResponse:
        dob_text = request.GET.get("dob", "").strip()
        date_of_birth = picker.search_date(dob_text) if dob_text else None
        pool_name = request.GET.get("pool", "area")
        if pool_name not in picker.pool_names():
            return JsonResponse(
                {"errors": [{"field": "pool", "message": "Choose a pool the form names"}]},
                status=400,
            )
        result = picker.young_person_pick(
            self.actor,
            query=request.GET.get("q", ""),
            pool_name=pool_name,
            date_of_birth=date_of_birth,
            postcode=request.GET.get("postcode", ""),
            purpose="form",
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
