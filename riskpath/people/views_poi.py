"""Pages for persons of interest: possible perpetrators, and what partners do to disrupt them.

Persons of interest are for the partnership's recording members only, and never appear in
anything meant for a young person or their family."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import User
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.core.pages import page_parts
from riskpath.people import selectors, services
from riskpath.people.forms import (
    DisruptionForm,
    PersonOfInterestCreateForm,
    PersonOfInterestEditForm,
    PersonOfInterestFromYoungPersonEditForm,
    PersonOfInterestFromYoungPersonForm,
)
from riskpath.people.models import PersonOfInterest
from riskpath.people.views_duplicates import hold_for_duplicates


class PersonOfInterestListView(RuleRequiredMixin, View):
    rule = "can_view_person_of_interest"

    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:100]
        people = selectors.person_of_interest_list_for_user(self.actor, search=search)
        return render(
            request,
            "people/poi_list.html",
            {
                "people": people,
                "search": search,
                "can_record": policy.check("can_record_person_of_interest", self.actor),
            },
        )


class PersonOfInterestCreateView(RuleRequiredMixin, View):
    rule = "can_record_person_of_interest"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "people/poi_form.html", {"form": PersonOfInterestCreateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PersonOfInterestCreateForm(request.POST)
        if form.is_valid():
            held = hold_for_duplicates(request, self.actor, form, kind="person_of_interest")
            if held is not None:
                return held  # likely existing records, shown before a new one is made
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_new"}
            try:
                person = services.person_of_interest_create(actor=self.actor, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{person} has been recorded as a person of interest.")
                return redirect("people:poi_detail", pk=person.pk)
        return render(request, "people/poi_form.html", {"form": form}, status=400)


class PersonOfInterestFromYoungPersonView(RuleRequiredMixin, View):
    """Record that a young person is also a person of interest (one human, one identity)."""

    rule = "can_record_person_of_interest"

    def _young_person(self, pk: Any, *, read: bool = False) -> Any:
        lookup = selectors.young_person_get_for_user if read else selectors.access_young_person
        return lookup(self.actor, pk).person

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        young_person = self._young_person(pk, read=True)
        existing = PersonOfInterest.objects.filter(young_person=young_person).first()
        if existing is not None:
            return redirect("people:poi_detail", pk=existing.pk)
        form = PersonOfInterestFromYoungPersonForm()
        return render(request, "people/poi_form.html", {"form": form, "young_person": young_person})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        young_person = self._young_person(pk)
        form = PersonOfInterestFromYoungPersonForm(request.POST)
        if form.is_valid():
            try:
                person = services.person_of_interest_create_from_young_person(
                    actor=self.actor, young_person=young_person, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{person} has been recorded as a person of interest.")
                return redirect("people:poi_detail", pk=person.pk)
        return render(
            request,
            "people/poi_form.html",
            {"form": form, "young_person": young_person},
            status=400,
        )


def _detail(
    request: HttpRequest, actor: User, person: PersonOfInterest, form: Any, status: int = 200
) -> HttpResponse:
    young_person_visible = bool(
        person.young_person_id and policy.check("can_view_young_person", actor, person.young_person)
    )
    return render(
        request,
        "people/poi_detail.html",
        {
            "person": person,
            "disruptions": selectors.disruptions_of(person),
            "form": form,
            "can_record": policy.check("can_record_person_of_interest", actor, person),
            "can_merge": policy.check("can_merge_records", actor, person),
            "young_person_visible": young_person_visible,
            # Links and intelligence, from their apps (core.pages)
            **page_parts("person_of_interest", actor, person),
        },
        status=status,
    )


class PersonOfInterestDetailView(RuleRequiredMixin, View):
    rule = "can_view_person_of_interest"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = selectors.person_of_interest_get_for_user(self.actor, pk)
        form = DisruptionForm(area_id=self.actor.area_id, initial={"agency": self.actor.agency_id})
        return _detail(request, self.actor, person, form)


class DisruptionCreateView(RuleRequiredMixin, View):
    rule = "can_record_person_of_interest"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = selectors.access_person_of_interest(self.actor, pk, rule=self.rule)
        form = DisruptionForm(request.POST, area_id=self.actor.area_id)
        if form.is_valid():
            try:
                disruption = services.disruption_record(
                    actor=self.actor, person=person, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{disruption} has been recorded.")
                return redirect("people:poi_detail", pk=person.pk)
        # The page is shown again with the errors: a read of the record, so audited.
        person = selectors.person_of_interest_get_for_user(self.actor, pk)
        return _detail(request, self.actor, person, form, status=400)


class PersonOfInterestEditView(RuleRequiredMixin, View):
    rule = "can_record_person_of_interest"

    def _form(self, person: PersonOfInterest, data: Any = None) -> Any:
        if person.young_person_id:
            initial = {"description": person.description, "postcode": person.postcode}
            return PersonOfInterestFromYoungPersonEditForm(
                data, initial={**initial, "version": person.version}
            )
        initial = {name: getattr(person, name) for name in services.POI_FIELDS}
        return PersonOfInterestEditForm(data, initial={**initial, "version": person.version})

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = selectors.person_of_interest_get_for_user(self.actor, pk, rule=self.rule)
        return render(
            request, "people/poi_form.html", {"form": self._form(person), "person": person}
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = selectors.access_person_of_interest(self.actor, pk, rule=self.rule)
        form = self._form(person, request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.person_of_interest_update(
                    actor=self.actor, person=person, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The person of interest has been updated.")
                return redirect("people:poi_detail", pk=person.pk)
        return render(
            request, "people/poi_form.html", {"form": form, "person": person}, status=status
        )
