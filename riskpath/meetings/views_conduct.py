"""Pages for the meeting itself: attendance, the confidentiality declaration, live minuting
(one textarea per agenda item, saved as the minute-taker types; a plain form without
JavaScript), decisions, and marking the meeting held, approving and circulating the minutes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors
from riskpath.core.forms import GovukForm, VersionField, add_domain_error
from riskpath.meetings import agenda, conduct, selectors, sight
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CoreMember,
    DecisionKind,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson

# The coarse rule of every page here; the meeting's own rule is checked on the object.
COARSE = "can_list_meetings"

STATUS_CHOICES = [
    (AttendanceStatus.PRESENT.value, "Present"),
    (AttendanceStatus.DEPUTY.value, "Sent a deputy"),
    (AttendanceStatus.APOLOGIES.value, "Apologies"),
    (AttendanceStatus.ABSENT.value, "Absent"),
]
GUEST_STATUS_CHOICES = [c for c in STATUS_CHOICES if c[0] != AttendanceStatus.DEPUTY]
DEPUTY_ROW_CHOICES = [
    (AttendanceStatus.DEPUTY.value, "Present as deputy"),
    (AttendanceStatus.ABSENT.value, "Absent"),
]


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", pk=meeting.pk)


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = f" ({obj.agency})" if obj.agency_id else ""
        return f"{obj.full_name or obj.email}{agency}"


class AttendanceForm(GovukForm):
    """One status (and, for a member who sent one, a deputy) per attendance row."""

    def __init__(self, *args: Any, rows: list[Attendance], meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        candidates = conduct.deputy_candidates(meeting).select_related("agency")
        for row in rows:
            name = conduct.attendee_name(row)
            key = str(row.pk)
            if row.deputy_for_id is not None:
                label = f"{name} (deputy for {row.deputy_for})"
                choices = DEPUTY_ROW_CHOICES
            else:
                label = name
                choices = STATUS_CHOICES if row.user_id else GUEST_STATUS_CHOICES
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=None if row.status == AttendanceStatus.INVITED else row.status,
                required=False,
            )
            if row.user_id and row.deputy_for_id is None:
                member = CoreMember.objects.filter(
                    meeting_type_id=meeting.meeting_type_id, user_id=row.user_id
                ).first()
                self.fields[f"deputy_{key}"] = UserChoiceField(
                    label=f"Deputy for {name}",
                    help_text="Only if they sent a deputy",
                    queryset=candidates.exclude(pk=row.user_id),
                    required=False,
                    empty_label="Select the deputy",
                    initial=member.deputy_id if member else None,
                )
            self.fields[f"version_{key}"] = VersionField(initial=row.version, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.rows:
            key = str(row.pk)
            if data.get(f"status_{key}") and not data.get(f"version_{key}"):
                self.add_error(
                    f"status_{key}",
                    f"This page is out of date for {conduct.attendee_name(row)}: reload it",
                )
        return data

    def changes(self) -> list[tuple[Attendance, int, str, User | None]]:
        out = []
        for row in self.rows:
            key = str(row.pk)
            status = self.cleaned_data.get(f"status_{key}")
            if not status or status == row.status:
                continue
            version = self.cleaned_data[f"version_{key}"]
            out.append((row, version, status, self.cleaned_data.get(f"deputy_{key}")))
        return out


class AttendeeAddForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="None"
    )
    is_family = forms.BooleanField(label="A family member or the young person", required=False)
    status = forms.ChoiceField(
        label="Attendance", choices=GUEST_STATUS_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(area_id=meeting.area_id).order_by("name")
        if not meeting.meeting_type.family_may_attend:
            del self.fields["is_family"]


class VersionForm(GovukForm):
    version = VersionField()


class ConfidentialForm(GovukForm):
    version = VersionField()
    confidential = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])


class MinutesForm(GovukForm):
    """One textarea per agenda item, with the version of the minutes it was based on."""

    def __init__(
        self, *args: Any, items: list[AgendaItem], meeting: Meeting, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items, 1):
            current = conduct.minutes_of(item)
            key = str(item.pk)
            self.fields[f"minutes_{key}"] = forms.CharField(
                label=f"{number}. {item.title}",
                required=False,
                strip=False,
                max_length=conduct.MAX_MINUTES_CHARS,
                initial=current.discussion if current else "",
                widget=forms.Textarea(
                    attrs={
                        "rows": 6,
                        "data-minutes-item": key,
                        "aria-describedby": f"minutes-status-{key}",
                        "data-minutes-url": reverse(
                            "api:conduct_item_minutes", args=[meeting.pk, item.pk]
                        ),
                    }
                ),
            )
            self.fields[f"version_{key}"] = forms.IntegerField(
                min_value=0,
                widget=forms.HiddenInput(attrs={"data-minutes-version": key}),
                initial=current.version if current else 0,
            )

    def edits(self) -> list[conduct.MinutesEdit]:
        out = []
        for item in self.items:
            key = str(item.pk)
            version = self.cleaned_data.get(f"version_{key}")
            out.append(
                conduct.MinutesEdit(
                    item=item,
                    discussion=self.cleaned_data.get(f"minutes_{key}") or "",
                    expected_version=version if version is not None else 0,
                )
            )
        return out


class DecisionForm(GovukForm):
    item = forms.ModelChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), empty_label="Select the item"
    )
    kind = forms.ChoiceField(
        label="Decision", choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="What did the meeting decide?", widget=forms.Textarea(attrs={"rows": 4})
    )
    young_person = forms.ModelChoiceField(
        label="Young person it concerns",
        queryset=YoungPerson.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = conduct.items_for_minutes(meeting)
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ModelChoiceField)
        item_field.queryset = items
        item_field.label_from_instance = lambda obj: f"{obj.position}. {obj.title}"  # type: ignore[method-assign]
        people = YoungPerson.objects.filter(area_id=meeting.area_id).filter(
            pk__in=[
                pk
                for pk in [
                    meeting.young_person_id,
                    *items.values_list("young_person_id", flat=True),
                ]
                if pk
            ]
        )
        person_field = self.fields["young_person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = people.order_by("family_name", "given_names")


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
                add_domain_error(form, exc)
                if isinstance(exc, ConcurrentEditError):
                    status = 409
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
            "number": number,
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
