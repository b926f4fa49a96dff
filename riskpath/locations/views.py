"""Location pages: list (filter by type, search by name or postcode), record, view, change,
delete and restore."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.core.pages import page_parts
from riskpath.locations import selectors, services
from riskpath.locations.forms import (
    LocationDeleteForm,
    LocationEditForm,
    LocationForm,
    RestoreForm,
)
from riskpath.locations.models import Location, LocationKind


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.FIELDS}


class LocationListView(RuleRequiredMixin, View):
    rule = "can_view_location"

    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:100]
        kind = request.GET.get("kind", "")
        kind = kind if kind in LocationKind.values else ""
        locations = selectors.location_list_for_user(self.actor, search=search, kind=kind)
        return render(
            request,
            "locations/list.html",
            {
                "locations": locations,
                "search": search,
                "kind": kind,
                "kinds": LocationKind.choices,
                "limit": selectors.LIST_LIMIT,
                "deleted": selectors.location_deleted_list_for_user(self.actor),
                "can_record": policy.check("can_record_location", self.actor),
            },
        )


class LocationCreateView(RuleRequiredMixin, View):
    rule = "can_record_location"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "locations/form.html", {"form": LocationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                location = services.location_create(actor=self.actor, **_values(form.cleaned_data))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{location} has been recorded.")
                return redirect("locations:detail", pk=location.pk)
        return render(request, "locations/form.html", {"form": form}, status=400)


class LocationDetailView(RuleRequiredMixin, View):
    rule = "can_view_location"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        location = selectors.location_get_for_user(self.actor, pk)
        return render(
            request,
            "locations/detail.html",
            {
                "location": location,
                "can_record": policy.check("can_record_location", self.actor, location),
                # Its links, from the links app (core.pages)
                **page_parts("location", self.actor, location),
            },
        )


class LocationEditView(RuleRequiredMixin, View):
    rule = "can_record_location"

    def _form(self, location: Location, data: Any = None) -> LocationEditForm:
        initial = {name: getattr(location, name) for name in services.FIELDS}
        initial["version"] = location.version
        return LocationEditForm(data, initial=initial)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        location = selectors.location_get_for_user(self.actor, pk, rule=self.rule)
        return render(
            request, "locations/form.html", {"form": self._form(location), "location": location}
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        location = selectors.access_location(self.actor, pk, rule=self.rule)
        form = self._form(location, request.POST)
        status = 400
        if form.is_valid():
            try:
                services.location_update(
                    actor=self.actor,
                    location=location,
                    expected_version=form.cleaned_data["version"],
                    **_values(form.cleaned_data),
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The location has been updated.")
                return redirect("locations:detail", pk=location.pk)
        return render(
            request,
            "locations/form.html",
            {"form": form, "location": location},
            status=status,
        )


class LocationDeleteView(RuleRequiredMixin, View):
    rule = "can_record_location"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        location = selectors.location_get_for_user(self.actor, pk, rule=self.rule)
        form = LocationDeleteForm(initial={"version": location.version})
        return render(request, "locations/delete.html", {"form": form, "location": location})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        location = selectors.access_location(self.actor, pk, rule=self.rule)
        form = LocationDeleteForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.location_delete(
                    actor=self.actor,
                    location=location,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"{location} has been deleted. It can be restored.")
                return redirect("locations:list")
        return render(
            request,
            "locations/delete.html",
            {"form": form, "location": location},
            status=status,
        )


class LocationRestoreView(RuleRequiredMixin, View):
    rule = "can_record_location"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        location = selectors.access_location(self.actor, pk, rule=self.rule, include_deleted=True)
        form = RestoreForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The location could not be restored: reload the page.")
            return redirect("locations:list")
        try:
            services.location_restore(
                actor=self.actor, location=location, expected_version=form.cleaned_data["version"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("locations:list")
        messages.success(request, f"{location} has been restored.")
        return redirect("locations:detail", pk=location.pk)
