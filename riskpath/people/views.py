from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.services import emergency_access_grant, emergency_grants_for
from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.people import selectors, services
from riskpath.people.forms import (
    DeleteForm,
    EmergencyAccessForm,
    RestoreForm,
    YoungPersonCreateForm,
    YoungPersonEditForm,
)
from riskpath.people.models import YoungPerson
from riskpath.people.timeline import young_person_page_context
from riskpath.people.views_duplicates import hold_for_duplicates


def emergency_refusal(request: HttpRequest, person: YoungPerson) -> HttpResponse:
    url = reverse("people:emergency_access", args=[person.pk])
    return render(request, "web/403.html", {"emergency_access_url": url}, status=403)


class YoungPersonListView(RuleRequiredMixin, View):
    rule = "can_list_young_people"

    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:100]
        people = selectors.young_person_list_for_user(self.actor, search=search)
        deleted = selectors.young_person_deleted_list_for_user(self.actor)
        return render(
            request,
            "people/list.html",
            {
                "people": people,
                "search": search,
                "deleted": deleted,
                "can_review_duplicates": policy.check("can_review_duplicates", self.actor),
            },
        )


class YoungPersonCreateView(RuleRequiredMixin, View):
    rule = "can_record_young_person"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = YoungPersonCreateForm(area_id=self.actor.area_id)
        return render(request, "people/form.html", {"form": form, "creating": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = YoungPersonCreateForm(request.POST, area_id=self.actor.area_id)
        if form.is_valid():
            held = hold_for_duplicates(request, self.actor, form, kind="young_person")
            if held is not None:
                return held  # likely existing records, shown before a new one is made
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_new"}
            try:
                person = services.young_person_create(actor=self.actor, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{person} has been recorded.")
                return redirect("people:detail", pk=person.pk)
        return render(request, "people/form.html", {"form": form, "creating": True}, status=400)


class YoungPersonDetailView(RuleRequiredMixin, View):
    rule = "can_list_young_people"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            seen = selectors.young_person_get_for_user(self.actor, pk)
        except selectors.EmergencyAccessRequired as exc:
            return emergency_refusal(request, exc.person)
        person = seen.person
        grants = None
        if seen.basis and not seen.basis.startswith("emergency access"):
            grants = emergency_grants_for(person)
        return render(
            request,
            "people/detail.html",
            {
                "person": person,
                "basis": seen.basis,
                "grants": grants,
                "can_edit": policy.check("can_edit_young_person", self.actor, person),
                "can_delete": policy.check("can_delete_young_person", self.actor, person),
                "can_see_views": policy.check("can_see_record_views", self.actor, person),
                **young_person_page_context(self.actor, person, request.GET),
            },
        )


class YoungPersonEditView(RuleRequiredMixin, View):
    rule = "can_record_young_person"

    def _form(self, request: HttpRequest, person: YoungPerson, data: Any = None) -> Any:
        initial = {name: getattr(person, name) for name in services.FIELDS}
        initial["lead_professional"] = person.lead_professional_id
        initial["version"] = person.version
        return YoungPersonEditForm(data, initial=initial, area_id=self.actor.area_id)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            seen = selectors.young_person_get_for_user(self.actor, pk, rule="can_edit_young_person")
        except selectors.EmergencyAccessRequired as exc:
            return emergency_refusal(request, exc.person)
        form = self._form(request, seen.person)
        return render(request, "people/form.html", {"form": form, "person": seen.person})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            seen = selectors.access_young_person(self.actor, pk, rule="can_edit_young_person")
        except selectors.EmergencyAccessRequired as exc:
            return emergency_refusal(request, exc.person)
        form = self._form(request, seen.person, request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.young_person_update(
                    actor=self.actor, person=seen.person, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The record has been updated.")
                return redirect("people:detail", pk=seen.person.pk)
        return render(
            request, "people/form.html", {"form": form, "person": seen.person}, status=status
        )


class YoungPersonEmergencyAccessView(RuleRequiredMixin, View):
    rule = "can_break_glass"

    def _person(self, request: HttpRequest, pk: Any) -> YoungPerson | None:
        try:
            selectors.access_young_person(self.actor, pk)
        except selectors.EmergencyAccessRequired as exc:
            return exc.person
        return None

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = self._person(request, pk)
        if person is None:
            return redirect("people:detail", pk=pk)
        return render(
            request, "people/emergency_access.html", {"form": EmergencyAccessForm(), "pk": pk}
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = self._person(request, pk)
        if person is None:
            return redirect("people:detail", pk=pk)
        form = EmergencyAccessForm(request.POST)
        if form.is_valid():
            try:
                emergency_access_grant(
                    actor=self.actor, target=person, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("people:detail", pk=pk)
        return render(request, "people/emergency_access.html", {"form": form, "pk": pk}, status=400)


class YoungPersonDeleteView(RuleRequiredMixin, View):
    rule = "can_delete_young_person"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.young_person_get_for_user(self.actor, pk, rule=self.rule)
        form = DeleteForm(initial={"version": seen.person.version})
        return render(request, "people/delete.html", {"form": form, "person": seen.person})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.access_young_person(self.actor, pk, rule=self.rule)
        form = DeleteForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.young_person_delete(
                    actor=self.actor,
                    person=seen.person,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(
                    request, f"The record of {seen.person} has been deleted. It can be restored."
                )
                return redirect("people:list")
        return render(
            request, "people/delete.html", {"form": form, "person": seen.person}, status=status
        )


class YoungPersonRestoreView(RuleRequiredMixin, View):
    rule = "can_delete_young_person"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.access_young_person(self.actor, pk, rule=self.rule, include_deleted=True)
        form = RestoreForm(request.POST)
        if form.is_valid():
            try:
                services.young_person_restore(
                    actor=self.actor,
                    person=seen.person,
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"The record of {seen.person} has been restored.")
                return redirect("people:detail", pk=pk)
        return redirect("people:list")
