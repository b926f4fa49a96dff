"""API v1 endpoints for meeting types and meetings: the area's meeting types (and changing
one), the meetings the user takes part in, scheduling one meeting or a series, moving and
cancelling a meeting, and sending its invitations. The same services, rules and audit events
as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.accounts.models import Agency
from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors
from riskpath.meetings import schedule, selectors, setup
from riskpath.meetings.models import CoreMember, Meeting, MeetingType

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------


class CoreMemberSerializer(serializers.ModelSerializer):
    user = serializers.UUIDField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.full_name", read_only=True)
    deputy = serializers.UUIDField(source="deputy_id", read_only=True, allow_null=True)

    class Meta:
        model = CoreMember
        fields = ["id", "user", "name", "capacity", "deputy"]
        read_only_fields = fields


class MeetingTypeSerializer(serializers.ModelSerializer):
    core_agencies: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    members = CoreMemberSerializer(many=True, read_only=True)

    class Meta:
        model = MeetingType
        fields = [
            "id",
            "kind",
            "name",
            "recurrence",
            "start_time",
            "duration_minutes",
            "intelligence_window_days",
            "research_days_after",
            "core_agencies",
            "requires_declaration",
            "declaration_text",
            "papers_working_days",
            "minutes_working_days",
            "family_may_attend",
            "has_confidential_slot",
            "tier_2_every",
            "tier_3_every",
            "slot_minutes",
            "terms_of_reference",
            "terms_review_on",
            "is_active",
            "members",
            "version",
        ]
        read_only_fields = fields


class MeetingTypeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    recurrence = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="An iCalendar RRULE (FREQ=WEEKLY;INTERVAL=2); blank: convened on request.",
    )
    start_time = serializers.TimeField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(required=False, min_value=15, max_value=720)
    intelligence_window_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=366
    )
    research_days_after = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=90,
        help_text="Participants see who is on a published agenda until this many days after "
        "the meeting; null: not at all.",
    )
    requires_declaration = serializers.BooleanField(required=False)
    declaration_text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    papers_working_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=60
    )
    minutes_working_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=60
    )
    family_may_attend = serializers.BooleanField(required=False)
    has_confidential_slot = serializers.BooleanField(required=False)
    tier_2_every = serializers.IntegerField(required=False, min_value=1, max_value=26)
    tier_3_every = serializers.IntegerField(required=False, min_value=1, max_value=26)
    slot_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=5, max_value=240
    )
    terms_of_reference = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    terms_review_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    core_agencies = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="Agency ids; replaces the list."
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The meeting type's version; 409 if it is stale."
    )


class MeetingSerializer(serializers.ModelSerializer):
    meeting_type = serializers.UUIDField(source="meeting_type_id", read_only=True)
    meeting_type_name = serializers.CharField(source="meeting_type.name", read_only=True)
    series = serializers.UUIDField(source="series_id", read_only=True, allow_null=True)
    chair = serializers.UUIDField(source="chair_id", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "meeting_type",
            "meeting_type_name",
            "series",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "holiday",
            "chair",
            "papers_due_on",
            "minutes_due_on",
            "cancelled_reason",
            "version",
        ]
        read_only_fields = fields


class InvitationResultSerializer(serializers.Serializer):
    meetings = serializers.IntegerField(help_text="How many meetings the invitations were for")
    sent = serializers.IntegerField(help_text="How many people were sent an e-mail")
    sent_to = serializers.ListField(child=serializers.CharField())
    failed = serializers.ListField(
        child=serializers.CharField(), help_text="Whose e-mail could not be sent"
    )
    without_email = serializers.ListField(
        child=serializers.CharField(), help_text="Invited, with no e-mail address"
    )


class MeetingCreateSerializer(serializers.Serializer):
    meeting_type = serializers.UUIDField()
    starts_at = serializers.DateTimeField(help_text="The (first) meeting's date and time.")
    count = serializers.IntegerField(
        required=False,
        default=1,
        min_value=1,
        help_text=(
            f"1 for one meeting; more for a series from the recurrence (at most "
            f"{schedule.MAX_SERIES})."
        ),
    )
    rrule = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="An RRULE for the series; blank: the meeting type's recurrence.",
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    send_invitations = serializers.BooleanField(required=False, default=True)


class MeetingScheduledSerializer(serializers.Serializer):
    meetings = MeetingSerializer(many=True)
    invitations = InvitationResultSerializer(allow_null=True)


class MeetingMoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="The new date and time.")
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    send_invitations = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(
        min_value=1, help_text="The meeting's version; 409 if it is stale."
    )


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(
        min_value=1, help_text="The meeting's version; 409 if it is stale."
    )


class MeetingChangedSerializer(serializers.Serializer):
    meeting = MeetingSerializer()
    invitations = InvitationResultSerializer(allow_null=True)


def _result(result: schedule.InvitationResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "meetings": result.meetings,
        "sent": result.sent,
        "sent_to": result.sent_to,
        "failed": result.failed,
        "without_email": result.without_email,
    }


# ---------------------------------------------------------------------------------------------
# Meeting types
# ---------------------------------------------------------------------------------------------


def _meeting_type(user: Any, pk: Any) -> MeetingType:
    meeting_type = selectors.meeting_types_for_user(user).filter(pk=pk).first()
    if meeting_type is None:
        raise Http404("No such meeting type")
    return meeting_type


class MeetingTypeListView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        responses={200: MeetingTypeSerializer(many=True), **ERRORS},
        summary="The meeting types of your area",
    )
    def get(self, request: Request) -> Response:
        types = selectors.meeting_types_for_user(request.user).prefetch_related(
            "core_agencies", "members__user"
        )
        return Response(MeetingTypeSerializer(types, many=True).data)


class MeetingTypeDetailView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        responses={200: MeetingTypeSerializer, 404: ErrorSerializer, **ERRORS},
        summary="One meeting type",
    )
    def get(self, request: Request, pk: Any) -> Response:
        return Response(MeetingTypeSerializer(_meeting_type(request.user, pk)).data)

    @extend_schema(
        request=MeetingTypeUpdateSerializer,
        responses={
            200: MeetingTypeSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Change a meeting type's configuration (meeting administrators)",
    )
    def patch(self, request: Request, pk: Any) -> Response:
        meeting_type = _meeting_type(request.user, pk)
        data = _valid(MeetingTypeUpdateSerializer, request.data, partial=True)
        version = _version(data)
        agencies = None
        if "core_agencies" in data:
            ids = data.pop("core_agencies")
            agencies = list(Agency.objects.filter(pk__in=ids, area_id=meeting_type.area_id))
            if len(agencies) != len(set(ids)):
                raise FieldErrors({"core_agencies": "No such agency in your area"})
        setup.meeting_type_update(
            actor=self.actor,
            meeting_type=meeting_type,
            expected_version=version,
            core_agencies=agencies,
            **data,
        )
        return Response(MeetingTypeSerializer(_meeting_type(request.user, pk)).data)


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


class _ListFilterSerializer(serializers.Serializer):
    when = serializers.ChoiceField(choices=["upcoming", "past", "all"], required=False)
    meeting_type = serializers.UUIDField(required=False)


class MeetingListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_list_meetings"
    serializer_class = MeetingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("when", str, enum=["upcoming", "past", "all"]),
            OpenApiParameter("meeting_type", str, description="A meeting type id"),
        ],
        responses={200: MeetingSerializer(many=True), **ERRORS},
        summary="The meetings you take part in (every meeting, for meeting administrators)",
    )
    def get(self, request: Request) -> Response:
        data = _valid(_ListFilterSerializer, request.query_params.dict())
        when = data.get("when", "upcoming")
        qs = selectors.meeting_queryset_for_user(request.user)
        now = timezone.now()
        if when == "upcoming":
            qs = qs.filter(starts_at__gte=now).order_by("starts_at")
        elif when == "past":
            qs = qs.filter(starts_at__lt=now).order_by("-starts_at")
        else:
            qs = qs.order_by("starts_at")
        if data.get("meeting_type"):
            qs = qs.filter(meeting_type_id=data["meeting_type"])
        page = self.paginate_queryset(qs) or []
        audit_record(
            actor=self.actor,
            verb=Verb.MEETINGS_LISTED,
            changes={"when": when, "count": len(page)},
        )
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        request=MeetingCreateSerializer,
        responses={201: MeetingScheduledSerializer, **ERRORS},
        summary="Schedule one meeting, or a series from a recurrence (meeting administrators)",
    )
    def post(self, request: Request) -> Response:
        data = _valid(MeetingCreateSerializer, request.data)
        meeting_type = (
            selectors.meeting_types_for_user(request.user)
            .filter(pk=data["meeting_type"])
            .select_related("area")
            .first()
        )
        if meeting_type is None:
            raise FieldErrors({"meeting_type": "No such meeting type in your area"})
        if data["count"] == 1 and not data.get("rrule"):
            meeting, result = schedule.meeting_schedule_one(
                actor=self.actor,
                meeting_type=meeting_type,
                starts_at=data["starts_at"],
                title=data.get("title", ""),
                place=data.get("place", ""),
                send_invitations=data["send_invitations"],
            )
            meetings = [meeting]
        else:
            meetings, result = schedule.meeting_series_schedule(
                actor=self.actor,
                meeting_type=meeting_type,
                first_starts_at=data["starts_at"],
                count=data["count"],
                rrule=data.get("rrule", ""),
                place=data.get("place", ""),
                send_invitations=data["send_invitations"],
            )
        body = MeetingScheduledSerializer({"meetings": meetings, "invitations": _result(result)})
        return Response(body.data, status=status.HTTP_201_CREATED)


class MeetingDetailView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        responses={200: MeetingSerializer, 404: ErrorSerializer, **ERRORS},
        summary="One meeting",
    )
    def get(self, request: Request, pk: Any) -> Response:
        return Response(MeetingSerializer(selectors.meeting_get_for_user(request.user, pk)).data)

    @extend_schema(
        request=MeetingMoveSerializer,
        responses={
            200: MeetingChangedSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Move a meeting to another date, time or place (meeting administrators)",
        description="Those invited are sent an updated invitation (its SEQUENCE goes up).",
    )
    def patch(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        data = _valid(MeetingMoveSerializer, request.data)
        version = _version(data)
        meeting, result = schedule.meeting_move(
            actor=self.actor,
            meeting=meeting,
            expected_version=version,
            starts_at=data["starts_at"],
            place=data.get("place"),
            send_invitations=data["send_invitations"],
        )
        body = MeetingChangedSerializer({"meeting": meeting, "invitations": _result(result)})
        return Response(body.data)


class MeetingCancelView(PolicyAPIView):
    rule = "can_schedule_meetings"

    @extend_schema(
        request=MeetingCancelSerializer,
        responses={
            200: MeetingChangedSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Cancel a meeting not yet held, with a reason (meeting administrators)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        data = _valid(MeetingCancelSerializer, request.data)
        version = _version(data)
        meeting, result = schedule.meeting_cancel(
            actor=self.actor, meeting=meeting, expected_version=version, reason=data["reason"]
        )
        body = MeetingChangedSerializer({"meeting": meeting, "invitations": _result(result)})
        return Response(body.data)


class MeetingInvitationsView(PolicyAPIView):
    rule = "can_schedule_meetings"

    @extend_schema(
        request=None,
        responses={200: InvitationResultSerializer, 404: ErrorSerializer, **ERRORS},
        summary="Send (again) the invitations to a meeting not yet held",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        result = schedule.invitations_send(actor=self.actor, meetings=[meeting])
        return Response(InvitationResultSerializer(_result(result)).data)


urlpatterns = [
    path("meeting-types/", MeetingTypeListView.as_view(), name="meeting_type_list"),
    path("meeting-types/<uuid:pk>/", MeetingTypeDetailView.as_view(), name="meeting_type_detail"),
    path("meetings/", MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<uuid:pk>/", MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<uuid:pk>/cancel/", MeetingCancelView.as_view(), name="meeting_cancel"),
    path(
        "meetings/<uuid:pk>/invitations/",
        MeetingInvitationsView.as_view(),
        name="meeting_invitations",
    ),
]
