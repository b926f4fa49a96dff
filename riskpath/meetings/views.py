"""Pages: the meetings list, one meeting, and its agenda (built from the record, then edited
by the chair or business support)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, NotPermitted
from riskpath.core.forms import add_domain_error, refused
from riskpath.meetings import (
    agenda,
    selectors,
    views_actions,
    views_conduct,
    views_documents,
    views_research,
    views_setup,
)
from riskpath.meetings.agenda.sections import SHOWN_PER_SECTION
from riskpath.meetings.forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    AgendaItemRemoveForm,
    AgendaItemsRemoveForm,
)
from riskpath.meetings.models import AgendaSection, Meeting, MeetingStatus

PAGE_SIZE = 25


class MeetingListView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        meetings = selectors.meeting_queryset_for_user(self.actor)
        past = request.GET.get("when") == "past"
        if past:
            qs = meetings.filter(starts_at__lt=now).order_by("-starts_at")
        else:
            qs = meetings.filter(starts_at__gte=now).order_by("starts_at")
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        audit_record(
            actor=self.actor,
            verb=Verb.MEETINGS_LISTED,
            changes={"when": "past" if past else "upcoming", "count": page.paginator.count},
        )
        return render(
            request,
            "meetings/list.html",
            {
                "page": page,
                "past": past,
                "query": "when=past" if past else "",
                "can_schedule": policy.check("can_schedule_meetings", self.actor),
                "can_configure": policy.check("can_configure_meetings", self.actor),
                **views_setup.list_context(request),
            },
        )


class MeetingDetailView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.meeting_get_for_user(self.actor, pk)
        context: dict[str, Any] = {
            "meeting": meeting,
            "statuses": MeetingStatus,
            "can_edit_agenda": policy.check("can_edit_agenda", self.actor, meeting),
            "can_minute": policy.check("can_minute_meeting", self.actor, meeting),
            "can_approve": policy.check("can_approve_minutes", self.actor, meeting),
        }
        # What of the meeting this reader may see, decided once for every part of the page.
        shown = agenda.agenda_page_for_user(self.actor, meeting)
        seen = shown.seen
        context["sections"], context["removed"] = shown.sections, shown.removed
        context["agenda_count"] = shown.count
        context["agenda_minutes"] = sum(s.minutes for s in shown.sections)
        for part in (views_setup, views_conduct, views_documents, views_actions, views_research):
            context.update(part.detail_context(request, meeting, seen))
        return render(request, "meetings/detail.html", context)


class _AgendaView(RuleRequiredMixin, View):
    """Agenda edits: the chair or business support of the meeting."""

    rule = "can_list_meetings"

    def _meeting(self, pk: Any) -> Meeting:
        return selectors.access_meeting(self.actor, pk, rule="can_edit_agenda")

    def _back(self, meeting: Meeting) -> HttpResponse:
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")


class AgendaBuildView(_AgendaView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        try:
            added = agenda.agenda_build(actor=self.actor, meeting=meeting)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"{len(added)} item{'s' if len(added) != 1 else ''} added from the record."
                if added
                else "The agenda already holds everything the record puts on it.",
            )
        return self._back(meeting)


class AgendaMoveView(_AgendaView):
    def post(self, request: HttpRequest, pk: Any, item_pk: Any, direction: str) -> HttpResponse:
        if direction not in ("up", "down"):
            raise Http404("No such direction")
        meeting = self._meeting(pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        try:
            agenda.agenda_item_move(actor=self.actor, item=item, up=direction == "up")
        except DomainError as exc:
            messages.error(request, exc.message)
        return self._back(meeting)


class AgendaAddView(_AgendaView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        return render(
            request, "meetings/agenda/add.html", {"meeting": meeting, "form": AgendaItemForm()}
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        form = AgendaItemForm(request.POST)
        if form.is_valid():
            try:
                agenda.agenda_item_add(actor=self.actor, meeting=meeting, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Item added to the end of the agenda.")
                return self._back(meeting)
        return render(
            request,
            "meetings/agenda/add.html",
            {"meeting": meeting, "form": form},
            status=400,
        )


class AgendaItemEditView(_AgendaView):
    def get(self, request: HttpRequest, pk: Any, item_pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        selectors.record_meeting_read(self.actor, meeting, f"agenda item {item.pk}")
        form = AgendaItemEditForm(
            initial={
                "title": item.title,
                "detail": item.detail,
                "minutes_allowed": item.minutes_allowed,
                "confidential": item.confidential,
                "version": item.version,
            }
        )
        return render(
            request, "meetings/agenda/edit.html", {"meeting": meeting, "item": item, "form": form}
        )

    def post(self, request: HttpRequest, pk: Any, item_pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        form = AgendaItemEditForm(request.POST)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                agenda.agenda_item_change(
                    actor=self.actor, item=item, expected_version=version, **data
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "Agenda item changed.")
                return self._back(meeting)
        return render(
            request,
            "meetings/agenda/edit.html",
            {"meeting": meeting, "item": item, "form": form},
            status=status,
        )


class AgendaItemRemoveView(_AgendaView):
    def get(self, request: HttpRequest, pk: Any, item_pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        selectors.record_meeting_read(self.actor, meeting, f"agenda item {item.pk}")
        form = AgendaItemRemoveForm(initial={"version": item.version})
        return render(
            request,
            "meetings/agenda/remove.html",
            {"meeting": meeting, "item": item, "form": form},
        )

    def post(self, request: HttpRequest, pk: Any, item_pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        form = AgendaItemRemoveForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                agenda.agenda_item_remove(
                    actor=self.actor,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"“{item.title}” has come off the agenda.")
                return self._back(meeting)
        return render(
            request,
            "meetings/agenda/remove.html",
            {"meeting": meeting, "item": item, "form": form},
            status=status,
        )


class AgendaSectionView(RuleRequiredMixin, View):
    """One section of the agenda, a page at a time: to read it, and for the chair or business
    support to take several of its items off at once with one reason."""

    rule = "can_list_meetings"
    per_page = SHOWN_PER_SECTION

    def _render(
        self, request: HttpRequest, pk: Any, section: str, data: Any = None
    ) -> HttpResponse:
        if section not in AgendaSection.values:
            raise Http404("No such section of the agenda")
        meeting = selectors.meeting_get_for_user(self.actor, pk)
        found = agenda.agenda_section_for_user(
            self.actor, meeting, section, request.GET.get("page"), self.per_page
        )
        if found is None:
            raise Http404("Nothing on the agenda in this section")
        this = found.section
        can_edit = policy.check("can_edit_agenda", self.actor, meeting)
        form = AgendaItemsRemoveForm(
            data, choices=[str(e.row.item.pk) for e in this.entries if not e.row.restricted]
        )
        if data is not None:
            if not can_edit:
                raise NotPermitted()
            if form.is_valid():
                try:
                    removed = agenda.agenda_items_remove(
                        actor=self.actor,
                        meeting=meeting,
                        item_ids=form.cleaned_data["items"],
                        reason=form.cleaned_data["reason"],
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(
                        request,
                        f"{len(removed)} item{'s' if len(removed) != 1 else ''} "
                        "came off the agenda.",
                    )
                    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")
        return render(
            request,
            "meetings/agenda/section.html",
            {
                "meeting": meeting,
                "section": this,
                "sections": found.sections,
                "page": found.page,
                "can_edit_agenda": can_edit,
                "form": form,
                "chosen": set(data.getlist("items")) if data is not None else set(),
            },
            status=200 if data is None else 400,
        )

    def get(self, request: HttpRequest, pk: Any, section: str) -> HttpResponse:
        return self._render(request, pk, section)

    def post(self, request: HttpRequest, pk: Any, section: str) -> HttpResponse:
        return self._render(request, pk, section, request.POST)


class AgendaItemRestoreView(_AgendaView):
    def post(self, request: HttpRequest, pk: Any, item_pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        try:
            agenda.agenda_item_restore(actor=self.actor, item=item, expected_version=item.version)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"“{item.title}” is back on the agenda, at the end.")
        return self._back(meeting)


urlpatterns = [
    path("", MeetingListView.as_view(), name="list"),
    path("<uuid:pk>/", MeetingDetailView.as_view(), name="detail"),
    path("<uuid:pk>/agenda/build/", AgendaBuildView.as_view(), name="agenda_build"),
    path("<uuid:pk>/agenda/add/", AgendaAddView.as_view(), name="agenda_add"),
    path(
        "<uuid:pk>/agenda/sections/<str:section>/",
        AgendaSectionView.as_view(),
        name="agenda_section",
    ),
    path(
        "<uuid:pk>/agenda/<uuid:item_pk>/edit/",
        AgendaItemEditView.as_view(),
        name="agenda_item_edit",
    ),
    path(
        "<uuid:pk>/agenda/<uuid:item_pk>/remove/",
        AgendaItemRemoveView.as_view(),
        name="agenda_item_remove",
    ),
    path(
        "<uuid:pk>/agenda/<uuid:item_pk>/restore/",
        AgendaItemRestoreView.as_view(),
        name="agenda_item_restore",
    ),
    path(
        "<uuid:pk>/agenda/<uuid:item_pk>/move/<str:direction>/",
        AgendaMoveView.as_view(),
        name="agenda_item_move",
    ),
]
