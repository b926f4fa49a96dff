"""Pages: submit, list, read (in full or as a restricted summary), change, delete, and the
disclosure requests for C-coded items."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.core.paging import Window, window_of
from riskpath.intelligence import selectors, services
from riskpath.intelligence.forms import (
    DeleteForm,
    DisclosureDecisionForm,
    DisclosureRequestForm,
    IntelligenceEditForm,
    IntelligenceFilterForm,
    IntelligenceForm,
    RestoreForm,
)
from riskpath.intelligence.models import IntelligenceItem
from riskpath.intelligence.services import FIELDS, RELATIONS
from riskpath.people.picker import PickerStep

PAGE_SIZE = 25


def list_caption(page: Window) -> str:
    """The table's caption: "30 intelligence items" when the list fits on one page; otherwise
    the rows shown and the total only where it is known without counting (the last page):
    "Intelligence items 26 to 50 of more than 50", "... 51 to 62 of 62"."""
    total = page.total
    if page.number == 1 and total is not None:
        return f"{total} intelligence item{'' if total == 1 else 's'}"
    of = f"more than {page.end_index()}" if total is None else str(total)
    return f"Intelligence items {page.start_index()} to {page.end_index()} of {of}"


class IntelligenceListView(RuleRequiredMixin, View):
    rule = "can_view_intelligence"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = IntelligenceFilterForm(request.GET or None, area_id=self.actor.area_id)
        criteria = selectors.IntelligenceFilter()
        status = 200
        if form.is_bound:
            if form.is_valid():
                data = dict(form.cleaned_data)
                agency = data.pop("agency")
                criteria = selectors.IntelligenceFilter(
                    agency=agency.pk if agency else None, **data
                )
            else:
                status = 400
        qs = selectors.intelligence_search_for_user(self.actor, criteria)
        # Never counted: a count tests the access rule on every item the user may see (3.4 s
        # of a 4.6 s request with 500,000 items); the page reads one row more than it shows.
        page = window_of(request, qs, PAGE_SIZE)
        query = {k: v for k, v in request.GET.items() if k != "page" and v}
        items = selectors.with_access(self.actor, page.object_list)
        selectors.record_intelligence_listing(
            self.actor, count=len(items), page=page.number, filters=query
        )
        return render(
            request,
            "intelligence/list.html",
            {
                "form": form,
                "page": page,
                "items": items,
                "query": urlencode(query),
                "caption": list_caption(page),
                "can_submit": policy.check("can_submit_intelligence", self.actor),
                "deleted": selectors.deleted_intelligence_for_user(self.actor),
                "pending": len(selectors.pending_disclosures_for_user(self.actor)),
            },
            status=status,
        )


class IntelligenceSubmitView(RuleRequiredMixin, View):
    rule = "can_submit_intelligence"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        person = request.GET.get("young_person")
        if person:
            initial["young_people"] = [person]
        form = IntelligenceForm(initial=initial, user=self.actor)
        return render(request, "intelligence/form.html", {"form": form, "creating": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IntelligenceForm(request.POST, user=self.actor)
        step = PickerStep.of(request.POST)
        if step is not None:
            form = step.show(form, self.actor, purpose="intelligence")
            return render(request, "intelligence/form.html", {"form": form, "creating": True})
        if form.is_valid():
            try:
                item = services.intelligence_item_submit(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Your intelligence has been submitted.")
                return redirect("intelligence:detail", pk=item.pk)
        return render(
            request, "intelligence/form.html", {"form": form, "creating": True}, status=400
        )


class IntelligenceDetailView(RuleRequiredMixin, View):
    rule = "can_view_intelligence"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.intelligence_get_for_user(self.actor, pk)
        item = seen.item
        mine = [] if seen.full else selectors.my_disclosure_requests(self.actor, item)
        return render(
            request,
            "intelligence/detail.html",
            {
                "item": item,
                "full": seen.full,
                "basis": seen.basis,
                "my_requests": mine,
                "pending_request": any(r.status == "requested" for r in mine),
                "can_request": not seen.full
                and policy.check("can_request_disclosure", self.actor, item),
                "can_edit": policy.check("can_edit_intelligence", self.actor, item),
            },
        )


def _initial(item: IntelligenceItem) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(item, name) for name in FIELDS}
    for name in RELATIONS:
        initial[name] = [obj.pk for obj in getattr(item, name).all()]
    initial["version"] = item.version
    return initial


class IntelligenceEditView(RuleRequiredMixin, View):
    rule = "can_edit_intelligence"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        item = selectors.intelligence_get_for_user(self.actor, pk, rule=self.rule).item
        form = IntelligenceEditForm(initial=_initial(item), user=self.actor)
        return render(request, "intelligence/form.html", {"form": form, "item": item})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        item = selectors.access_intelligence(self.actor, pk, rule=self.rule).item
        form = IntelligenceEditForm(request.POST, user=self.actor)
        step = PickerStep.of(request.POST)
        if step is not None:
            form = step.show(form, self.actor, purpose="intelligence")
            return render(request, "intelligence/form.html", {"form": form, "item": item})
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.intelligence_item_update(
                    actor=self.actor, item=item, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The intelligence item has been updated.")
                return redirect("intelligence:detail", pk=item.pk)
        return render(
            request, "intelligence/form.html", {"form": form, "item": item}, status=status
        )


class IntelligenceDeleteView(RuleRequiredMixin, View):
    rule = "can_edit_intelligence"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        item = selectors.access_intelligence(self.actor, pk, rule=self.rule).item
        form = DeleteForm(initial={"version": item.version})
        return render(request, "intelligence/delete.html", {"form": form, "item": item})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        item = selectors.access_intelligence(self.actor, pk, rule=self.rule).item
        form = DeleteForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.intelligence_item_delete(
                    actor=self.actor,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(
                    request, "The intelligence item has been deleted. It can be restored."
                )
                return redirect("intelligence:list")
        return render(
            request, "intelligence/delete.html", {"form": form, "item": item}, status=status
        )


class IntelligenceRestoreView(RuleRequiredMixin, View):
    rule = "can_edit_intelligence"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        item = selectors.access_intelligence(
            self.actor, pk, rule=self.rule, include_deleted=True
        ).item
        form = RestoreForm(request.POST)
        if form.is_valid():
            try:
                services.intelligence_item_restore(
                    actor=self.actor, item=item, expected_version=form.cleaned_data["version"]
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "The intelligence item has been restored.")
                return redirect("intelligence:detail", pk=pk)
        return redirect("intelligence:list")


class DisclosureRequestView(RuleRequiredMixin, View):
    rule = "can_request_disclosure"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.access_intelligence(self.actor, pk, rule=self.rule)
        if seen.full:
            return redirect("intelligence:detail", pk=pk)
        return render(
            request,
            "intelligence/request_disclosure.html",
            {"form": DisclosureRequestForm(), "item": seen.item},
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.access_intelligence(self.actor, pk, rule=self.rule)
        form = DisclosureRequestForm(request.POST)
        if form.is_valid():
            try:
                services.disclosure_request_create(
                    actor=self.actor, item=seen.item, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Your request has been sent to {seen.item.source_agency}. You will be able "
                    "to read the item here if they agree.",
                )
                return redirect("intelligence:detail", pk=pk)
        return render(
            request,
            "intelligence/request_disclosure.html",
            {"form": form, "item": seen.item},
            status=400,
        )


class DisclosureListView(RuleRequiredMixin, View):
    rule = "can_decide_disclosure"

    def get(self, request: HttpRequest) -> HttpResponse:
        pending = selectors.pending_disclosures_for_user(self.actor)
        return render(request, "intelligence/disclosure_list.html", {"pending": pending})


class DisclosureDecideView(RuleRequiredMixin, View):
    rule = "can_decide_disclosure"

    def _render(self, request: HttpRequest, pk: Any, form: Any, status: int = 200) -> Any:
        disclosure = selectors.disclosure_request_get_for_user(self.actor, pk)
        return render(
            request,
            "intelligence/disclosure_decide.html",
            {"form": form, "disclosure": disclosure, "item": disclosure.item},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return self._render(request, pk, DisclosureDecisionForm())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        disclosure = selectors.access_disclosure_request(self.actor, pk)
        form = DisclosureDecisionForm(request.POST)
        if form.is_valid():
            grant = form.cleaned_data["decision"] == "grant"
            try:
                services.disclosure_request_decide(
                    actor=self.actor,
                    request=disclosure,
                    grant=grant,
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                who = disclosure.requested_by.full_name
                messages.success(
                    request,
                    f"{who} can now read the item in full."
                    if grant
                    else f"You refused {who}'s request.",
                )
                return redirect("intelligence:disclosure_list")
        return self._render(request, pk, form, status=400)
