"""The pathway's pages: the timescale dashboard, opening an episode, one episode with the
forms for its next steps, taking a step, confirming a flag, and the quarterly timeliness
report. Every step goes through ``services``; the pages only parse and show."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.forms import refused
from riskpath.pathway import machine, selectors, services
from riskpath.pathway.forms import (
    ACTION_FORMS,
    ActionForm,
    DashboardFilterForm,
    EpisodeOpenForm,
    FlagConfirmForm,
    QuarterForm,
    action_form,
    flag_form,
)
from riskpath.pathway.models import (
    Episode,
    Flag,
    FlagPurpose,
    FlagSystem,
    PlanSection,
)
from riskpath.people.picker import PickerStep

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# The timescale dashboard
# ---------------------------------------------------------------------------------------------


class DashboardView(RuleRequiredMixin, View):
    rule = "can_view_pathway"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DashboardFilterForm(
            request.GET or None, choices=selectors.dashboard_choices(self.actor)
        )
        invalid = form.is_bound and not form.is_valid()
        criteria = form.criteria()
        rows = selectors.dashboard_rows(self.actor, criteria)
        selectors.record_episode_listing(self.actor, count=len(rows), filters=criteria.as_audit())
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = selectors.with_steps(page.object_list)
        query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
        count = len(rows)
        return render(
            request,
            "pathway/dashboard.html",
            {
                "form": form,
                "page": page,
                "rows": shown,
                "query": query,
                "filtered": bool(criteria.as_audit()),
                "caption": f"{count} episode{'' if count == 1 else 's'}",
                "today": clock.today(),
                "can_open": policy.check("can_start_episode", self.actor),
                "can_view_timeliness": policy.check("can_view_timeliness", self.actor),
            },
            status=400 if invalid else 200,
        )


# ---------------------------------------------------------------------------------------------
# Opening an episode
# ---------------------------------------------------------------------------------------------


class EpisodeOpenView(RuleRequiredMixin, View):
    rule = "can_open_episode"

    def _render(self, request: HttpRequest, form: EpisodeOpenForm, status: int = 200) -> Any:
        return render(request, "pathway/open.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        # Opened from a young person's page: that young person, if the user may choose them
        # (the picker shows only those, so a malformed or foreign id preselects nobody).
        chosen = request.GET.get("young_person")
        initial = {"young_person": [chosen]} if chosen else {}
        return self._render(request, EpisodeOpenForm(actor=self.actor, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EpisodeOpenForm(request.POST, actor=self.actor)
        step = PickerStep.of(request.POST)
        if step is not None:
            return self._render(request, step.show(form, self.actor, purpose="pathway"))
        status = 400
        if form.is_valid():
            try:
                episode = services.episode_open(actor=self.actor, **form.service_kwargs())
            except NotPermitted:
                raise
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(
                    request, f"The pathway has been started for {episode.young_person}."
                )
                return redirect("pathway:detail", pk=episode.pk)
        return self._render(request, form, status)


# ---------------------------------------------------------------------------------------------
# One episode
# ---------------------------------------------------------------------------------------------


def _flag_rows(
    actor: Any, episode: Episode, failed: tuple[Flag, FlagConfirmForm] | None
) -> list[dict[str, Any]]:
    today = clock.today()
    may_confirm = policy.check("can_confirm_flag", actor, episode)
    rows = []
    for flag in episode.flags.all():
        confirmable = (
            flag.confirmed_on is None
            and may_confirm
            and policy.check("can_confirm_flag_of_system", actor, flag)
        )
        form = None
        if confirmable:
            form = failed[1] if failed and failed[0].pk == flag.pk else flag_form(flag)
        rows.append(
            {
                "flag": flag,
                "system": FlagSystem(flag.system).label,
                "verb": "Add" if flag.purpose == FlagPurpose.SET else "Remove",
                "overdue": flag.confirmed_on is None and flag.due_on < today,
                "form": form,
            }
        )
    return rows


def _episode_page(
    request: HttpRequest,
    actor: Any,
    episode: Episode,
    *,
    failed: tuple[str, ActionForm] | None = None,
    failed_flag: tuple[Flag, FlagConfirmForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    steps = selectors.next_steps(episode)
    sections = []
    actions = list(episode.plan_actions.select_related("owner_agency").order_by("created_at"))
    for value, label in PlanSection.choices:
        sections.append(
            {"value": value, "label": label, "actions": [a for a in actions if a.section == value]}
        )
    # The step the pathway expects next comes first and open; the others are folded away
    # (GOV.UK details) unless one of them has just been refused.
    forms: list[dict[str, Any]] = []
    expected = machine.principal(episode)
    for transition in machine.available(episode, actor):
        if failed is not None and failed[0] == transition.name:
            form = failed[1]
        else:
            form = action_form(transition.name, episode, actor)
        forms.append({"transition": transition, "form": form, "open": False, "first": False})
    if forms:
        first = next((f for f in forms if f["transition"].name == expected), forms[0])
        forms.remove(first)
        forms.insert(0, first)
        first["open"] = first["first"] = True
        for item in forms:
            if failed is not None and failed[0] == item["transition"].name:
                item["open"] = True
    error_form: Any = failed[1] if failed else (failed_flag[1] if failed_flag else None)
    return render(
        request,
        "pathway/detail.html",
        {
            "episode": episode,
            "person": episode.young_person,
            "steps": [{"step": s, "overdue": s.overdue(today)} for s in steps],
            "marmms": list(episode.marmms.all()),
            "sections": sections,
            "flag_rows": _flag_rows(actor, episode, failed_flag),
            "events": list(episode.events.select_related("actor").order_by("at", "created_at")),
            "minutes_due": services.minutes_due(episode),
            "action_forms": forms,
            "form": error_form,
            "today": today,
            "can_view_person": policy.check("can_view_young_person", actor, episode.young_person),
            "can_view_pathway": policy.check("can_view_pathway", actor),
        },
        status=status,
    )


class EpisodeDetailView(RuleRequiredMixin, View):
    rule = "can_view_episode"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        seen = selectors.episode_get_for_user(self.actor, pk)
        return _episode_page(request, self.actor, seen.episode)


class EpisodeActView(RuleRequiredMixin, View):
    rule = "can_record_episode_step"

    def get(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        selectors.access_episode(self.actor, pk)
        if action not in ACTION_FORMS:
            raise Http404("No such step")
        return redirect("pathway:detail", pk=pk)

    def post(self, request: HttpRequest, pk: Any, action: str) -> HttpResponse:
        episode = selectors.access_episode(self.actor, pk).episode
        if action not in ACTION_FORMS:
            raise Http404("No such step")
        form = action_form(action, episode, self.actor, request.POST)
        status = 400
        if form.is_valid():
            try:
                services.episode_act(
                    actor=self.actor,
                    episode=episode,
                    action=action,
                    expected_version=form.cleaned_data["version"],
                    data=form.data_for_service(),
                )
            except NotPermitted:
                raise
            except DomainError as exc:
                if isinstance(exc, FieldErrors) and form.service_fields:
                    exc = FieldErrors(
                        {form.service_fields.get(k, k): m for k, m in exc.errors.items()}
                    )
                status = refused(form, exc)
            else:
                label = machine.BY_NAME[action].label
                messages.success(request, f"Done: {label[:1].lower()}{label[1:]}.")
                return redirect("pathway:detail", pk=pk)
        # The page is shown again with the episode as it now stands: a read, audited.
        episode = selectors.episode_get_for_user(self.actor, pk).episode
        return _episode_page(request, self.actor, episode, failed=(action, form), status=status)


class FlagConfirmView(RuleRequiredMixin, View):
    rule = "can_confirm_flag"

    def _flag(self, pk: Any) -> Flag:
        flag = Flag.objects.filter(pk=pk).only("pk", "episode_id").first()
        if flag is None:
            raise Http404("No such flag")
        episode = selectors.access_episode(self.actor, flag.episode_id).episode
        found = next((f for f in episode.flags.all() if f.pk == flag.pk), None)
        if found is None:
            raise Http404("No such flag")
        found.episode = episode
        return found

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        flag = self._flag(pk)
        return redirect("pathway:detail", pk=flag.episode_id)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        flag = self._flag(pk)
        form = flag_form(flag, request.POST)
        status = 400
        if form.is_valid():
            try:
                services.flag_confirm(
                    actor=self.actor,
                    flag=flag,
                    expected_version=form.cleaned_data["version"],
                    confirmed_on=form.cleaned_data["confirmed_on"],
                )
            except NotPermitted:
                raise
            except DomainError as exc:
                status = refused(form, exc)
            else:
                verb = "added" if flag.purpose == FlagPurpose.SET else "removed"
                system = FlagSystem(flag.system).label.lower()
                episode = flag.episode
                if not policy.check("can_view_episode", self.actor, episode):
                    # A partner sees the episode only while their agency has a flag to
                    # confirm: with it confirmed, the episode is no longer theirs to see.
                    messages.success(
                        request,
                        f"The {system} flag is confirmed {verb}. There is nothing more for "
                        "your agency to do on this young person's pathway for now.",
                    )
                    return redirect("web:home")
                messages.success(request, f"The {system} flag is confirmed {verb}.")
                return redirect(reverse("pathway:detail", args=[flag.episode_id]) + "#flags")
        episode = selectors.episode_get_for_user(self.actor, flag.episode_id).episode
        failed = next((f for f in episode.flags.all() if f.pk == flag.pk), flag)
        return _episode_page(
            request, self.actor, episode, failed_flag=(failed, form), status=status
        )


# ---------------------------------------------------------------------------------------------
# Timeliness
# ---------------------------------------------------------------------------------------------


def _next(quarter: selectors.Quarter) -> selectors.Quarter:
    if quarter.number == 4:
        return selectors.Quarter(quarter.year + 1, 1)
    return selectors.Quarter(quarter.year, quarter.number + 1)


def _timeliness_csv(quarter: selectors.Quarter, measures: list[selectors.Measure]) -> HttpResponse:
    """The quarter's figures for the strategic panel's papers: counts only, no one named."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pathway-timeliness-{quarter}.csv"'
    writer = csv.writer(response)
    writer.writerow(["quarter", "from", "to", "measure", "target", "on time", "deadlines", "%"])
    for m in measures:
        writer.writerow(
            [
                str(quarter),
                quarter.start.isoformat(),
                quarter.end.isoformat(),
                m.label,
                m.target,
                m.on_time,
                m.total,
                "" if m.percent is None else m.percent,
            ]
        )
    return response


class TimelinessView(RuleRequiredMixin, View):
    rule = "can_view_timeliness"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = QuarterForm(request.GET or None)
        current = selectors.Quarter.containing(clock.today())
        if form.is_bound and not form.is_valid():
            return render(
                request,
                "pathway/timeliness.html",
                {"form": form, "quarter": None, "current": current},
                status=400,
            )
        chosen = form.cleaned_data.get("quarter") if form.is_bound else None
        quarter = chosen or current
        measures = selectors.timeliness(self.actor.area_id, quarter)
        selectors.record_timeliness_read(self.actor, quarter)
        if request.GET.get("download") == "csv":
            return _timeliness_csv(quarter, measures)
        return render(
            request,
            "pathway/timeliness.html",
            {
                "form": QuarterForm(initial={"quarter": str(quarter)}),
                "quarter": quarter,
                "current": current,
                "previous": quarter.previous,
                "next": _next(quarter) if quarter != current else None,
                "measures": measures,
            },
        )
