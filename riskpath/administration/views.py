"""Area administration: the area's settings and closure days, its agencies and its users."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import Area, User
from riskpath.administration import selectors, services
from riskpath.administration.forms import (
    AgencyEditForm,
    AgencyForm,
    AreaSettingsForm,
    ClosureDayForm,
    UserEditForm,
    UserForm,
)
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error, refused


def _own_area(actor: User) -> Area:
    """The area an administrator's pages are about: their own (a user with no agency has
    none)."""
    area = actor.area
    if area is None:
        raise Http404
    return area


class AreaSettingsView(RuleRequiredMixin, View):
    rule = "can_manage_area"

    def get(self, request: HttpRequest) -> HttpResponse:
        area = _own_area(self.actor)
        form = AreaSettingsForm(
            initial={
                "name": area.name,
                "calendar": area.calendar,
                "require_mfa": area.require_mfa,
                "version": area.version,
            }
        )
        return render(request, "administration/area_settings.html", {"form": form, "area": area})

    def post(self, request: HttpRequest) -> HttpResponse:
        area = _own_area(self.actor)
        form = AreaSettingsForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.area_update(actor=self.actor, area=area, expected_version=version, **data)
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The area's settings have been saved.")
                return redirect("administration:area_settings")
        return render(
            request,
            "administration/area_settings.html",
            {"form": form, "area": area},
            status=status,
        )


class ClosureDaysView(RuleRequiredMixin, View):
    """The area's closure days, with the form to add one."""

    rule = "can_manage_area"

    def _render(
        self, request: HttpRequest, form: ClosureDayForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "area": _own_area(self.actor),
            "closure_days": selectors.closure_day_list_for_user(self.actor),
        }
        return render(request, "administration/closure_days.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ClosureDayForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        area = _own_area(self.actor)
        form = ClosureDayForm(request.POST)
        if form.is_valid():
            try:
                closure_day = services.closure_day_add(
                    actor=self.actor, area=area, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{closure_day} is now a closure day.")
                return redirect("administration:closure_days")
        return self._render(request, form, status=400)


class ClosureDayRemoveView(RuleRequiredMixin, View):
    rule = "can_manage_area"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        closure_day = selectors.closure_day_get_for_user(self.actor, pk)
        if closure_day is None:
            raise Http404
        services.closure_day_remove(actor=self.actor, closure_day=closure_day)
        messages.success(request, f"{closure_day} is no longer a closure day.")
        return redirect("administration:closure_days")


class AgencyListView(RuleRequiredMixin, View):
    rule = "can_manage_agencies"

    def get(self, request: HttpRequest) -> HttpResponse:
        agencies = selectors.agency_list_for_user(self.actor)
        return render(request, "administration/agency_list.html", {"agencies": agencies})


class AgencyCreateView(RuleRequiredMixin, View):
    rule = "can_manage_agencies"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "administration/agency_form.html", {"form": AgencyForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AgencyForm(request.POST)
        if form.is_valid():
            try:
                agency = services.agency_create(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{agency} has been added.")
                return redirect("administration:agency_list")
        return render(request, "administration/agency_form.html", {"form": form}, status=400)


class AgencyEditView(RuleRequiredMixin, View):
    rule = "can_manage_agencies"

    def _agency(self, request: HttpRequest, pk: Any) -> Any:
        agency = selectors.agency_get_for_user(self.actor, pk)
        if agency is None:
            raise Http404
        return agency

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        agency = self._agency(request, pk)
        form = AgencyEditForm(
            initial={
                "name": agency.name,
                "kind": agency.kind,
                "is_first_responder": agency.is_first_responder,
                "is_active": agency.is_active,
                "version": agency.version,
            }
        )
        return render(request, "administration/agency_form.html", {"form": form, "agency": agency})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        agency = self._agency(request, pk)
        form = AgencyEditForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.agency_update(
                    actor=self.actor, agency=agency, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"{agency} has been updated.")
                return redirect("administration:agency_list")
        return render(
            request,
            "administration/agency_form.html",
            {"form": form, "agency": agency},
            status=status,
        )


class UserListView(RuleRequiredMixin, View):
    rule = "can_manage_users"

    def get(self, request: HttpRequest) -> HttpResponse:
        users = selectors.user_list_for_user(self.actor)
        return render(request, "administration/user_list.html", {"users": users})


class UserCreateView(RuleRequiredMixin, View):
    rule = "can_manage_users"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = UserForm(area_id=self.actor.area_id)
        return render(request, "administration/user_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UserForm(request.POST, area_id=self.actor.area_id)
        if form.is_valid():
            try:
                user = services.user_create(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    f"{user.full_name} has been added and sent an e-mail to choose a password.",
                )
                return redirect("administration:user_list")
        return render(request, "administration/user_form.html", {"form": form}, status=400)


class UserEditView(RuleRequiredMixin, View):
    rule = "can_manage_users"

    def _user(self, request: HttpRequest, pk: Any) -> Any:
        user = selectors.user_get_for_user(self.actor, pk)
        if user is None:
            raise Http404
        return user

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = self._user(request, pk)
        form = UserEditForm(
            area_id=self.actor.area_id,
            initial={
                "full_name": subject.full_name,
                "job_title": subject.job_title,
                "agency": subject.agency_id,
                "roles": sorted(subject.role_set()),
                "is_active": subject.is_active,
                "version": subject.version,
            },
        )
        return render(request, "administration/user_form.html", {"form": form, "subject": subject})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = self._user(request, pk)
        form = UserEditForm(request.POST, area_id=self.actor.area_id)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.user_update(
                    actor=self.actor, user=subject, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"{subject.full_name} has been updated.")
                return redirect("administration:user_list")
        return render(
            request,
            "administration/user_form.html",
            {"form": form, "subject": subject},
            status=status,
        )
