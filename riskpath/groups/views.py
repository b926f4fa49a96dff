"""Group pages: list, record, view (current and past members, links), change, add a member
and end a membership."""

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
from riskpath.groups import selectors, services
from riskpath.groups.ends import end_get, show, visible_young_person_ids
from riskpath.groups.forms import GroupEditForm, GroupForm, GroupMemberAddForm, GroupMemberEndForm
from riskpath.groups.models import Group, GroupKind
from riskpath.people.picker import PickerStep


class GroupListView(RuleRequiredMixin, View):
    rule = "can_view_group"

    def get(self, request: HttpRequest) -> HttpResponse:
        search = request.GET.get("q", "").strip()[:100]
        kind = request.GET.get("kind", "")
        kind = kind if kind in GroupKind.values else ""
        return render(
            request,
            "groups/list.html",
            {
                "groups": selectors.group_list_for_user(self.actor, search=search, kind=kind),
                "search": search,
                "kind": kind,
                "kinds": GroupKind.choices,
                "limit": selectors.LIST_LIMIT,
                "can_record": policy.check("can_record_group", self.actor),
            },
        )


class GroupCreateView(RuleRequiredMixin, View):
    rule = "can_record_group"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "groups/form.html", {"form": GroupForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.group_create(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{group} has been recorded.")
                return redirect("groups:detail", pk=group.pk)
        return render(request, "groups/form.html", {"form": form}, status=400)


class GroupDetailView(RuleRequiredMixin, View):
    rule = "can_view_group"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        group = selectors.group_get_for_user(self.actor, pk)
        return render(
            request,
            "groups/detail.html",
            {
                "group": group,
                "members": selectors.group_members_for_user(self.actor, group),
                "can_record": policy.check("can_record_group", self.actor, group),
                # Its links, from the links app (core.pages)
                **page_parts("group", self.actor, group),
            },
        )


class GroupEditView(RuleRequiredMixin, View):
    rule = "can_record_group"

    def _form(self, group: Group, data: Any = None) -> GroupEditForm:
        initial = {name: getattr(group, name) for name in services.FIELDS}
        initial["version"] = group.version
        return GroupEditForm(data, initial=initial)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        group = selectors.group_get_for_user(self.actor, pk, rule=self.rule)
        return render(request, "groups/form.html", {"form": self._form(group), "group": group})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        group = selectors.access_group(self.actor, pk, rule=self.rule)
        form = self._form(group, request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.group_update(
                    actor=self.actor, group=group, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "The group has been updated.")
                return redirect("groups:detail", pk=group.pk)
        return render(request, "groups/form.html", {"form": form, "group": group}, status=status)


class GroupMemberAddView(RuleRequiredMixin, View):
    rule = "can_record_group"

    def _form(self, data: Any = None) -> GroupMemberAddForm:
        return GroupMemberAddForm(data, user=self.actor)

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        group = selectors.group_get_for_user(self.actor, pk, rule=self.rule)
        form = self._form()
        return render(request, "groups/member_add.html", {"form": form, "group": group})

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        group = selectors.access_group(self.actor, pk, rule=self.rule)
        form = self._form(request.POST)
        step = PickerStep.of(request.POST)
        if step is not None:
            form = step.show(form, self.actor, purpose="group member")
            return render(request, "groups/member_add.html", {"form": form, "group": group})
        if form.is_valid():
            person = form.cleaned_data["young_person"]
            kind = "young_person"
            if person is None:
                # The picker has checked the choice against what the user may choose.
                kind = "person_of_interest"
                person = end_get(self.actor, kind, form.cleaned_data["person_of_interest"].pk)
            if person is None:
                form.add_error("person_of_interest", "Search for and choose a person of interest")
            else:
                try:
                    services.group_member_add(
                        actor=self.actor,
                        group=group,
                        joined_on=form.cleaned_data["joined_on"],
                        **{kind: person},
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, f"{person} has been added to the group.")
                    return redirect("groups:detail", pk=group.pk)
        return render(request, "groups/member_add.html", {"form": form, "group": group}, status=400)


class GroupMemberEndView(RuleRequiredMixin, View):
    rule = "can_record_group"

    def _load(self, pk: Any, membership_pk: Any, *, read: bool = False) -> tuple[Group, Any, Any]:
        if read:
            group, membership = selectors.membership_get_for_user(
                self.actor, pk, membership_pk, rule=self.rule
            )
        else:
            group = selectors.access_group(self.actor, pk, rule=self.rule)
            membership = selectors.access_membership(self.actor, group, membership_pk)
        visible = visible_young_person_ids(self.actor, [membership.young_person_id])
        shown = show(membership.young_person or membership.person_of_interest, visible)
        return group, membership, shown

    def get(self, request: HttpRequest, pk: Any, membership_pk: Any) -> HttpResponse:
        group, membership, shown = self._load(pk, membership_pk, read=True)
        if membership.left_on is not None:
            messages.error(request, "This membership has already ended.")
            return redirect("groups:detail", pk=group.pk)
        context = {"form": GroupMemberEndForm(), "group": group, "member": shown}
        return render(request, "groups/member_end.html", context)

    def post(self, request: HttpRequest, pk: Any, membership_pk: Any) -> HttpResponse:
        group, membership, shown = self._load(pk, membership_pk)
        form = GroupMemberEndForm(request.POST)
        if form.is_valid():
            try:
                services.group_member_end(
                    actor=self.actor, membership=membership, left_on=form.cleaned_data["left_on"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{shown.label} has left the group.")
                return redirect("groups:detail", pk=group.pk)
        context = {"form": form, "group": group, "member": shown}
        return render(request, "groups/member_end.html", context, status=400)
