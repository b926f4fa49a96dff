"""API v1 endpoints for the area's duplicate report, the "not the same person" decision, and
merging two records of one young person or of one person of interest (and undoing it): thin
views over the people app's duplicate check, services and merge, with the same rules, scoping
and audit events as the pages."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api import serializers as s
from riskpath.api.views import ERRORS, PolicyAPIView, _valid
from riskpath.core.errors import FieldErrors, NotFound
from riskpath.people import selectors, services
from riskpath.people.duplicate_check import (
    ReportPair,
    Side,
    duplicate_report,
    explanation,
    merge_get_for_user,
    poi_for_merge,
    poi_merge_get_for_user,
)
from riskpath.people.merge import (
    person_of_interest_merge,
    person_of_interest_merge_undo,
    young_person_merge,
    young_person_merge_undo,
)
from riskpath.people.models import DuplicateKind, PersonOfInterestMerge

KINDS = DuplicateKind.choices


class DuplicateQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=KINDS, required=False, default=DuplicateKind.YOUNG_PERSON.value
    )
    page = serializers.IntegerField(required=False, min_value=1, default=1)


class ContributionSerializer(serializers.Serializer):
    field = serializers.CharField()
    level = serializers.CharField()
    text = serializers.CharField()
    weight = serializers.FloatField()


class SideSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    shown_as = serializers.CharField(
        help_text="The name in full if openable, else name, year of birth and locality"
    )
    openable = serializers.BooleanField()


class PairSerializer(serializers.Serializer):
    first = SideSerializer()
    second = SideSerializer()
    weight = serializers.FloatField(help_text="The match weight (bits)")
    explanation = ContributionSerializer(
        many=True, help_text="In full when both records are openable, else the names only"
    )
    may_merge = serializers.BooleanField()


class DuplicateReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    count = serializers.IntegerField(help_text="Likely pairs in the area, less those decided")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    counts_only = serializers.BooleanField(help_text="The user may open no record of this kind")
    results = PairSerializer(many=True)


class NotSamePersonSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    first = serializers.UUIDField()
    second = serializers.UUIDField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class NotSamePersonResultSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    first = serializers.UUIDField()
    second = serializers.UUIDField()


def _side(side: Side, pair: ReportPair) -> dict[str, Any]:
    label = side.label
    if side.openable and pair.kind == DuplicateKind.YOUNG_PERSON:
        label = str(side.record)
    return {"id": side.pk, "shown_as": label, "openable": side.openable}


def _pair(pair: ReportPair) -> dict[str, Any]:
    names = {"given_name", "family_name"}
    return {
        "first": _side(pair.first, pair),
        "second": _side(pair.second, pair),
        "weight": pair.match.score,
        "explanation": [
            e for e in explanation(pair.match) if pair.both_open or e["field"] in names
        ],
        "may_merge": pair.may_merge,
    }


class DuplicateReportView(PolicyAPIView):
    rule = "can_review_duplicates"

    @extend_schema(
        parameters=[DuplicateQuerySerializer],
        responses={200: DuplicateReportSerializer, **ERRORS},
        summary="The area's likely duplicate records of one kind, 25 pairs a page",
    )
    def get(self, request: Request) -> Response:
        data = _valid(DuplicateQuerySerializer, request.query_params)
        report = duplicate_report(request.user, data["kind"], data["page"])
        return Response(
            {
                "kind": report.kind,
                "count": report.total,
                "page": report.page.number,
                "pages": report.page.paginator.num_pages,
                "counts_only": report.counts_only,
                "results": [_pair(p) for p in report.page.object_list],
            }
        )


class NotSamePersonView(PolicyAPIView):
    rule = "can_review_duplicates"

    @extend_schema(
        request=NotSamePersonSerializer,
        responses={201: NotSamePersonResultSerializer, 404: s.ErrorSerializer, **ERRORS},
        summary="Record that a pair of the report is two different people",
    )
    def post(self, request: Request) -> Response:
        data = _valid(NotSamePersonSerializer, request.data)
        decision = services.not_same_person_record(
            actor=self.actor,
            kind=data["kind"],
            first=data["first"],
            second=data["second"],
            reason=data.get("reason", ""),
        )
        return Response(
            {
                "id": decision.pk,
                "kind": decision.kind,
                "first": decision.first_id,
                "second": decision.second_id,
            },
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("duplicates/", DuplicateReportView.as_view(), name="duplicate_report"),
    path("duplicates/not-the-same/", NotSamePersonView.as_view(), name="not_same_person"),
]


# ---------------------------------------------------------------------------------------------
# Merging two records of one young person, and undoing it
# ---------------------------------------------------------------------------------------------


class MergeWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=DuplicateKind.choices,
        default=DuplicateKind.YOUNG_PERSON,
        help_text="Which kind of record the two are: young people or persons of interest",
    )
    keep = serializers.UUIDField(help_text="The record kept")
    merge_away = serializers.UUIDField(help_text="The record merged into it and deleted")
    reason = serializers.CharField(max_length=2000, help_text="Why they are one person")


class MergeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.SerializerMethodField()
    keep = serializers.UUIDField(source="keep_id")
    merge_away = serializers.UUIDField(source="merge_away_id")
    reason = serializers.CharField()
    moved = serializers.DictField(help_text="What moved, by kind of record (ids)")
    created_at = serializers.DateTimeField()
    undone_at = serializers.DateTimeField(allow_null=True)

    def get_kind(self, merge: Any) -> str:
        if isinstance(merge, PersonOfInterestMerge):
            return str(DuplicateKind.PERSON_OF_INTEREST)
        return str(DuplicateKind.YOUNG_PERSON)


def _for_merge(user: Any, pk: Any) -> Any:
    """The young person ``pk`` if the user may merge it: 404 otherwise (emergency access is no
    reason to merge)."""
    try:
        return selectors.access_young_person(user, pk, rule="can_merge_records").person
    except selectors.EmergencyAccessRequired as exc:
        raise NotFound("No such young person") from exc


class MergeCreateView(PolicyAPIView):
    rule = "can_merge_records"

    @extend_schema(
        request=MergeWriteSerializer,
        responses={201: MergeSerializer, 404: s.ErrorSerializer, **ERRORS},
        summary="Merge two records of one young person, or of one person of interest",
    )
    def post(self, request: Request) -> Response:
        data = _valid(MergeWriteSerializer, request.data)
        if data["keep"] == data["merge_away"]:
            raise FieldErrors({"merge_away": "Choose a different record to merge with"})
        merge: Any
        if data["kind"] == DuplicateKind.PERSON_OF_INTEREST:
            keep = poi_for_merge(request.user, data["keep"])
            away = poi_for_merge(request.user, data["merge_away"])
            merge = person_of_interest_merge(
                actor=self.actor, keep=keep, merge_away=away, reason=data["reason"]
            )
        else:
            keep = _for_merge(request.user, data["keep"])
            away = _for_merge(request.user, data["merge_away"])
            merge = young_person_merge(
                actor=self.actor, keep=keep, merge_away=away, reason=data["reason"]
            )
        return Response(MergeSerializer(merge).data, status=status.HTTP_201_CREATED)


class MergeUndoView(PolicyAPIView):
    rule = "can_merge_records"

    @extend_schema(
        request=None,
        responses={200: MergeSerializer, 404: s.ErrorSerializer, **ERRORS},
        summary="Undo a merge: everything that moved goes back",
    )
    def post(self, request: Request, pk: Any) -> Response:
        merge: Any
        if PersonOfInterestMerge.objects.filter(pk=pk).exists():
            merge = poi_merge_get_for_user(request.user, pk)
            merge = person_of_interest_merge_undo(actor=self.actor, merge=merge)
        else:
            merge = merge_get_for_user(request.user, pk)
            merge = young_person_merge_undo(actor=self.actor, merge=merge)
        return Response(MergeSerializer(merge).data)


urlpatterns += [
    path("merges/", MergeCreateView.as_view(), name="merge_create"),
    path("merges/<uuid:pk>/undo/", MergeUndoView.as_view(), name="merge_undo"),
]
