"""Pages: the cohort list and its exports, a young person's place on the cohort, the chair's
decisions (add, change tier, exit) and the re-entry flags."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.cohort import export, selectors, services
from riskpath.cohort.forms import (
    ChooseYoungPersonForm,
    CohortAddForm,
    CohortExitForm,
    CohortFilterForm,
    CohortTierForm,
    ReentryNoActionForm,
)
from riskpath.cohort.models import CohortMembership, tier_label
from riskpath.cohort.suggestion import criterion_label
from riskpath.core import exports
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.people.models import YoungPerson
from riskpath.people.picker import PickerStep


def _criteria(form: CohortFilterForm) -> selectors.CohortFilter:
    data = form.cleaned_data if form.is_valid() else {}
    lead = data.get("lead_professional")
    agency = data.get("agency")
    return selectors.CohortFilter(
        tier=data.get("tier") or None,
        lead_professional=lead.pk if lead else None,
        harm_type=data.get("harm_type") or "",
        agency=agency.pk if agency else None,
        locality=(data.get("locality") or "").strip(),
        discussed_before=data.get("discussed_before"),
        review_due_by=data.get("review_due_by"),
        sort=data.get("sort") or "tier",
    )


class CohortListView(RuleRequiredMixin, View):
    rule = "can_view_cohort"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CohortFilterForm(request.GET or None, area_id=self.actor.area_id)
        invalid = form.is_bound and not form.is_valid()
        criteria = _criteria(form)
        page, rows = selectors.cohort_page_for_user(
            self.actor, criteria, page=request.GET.get("page")
        )
        query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
        return render(
            request,
            "cohort/list.html",
            {
                "form": form,
                "rows": rows,
                "page": page,
                "counts": selectors.tier_counts_for_user(self.actor),
                "filtered": bool(criteria.as_audit()),
                "query": query,
                "can_decide": policy.check("can_decide_cohort", self.actor),
                "can_export": policy.check("can_export_cohort", self.actor),
                "flags": len(selectors.reentry_flags_for_user(self.actor)),
            },
            status=400 if invalid else 200,
        )


class CohortExportView(RuleRequiredMixin, View):
    rule = "can_export_cohort"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        form = CohortFilterForm(request.GET or None, area_id=self.actor.area_id)
        if form.is_bound and not form.is_valid():
            return render(
                request,
                "cohort/list.html",
                {"form": form, "rows": [], "counts": {}, "query": ""},
                status=400,
            )
        criteria = _criteria(form)
        rows = selectors.cohort_rows_for_user(self.actor, criteria)
        audit_record(
            actor=self.actor,
            verb=Verb.COHORT_EXPORTED,
            basis=selectors.COHORT_BASIS,
            changes={"format": fmt, "count": len(rows), "filters": criteria.as_audit()},
        )
        if fmt == "xlsx":
            return exports.xlsx_response(
                "riskpath-cohort.xlsx", export.COLUMNS, map(export.row_values, rows), "Cohort"
            )
        response = HttpResponse(export.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = exports.attachment("riskpath-cohort.csv")
        return response


class CohortDetailView(RuleRequiredMixin, View):
    rule = "can_view_cohort"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        record = selectors.cohort_record_get_for_user(self.actor, pk)
        current = record.current
        suggestion = selectors.suggestion_for(record.person)
        corroboration = selectors.corroboration_for(record.person)
        return render(
            request,
            "cohort/detail.html",
            {
                "record": record,
                "person": record.person,
                "current": current,
                "suggestion": suggestion,
                "corroboration": corroboration,
                "history": [
                    (d, [criterion_label(c) for c in d.criteria]) for d in record.decisions
                ],
                "can_decide": policy.check(
                    "can_decide_cohort", self.actor, current or record.spells[0]
                ),
            },
        )


def _suggestion_context(person: YoungPerson) -> dict[str, Any]:
    return {
        "suggestion": selectors.suggestion_for(person),
        "corroboration": selectors.corroboration_for(person),
    }


class CohortAddView(RuleRequiredMixin, View):
    rule = "can_decide_cohort"

    def _eligible(self) -> Any:
        return selectors.eligible_young_people_for_user(self.actor)

    def get(self, request: HttpRequest) -> HttpResponse:
        eligible = self._eligible()
        step = PickerStep.of(request.GET)
        if step is not None:
            choose = step.show(
                ChooseYoungPersonForm(request.GET, user=self.actor), self.actor, purpose="cohort"
            )
            return render(request, "cohort/choose.html", {"form": choose})
        if "young_person" not in request.GET:
            choose = ChooseYoungPersonForm(user=self.actor)
            return render(request, "cohort/choose.html", {"form": choose})
        choose = ChooseYoungPersonForm(request.GET, user=self.actor)
        if not choose.is_valid():
            return render(request, "cohort/choose.html", {"form": choose}, status=400)
        person = choose.cleaned_data["young_person"]
        form = CohortAddForm(initial={"young_person": person.pk}, queryset=eligible)
        return render(request, "cohort/add.html", self._context(form, person))

    def _context(self, form: CohortAddForm, person: YoungPerson) -> dict[str, Any]:
        return {"form": form, "person": person, **_suggestion_context(person)}

    def post(self, request: HttpRequest) -> HttpResponse:
        eligible = self._eligible()
        form = CohortAddForm(request.POST, queryset=eligible)
        pk = _uuid_or_none(request.POST.get("young_person"))
        person = eligible.filter(pk=pk).first() if pk else None
        if person is None:
            choose = ChooseYoungPersonForm(request.POST, user=self.actor)
            choose.is_valid()
            return render(request, "cohort/choose.html", {"form": choose}, status=400)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.cohort_add(actor=self.actor, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{person} has been added to the cohort.")
                return redirect("cohort:detail", pk=person.pk)
        return render(request, "cohort/add.html", self._context(form, person), status=400)


def _uuid_or_none(value: Any) -> Any:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class _DecisionView(RuleRequiredMixin, View):
    rule = "can_decide_cohort"

    def _current(
        self, pk: Any, *, read: bool = False
    ) -> tuple[selectors.CohortRecord, CohortMembership]:
        lookup = selectors.cohort_record_get_for_user if read else selectors.access_cohort_record
        record = lookup(self.actor, pk, rule=self.rule)
        current = record.current
        if current is None:
            raise Http404("Not on the cohort")
        return record, current


class CohortTierView(_DecisionView):
    def _context(self, form: Any, current: CohortMembership) -> dict[str, Any]:
        person = current.young_person
        return {"form": form, "person": person, "current": current, **_suggestion_context(person)}

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        _, current = self._current(pk, read=True)
        form = CohortTierForm(initial={"version": current.version})
        return render(request, "cohort/tier.html", self._context(form, current))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        _, current = self._current(pk)
        form = CohortTierForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.cohort_change_tier(
                    actor=self.actor, membership=current, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(
                    request, f"{current.young_person} is now at {tier_label(current.tier)}."
                )
                return redirect("cohort:detail", pk=pk)
        return render(request, "cohort/tier.html", self._context(form, current), status=status)


class CohortExitView(_DecisionView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        _, current = self._current(pk, read=True)
        form = CohortExitForm(initial={"version": current.version})
        return render(request, "cohort/exit.html", {"form": form, "current": current})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        _, current = self._current(pk)
        form = CohortExitForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.cohort_exit(
                    actor=self.actor, membership=current, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"{current.young_person} has left the cohort.")
                return redirect("cohort:detail", pk=pk)
        return render(
            request, "cohort/exit.html", {"form": form, "current": current}, status=status
        )


class ReentryFlagListView(RuleRequiredMixin, View):
    rule = "can_decide_cohort"

    def get(self, request: HttpRequest) -> HttpResponse:
        flags = selectors.reentry_flags_for_user(self.actor)
        audit_record(
            actor=self.actor,
            verb=Verb.COHORT_VIEWED,
            basis=selectors.COHORT_BASIS,
            changes={"reentry_flags": len(flags)},
        )
        return render(request, "cohort/reentry.html", {"flags": flags})


class ReentryNoActionView(RuleRequiredMixin, View):
    rule = "can_decide_cohort"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        flag = selectors.access_reentry_flag(self.actor, pk)
        return render(
            request, "cohort/no_action.html", {"form": ReentryNoActionForm(), "flag": flag}
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        flag = selectors.access_reentry_flag(self.actor, pk)
        form = ReentryNoActionForm(request.POST)
        if form.is_valid():
            try:
                services.reentry_flag_no_action(actor=self.actor, flag=flag, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request, f"No action on the new intelligence about {flag.young_person}."
                )
                return redirect("cohort:reentry")
        return render(request, "cohort/no_action.html", {"form": form, "flag": flag}, status=400)
