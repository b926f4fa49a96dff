"""Area administration: the area's settings, its agencies and its users."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts import selectors, services
from riskpath.accounts.forms import (
    AgencyEditForm,
    AgencyForm,
    AreaSettingsForm,
    UserEditForm,
    UserForm,
)
from riskpath.accounts.models import Area
from riskpath.core.errors import DomainError
from riskpath.core.forms import add_domain_error


def _status(form: Any) -> int:
    return 409 if any("Someone else changed" in str(e) for e in form.non_field_errors()) else 400


class AreaSettingsView(RuleRequiredMixin, View):
    rule = "can_manage_area"

    def _area(self) -> Area:
        area = self.actor.area
        if area is None:
            raise Http404
        return area

    def get(self, request: HttpRequest) -> HttpResponse:
        area = self._area()
        form = AreaSettingsForm(
            initial={
                "name": area.name,
                "calendar": area.calendar,
                "require_mfa": area.require_mfa,
                "version": area.version,
            }
        )
        return render(request, "accounts/area_settings.html", {"form": form, "area": area})

    def post(self, request: HttpRequest) -> HttpResponse:
        area = self._area()
        form = AreaSettingsForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.area_update(actor=self.actor, area=area, expected_version=version, **data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "The area's settings have been saved.")
                return redirect("accounts:area_settings")
        return render(
            request,
            "accounts/area_settings.html",
            {"form": form, "area": area},
            status=_status(form),
        )


class AgencyListView(RuleRequiredMixin, View):
    rule = "can_manage_agencies"

    def get(self, request: HttpRequest) -> HttpResponse:
        agencies = selectors.agency_list_for_user(self.actor)
        return render(request, "accounts/agency_list.html", {"agencies": agencies})


class AgencyCreateView(RuleRequiredMixin, View):
    rule = "can_manage_agencies"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/agency_form.html", {"form": AgencyForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AgencyForm(request.POST)
        if form.is_valid():
            try:
                agency = services.agency_create(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{agency} has been added.")
                return redirect("accounts:agency_list")
        return render(request, "accounts/agency_form.html", {"form": form}, status=400)


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
                "is_active": agency.is_active,
                "version": agency.version,
            }
        )
        return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        agency = self._agency(request, pk)
        form = AgencyEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.agency_update(
                    actor=self.actor, agency=agency, expected_version=version, **data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{agency} has been updated.")
                return redirect("accounts:agency_list")
        return render(
            request,
            "accounts/agency_form.html",
            {"form": form, "agency": agency},
            status=_status(form),
        )


class UserListView(RuleRequiredMixin, View):
    rule = "can_manage_users"

    def get(self, request: HttpRequest) -> HttpResponse:
        users = selectors.user_list_for_user(self.actor)
        return render(request, "accounts/user_list.html", {"users": users})


class UserCreateView(RuleRequiredMixin, View):
    rule = "can_manage_users"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = UserForm(area_id=self.actor.area_id)
        return render(request, "accounts/user_form.html", {"form": form})

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
                return redirect("accounts:user_list")
        return render(request, "accounts/user_form.html", {"form": form}, status=400)


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
        return render(request, "accounts/user_form.html", {"form": form, "subject": subject})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        subject = self._user(request, pk)
        form = UserEditForm(request.POST, area_id=self.actor.area_id)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.user_update(
                    actor=self.actor, user=subject, expected_version=version, **data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{subject.full_name} has been updated.")
                return redirect("accounts:user_list")
        return render(
            request,
            "accounts/user_form.html",
            {"form": form, "subject": subject},
            status=_status(form),
        )
