"""Pages for the meeting itself: attendance, the confidentiality declaration, live minuting
(one textarea per agenda item, saved as the minute-taker types; a plain form without
JavaScript), decisions, and marking the meeting held, approving and circulating the minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, FieldErrors
from riskpath.core.forms import add_domain_error, refused
from riskpath.meetings import agenda, conduct, selectors, sight
from riskpath.meetings.forms_conduct import (
    AttendanceForm,
    AttendeeAddForm,
    ConfidentialForm,
    DecisionForm,
    MinutesForm,
    VersionForm,
)
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)

# The coarse rule of every page here; the meeting's own rule is checked on the object.
COARSE = "can_list_meetings"


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", pk=meeting.pk)


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


class _MeetingView(RuleRequiredMixin, View):
    rule = COARSE
    meeting_rule = "can_minute_meeting"

    def meeting(self, pk: Any) -> Meeting:
        return selectors.access_meeting(self.actor, pk, rule=self.meeting_rule)


class AttendanceView(_MeetingView):
    def _render(
        self, request: HttpRequest, meeting: Meeting, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "meetings/conduct/attendance.html",
            {"meeting": meeting, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        rows = list(conduct.attendance_rows(meeting))
        return self._render(request, meeting, AttendanceForm(rows=rows, meeting=meeting))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        rows = list(conduct.attendance_rows(meeting))
        form = AttendanceForm(request.POST, rows=rows, meeting=meeting)
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    for row, version, new_status, deputy in form.changes():
                        try:
                            conduct.attendance_record(
                                actor=self.actor,
                                attendance=row,
                                expected_version=version,
                                status=new_status,
                                deputy=deputy,
                            )
                        except FieldErrors as exc:
                            # Name the row's own field, not the service's.
                            raise FieldErrors(
                                {
                                    (f"{k}_{row.pk}" if k in ("status", "deputy") else k): v
                                    for k, v in exc.errors.items()
                                }
                            ) from exc
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, "Attendance has been recorded.")
                return _back(meeting)
        return self._render(request, meeting, form, status)


class AttendeeAddView(_MeetingView):
    def _render(
        self, request: HttpRequest, meeting: Meeting, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "meetings/conduct/attendee_add.html",
            {"meeting": meeting, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        form = AttendeeAddForm(meeting=meeting, initial={"status": AttendanceStatus.PRESENT})
        return self._render(request, meeting, form)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        form = AttendeeAddForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                row = conduct.attendance_add(actor=self.actor, meeting=meeting, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"{row.name} has been added to the attendance.")
                return _back(meeting)
        return self._render(request, meeting, form, 400)


class DeclarationView(_MeetingView):
    """The declaration, who has signed it, and the paper and read-out records."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        if not meeting.meeting_type.requires_declaration:
            raise Http404("No declaration")
        return render(
            request,
            "meetings/conduct/declaration.html",
            {
                "meeting": meeting,
                "rows": [r for r in conduct.attendance_rows(meeting) if r.is_there],
                "can_read": policy.check("can_approve_minutes", self.actor, meeting),
                "blocker": conduct.minutes_blocker(meeting),
            },
        )


class DeclarationSignView(_MeetingView):
    """A participant agrees to the declaration themself, on the meeting page."""

    meeting_rule = "can_view_meeting"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        try:
            conduct.declaration_sign(actor=self.actor, meeting=meeting)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "You have signed the confidentiality declaration.")
        return _back(meeting)


class DeclarationPaperView(_MeetingView):
    def post(self, request: HttpRequest, pk: Any, attendance_pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        row = (
            Attendance.objects.select_related("user", "meeting__meeting_type")
            .filter(meeting=meeting, pk=attendance_pk)
            .first()
        )
        if row is None:
            raise Http404("No such attendee")
        try:
            conduct.declaration_record_paper(actor=self.actor, attendance=row)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"Recorded that {conduct.attendee_name(row)} signed on paper."
            )
        return redirect("meetings:declaration", pk=meeting.pk)


class DeclarationReadView(_MeetingView):
    meeting_rule = "can_approve_minutes"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The page was out of date: try again.")
        else:
            try:
                conduct.declaration_read(
                    actor=self.actor,
                    meeting=meeting,
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Recorded that the declaration was read out.")
        return redirect("meetings:declaration", pk=meeting.pk)


class MinutingView(_MeetingView):
    """Live minuting: keyboard-first, saved as the minute-taker types (minuting.mjs); without
    JavaScript a form that saves every item."""

    def _items(self, meeting: Meeting) -> tuple[sight.MeetingSight, list[AgendaItem]]:
        """What the minute-taker sees of the meeting (they run it: every item on the agenda),
        decided where every other output decides it."""
        seen = sight.meeting_sight(self.actor, meeting)
        return seen, [s.item for s in seen.shown_items()]

    def _render(
        self,
        request: HttpRequest,
        meeting: Meeting,
        seen: sight.MeetingSight,
        form: MinutesForm,
        status: int = 200,
        conflicts: dict[Any, Any] | None = None,
    ) -> HttpResponse:
        rows = [
            {
                "item": item_seen.item,
                "title": seen.title(item_seen),
                "field": form[f"minutes_{item_seen.item.pk}"],
                "version": form[f"version_{item_seen.item.pk}"],
                "minutes": conduct.minutes_of(item_seen.item),
                "decisions": [seen.decision_line(d) for d in seen.decisions(item_seen)],
                "conflict": (conflicts or {}).get(item_seen.item.pk, False),
                "in_conflict": item_seen.item.pk in (conflicts or {}),
            }
            for item_seen in seen.shown_items()
        ]
        return render(
            request,
            "meetings/conduct/minuting.html",
            {
                "meeting": meeting,
                "form": form,
                "rows": rows,
                "blocker": conduct.minutes_blocker(meeting),
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        seen, items = self._items(meeting)
        audit_record(
            actor=self.actor,
            verb=Verb.MEETING_VIEWED,
            target=meeting,
            subject=meeting.young_person,
            basis="minute-taker",
            changes={"page": "minuting"},
        )
        return self._render(request, meeting, seen, MinutesForm(items=items, meeting=meeting))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        seen, items = self._items(meeting)
        form = MinutesForm(request.POST, items=items, meeting=meeting)
        if form.is_valid():
            try:
                conduct.minutes_save(actor=self.actor, meeting=meeting, edits=form.edits())
            except conduct.MinutesConflict as exc:
                form.add_error(None, exc.message)
                # The writer has now been told: their next save is based on the other text.
                data = request.POST.copy()
                for item_pk, current in exc.current.items():
                    data[f"version_{item_pk}"] = str(current.version if current else 0)
                form.data = data
                return self._render(request, meeting, seen, form, status=409, conflicts=exc.current)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "The minutes have been saved.")
                return redirect("meetings:minuting", pk=meeting.pk)
        return self._render(request, meeting, seen, form, status=400)


class DecisionAddView(_MeetingView):
    def _render(
        self, request: HttpRequest, meeting: Meeting, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "meetings/conduct/decision_add.html",
            {"meeting": meeting, "form": form, "blocker": conduct.minutes_blocker(meeting)},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        initial: dict[str, Any] = {}
        item_pk = request.GET.get("item", "")
        item = conduct.items_for_minutes(meeting).filter(pk=_uuid(item_pk)).first()
        if item is not None:
            initial = {"item": item.pk, "young_person": item.young_person_id}
        selectors.record_meeting_read(self.actor, meeting, "decision form")
        return self._render(request, meeting, DecisionForm(meeting=meeting, initial=initial))

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        form = DecisionForm(request.POST, meeting=meeting)
        if form.is_valid():
            try:
                conduct.decision_record(actor=self.actor, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "The decision has been recorded.")
                return redirect("meetings:minuting", pk=meeting.pk)
        return self._render(request, meeting, form, 400)


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class ItemConfidentialView(_MeetingView):
    """Mark an item a confidential slot (or not) while minuting it."""

    def post(self, request: HttpRequest, pk: Any, item_pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        item = conduct.items_for_minutes(meeting).filter(pk=item_pk).first()
        if item is None:
            raise Http404("No such agenda item")
        form = ConfidentialForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The page was out of date: reload it and try again.")
        else:
            confidential = form.cleaned_data["confidential"] == "yes"
            try:
                agenda.agenda_item_change(
                    actor=self.actor,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    confidential=confidential,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    f"“{item.title}” is {'now' if confidential else 'no longer'} a confidential "
                    "slot.",
                )
        return redirect(reverse("meetings:minuting", args=[meeting.pk]) + f"#item-{item.pk}")


class _StatusView(_MeetingView):
    """A button on the meeting page that moves the minutes on."""

    done = ""

    def act(self, meeting: Meeting, version: int) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self.meeting(pk)
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The page was out of date: reload it and try again.")
            return _back(meeting)
        try:
            self.act(meeting, form.cleaned_data["version"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, self.done)
        return _back(meeting)


class MeetingHeldView(_StatusView):
    done = "The meeting has been marked as held."

    def act(self, meeting: Meeting, version: int) -> Any:
        return conduct.meeting_mark_held(
            actor=self.actor, meeting=meeting, expected_version=version
        )


class MinutesApproveView(_StatusView):
    meeting_rule = "can_approve_minutes"
    done = "The minutes have been approved."

    def act(self, meeting: Meeting, version: int) -> Any:
        return conduct.minutes_approve(actor=self.actor, meeting=meeting, expected_version=version)


class MinutesCirculateView(_StatusView):
    done = "The minutes have been circulated to those present."

    def act(self, meeting: Meeting, version: int) -> Any:
        return conduct.minutes_circulate(
            actor=self.actor, meeting=meeting, expected_version=version
        )


urlpatterns: list[URLPattern] = [
    path("<uuid:pk>/attendance/", AttendanceView.as_view(), name="attendance"),
    path("<uuid:pk>/attendance/add/", AttendeeAddView.as_view(), name="attendance_add"),
    path("<uuid:pk>/declaration/", DeclarationView.as_view(), name="declaration"),
    path("<uuid:pk>/declaration/sign/", DeclarationSignView.as_view(), name="declaration_sign"),
    path(
        "<uuid:pk>/declaration/paper/<uuid:attendance_pk>/",
        DeclarationPaperView.as_view(),
        name="declaration_paper",
    ),
    path("<uuid:pk>/declaration/read/", DeclarationReadView.as_view(), name="declaration_read"),
    path("<uuid:pk>/minuting/", MinutingView.as_view(), name="minuting"),
    path(
        "<uuid:pk>/minuting/<uuid:item_pk>/confidential/",
        ItemConfidentialView.as_view(),
        name="minuting_confidential",
    ),
    path("<uuid:pk>/decisions/add/", DecisionAddView.as_view(), name="decision_add"),
    path("<uuid:pk>/held/", MeetingHeldView.as_view(), name="meeting_held"),
    path("<uuid:pk>/approve/", MinutesApproveView.as_view(), name="minutes_approve"),
    path("<uuid:pk>/circulate/", MinutesCirculateView.as_view(), name="minutes_circulate"),
]


def detail_context(
    request: HttpRequest, meeting: Meeting, seen: sight.MeetingSight
) -> dict[str, Any]:
    """What this part adds to the meeting's page: attendance, the declaration (with the
    signed-in participant's own "I agree"), minutes and decisions of the items the reader may
    see (``seen``), and the minutes' status."""
    user = request.user
    rows = list(conduct.attendance_rows(meeting))
    mine = next((r for r in rows if r.user_id == user.pk), None)
    minuted = [
        {
            "number": seen.number_of(item_seen, number),
            "item": item_seen.item,
            "title": seen.title(item_seen),
            "discussion": seen.discussion(item_seen),
            "decisions": [seen.decision_line(d) for d in seen.decisions(item_seen)],
        }
        for number, item_seen in enumerate(seen.items, 1)
        if item_seen.shown
    ]
    return {
        "conduct": {
            "rows": rows,
            "mine": mine,
            "may_sign": bool(
                meeting.meeting_type.requires_declaration
                and mine is not None
                and mine.is_there
                and mine.declaration_signed_at is None
            ),
            "unsigned": conduct.declaration_unsigned(meeting),
            "blocker": conduct.minutes_blocker(meeting),
            "overdue": conduct.minutes_overdue(meeting),
            "minuted": minuted,
            "any_minutes": any(m["discussion"] or m["decisions"] for m in minuted),
            "open": meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.HELD),
        }
    }
