"""Pages: the action register across every meeting, "My actions", one action (updates,
closing with an outcome), recording an action at a meeting; partner-system tasks with their
copy-ready text; the HSB/AIM panel's slots."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.core.errors import DomainError, FieldErrors
from riskpath.core.forms import refused
from riskpath.meetings import actions, selectors, sight, slots, tasks
from riskpath.meetings.forms_actions import (
    ActionCloseForm,
    ActionEditForm,
    ActionFilterForm,
    ActionForm,
    ActionUpdateForm,
    PartnerTaskForm,
    SlotBookForm,
    TaskDoneForm,
)
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Decision,
    Meeting,
)

PAGE_SIZE = 25


def _domain_error(form: forms.Form, exc: DomainError) -> int:
    """Put a service's refusal on ``form``; the status to answer with."""
    if isinstance(exc, FieldErrors) and "owner" in exc.errors and "owner_user" in form.fields:
        exc = FieldErrors({("owner_user" if k == "owner" else k): v for k, v in exc.errors.items()})
    return refused(form, exc)


# ---------------------------------------------------------------------------------------------
# The register and "My actions"
# ---------------------------------------------------------------------------------------------


def _count(n: int, noun: str, tail: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'} {tail}"


class ActionRegisterView(RuleRequiredMixin, View):
    rule = "can_view_actions"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ActionFilterForm(request.GET or None, area_id=self.actor.area_id)
        invalid = form.is_bound and not form.is_valid()
        criteria = form.criteria()
        qs = actions.action_register_for_user(self.actor, criteria)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = actions.rows_for(self.actor, page.object_list)
        actions.record_action_listing(
            self.actor, count=page.paginator.count, filters=criteria.as_audit()
        )
        query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
        return render(
            request,
            "meetings/actions/register.html",
            {
                "form": form,
                "page": page,
                "rows": rows,
                "query": query,
                "criteria": criteria,
                "caption": _count(page.paginator.count, "action", "matching the filters"),
                "filtered": criteria.as_audit() != {"status": "open"},
            },
            status=400 if invalid else 200,
        )


class MyActionsView(RuleRequiredMixin, View):
    rule = "can_view_actions"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = actions.my_actions_for_user(self.actor)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = actions.rows_for(self.actor, page.object_list)
        actions.record_action_listing(
            self.actor, count=page.paginator.count, filters={"mine": True}
        )
        return render(
            request,
            "meetings/actions/mine.html",
            {
                "page": page,
                "rows": rows,
                "query": "",
                "caption": _count(page.paginator.count, "action", "for you or your agency"),
            },
        )


# ---------------------------------------------------------------------------------------------
# One action
# ---------------------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    actor: Any,
    action: Action,
    *,
    update_form: ActionUpdateForm | None = None,
    close_form: ActionCloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_update = policy.check("can_update_action", actor, action)
    failed = next((f for f in (update_form, close_form) if f is not None and f.errors), None)
    return render(
        request,
        "meetings/actions/detail.html",
        {
            "action": action,
            "row": actions.rows_for(actor, [action])[0],
            "updates": actions.updates_of(action),
            "can_update": can_update and action.is_open,
            "can_view_meeting": policy.check("can_view_meeting", actor, action.meeting),
            "update_form": update_form or ActionUpdateForm(),
            "close_form": close_form or ActionCloseForm(initial={"version": action.version}),
            "form": failed,
        },
        status=status,
    )


class ActionDetailView(RuleRequiredMixin, View):
    rule = "can_view_actions"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        action = actions.action_get_for_user(self.actor, pk)
        return _detail(request, self.actor, action)


class ActionAddUpdateView(RuleRequiredMixin, View):
    rule = "can_view_actions"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        actions.access_action(self.actor, pk, rule="can_update_action")
        return redirect("meetings:action_detail", pk=pk)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        action = actions.access_action(self.actor, pk, rule="can_update_action")
        form = ActionUpdateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                actions.action_add_update(actor=self.actor, action=action, **form.cleaned_data)
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                messages.success(request, "Your update has been added.")
                return redirect("meetings:action_detail", pk=pk)
        return _detail(request, self.actor, action, update_form=form, status=status)


class ActionCloseView(RuleRequiredMixin, View):
    rule = "can_view_actions"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        actions.access_action(self.actor, pk, rule="can_update_action")
        return redirect("meetings:action_detail", pk=pk)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        action = actions.access_action(self.actor, pk, rule="can_update_action")
        form = ActionCloseForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                actions.action_close(
                    actor=self.actor,
                    action=action,
                    outcome=data["outcome"],
                    expected_version=data["version"],
                )
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                messages.success(request, "The action has been closed.")
                return redirect("meetings:action_detail", pk=pk)
        action.refresh_from_db()
        return _detail(request, self.actor, action, close_form=form, status=status)


class ActionEditView(RuleRequiredMixin, View):
    rule = "can_view_actions"

    def _render(self, request: HttpRequest, action: Action, form: Any, status: int = 200) -> Any:
        return render(
            request, "meetings/actions/edit.html", {"action": action, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        action = actions.action_get_for_user(self.actor, pk, rule="can_update_action")
        form = ActionEditForm(
            area_id=action.area_id,
            initial={
                "description": action.description,
                "due_on": action.due_on,
                "owner_user": action.owner_user_id,
                "owner_agency": action.owner_agency_id,
                "version": action.version,
            },
        )
        return self._render(request, action, form)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        action = actions.access_action(self.actor, pk, rule="can_update_action")
        form = ActionEditForm(request.POST, area_id=action.area_id)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                actions.action_edit(
                    actor=self.actor, action=action, expected_version=version, **data
                )
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                messages.success(request, "The action has been changed.")
                return redirect("meetings:action_detail", pk=pk)
        return self._render(request, action, form, status)


class ActionCreateView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def _render(self, request: HttpRequest, meeting: Meeting, form: Any, status: int = 200) -> Any:
        return render(
            request,
            "meetings/actions/create.html",
            {"meeting": meeting, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk, rule="can_minute_meeting")
        # The form lists the meeting's items and the young people and others it may be about.
        selectors.record_meeting_read(self.actor, meeting, "the form to record an action")
        initial: dict[str, Any] = {}
        item = request.GET.get("item")
        if item:
            found = AgendaItem.objects.filter(meeting=meeting, pk=_uuid(item)).first()
            if found is not None:
                initial = {"item": found.pk, "young_person": found.young_person_id}
        form = ActionForm(actor=self.actor, meeting=meeting, initial=initial)
        return self._render(request, meeting, form)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk, rule="can_minute_meeting")
        form = ActionForm(request.POST, actor=self.actor, meeting=meeting)
        status = 400
        if form.is_valid():
            try:
                action = actions.action_create(
                    actor=self.actor, meeting=meeting, **form.cleaned_data
                )
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                messages.success(request, "The action has been recorded.")
                return redirect("meetings:action_detail", pk=action.pk)
        return self._render(request, meeting, form, status)


def _uuid(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# HSB/AIM slots
# ---------------------------------------------------------------------------------------------


class SlotsView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def _render(self, request: HttpRequest, meeting: Meeting, form: Any, status: int = 200) -> Any:
        return render(
            request,
            "meetings/actions/slots.html",
            {
                "meeting": meeting,
                "slots": slots.slots_as_seen(sight.meeting_sight(self.actor, meeting)),
                "form": form,
                "can_book": policy.check("can_edit_agenda", self.actor, meeting),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk)
        if not slots.has_slots(meeting):
            return redirect("meetings:detail", pk=pk)
        selectors.record_meeting_read(self.actor, meeting, "slots")
        form = SlotBookForm(actor=self.actor, meeting=meeting)
        return self._render(request, meeting, form)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk, rule="can_edit_agenda")
        form = SlotBookForm(request.POST, actor=self.actor, meeting=meeting)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = slots.slot_book(
                    actor=self.actor,
                    meeting=meeting,
                    starts_at=slots.slot_parse(meeting, data["slot"]),
                    young_person=data["young_person"],
                    title=data["title"],
                )
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                label = slots.slot_label(item.slot_starts_at) if item.slot_starts_at else ""
                messages.success(request, f"The referral is booked into the {label} slot.")
                return redirect("meetings:slots", pk=pk)
        return self._render(request, meeting, form, status)


# ---------------------------------------------------------------------------------------------
# Partner-system tasks
# ---------------------------------------------------------------------------------------------


class PartnerTaskListView(RuleRequiredMixin, View):
    rule = "can_view_partner_tasks"

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = tasks.partner_tasks_for_user(self.actor)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        tasks.record_task_listing(self.actor, count=page.paginator.count)
        return render(request, "meetings/actions/tasks.html", {"page": page, "query": ""})


def _task_page(
    request: HttpRequest, actor: Any, task: Any, form: Any, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "meetings/actions/task.html",
        {
            "task": task,
            "person": tasks.decision_young_person(task.decision),
            "meeting": task.decision.item.meeting,
            "form": form,
            "can_complete": task.done_at is None
            and policy.check("can_complete_partner_task", actor, task),
        },
        status=status,
    )


class PartnerTaskDetailView(RuleRequiredMixin, View):
    rule = "can_view_partner_tasks"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        task = tasks.partner_task_get_for_user(self.actor, pk)
        form = TaskDoneForm(initial={"version": task.version})
        return _task_page(request, self.actor, task, form)


class PartnerTaskDoneView(RuleRequiredMixin, View):
    rule = "can_view_partner_tasks"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        tasks.access_partner_task(self.actor, pk, rule="can_complete_partner_task")
        return redirect("meetings:partner_task_detail", pk=pk)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        task = tasks.access_partner_task(self.actor, pk, rule="can_complete_partner_task")
        form = TaskDoneForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                tasks.partner_task_done(
                    actor=self.actor, task=task, expected_version=form.cleaned_data["version"]
                )
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                messages.success(request, "The task is marked done.")
                return redirect("meetings:partner_tasks")
        task.refresh_from_db()
        return _task_page(request, self.actor, task, form, status)


class PartnerTaskCreateView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def _render(
        self, request: HttpRequest, decision: Decision, form: Any, status: int = 200
    ) -> Any:
        return render(
            request,
            "meetings/actions/task_create.html",
            {
                "decision": decision,
                "meeting": decision.item.meeting,
                "person": tasks.decision_young_person(decision),
                "form": form,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        decision = tasks.access_decision(self.actor, pk)
        selectors.record_meeting_read(self.actor, decision.item.meeting, "a decision's task form")
        return self._render(request, decision, PartnerTaskForm(area_id=self.actor.area_id))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        decision = tasks.access_decision(self.actor, pk)
        form = PartnerTaskForm(request.POST, area_id=self.actor.area_id)
        status = 400
        if form.is_valid():
            try:
                tasks.partner_task_create(actor=self.actor, decision=decision, **form.cleaned_data)
            except DomainError as exc:
                status = _domain_error(form, exc)
            else:
                messages.success(request, "The partner-system task has been created.")
                return redirect("meetings:detail", pk=decision.item.meeting_id)
        return self._render(request, decision, form, status)


urlpatterns: list[URLPattern] = [
    path("actions/", ActionRegisterView.as_view(), name="action_register"),
    path("actions/mine/", MyActionsView.as_view(), name="my_actions"),
    path("actions/<uuid:pk>/", ActionDetailView.as_view(), name="action_detail"),
    path("actions/<uuid:pk>/edit/", ActionEditView.as_view(), name="action_edit"),
    path("actions/<uuid:pk>/update/", ActionAddUpdateView.as_view(), name="action_add_update"),
    path("actions/<uuid:pk>/close/", ActionCloseView.as_view(), name="action_close"),
    path("<uuid:pk>/actions/new/", ActionCreateView.as_view(), name="action_create"),
    path("<uuid:pk>/slots/", SlotsView.as_view(), name="slots"),
    path("partner-tasks/", PartnerTaskListView.as_view(), name="partner_tasks"),
    path("partner-tasks/<uuid:pk>/", PartnerTaskDetailView.as_view(), name="partner_task_detail"),
    path("partner-tasks/<uuid:pk>/done/", PartnerTaskDoneView.as_view(), name="partner_task_done"),
    path(
        "decisions/<uuid:pk>/partner-task/",
        PartnerTaskCreateView.as_view(),
        name="partner_task_create",
    ),
]


def detail_context(
    request: HttpRequest, meeting: Meeting, seen: sight.MeetingSight
) -> dict[str, Any]:
    """What this part adds to the meeting's page: the actions recorded at it that the reader
    may know of (``seen``), its partner-system tasks, and for an HSB/AIM panel its slots."""
    user = request.user
    can_minute = policy.check("can_minute_meeting", user, meeting)
    context: dict[str, Any] = {
        "action_rows": actions.rows_for(user, seen.actions),
        "can_record_action": can_minute,
        "has_slots": slots.has_slots(meeting),
        "slots": slots.slots_as_seen(seen) if slots.has_slots(meeting) else [],
        "partner_tasks": list(tasks.tasks_of_meeting(meeting)) if can_minute else [],
        "task_decisions": (
            list(
                Decision.objects.filter(item__meeting=meeting)
                .select_related("item", "young_person")
                .order_by("recorded_at")
            )
            if can_minute
            else []
        ),
    }
    return context
