"""API v1 endpoints for the meeting itself: attendance, the confidentiality declaration,
minutes per agenda item (versioned: a stale save answers 409 with the other person's text),
decisions, and marking the meeting held, approving and circulating its minutes.

What a reader gets of the minutes and decisions is what ``sight.meeting_sight`` lets them see,
as on the meeting's page: an item they may not see answers 404, decisions of such items are
left out, and young people they may not open are not named.

``<pk>`` is the meeting's id."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.accounts.models import Agency, User
from riskpath.api.serializers import ErrorItemSerializer, ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors
from riskpath.meetings import conduct, selectors, sight
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson

COARSE = "can_list_meetings"
WITH_404 = {404: ErrorSerializer, **ERRORS}
WITH_409 = {404: ErrorSerializer, 409: ErrorSerializer, **ERRORS}

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    user = serializers.UUIDField(source="user_id", read_only=True, allow_null=True)
    agency = serializers.UUIDField(source="agency_id", read_only=True, allow_null=True)
    deputy_for = serializers.UUIDField(source="deputy_for_id", read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "name",
            "user",
            "agency",
            "is_family",
            "status",
            "deputy_for",
            "declaration_signed_at",
            "version",
        ]
        read_only_fields = fields

    def get_name(self, row: Attendance) -> str:
        return conduct.attendee_name(row)


class AttendanceUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s.value for s in conduct.RECORDABLE])
    deputy = serializers.UUIDField(
        required=False, allow_null=True, help_text="With status deputy: the user who came."
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The attendance row's version; 409 if it is stale."
    )


class AttendeeAddSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    is_family = serializers.BooleanField(required=False, default=False)
    agency = serializers.UUIDField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=[
            AttendanceStatus.PRESENT.value,
            AttendanceStatus.APOLOGIES.value,
            AttendanceStatus.ABSENT.value,
        ],
        required=False,
        default=AttendanceStatus.PRESENT.value,
    )


class DeclarationStatusSerializer(serializers.Serializer):
    requires_declaration = serializers.BooleanField()
    text = serializers.CharField()
    read_at = serializers.DateTimeField(allow_null=True)
    unsigned = serializers.ListField(child=serializers.CharField())
    minutes_blocked = serializers.CharField(help_text="Why minutes cannot be written, or ''.")


class PaperDeclarationSerializer(serializers.Serializer):
    attendance = serializers.UUIDField(help_text="The attendance row of who signed on paper.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The meeting's version; 409 if it is stale."
    )


class ItemMinutesSerializer(serializers.Serializer):
    item = serializers.UUIDField()
    discussion = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="0 while the item has no minutes.")
    minuted_by = serializers.CharField(allow_null=True)
    minuted_at = serializers.DateTimeField(allow_null=True)


class ItemMinutesWriteSerializer(serializers.Serializer):
    discussion = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=conduct.MAX_MINUTES_CHARS
    )
    version = serializers.IntegerField(
        min_value=0,
        help_text="The version of the minutes this text is based on (0: none yet); 409 if "
        "someone else has saved since.",
    )


MinutesConflictSerializer = inline_serializer(
    name="MinutesConflict",
    fields={
        "errors": ErrorItemSerializer(many=True),
        "current": ItemMinutesSerializer(help_text="What the other person saved."),
    },
)


class DecisionSerializer(serializers.ModelSerializer):
    item = serializers.UUIDField(source="item_id", read_only=True)
    kind = serializers.ChoiceField(choices=DecisionKind.choices, read_only=True)
    young_person = serializers.UUIDField(
        source="young_person_id",
        read_only=True,
        allow_null=True,
        help_text="null also when it is about a young person you are not involved with",
    )
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "item", "kind", "text", "young_person", "recorded_by", "recorded_at"]
        read_only_fields = fields


def _decisions_seen(seen: sight.MeetingSight) -> list[dict[str, Any]]:
    """The decisions of the items the reader may see, as they may see them."""
    out = []
    for item_seen in seen.shown_items():
        for decision in seen.decisions(item_seen):
            data = dict(DecisionSerializer(decision).data)
            data["text"] = seen.redact(decision.text)
            if not seen.young_person_visible(decision.young_person_id):
                data["young_person"] = None
            out.append(data)
    return out


class DecisionWriteSerializer(serializers.Serializer):
    item = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    text = serializers.CharField(max_length=4000)
    young_person = serializers.UUIDField(required=False, allow_null=True)


class MeetingMinutesStatusSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    approved_by = serializers.UUIDField(source="approved_by_id", read_only=True, allow_null=True)
    minutes_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "status",
            "held_at",
            "minutes_due_on",
            "minutes_overdue",
            "approved_at",
            "approved_by",
            "circulated_at",
            "declaration_read_at",
            "version",
        ]
        read_only_fields = fields

    def get_minutes_overdue(self, meeting: Meeting) -> bool:
        return conduct.minutes_overdue(meeting)


def _minutes_data(item: AgendaItem, current: ItemMinutes | None) -> dict[str, Any]:
    return ItemMinutesSerializer(
        {
            "item": item.pk,
            "discussion": current.discussion if current else "",
            "version": current.version if current else 0,
            "minuted_by": (
                (current.minuted_by.full_name or current.minuted_by.email)
                if current and current.minuted_by
                else None
            ),
            "minuted_at": current.minuted_at if current else None,
        }
    ).data


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


def _meeting(user: Any, pk: Any, rule: str = "can_minute_meeting") -> Meeting:
    return selectors.access_meeting(user, pk, rule=rule)


class AttendanceListView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        responses={200: AttendanceSerializer(many=True), **WITH_404},
        summary="Who was invited to the meeting and who came",
    )
    def get(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk, "can_view_meeting")
        selectors.record_meeting_read(request.user, meeting, "attendance")
        rows = conduct.attendance_rows(meeting)
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(
        request=AttendeeAddSerializer,
        responses={201: AttendanceSerializer, **WITH_404},
        summary="Add a guest, or a family member where the meeting type allows, by name",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk)
        data = _valid(AttendeeAddSerializer, request.data)
        agency_pk = data.pop("agency", None)
        agency = None
        if agency_pk is not None:
            agency = Agency.objects.filter(pk=agency_pk, area_id=meeting.area_id).first()
            if agency is None:
                raise FieldErrors({"agency": "No such agency in this area"})
        row = conduct.attendance_add(actor=self.actor, meeting=meeting, agency=agency, **data)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class AttendanceDetailView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        request=AttendanceUpdateSerializer,
        responses={200: AttendanceSerializer, **WITH_409},
        summary="Record present, present as deputy (naming the deputy), apologies or absent",
    )
    def patch(self, request: Request, pk: Any, attendance_pk: Any) -> Response:
        meeting = _meeting(request.user, pk)
        row = (
            Attendance.objects.select_related("user", "meeting__meeting_type")
            .filter(meeting=meeting, pk=attendance_pk)
            .first()
        )
        if row is None:
            raise Http404("No such attendee")
        data = _valid(AttendanceUpdateSerializer, request.data)
        version = _version(data)
        deputy = None
        if data.get("deputy"):
            deputy = User.objects.filter(
                pk=data["deputy"], agency__area_id=meeting.area_id, is_active=True
            ).first()
            if deputy is None:
                raise FieldErrors({"deputy": "No such user in this area"})
        conduct.attendance_record(
            actor=self.actor,
            attendance=row,
            expected_version=version,
            status=data["status"],
            deputy=deputy,
        )
        row.refresh_from_db()
        return Response(AttendanceSerializer(row).data)


def _declaration_data(meeting: Meeting) -> dict[str, Any]:
    return DeclarationStatusSerializer(
        {
            "requires_declaration": meeting.meeting_type.requires_declaration,
            "text": meeting.meeting_type.declaration_text,
            "read_at": meeting.declaration_read_at,
            "unsigned": conduct.declaration_unsigned(meeting),
            "minutes_blocked": conduct.minutes_blocker(meeting),
        }
    ).data


class DeclarationView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        responses={200: DeclarationStatusSerializer, **WITH_404},
        summary="The confidentiality declaration and who present has not signed it",
    )
    def get(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk, "can_view_meeting")
        selectors.record_meeting_read(request.user, meeting, "declaration")
        return Response(_declaration_data(meeting))

    @extend_schema(
        request=None,
        responses={200: DeclarationStatusSerializer, **WITH_404},
        summary="Sign the declaration yourself (you must be recorded as present)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk, "can_view_meeting")
        conduct.declaration_sign(actor=self.actor, meeting=meeting)
        return Response(_declaration_data(meeting))


class DeclarationPaperView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        request=PaperDeclarationSerializer,
        responses={200: DeclarationStatusSerializer, **WITH_404},
        summary="Record that a named participant signed the declaration on paper",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk)
        data = _valid(PaperDeclarationSerializer, request.data)
        row = (
            Attendance.objects.select_related("user", "meeting__meeting_type")
            .filter(meeting=meeting, pk=data["attendance"])
            .first()
        )
        if row is None:
            raise FieldErrors({"attendance": "No such attendee at this meeting"})
        conduct.declaration_record_paper(actor=self.actor, attendance=row)
        return Response(_declaration_data(meeting))


class DeclarationReadView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        request=VersionSerializer,
        responses={200: DeclarationStatusSerializer, **WITH_409},
        summary="Record that the declaration was read out at the start (the chair)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk, "can_approve_minutes")
        data = _valid(VersionSerializer, request.data)
        conduct.declaration_read(actor=self.actor, meeting=meeting, expected_version=_version(data))
        return Response(_declaration_data(meeting))


class ItemMinutesView(PolicyAPIView):
    rule = COARSE

    def _item(self, meeting: Meeting, item_pk: Any) -> AgendaItem:
        item = conduct.items_for_minutes(meeting).filter(pk=item_pk).first()
        if item is None:
            raise Http404("No such agenda item")
        return item

    @extend_schema(
        responses={200: ItemMinutesSerializer, **WITH_404},
        summary="The minutes of one agenda item, with their version (404 for an item you may "
        "not see)",
    )
    def get(self, request: Request, pk: Any, item_pk: Any) -> Response:
        meeting = _meeting(request.user, pk, "can_view_meeting")
        seen = sight.meeting_sight(request.user, meeting)
        item_seen = seen.item(item_pk)
        if item_seen is None or not item_seen.shown or item_seen.item.is_removed:
            raise Http404("No such agenda item")
        item = item_seen.item
        audit_record(
            actor=self.actor,
            verb=Verb.MEETING_VIEWED,
            target=meeting,
            subject=item.young_person or meeting.young_person,
            basis="meeting participant",
            changes={"read": "item minutes", "item": str(item.pk)},
        )
        data = dict(_minutes_data(item, conduct.minutes_of(item)))
        data["discussion"] = seen.discussion(item_seen)
        return Response(data)

    @extend_schema(
        request=ItemMinutesWriteSerializer,
        responses={
            200: ItemMinutesSerializer,
            409: MinutesConflictSerializer,
            404: ErrorSerializer,
            **ERRORS,
        },
        summary="Save the minutes of one agenda item",
        description="Send the version the text is based on. If someone else saved the item "
        "since, nothing is saved and 409 returns their minutes in `current`. Refused (400) "
        "while the meeting's confidentiality declaration is outstanding.",
    )
    def put(self, request: Request, pk: Any, item_pk: Any) -> Response:
        meeting = _meeting(request.user, pk)
        item = self._item(meeting, item_pk)
        data = _valid(ItemMinutesWriteSerializer, request.data)
        edit = conduct.MinutesEdit(
            item=item, discussion=data["discussion"], expected_version=data["version"]
        )
        try:
            conduct.minutes_save(actor=self.actor, meeting=meeting, edits=[edit])
        except conduct.MinutesConflict as exc:
            return Response(
                {
                    "errors": [{"field": "version", "message": exc.message}],
                    "current": _minutes_data(item, exc.current.get(item.pk)),
                },
                status=status.HTTP_409_CONFLICT,
            )
        current = ItemMinutes.objects.select_related("minuted_by").filter(item=item).first()
        return Response(_minutes_data(item, current))


class DecisionListView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        responses={200: DecisionSerializer(many=True), **WITH_404},
        summary="The meeting's decisions, item by item",
    )
    def get(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk, "can_view_meeting")
        selectors.record_meeting_read(request.user, meeting, "decisions")
        return Response(_decisions_seen(sight.meeting_sight(request.user, meeting)))

    @extend_schema(
        request=DecisionWriteSerializer,
        responses={201: DecisionSerializer, **WITH_404},
        summary="Record a decision on an agenda item (it does not change the cohort)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk)
        data = _valid(DecisionWriteSerializer, request.data)
        item = conduct.items_for_minutes(meeting).filter(pk=data["item"]).first()
        if item is None:
            raise FieldErrors({"item": "No such item on this meeting's agenda"})
        person = None
        if data.get("young_person"):
            person = YoungPerson.objects.filter(
                pk=data["young_person"], area_id=meeting.area_id
            ).first()
            if person is None:
                raise FieldErrors({"young_person": "No such young person in this area"})
        decision = conduct.decision_record(
            actor=self.actor, item=item, kind=data["kind"], text=data["text"], young_person=person
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class _MeetingActionView(PolicyAPIView):
    rule = COARSE
    meeting_rule = "can_minute_meeting"

    def act(self, request: Request, meeting: Meeting, version: int) -> Any:
        raise NotImplementedError

    def post(self, request: Request, pk: Any) -> Response:
        meeting = _meeting(request.user, pk, self.meeting_rule)
        data = _valid(VersionSerializer, request.data)
        self.act(request, meeting, _version(data))
        return Response(MeetingMinutesStatusSerializer(meeting).data)


class MeetingHeldView(_MeetingActionView):
    @extend_schema(
        request=VersionSerializer,
        responses={200: MeetingMinutesStatusSerializer, **WITH_409},
        summary="Mark the meeting held: its minutes fall due by the type's timescale",
    )
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, meeting: Meeting, version: int) -> Any:
        return conduct.meeting_mark_held(
            actor=self.actor, meeting=meeting, expected_version=version
        )


class MinutesApproveView(_MeetingActionView):
    meeting_rule = "can_approve_minutes"

    @extend_schema(
        request=VersionSerializer,
        responses={200: MeetingMinutesStatusSerializer, **WITH_409},
        summary="Approve the minutes (the chair)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, meeting: Meeting, version: int) -> Any:
        return conduct.minutes_approve(actor=self.actor, meeting=meeting, expected_version=version)


class MinutesCirculateView(_MeetingActionView):
    @extend_schema(
        request=VersionSerializer,
        responses={200: MeetingMinutesStatusSerializer, **WITH_409},
        summary="E-mail those present a link to the approved minutes",
    )
    def post(self, request: Request, pk: Any) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, meeting: Meeting, version: int) -> Any:
        return conduct.minutes_circulate(
            actor=self.actor, meeting=meeting, expected_version=version
        )


urlpatterns = [
    path(
        "meetings/<uuid:pk>/attendance/",
        AttendanceListView.as_view(),
        name="conduct_attendance_list",
    ),
    path(
        "meetings/<uuid:pk>/attendance/<uuid:attendance_pk>/",
        AttendanceDetailView.as_view(),
        name="conduct_attendance_detail",
    ),
    path("meetings/<uuid:pk>/declaration/", DeclarationView.as_view(), name="conduct_declaration"),
    path(
        "meetings/<uuid:pk>/declaration/paper/",
        DeclarationPaperView.as_view(),
        name="conduct_declaration_paper",
    ),
    path(
        "meetings/<uuid:pk>/declaration/read/",
        DeclarationReadView.as_view(),
        name="conduct_declaration_read",
    ),
    path(
        "meetings/<uuid:pk>/minutes/<uuid:item_pk>/",
        ItemMinutesView.as_view(),
        name="conduct_item_minutes",
    ),
    path("meetings/<uuid:pk>/decisions/", DecisionListView.as_view(), name="conduct_decisions"),
    path("meetings/<uuid:pk>/held/", MeetingHeldView.as_view(), name="conduct_held"),
    path("meetings/<uuid:pk>/approve/", MinutesApproveView.as_view(), name="conduct_approve"),
    path("meetings/<uuid:pk>/circulate/", MinutesCirculateView.as_view(), name="conduct_circulate"),
]
