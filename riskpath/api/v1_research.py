"""API v1 endpoints for research before a meeting (``riskpath.meetings.research``): the names
on a published agenda as identity only, a page at a time, for the meeting's participants while
the names are circulated, with their agency's name checks (and every agency's for those who
run the meeting); and answering a name check for one's agency. Each identity returned is
recorded in the audit log, as on the page.

``<pk>`` is the meeting's id."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid
from riskpath.meetings import research, selectors
from riskpath.meetings.models import NameCheck

COARSE = "can_list_meetings"


class NameCheckSerializer(serializers.ModelSerializer):
    agency = serializers.UUIDField(source="agency_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = NameCheck
        fields = [
            "id",
            "subject",
            "agency",
            "agency_name",
            "known",
            "note",
            "recorded_by",
            "recorded_at",
            "version",
        ]
        read_only_fields = fields


class SubjectSerializer(serializers.Serializer):
    subject = serializers.CharField(source="key", help_text="young_person:<id>, …")
    kind = serializers.ChoiceField(choices=list(research.KINDS))
    id = serializers.UUIDField(source="obj.pk")
    name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    date_of_birth = serializers.DateField(allow_null=True)
    address = serializers.CharField()
    school = serializers.CharField()
    sections = serializers.ListField(child=serializers.CharField())
    mine = NameCheckSerializer(allow_null=True, help_text="Your agency's answer, if any")
    replies = NameCheckSerializer(
        many=True, help_text="Every agency's answer: for those who run the meeting only"
    )


class ResearchSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Subjects on the agenda")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    until = serializers.DateTimeField(allow_null=True)
    results = SubjectSerializer(many=True)


class NameCheckInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=60)
    known = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=research.MAX_NOTE)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The version of your agency's answer you change; leave out for a first answer",
    )


class ResearchView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="Page number (25 a page)")],
        responses={200: ResearchSerializer, 404: ErrorSerializer, **ERRORS},
        summary="The names on the published agenda, as identity only, for research",
    )
    def get(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        shown = research.research_for_user(request.user, meeting, request.GET.get("page", 1))
        return Response(
            ResearchSerializer(
                {
                    "count": shown.total,
                    "page": shown.page.number,
                    "pages": shown.page.paginator.num_pages,
                    "until": shown.until,
                    "results": shown.page.object_list,
                }
            ).data
        )


class NameCheckView(PolicyAPIView):
    rule = COARSE

    @extend_schema(
        request=NameCheckInputSerializer,
        responses={
            200: NameCheckSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Answer (or change) your agency's name check for one subject of the agenda",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        data = _valid(NameCheckInputSerializer, request.data)
        check = research.name_check_record(
            actor=self.actor,
            meeting=meeting,
            subject=data["subject"],
            known=data["known"],
            note=data.get("note", ""),
            expected_version=data.get("version"),
        )
        check = NameCheck.objects.select_related("agency", "recorded_by").get(pk=check.pk)
        return Response(NameCheckSerializer(check).data, status=status.HTTP_200_OK)


urlpatterns = [
    path("meetings/<uuid:pk>/research/", ResearchView.as_view(), name="meeting_research"),
    path("meetings/<uuid:pk>/name-checks/", NameCheckView.as_view(), name="meeting_name_checks"),
]
