"""The retention schedule, legal holds, the review of records due and the disposal log: the
information-governance officer's pages, thin over ``retention``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError, NotFound
from riskpath.core.forms import GovukForm, refused
from riskpath.governance import retention
from riskpath.governance.enums import Trigger
from riskpath.governance.forms import HoldForm
from riskpath.governance.models import DisposalLog, LegalHold, RetentionReview, RetentionRule

RULE = retention.RULE


class RuleForm(GovukForm):
    trigger = forms.ChoiceField(
        label="What starts the period",
        choices=Trigger.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what starts the period"},
    )
    period_months = forms.IntegerField(
        label="Period in months",
        min_value=0,
        max_value=1200,
        error_messages={
            "required": "Enter the period in months",
            "invalid": "Enter the period as a whole number of months",
            "min_value": "Enter the period in months, from 0 to 1200",
            "max_value": "Enter the period in months, from 0 to 1200",
        },
    )
    source = forms.CharField(
        label="Where the period comes from",
        max_length=300,
        error_messages={"required": "Say where the period comes from"},
    )


class RetentionView(RuleRequiredMixin, View):
    rule = RULE

    def get(self, request: HttpRequest) -> HttpResponse:
        area_id = self.actor.area_id
        context = {
            "rules": list(RetentionRule.objects.filter(area_id=area_id)),
            "holds": list(LegalHold.objects.filter(area_id=area_id, lifted_at__isnull=True)),
            "reviews": retention.review_list_for_user(self.actor),
            "log": list(DisposalLog.objects.filter(area_id=area_id)[:50]),
            "disposable": retention.disposable_kinds(),
        }
        return render(request, "governance/retention.html", context)


class PresetsView(RuleRequiredMixin, View):
    rule = RULE

    def post(self, request: HttpRequest) -> HttpResponse:
        made = retention.schedule_install_presets(actor=self.actor)
        messages.success(request, f"{len(made)} kinds of record added to the schedule.")
        return redirect("governance:retention")


class RunView(RuleRequiredMixin, View):
    rule = RULE

    def post(self, request: HttpRequest) -> HttpResponse:
        retention.retention_daily.enqueue()
        messages.success(request, "The review has been started: records due are listed.")
        return redirect("governance:retention")


class RuleEditView(RuleRequiredMixin, View):
    rule = RULE

    def _rule(self, pk: Any) -> RetentionRule:
        found = RetentionRule.objects.filter(area_id=self.actor.area_id, pk=pk).first()
        if found is None:
            raise NotFound()
        return found

    def _page(
        self, request: HttpRequest, rule: RetentionRule, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(request, "governance/rule.html", {"form": form, "rule": rule}, status=status)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        rule = self._rule(pk)
        initial = {
            "trigger": rule.trigger,
            "period_months": rule.period_months,
            "source": rule.source,
        }
        return self._page(request, rule, RuleForm(initial=initial))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        rule = self._rule(pk)
        form = RuleForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                retention.rule_update(actor=self.actor, rule=rule, **form.cleaned_data)
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The retention schedule has been changed.")
                return redirect("governance:retention")
        return self._page(request, rule, form, status)


class HoldCreateView(RuleRequiredMixin, View):
    rule = RULE

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "governance/hold.html", {"form": HoldForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = HoldForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                retention.hold_place(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The legal hold has been placed.")
                return redirect("governance:retention")
        return render(request, "governance/hold.html", {"form": form}, status=status)


class HoldLiftView(RuleRequiredMixin, View):
    rule = RULE

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        hold = LegalHold.objects.filter(area_id=self.actor.area_id, pk=pk).first()
        if hold is None:
            raise NotFound()
        try:
            retention.hold_lift(actor=self.actor, hold=hold)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "The legal hold has been lifted.")
        return redirect("governance:retention")


class ReviewDecideView(RuleRequiredMixin, View):
    rule = RULE

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        review = RetentionReview.objects.filter(area_id=self.actor.area_id, pk=pk).first()
        if review is None:
            raise NotFound()
        dispose = request.POST.get("decision") == "dispose"
        try:
            retention.review_decide(actor=self.actor, review=review, dispose=dispose)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                "Approved for disposal: the daily job disposes of it."
                if dispose
                else "The record is kept.",
            )
        return redirect("governance:retention")


urlpatterns = [
    path("retention/", RetentionView.as_view(), name="retention"),
    path("retention/presets/", PresetsView.as_view(), name="retention_presets"),
    path("retention/run/", RunView.as_view(), name="retention_run"),
    path("retention/rules/<uuid:pk>/", RuleEditView.as_view(), name="retention_rule"),
    path("retention/holds/new/", HoldCreateView.as_view(), name="hold_create"),
    path("retention/holds/<uuid:pk>/lift/", HoldLiftView.as_view(), name="hold_lift"),
    path("retention/reviews/<uuid:pk>/", ReviewDecideView.as_view(), name="review_decide"),
]
