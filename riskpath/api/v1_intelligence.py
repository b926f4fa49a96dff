"""API v1 endpoints for intelligence: list and submit, read (in full or as a restricted
summary, as the handling code allows), change with optimistic concurrency, and disclosure
requests for C-coded items. The same selectors and services, so the same audit events."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.accounts.enums import Role
from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.core.errors import NotPermitted
from riskpath.intelligence import selectors, services
from riskpath.intelligence.enums import (
    Assessment,
    HandlingCode,
    HarmType,
    Provenance,
    SourceEvaluation,
)
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------

SUMMARY_FIELDS = [
    "id",
    "access",
    "reported_on",
    "source_agency",
    "source_agency_id",
    "grading",
    "source_evaluation",
    "assessment",
    "handling_code",
    "harm_types",
    "immediate_risk",
]


class IntelligenceSummarySerializer(serializers.ModelSerializer):
    """What anyone who may know of an item sees: never its text or persons of interest."""

    access = serializers.SerializerMethodField(help_text='"full" or "restricted"')
    source_agency = serializers.CharField(source="source_agency.name", read_only=True)
    source_agency_id = serializers.UUIDField(read_only=True)
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = IntelligenceItem
        fields = SUMMARY_FIELDS
        read_only_fields = fields

    def get_access(self, obj: IntelligenceItem) -> str:
        return "restricted"


class IntelligenceSerializer(IntelligenceSummarySerializer):
    """The whole item, for a user its handling code lets read it in full."""

    submitted_by = serializers.UUIDField(source="submitted_by_id", read_only=True)
    young_people: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    persons_of_interest: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    locations: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    groups: Any = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = IntelligenceItem
        fields = [
            *SUMMARY_FIELDS,
            "period_start",
            "period_end",
            "submitted_by",
            "text",
            "sanitised_text",
            "handling_conditions",
            "handling_roles",
            "provenance",
            "young_people",
            "persons_of_interest",
            "locations",
            "groups",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_access(self, obj: IntelligenceItem) -> str:
        return "full"


def _item_schema(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="IntelligenceItemOrSummary",
        serializers={"full": IntelligenceSerializer, "restricted": IntelligenceSummarySerializer},
        resource_type_field_name="access",
        many=many,
    )


def represent(item: IntelligenceItem, full: bool) -> dict[str, Any]:
    return dict((IntelligenceSerializer if full else IntelligenceSummarySerializer)(item).data)


class IntelligenceWriteSerializer(serializers.Serializer):
    reported_on = serializers.DateField()
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    text = serializers.CharField(max_length=20000)
    sanitised_text = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    harm_types = serializers.ListField(child=serializers.ChoiceField(choices=HarmType.choices))
    immediate_risk = serializers.BooleanField(required=False)
    source_evaluation = serializers.ChoiceField(choices=SourceEvaluation.choices)
    assessment = serializers.ChoiceField(choices=Assessment.choices)
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices)
    handling_conditions = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, help_text="Required when code C."
    )
    handling_roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), required=False
    )
    provenance = serializers.ChoiceField(choices=Provenance.choices)
    young_people = serializers.ListField(child=serializers.UUIDField(), required=False)
    persons_of_interest = serializers.ListField(child=serializers.UUIDField(), required=False)
    locations = serializers.ListField(child=serializers.UUIDField(), required=False)
    groups = serializers.ListField(child=serializers.UUIDField(), required=False)


class IntelligenceUpdateSerializer(IntelligenceWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class DisclosureRequestWriteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DisclosureDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("grant", "Grant"), ("refuse", "Refuse")])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class DisclosureRequestSerializer(serializers.ModelSerializer):
    item = serializers.UUIDField(source="item_id", read_only=True)
    requested_by = serializers.UUIDField(source="requested_by_id", read_only=True)
    decided_by = serializers.UUIDField(source="decided_by_id", read_only=True, allow_null=True)
    # Plain text rather than an enum: "status" names other choice sets elsewhere in the API.
    status = serializers.CharField(read_only=True, help_text="requested, granted or refused")

    class Meta:
        model = DisclosureRequest
        fields = [
            "id",
            "item",
            "requested_by",
            "reason",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------

NOT_FOUND = {404: ErrorSerializer}


class IntelligenceListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_intelligence"
    serializer_class = IntelligenceSummarySerializer

    @extend_schema(
        summary="Intelligence the user may know of, newest first",
        description='Items the user may read in full have access "full"; the rest are '
        "restricted summaries (date, source agency, grading, harm types).",
        parameters=[
            OpenApiParameter("harm_type", str, enum=HarmType.values),
            OpenApiParameter("source_evaluation", str, enum=SourceEvaluation.values),
            OpenApiParameter("assessment", str, enum=Assessment.values),
            OpenApiParameter("handling_code", str, enum=HandlingCode.values),
            OpenApiParameter("agency", str, description="Source agency id"),
            OpenApiParameter("reported_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("reported_to", str, description="YYYY-MM-DD"),
            OpenApiParameter("young_person", str, description="Young person id"),
        ],
        responses={200: _item_schema(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        criteria = _criteria(request.query_params)
        # Prefetched: a full item names the records it is about (no query per item).
        qs = selectors.intelligence_search_for_user(request.user, criteria).prefetch_related(
            "persons_of_interest", "locations", "groups"
        )
        page = self.paginate_queryset(qs) or []
        listed = selectors.with_access(request.user, page)
        selectors.record_intelligence_listing(
            request.user,
            count=len(listed),
            filters={k: v for k, v in request.query_params.items() if v},
        )
        return self.get_paginated_response([represent(e.item, e.full) for e in listed])

    @extend_schema(
        summary="Submit intelligence, as from the caller's agency",
        request=IntelligenceWriteSerializer,
        responses={201: IntelligenceSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        from riskpath.access import policy

        if not policy.check("can_submit_intelligence", request.user):
            raise NotPermitted()
        data = _valid(IntelligenceWriteSerializer, request.data)
        item = services.intelligence_item_submit(actor=self.actor, **data)
        return Response(represent(item, True), status=status.HTTP_201_CREATED)


class IntelligenceDetailView(PolicyAPIView):
    rule = "can_view_intelligence"

    @extend_schema(
        summary="One item: in full, or a restricted summary as its handling code allows",
        responses={200: _item_schema(), **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, pk: Any) -> Response:
        seen = selectors.intelligence_get_for_user(request.user, pk)
        return Response(represent(seen.item, seen.full))

    @extend_schema(
        summary="Change an item (the submitting agency only)",
        request=IntelligenceUpdateSerializer,
        responses={200: IntelligenceSerializer, 409: ErrorSerializer, **NOT_FOUND, **ERRORS},
    )
    def patch(self, request: Request, pk: Any) -> Response:
        seen = selectors.access_intelligence(request.user, pk, rule="can_edit_intelligence")
        data = _valid(IntelligenceUpdateSerializer, request.data, partial=True)
        version = _version(data)
        item = services.intelligence_item_update(
            actor=self.actor, item=seen.item, expected_version=version, **data
        )
        return Response(represent(item, True))


class DisclosureRequestCreateView(PolicyAPIView):
    rule = "can_request_disclosure"

    @extend_schema(
        summary="Ask the submitting agency to see a restricted item in full",
        request=DisclosureRequestWriteSerializer,
        responses={201: DisclosureRequestSerializer, **NOT_FOUND, **ERRORS},
    )
    def post(self, request: Request, pk: Any) -> Response:
        seen = selectors.access_intelligence(request.user, pk, rule=self.rule)
        data = _valid(DisclosureRequestWriteSerializer, request.data)
        created = services.disclosure_request_create(
            actor=self.actor, item=seen.item, reason=data["reason"]
        )
        return Response(DisclosureRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class DisclosureRequestPendingView(PolicyAPIView):
    rule = "can_decide_disclosure"

    @extend_schema(
        summary="Requests awaiting a decision on items the caller's agency submitted",
        responses={200: DisclosureRequestSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        pending = selectors.pending_disclosures_for_user(request.user)
        return Response(DisclosureRequestSerializer(pending, many=True).data)


class DisclosureRequestDecideView(PolicyAPIView):
    rule = "can_decide_disclosure"

    @extend_schema(
        summary="Grant or refuse a request (a refusal needs a note)",
        request=DisclosureDecisionSerializer,
        responses={200: DisclosureRequestSerializer, **NOT_FOUND, **ERRORS},
    )
    def post(self, request: Request, pk: Any) -> Response:
        disclosure = selectors.access_disclosure_request(request.user, pk)
        data = _valid(DisclosureDecisionSerializer, request.data)
        decided = services.disclosure_request_decide(
            actor=self.actor,
            request=disclosure,
            grant=data["decision"] == "grant",
            note=data.get("note", ""),
        )
        return Response(DisclosureRequestSerializer(decided).data)


def _criteria(params: Any) -> selectors.IntelligenceFilter:
    import datetime as dt
    import uuid

    from riskpath.core.errors import FieldErrors

    errors: dict[str, str] = {}
    choices = {
        "harm_type": HarmType.values,
        "source_evaluation": SourceEvaluation.values,
        "assessment": Assessment.values,
        "handling_code": HandlingCode.values,
    }
    values: dict[str, Any] = {}
    for name, allowed in choices.items():
        value = params.get(name, "")
        if value and value not in allowed:
            errors[name] = f"Choose one of {', '.join(allowed)}"
        values[name] = value
    for name in ("agency", "young_person"):
        value = params.get(name, "")
        if value:
            try:
                values[name] = uuid.UUID(value)
            except ValueError:
                errors[name] = "Give an id (a UUID)"
    for name in ("reported_from", "reported_to"):
        value = params.get(name, "")
        if value:
            try:
                values[name] = dt.date.fromisoformat(value)
            except ValueError:
                errors[name] = "Give a date as YYYY-MM-DD"
    if errors:
        raise FieldErrors(errors)
    return selectors.IntelligenceFilter(**values)


urlpatterns = [
    path("intelligence/", IntelligenceListView.as_view(), name="intelligence_list"),
    path(
        "intelligence/disclosure-requests/",
        DisclosureRequestPendingView.as_view(),
        name="intelligence_disclosure_pending",
    ),
    path(
        "intelligence/disclosure-requests/<uuid:pk>/decision/",
        DisclosureRequestDecideView.as_view(),
        name="intelligence_disclosure_decide",
    ),
    path("intelligence/<uuid:pk>/", IntelligenceDetailView.as_view(), name="intelligence_detail"),
    path(
        "intelligence/<uuid:pk>/disclosure-requests/",
        DisclosureRequestCreateView.as_view(),
        name="intelligence_disclosure_request",
    ),
]
