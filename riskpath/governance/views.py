"""The information-governance officer's pages for subject access requests: thin, over the
governance selectors and services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError, NotFound
from riskpath.core.forms import refused
from riskpath.governance import selectors, services
from riskpath.governance.forms import (
    ExtendForm,
    IdentityForm,
    PauseForm,
    RedactionAddForm,
    RedactionForm,
    RequestForm,
    ResumeForm,
)
from riskpath.governance.selectors import RequestView
from riskpath.people import picker

RULE = services.RULE
COMPILE = services.COMPILE_RULE


class PickView(RuleRequiredMixin, View):
    """The young-person picker's search for the request form (the officer is no recording
    role, so the area's pool is searched here, as ``people:pick`` does for others)."""

    rule = RULE

    def get(self, request: HttpRequest) -> JsonResponse:
        dob_text = request.GET.get("dob", "").strip()
        result = picker.young_person_pick(
            self.actor,
            query=request.GET.get("q", ""),
            pool_name="governance",
            date_of_birth=picker.search_date(dob_text) if dob_text else None,
            postcode=request.GET.get("postcode", ""),
            purpose="subject access request",
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


class RequestListView(RuleRequiredMixin, View):
    rule = RULE

    def get(self, request: HttpRequest) -> HttpResponse:
        requests = selectors.request_list_for_user(self.actor)
        return render(request, "governance/list.html", {"requests": requests})


class RequestCreateView(RuleRequiredMixin, View):
    rule = RULE

    def get(self, request: HttpRequest) -> HttpResponse:
        form = RequestForm(user=self.actor)
        return render(request, "governance/create.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RequestForm(request.POST, user=self.actor)
        step = picker.PickerStep.of(request.POST)
        if step is not None:
            form = step.show(form, self.actor, purpose="subject access request")
            return render(request, "governance/create.html", {"form": form})
        status = 400
        if form.is_valid():
            try:
                made = services.request_record(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The subject access request has been recorded.")
                return redirect("governance:request_detail", pk=made.pk)
        return render(request, "governance/create.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest, view: RequestView, *, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    burns = {r.number: r for r in view.redactions}
    return render(
        request,
        "governance/detail.html",
        {"v": view, "r": view.request, "errors": errors or [], "burns": burns},
        status=status,
    )


class RequestDetailView(RuleRequiredMixin, View):
    rule = RULE

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return _detail(request, selectors.request_get_for_user(self.actor, pk))


class _ActionView(RuleRequiredMixin, View):
    """A form about one request: shown with the request, and handed to a service."""

    rule = RULE
    form_class: type[forms.Form]
    heading = ""
    button = "Save"
    done = ""

    def act(self, sar: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _page(
        self, request: HttpRequest, view: RequestView, form: forms.Form, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "r": view.request, "heading": self.heading, "button": self.button}
        return render(request, "governance/action.html", context, status=status)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        view = selectors.request_get_for_user(self.actor, pk)
        return self._page(request, view, self.form_class())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        view = selectors.request_get_for_user(self.actor, pk)
        form = self.form_class(request.POST)
        status = 400
        if form.is_valid():
            try:
                self.act(view.request, form.cleaned_data)
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, self.done)
                return redirect("governance:request_detail", pk=view.request.pk)
        return self._page(request, view, form, status)


class IdentityView(_ActionView):
    form_class = IdentityForm
    heading = "Record that the requester's identity was checked"
    done = "The identity check has been recorded."

    def act(self, sar: Any, data: dict[str, Any]) -> Any:
        return services.identity_record(actor=self.actor, request=sar, **data)


class PauseView(_ActionView):
    form_class = PauseForm
    heading = "Pause the deadline"
    button = "Pause the deadline"
    done = "The deadline is paused until the requester answers."

    def act(self, sar: Any, data: dict[str, Any]) -> Any:
        return services.request_pause(actor=self.actor, request=sar, **data)


class ResumeView(_ActionView):
    form_class = ResumeForm
    heading = "Resume the deadline"
    button = "Resume the deadline"
    done = "The deadline has been resumed."

    def act(self, sar: Any, data: dict[str, Any]) -> Any:
        return services.request_resume(actor=self.actor, request=sar, **data)


class ExtendView(_ActionView):
    form_class = ExtendForm
    heading = "Extend the deadline by two months"
    button = "Extend the deadline"
    done = "The deadline has been extended by two months."

    def act(self, sar: Any, data: dict[str, Any]) -> Any:
        return services.request_extend(actor=self.actor, request=sar, **data)


class RedactionAddView(_ActionView):
    rule = COMPILE
    form_class = RedactionAddForm
    heading = "Redact other words"
    button = "Add the redaction"
    done = "The redaction has been added."

    def act(self, sar: Any, data: dict[str, Any]) -> Any:
        return services.redaction_add(actor=self.actor, request=sar, **data)


class _StepView(RuleRequiredMixin, View):
    """A button on the request's page (compile, approve): POST only."""

    rule = COMPILE
    done = ""

    def act(self, sar: Any) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        sar = selectors.access_request(self.actor, pk, rule=self.rule)
        try:
            self.act(sar)
        except DomainError as exc:
            errors = list(getattr(exc, "errors", {}).values()) or [exc.message]
            view = selectors.request_get_for_user(self.actor, pk)
            return _detail(request, view, errors=errors, status=400)
        messages.success(request, self.done)
        return redirect("governance:request_detail", pk=sar.pk)


class CompileView(_StepView):
    done = "Everything riskpath holds about the young person has been compiled. Review the names."

    def act(self, sar: Any) -> Any:
        return services.disclosure_compile(actor=self.actor, request=sar)


class ApproveView(_StepView):
    done = "The disclosure has been approved and is being produced."

    def act(self, sar: Any) -> Any:
        return services.disclosure_approve(actor=self.actor, request=sar)


class RedactionDecideView(RuleRequiredMixin, View):
    rule = COMPILE

    def _page(
        self,
        request: HttpRequest,
        view: RequestView,
        redaction: Any,
        form: forms.Form,
        status: int = 200,
    ) -> HttpResponse:
        context = {"form": form, "r": view.request, "redaction": redaction}
        return render(request, "governance/redaction.html", context, status=status)

    def get(self, request: HttpRequest, pk: Any, redaction_pk: Any) -> HttpResponse:
        view = selectors.request_get_for_user(self.actor, pk)
        redaction = selectors.access_redaction(self.actor, view.request, redaction_pk)
        initial = {
            "decision": redaction.decision if redaction.decision != "pending" else None,
            "exemption": redaction.exemption,
            "reason": redaction.reason,
        }
        return self._page(request, view, redaction, RedactionForm(initial=initial))

    def post(self, request: HttpRequest, pk: Any, redaction_pk: Any) -> HttpResponse:
        view = selectors.request_get_for_user(self.actor, pk)
        redaction = selectors.access_redaction(self.actor, view.request, redaction_pk)
        form = RedactionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.redaction_decide(
                    actor=self.actor, redaction=redaction, **form.cleaned_data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"R{redaction.number} has been decided.")
                return redirect("governance:request_detail", pk=view.request.pk)
        return self._page(request, view, redaction, form, status)


class DownloadView(RuleRequiredMixin, View):
    rule = COMPILE

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        sar = selectors.access_request(self.actor, pk, rule=self.rule)
        try:
            disclosure = services.disclosure_download(actor=self.actor, request=sar)
        except DomainError as exc:
            raise NotFound(exc.message) from exc
        response = HttpResponse(bytes(disclosure.content), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="disclosure-{str(sar.pk)[:8]}.pdf"'
        return response
