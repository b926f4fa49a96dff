"""API v1 endpoints for the PIMM cohort: the list, a young person's place on it with its
history and the current tier suggestion, and the chair's decisions.

``<uuid>`` in these routes is the young person's id."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.access import policy
from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.cohort import selectors, services
from riskpath.cohort.models import CohortMembership, ExitReason, Tier, TierDecision
from riskpath.cohort.suggestion import Criterion, Suggestion
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.intelligence.enums import HarmType
from riskpath.people.models import YoungPerson

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------


class CohortReasonSerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="A PIMM criterion code (see criteria).")
    criterion_text = serializers.CharField()
    tier = serializers.IntegerField()
    text = serializers.CharField()


class CohortSuggestionSerializer(serializers.Serializer):
    tier = serializers.IntegerField(allow_null=True)
    reasons = CohortReasonSerializer(many=True)


class CohortMembershipSerializer(serializers.ModelSerializer):
    young_person = serializers.UUIDField(source="young_person_id", read_only=True)
    name = serializers.CharField(source="young_person.__str__", read_only=True)

    class Meta:
        model = CohortMembership
        fields = [
            "id",
            "young_person",
            "name",
            "tier",
            "entered_at",
            "entry_reason",
            "exited_at",
            "exit_reason",
            "exit_note",
            "receiving_area",
            "last_discussed_on",
            "next_review_on",
            "version",
        ]
        read_only_fields = fields


class CohortRowSerializer(serializers.Serializer):
    membership = CohortMembershipSerializer()
    lead_professional = serializers.SerializerMethodField()
    locality = serializers.CharField(source="person.locality")
    harm_types = serializers.ListField(child=serializers.CharField())
    agencies = serializers.ListField(child=serializers.CharField())

    def get_lead_professional(self, row: Any) -> str | None:
        lead = row.person.lead_professional
        return str(lead.pk) if lead else None


class CohortDecisionSerializer(serializers.ModelSerializer):
    membership = serializers.UUIDField(source="membership_id", read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True)
    from_tier = serializers.IntegerField(read_only=True, allow_null=True)
    to_tier = serializers.IntegerField(read_only=True, allow_null=True)
    suggested_tier = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = TierDecision
        fields = [
            "id",
            "membership",
            "decided_by",
            "decided_at",
            "from_tier",
            "to_tier",
            "reason",
            "criteria",
            "meeting_ref",
            "warning",
            "suggested_tier",
            "suggestion_reasons",
        ]
        read_only_fields = fields


class CohortRecordSerializer(serializers.Serializer):
    young_person = serializers.UUIDField()
    name = serializers.CharField()
    current = CohortMembershipSerializer(allow_null=True)
    spells = CohortMembershipSerializer(many=True)
    history = CohortDecisionSerializer(many=True)
    suggestion = CohortSuggestionSerializer()
    corroboration = serializers.DictField()


class CohortDecisionWriteSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    reason = serializers.CharField()
    criteria = serializers.ListField(child=serializers.ChoiceField(choices=Criterion.choices))
    meeting_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)
    accept_warning = serializers.BooleanField(
        required=False, help_text="The chair accepts the tier-2 warning (no lead professional)."
    )
    next_review_on = serializers.DateField(required=False, allow_null=True)


class CohortAddSerializer(CohortDecisionWriteSerializer):
    young_person = serializers.UUIDField()


class CohortTierChangeSerializer(CohortDecisionWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The cohort record's version; 409 if it is stale."
    )


class CohortExitSerializer(serializers.Serializer):
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices)
    note = serializers.CharField()
    receiving_area = serializers.CharField(max_length=120, required=False, allow_blank=True)
    meeting_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)
    version = serializers.IntegerField(
        min_value=1, help_text="The cohort record's version; 409 if it is stale."
    )


def _suggestion(s: Suggestion) -> dict[str, Any]:
    return {"tier": s.tier, "reasons": s.reasons_as_dicts()}


def _record_data(record: selectors.CohortRecord) -> dict[str, Any]:
    person = record.person
    corroboration = selectors.corroboration_for(person)
    return CohortRecordSerializer(
        {
            "young_person": person.pk,
            "name": str(person),
            "current": record.current,
            "spells": record.spells,
            "history": record.decisions,
            "suggestion": _suggestion(selectors.suggestion_for(person)),
            "corroboration": {
                "window_days": corroboration.window_days,
                "as_of": corroboration.as_of.isoformat(),
                "agencies": corroboration.agencies,
                "graded_b_or_better": corroboration.graded_b_or_better,
                "linked_cohort": [
                    {"young_person": str(m.young_person.pk), "tier": m.tier, "link": m.link_kind}
                    for m in corroboration.linked_cohort
                ],
            },
        }
    ).data


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------

FILTER_PARAMS = [
    OpenApiParameter("tier", int, enum=[1, 2, 3]),
    OpenApiParameter("lead_professional", str, description="A user id"),
    OpenApiParameter("harm_type", str, enum=HarmType.values),
    OpenApiParameter("agency", str, description="An agency id: reporting intelligence"),
    OpenApiParameter("locality", str),
    OpenApiParameter("discussed_before", str, description="Not discussed since (YYYY-MM-DD)"),
    OpenApiParameter("review_due_by", str, description="Next review on or before (YYYY-MM-DD)"),
    OpenApiParameter("sort", str, enum=sorted(selectors.SORTS)),
]


class _FilterSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    lead_professional = serializers.UUIDField(required=False)
    harm_type = serializers.ChoiceField(choices=HarmType.choices, required=False)
    agency = serializers.UUIDField(required=False)
    locality = serializers.CharField(max_length=120, required=False)
    discussed_before = serializers.DateField(required=False)
    review_due_by = serializers.DateField(required=False)
    sort = serializers.ChoiceField(choices=sorted(selectors.SORTS), required=False)


class CohortListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_cohort"
    serializer_class = CohortRowSerializer

    @extend_schema(
        parameters=FILTER_PARAMS,
        responses={200: CohortRowSerializer(many=True), **ERRORS},
        summary="The open cohort in your area",
    )
    def get(self, request: Request) -> Response:
        data = _valid(_FilterSerializer, request.query_params.dict())
        criteria = selectors.CohortFilter(**{**data, "sort": data.get("sort", "tier")})
        memberships = selectors.cohort_queryset_for_user(request.user, criteria)
        page = selectors.cohort_rows(request.user, self.paginate_queryset(memberships) or [])
        selectors.record_cohort_view(request.user, count=len(page), criteria=criteria)
        return self.get_paginated_response(CohortRowSerializer(page, many=True).data)

    @extend_schema(
        request=CohortAddSerializer,
        responses={201: CohortRecordSerializer, **ERRORS},
        summary="Add a young person to the cohort (chairs)",
    )
    def post(self, request: Request) -> Response:
        if not policy.check("can_decide_cohort", request.user):
            raise NotPermitted("Only the chair can decide who is on the cohort.")
        data = _valid(CohortAddSerializer, request.data)
        person = YoungPerson.objects.filter(
            pk=data.pop("young_person"), area_id=getattr(request.user, "area_id", None)
        ).first()
        if person is None:
            raise FieldErrors({"young_person": "No such young person in your area"})
        services.cohort_add(actor=self.actor, young_person=person, **data)
        record = selectors.access_cohort_record(request.user, person.pk)
        return Response(_record_data(record), status=status.HTTP_201_CREATED)


class CohortDetailView(PolicyAPIView):
    rule = "can_view_cohort"

    @extend_schema(
        responses={200: CohortRecordSerializer, 404: ErrorSerializer, **ERRORS},
        summary="A young person's place on the cohort, its history and the current suggestion",
    )
    def get(self, request: Request, pk: Any) -> Response:
        record = selectors.cohort_record_get_for_user(request.user, pk)
        return Response(_record_data(record))


def _current(user: Any, pk: Any) -> CohortMembership:
    record = selectors.access_cohort_record(user, pk, rule="can_decide_cohort")
    if record.current is None:
        raise Http404("Not on the cohort")
    return record.current


DECISION_RESPONSES = {
    200: CohortRecordSerializer,
    404: ErrorSerializer,
    409: ErrorSerializer,
    **ERRORS,
}


class CohortTierView(PolicyAPIView):
    rule = "can_decide_cohort"

    @extend_schema(
        request=CohortTierChangeSerializer,
        responses={
            200: CohortRecordSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Change a young person's tier (chairs)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        current = _current(request.user, pk)
        data = _valid(CohortTierChangeSerializer, request.data)
        version = _version(data)
        services.cohort_change_tier(
            actor=self.actor, membership=current, expected_version=version, **data
        )
        return Response(_record_data(selectors.access_cohort_record(request.user, pk)))


class CohortExitView(PolicyAPIView):
    rule = "can_decide_cohort"

    @extend_schema(
        request=CohortExitSerializer,
        responses={
            200: CohortRecordSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Remove a young person from the cohort by a recorded exit decision (chairs)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        current = _current(request.user, pk)
        data = _valid(CohortExitSerializer, request.data)
        version = _version(data)
        services.cohort_exit(actor=self.actor, membership=current, expected_version=version, **data)
        return Response(_record_data(selectors.access_cohort_record(request.user, pk)))


urlpatterns = [
    path("cohort/", CohortListView.as_view(), name="cohort_list"),
    path("cohort/<uuid:pk>/", CohortDetailView.as_view(), name="cohort_detail"),
    path("cohort/<uuid:pk>/tier/", CohortTierView.as_view(), name="cohort_tier"),
    path("cohort/<uuid:pk>/exit/", CohortExitView.as_view(), name="cohort_exit"),
]
