"""Pages to record and update a young person's referrals (from their record)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused
from riskpath.people.selectors import access_young_person, young_person_get_for_user
from riskpath.referrals import selectors, services
from riskpath.referrals.forms import ReferralEditForm, ReferralForm
from riskpath.referrals.models import Referral, ReferralStatus


class ReferralCreateView(RuleRequiredMixin, View):
    rule = "can_record_referral"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = young_person_get_for_user(self.actor, pk, rule=self.rule).person
        form = ReferralForm(initial={"status": ReferralStatus.PLANNED})
        return render(request, "referrals/form.html", {"form": form, "person": person})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        person = access_young_person(self.actor, pk, rule=self.rule).person
        form = ReferralForm(request.POST)
        if form.is_valid():
            try:
                referral = services.referral_record(
                    actor=self.actor, young_person=person, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{referral} has been recorded.")
                return redirect("people:detail", pk=person.pk)
        return render(request, "referrals/form.html", {"form": form, "person": person}, status=400)


class ReferralEditView(RuleRequiredMixin, View):
    rule = "can_record_referral"

    def _form(self, referral: Referral, data: Any = None) -> ReferralEditForm:
        initial = {name: getattr(referral, name) for name in services.FIELDS}
        return ReferralEditForm(data, initial={**initial, "version": referral.version})

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        referral = selectors.referral_get_for_user(self.actor, pk, rule=self.rule).referral
        context = {
            "form": self._form(referral),
            "person": referral.young_person,
            "referral": referral,
        }
        return render(request, "referrals/form.html", context)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        referral = selectors.access_referral(self.actor, pk, rule=self.rule).referral
        form = self._form(referral, request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.referral_update(
                    actor=self.actor, referral=referral, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The referral has been updated.")
                return redirect("people:detail", pk=referral.young_person_id)
        context = {"form": form, "person": referral.young_person, "referral": referral}
        return render(request, "referrals/form.html", context, status=status)
