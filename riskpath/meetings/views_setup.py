"""Pages: the area's meeting types (configuration, core members, presets), scheduling a
meeting or a series, moving and cancelling a meeting, and sending its invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import Area
from riskpath.core import clock
from riskpath.core.errors import DomainError, NotPermitted
from riskpath.core.forms import add_domain_error, refused
from riskpath.meetings import schedule, selectors, setup
from riskpath.meetings.forms_setup import (
    CancelForm,
    CoreMemberForm,
    MeetingTypeForm,
    MoveForm,
    ScheduleForm,
    aware,
)
from riskpath.meetings.models import CoreMember, Meeting, MeetingStatus, MeetingType
from riskpath.meetings.presets import PRESETS


def access_meeting_type(user: Any, pk: Any) -> MeetingType:
    """A meeting type of the user's area that they may configure: Http404 for another area's,
    NotPermitted if they may not configure it."""
    meeting_type = (
        MeetingType.objects.select_related("area").filter(pk=pk, area_id=user.area_id).first()
    )
    if meeting_type is None:
        raise Http404("No such meeting type")
    if not policy.check("can_configure_meetings", user, meeting_type):
        raise NotPermitted()
    return meeting_type


def _flash_invitations(request: HttpRequest, result: schedule.InvitationResult | None) -> None:
    if result is None:
        return
    if result.failed:
        messages.warning(request, result.summary())
    else:
        messages.info(request, result.summary())


# ---------------------------------------------------------------------------------------------
# Meeting types
# ---------------------------------------------------------------------------------------------


class MeetingTypeListView(RuleRequiredMixin, View):
    rule = "can_configure_meetings"

    def get(self, request: HttpRequest) -> HttpResponse:
        types = list(
            MeetingType.objects.filter(area_id=self.actor.area_id)
            .prefetch_related("members")
            .order_by("-is_active", "name")
        )
        have = {t.name for t in types}
        return render(
            request,
            "meetings/setup/type_list.html",
            {
                "types": types,
                "missing_presets": [p for p in PRESETS if p.name not in have],
                "terms_due": setup.terms_due_for_review(self.actor),
                "today": clock.today(),
            },
        )


class MeetingTypeInstallView(RuleRequiredMixin, View):
    rule = "can_configure_meetings"

    def _missing(self) -> list[Any]:
        have = set(
            MeetingType.objects.filter(area_id=self.actor.area_id).values_list("name", flat=True)
        )
        return [p for p in PRESETS if p.name not in have]

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "meetings/setup/install.html", {"missing": self._missing()})

    def post(self, request: HttpRequest) -> HttpResponse:
        area = Area.objects.get(pk=self.actor.area_id)
        added = setup.meeting_types_install(actor=self.actor, area=area)
        if added:
            messages.success(
                request,
                f"{len(added)} meeting type{'s' if len(added) != 1 else ''} added: "
                + ", ".join(t.name for t in added)
                + ".",
            )
        else:
            messages.info(request, "Every preset meeting type is already in use in your area.")
        return redirect("meetings:type_list")


class MeetingTypeDetailView(RuleRequiredMixin, View):
    rule = "can_configure_meetings"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting_type = access_meeting_type(self.actor, pk)
        return render(
            request,
            "meetings/setup/type_detail.html",
            {
                "meeting_type": meeting_type,
                "members": meeting_type.members.select_related(
                    "user", "user__agency", "deputy"
                ).order_by("capacity", "user__full_name"),
                "agencies": meeting_type.core_agencies.order_by("name"),
                "review_due": (
                    meeting_type.terms_review_on is not None
                    and meeting_type.terms_review_on
                    <= clock.today() + dt.timedelta(days=setup.REVIEW_NOTICE_DAYS)
                ),
                "can_schedule": policy.check("can_schedule_meetings", self.actor, meeting_type),
            },
        )


class MeetingTypeEditView(RuleRequiredMixin, View):
    rule = "can_configure_meetings"

    def _render(
        self, request: HttpRequest, form: MeetingTypeForm, meeting_type: MeetingType, status: int
    ) -> HttpResponse:
        return render(
            request,
            "meetings/setup/type_edit.html",
            {"form": form, "meeting_type": meeting_type},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting_type = access_meeting_type(self.actor, pk)
        form = MeetingTypeForm(
            initial=MeetingTypeForm.initial_for(meeting_type), area_id=meeting_type.area_id
        )
        return self._render(request, form, meeting_type, 200)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting_type = access_meeting_type(self.actor, pk)
        form = MeetingTypeForm(request.POST, area_id=meeting_type.area_id)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            agencies = list(data.pop("core_agencies"))
            try:
                setup.meeting_type_update(
                    actor=self.actor,
                    meeting_type=meeting_type,
                    expected_version=version,
                    core_agencies=agencies,
                    **data,
                )
            except DomainError as exc:
                if isinstance(exc, NotPermitted):
                    raise
                status = refused(form, exc)
            else:
                messages.success(request, f"{meeting_type.name} has been saved.")
                return redirect("meetings:type_detail", pk=meeting_type.pk)
        return self._render(request, form, meeting_type, status)


class CoreMembersView(RuleRequiredMixin, View):
    rule = "can_configure_meetings"

    def _render(
        self, request: HttpRequest, form: CoreMemberForm, meeting_type: MeetingType, status: int
    ) -> HttpResponse:
        members = meeting_type.members.select_related("user", "user__agency", "deputy").order_by(
            "capacity", "user__full_name"
        )
        return render(
            request,
            "meetings/setup/members.html",
            {"form": form, "meeting_type": meeting_type, "members": members},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting_type = access_meeting_type(self.actor, pk)
        return self._render(request, CoreMemberForm(meeting_type=meeting_type), meeting_type, 200)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting_type = access_meeting_type(self.actor, pk)
        form = CoreMemberForm(request.POST, meeting_type=meeting_type)
        if form.is_valid():
            try:
                member = setup.core_member_add(
                    actor=self.actor, meeting_type=meeting_type, **form.cleaned_data
                )
            except DomainError as exc:
                if isinstance(exc, NotPermitted):
                    raise
                add_domain_error(form, exc)
            else:
                name = member.user.full_name or member.user.email
                messages.success(request, f"{name} is now a core member of {meeting_type.name}.")
                return redirect("meetings:type_members", pk=meeting_type.pk)
        return self._render(request, form, meeting_type, 400)


class CoreMemberRemoveView(RuleRequiredMixin, View):
    rule = "can_configure_meetings"

    def _member(self, pk: Any, member_pk: Any) -> CoreMember:
        meeting_type = access_meeting_type(self.actor, pk)
        member = (
            CoreMember.objects.select_related("user", "meeting_type")
            .filter(pk=member_pk, meeting_type=meeting_type)
            .first()
        )
        if member is None:
            raise Http404("No such member")
        return member

    def get(self, request: HttpRequest, pk: Any, member_pk: Any) -> HttpResponse:
        member = self._member(pk, member_pk)
        return render(request, "meetings/setup/member_remove.html", {"member": member})

    def post(self, request: HttpRequest, pk: Any, member_pk: Any) -> HttpResponse:
        member = self._member(pk, member_pk)
        name = member.user.full_name or member.user.email
        setup.core_member_remove(actor=self.actor, member=member)
        messages.success(
            request, f"{name} is no longer a core member of {member.meeting_type.name}."
        )
        return redirect("meetings:type_members", pk=pk)


# ---------------------------------------------------------------------------------------------
# Scheduling
# ---------------------------------------------------------------------------------------------


class ScheduleView(RuleRequiredMixin, View):
    rule = "can_schedule_meetings"

    def _render(self, request: HttpRequest, form: ScheduleForm, status: int) -> HttpResponse:
        return render(request, "meetings/setup/schedule.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {"count": 1}
        chosen = request.GET.get("type", "")
        if chosen and _is_uuid(chosen):
            meeting_type = (
                MeetingType.objects.filter(area_id=self.actor.area_id, is_active=True)
                .filter(pk=chosen)
                .first()
            )
            if meeting_type is not None:
                initial["meeting_type"] = meeting_type.pk
                if meeting_type.start_time:
                    initial["start_time"] = meeting_type.start_time
        form = ScheduleForm(initial=initial, area_id=self.actor.area_id)
        return self._render(request, form, 200)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ScheduleForm(request.POST, area_id=self.actor.area_id)
        if form.is_valid():
            data = form.cleaned_data
            starts_at = aware(data["starts_on"], data["start_time"])
            try:
                if data["count"] == 1 and not data["rrule"]:
                    meeting, result = schedule.meeting_schedule_one(
                        actor=self.actor,
                        meeting_type=data["meeting_type"],
                        starts_at=starts_at,
                        title=data["title"],
                        place=data["place"],
                    )
                    meetings = [meeting]
                else:
                    meetings, result = schedule.meeting_series_schedule(
                        actor=self.actor,
                        meeting_type=data["meeting_type"],
                        first_starts_at=starts_at,
                        count=data["count"],
                        rrule=data["rrule"],
                        place=data["place"],
                    )
            except DomainError as exc:
                if isinstance(exc, NotPermitted):
                    raise
                add_domain_error(form, exc)
            else:
                flagged = [m for m in meetings if m.holiday]
                if len(meetings) == 1:
                    messages.success(request, f"{meetings[0].title} has been scheduled.")
                else:
                    messages.success(
                        request,
                        f"{len(meetings)} meetings of {data['meeting_type'].name} have been "
                        "scheduled.",
                    )
                for meeting in flagged:
                    messages.warning(
                        request,
                        f"{meeting.title} falls on a bank holiday ({meeting.holiday}). "
                        "Move it to a working day.",
                    )
                _flash_invitations(request, result)
                if len(meetings) == 1:
                    return redirect("meetings:detail", pk=meetings[0].pk)
                return redirect("meetings:list")
        return self._render(request, form, 400)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class _MeetingSetupView(RuleRequiredMixin, View):
    """Acting on one meeting: visible to the user (else 404), and they schedule meetings of
    its type (else 403); only a meeting not yet held."""

    rule = "can_schedule_meetings"

    def _meeting(self, pk: Any) -> Meeting:
        meeting = selectors.access_meeting(self.actor, pk)
        if not policy.check("can_schedule_meetings", self.actor, meeting.meeting_type):
            raise NotPermitted()
        return meeting

    def _closed(self, request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
        if meeting.status == MeetingStatus.SCHEDULED:
            return None
        messages.error(
            request,
            f"This meeting is {meeting.get_status_display().lower()}: it can no longer be "
            "changed here.",
        )
        return redirect("meetings:detail", pk=meeting.pk)


class MeetingMoveView(_MeetingSetupView):
    def _render(
        self, request: HttpRequest, form: MoveForm, meeting: Meeting, status: int
    ) -> HttpResponse:
        return render(
            request,
            "meetings/setup/move.html",
            {"form": form, "meeting": meeting},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        closed = self._closed(request, meeting)
        if closed:
            return closed
        local = timezone.localtime(meeting.starts_at)
        form = MoveForm(
            initial={
                "starts_on": local.date(),
                "start_time": local.time(),
                "place": meeting.place,
                "version": meeting.version,
            }
        )
        return self._render(request, form, meeting, 200)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        closed = self._closed(request, meeting)
        if closed:
            return closed
        form = MoveForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting, result = schedule.meeting_move(
                    actor=self.actor,
                    meeting=meeting,
                    expected_version=data["version"],
                    starts_at=aware(data["starts_on"], data["start_time"]),
                    place=data["place"],
                )
            except DomainError as exc:
                if isinstance(exc, NotPermitted):
                    raise
                status = refused(form, exc)
                meeting = self._meeting(pk)
            else:
                when = timezone.localtime(meeting.starts_at)
                messages.success(
                    request, f"The meeting has been moved to {when:%A %-d %B %Y, %H:%M}."
                )
                if meeting.holiday:
                    messages.warning(
                        request, f"The new date is also a bank holiday ({meeting.holiday})."
                    )
                _flash_invitations(request, result)
                return redirect("meetings:detail", pk=meeting.pk)
        return self._render(request, form, meeting, status)


class MeetingCancelView(_MeetingSetupView):
    def _render(
        self, request: HttpRequest, form: CancelForm, meeting: Meeting, status: int
    ) -> HttpResponse:
        return render(
            request,
            "meetings/setup/cancel.html",
            {"form": form, "meeting": meeting},
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        closed = self._closed(request, meeting)
        if closed:
            return closed
        form = CancelForm(initial={"version": meeting.version})
        return self._render(request, form, meeting, 200)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        closed = self._closed(request, meeting)
        if closed:
            return closed
        form = CancelForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                meeting, result = schedule.meeting_cancel(
                    actor=self.actor,
                    meeting=meeting,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                if isinstance(exc, NotPermitted):
                    raise
                status = refused(form, exc)
                meeting = self._meeting(pk)
            else:
                messages.success(request, f"{meeting.title} has been cancelled.")
                _flash_invitations(request, result)
                return redirect("meetings:detail", pk=meeting.pk)
        return self._render(request, form, meeting, status)


class MeetingInvitationsView(_MeetingSetupView):
    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        closed = self._closed(request, meeting)
        if closed:
            return closed
        rows = schedule.invitation_attendance(meeting)
        return render(
            request,
            "meetings/setup/invitations.html",
            {
                "meeting": meeting,
                "with_email": [
                    r.user for r in rows if r.user and r.user.is_active and r.user.email
                ],
                "without_email": [
                    r.user for r in rows if r.user and r.user.is_active and not r.user.email
                ],
            },
        )

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        closed = self._closed(request, meeting)
        if closed:
            return closed
        result = schedule.invitations_send(actor=self.actor, meetings=[meeting])
        _flash_invitations(request, result)
        return redirect("meetings:detail", pk=meeting.pk)


urlpatterns: list[URLPattern] = [
    path("types/", MeetingTypeListView.as_view(), name="type_list"),
    path("types/install/", MeetingTypeInstallView.as_view(), name="type_install"),
    path("types/<uuid:pk>/", MeetingTypeDetailView.as_view(), name="type_detail"),
    path("types/<uuid:pk>/edit/", MeetingTypeEditView.as_view(), name="type_edit"),
    path("types/<uuid:pk>/members/", CoreMembersView.as_view(), name="type_members"),
    path(
        "types/<uuid:pk>/members/<uuid:member_pk>/remove/",
        CoreMemberRemoveView.as_view(),
        name="type_member_remove",
    ),
    path("schedule/", ScheduleView.as_view(), name="schedule"),
    path("<uuid:pk>/move/", MeetingMoveView.as_view(), name="move"),
    path("<uuid:pk>/cancel/", MeetingCancelView.as_view(), name="cancel"),
    path("<uuid:pk>/invitations/", MeetingInvitationsView.as_view(), name="invitations"),
]


def detail_context(request: HttpRequest, meeting: Meeting, seen: Any = None) -> dict[str, Any]:
    """What this part adds to the meeting's page: whether the user may move, cancel and send
    invitations for it."""
    may = policy.check("can_schedule_meetings", request.user, meeting.meeting_type)
    return {
        "setup_can_change": may and meeting.status == MeetingStatus.SCHEDULED,
        "setup_is_cancelled": meeting.status == MeetingStatus.CANCELLED,
    }


def list_context(request: HttpRequest) -> dict[str, Any]:
    """What this part adds to the meetings list: links to schedule and configure, and the
    terms of reference due for review (within 30 days, or overdue)."""
    user = request.user
    can_configure = policy.check("can_configure_meetings", user)
    return {
        "setup_can_schedule": policy.check("can_schedule_meetings", user),
        "setup_can_configure": can_configure,
        "setup_terms_due": setup.terms_due_for_review(user) if can_configure else [],
        "setup_today": clock.today(),
    }
