"""API v1 endpoints for a meeting's documents: the minutes as DOCX or PDF (in full, or the
version for one young person and their family, chosen with ``?young_person=<id>``), the
caller's own papers pack, and publishing the papers. The same checks and audit events as the
pages (see ``riskpath.meetings.documents``).

``<uuid>`` in these routes is the meeting's id."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.meetings import documents, selectors
from riskpath.meetings.models import Meeting


class _IgnoreAccept(BaseContentNegotiation):
    """Files are answered whatever the client accepts (``Accept: application/pdf`` must not
    be refused); errors are JSON."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0]

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return (renderers[0], renderers[0].media_type)


def _file(result: documents.Download) -> HttpResponse:
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = result.content_disposition()
    response["Cache-Control"] = "no-store"
    return response


class PapersStatusSerializer(serializers.Serializer):
    meeting = serializers.UUIDField(source="pk")
    papers_due_on = serializers.DateField(allow_null=True)
    papers_published_at = serializers.DateTimeField(allow_null=True)
    late = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_late(self, meeting: Meeting) -> bool:
        return documents.papers_late(meeting)


class PapersPublishSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The meeting's version; 409 if it is stale."
    )


FILE_ERRORS = {404: ErrorSerializer, **ERRORS}


class MinutesDocumentView(PolicyAPIView):
    rule = "can_list_meetings"
    content_negotiation_class = _IgnoreAccept

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version",
                str,
                OpenApiParameter.PATH,
                enum=list(documents.VERSIONS),
                description="full: for participants; family: the version for one young person "
                "and their family (without other young people, confidential slots, persons of "
                "interest and handling-code-C intelligence), produced by business support or "
                "the chair",
            ),
            OpenApiParameter("file_type", str, OpenApiParameter.PATH, enum=list(documents.FORMATS)),
            OpenApiParameter(
                "young_person",
                OpenApiTypes.UUID,
                OpenApiParameter.QUERY,
                required=False,
                description="The family version only: the young person it is for. Defaults to "
                "the young person a meeting about one young person is about (nobody else may "
                "be chosen); otherwise required, and one of those the agenda's items are about. "
                "400 naming young_person if missing or not one of them.",
            ),
        ],
        responses={
            (200, documents.CONTENT_TYPES["pdf"]): OpenApiTypes.BINARY,
            (200, documents.CONTENT_TYPES["docx"]): OpenApiTypes.BINARY,
            **FILE_ERRORS,
        },
        summary="Download a meeting's minutes as DOCX or PDF",
    )
    def get(self, request: Request, pk: Any, version: str, file_type: str) -> HttpResponse:
        if version not in documents.VERSIONS or file_type not in documents.FORMATS:
            raise Http404("No such document")
        meeting = selectors.access_meeting(request.user, pk)
        return _file(
            documents.minutes_export(
                actor=self.actor,
                meeting=meeting,
                version=version,
                fmt=file_type,
                young_person=request.query_params.get("young_person") or None,
            )
        )


class PapersPackView(PolicyAPIView):
    rule = "can_list_meetings"
    content_negotiation_class = _IgnoreAccept

    @extend_schema(
        responses={(200, documents.CONTENT_TYPES["pdf"]): OpenApiTypes.BINARY, **FILE_ERRORS},
        summary="Download your own papers pack for a meeting (PDF), once published",
    )
    def get(self, request: Request, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(request.user, pk)
        return _file(documents.papers_open(actor=self.actor, meeting=meeting))


class PapersPublishView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=PapersPublishSerializer,
        responses={200: PapersStatusSerializer, 409: ErrorSerializer, **FILE_ERRORS},
        summary="Publish a meeting's papers to its members (business support or the chair)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        data = _valid(PapersPublishSerializer, request.data)
        meeting = documents.papers_publish(
            actor=self.actor, meeting=meeting, expected_version=_version(data)
        )
        return Response(PapersStatusSerializer(meeting).data)


urlpatterns = [
    path(
        "meetings/<uuid:pk>/documents/minutes/<str:version>/<str:file_type>/",
        MinutesDocumentView.as_view(),
        name="meeting_documents_minutes",
    ),
    path(
        "meetings/<uuid:pk>/documents/papers/",
        PapersPackView.as_view(),
        name="meeting_documents_papers",
    ),
    path(
        "meetings/<uuid:pk>/documents/papers/publish/",
        PapersPublishView.as_view(),
        name="meeting_documents_papers_publish",
    ),
]
