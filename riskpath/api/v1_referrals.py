"""API v1 endpoints for referrals and signposting: thin views over the referrals app's
selectors and services."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.access import policy
from riskpath.api import serializers as s
from riskpath.api.v1_people import young_person_filter, young_person_for_write
from riskpath.api.views import ERRORS, PolicyAPIView, _seen, _valid, _version
from riskpath.core.errors import NotPermitted
from riskpath.referrals import selectors, services
from riskpath.referrals.models import Referral, ReferralStatus, ReferralTo

NOT_FOUND = {404: s.ErrorSerializer}
CONFLICT = {409: s.ErrorSerializer}


class ReferralSerializer(serializers.ModelSerializer):
    young_person = serializers.UUIDField(source="young_person_id", read_only=True)
    referring_agency = serializers.CharField(source="referring_agency.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "young_person",
            "to",
            "to_detail",
            "made_on",
            "status",
            "outcome",
            "referring_agency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReferralFieldsSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ReferralTo.choices, required=False)
    to_detail = serializers.CharField(max_length=160, required=False, allow_blank=True)
    made_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class ReferralWriteSerializer(ReferralFieldsSerializer):
    young_person = serializers.UUIDField()
    to = serializers.ChoiceField(
        choices=ReferralTo.choices,
        help_text="NRM only from first responders (police, social care, local authority); "
        "adult safeguarding only for young people aged 18 or over",
    )


class ReferralUpdateSerializer(ReferralFieldsSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


class ReferralListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_list_young_people"
    serializer_class = ReferralSerializer

    @extend_schema(
        operation_id="referral_list",
        parameters=[
            OpenApiParameter("young_person", uuid.UUID, description="Only this young person's")
        ],
        responses={200: ReferralSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        young_person = young_person_filter(request)
        referrals = selectors.referral_search_for_user(request.user, young_person=young_person)
        page = self.paginate_queryset(referrals) or []
        selectors.record_referral_listing(request.user, count=len(page), young_person=young_person)
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(
        operation_id="referral_create",
        request=ReferralWriteSerializer,
        responses={201: ReferralSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not policy.check("can_record_referral", request.user):
            raise NotPermitted()
        data = _valid(ReferralWriteSerializer, request.data)
        young_person = young_person_for_write(
            request.user, data.pop("young_person"), "can_record_referral"
        )
        referral = services.referral_record(actor=self.actor, young_person=young_person, **data)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class ReferralDetailView(PolicyAPIView):
    rule = "can_list_young_people"

    @extend_schema(
        operation_id="referral_retrieve",
        responses={200: ReferralSerializer, **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, pk: Any) -> Response:
        seen = _seen(lambda: selectors.referral_get_for_user(request.user, pk))
        return Response(ReferralSerializer(seen.referral).data)

    @extend_schema(
        operation_id="referral_update",
        request=ReferralUpdateSerializer,
        responses={200: ReferralSerializer, **CONFLICT, **NOT_FOUND, **ERRORS},
    )
    def patch(self, request: Request, pk: Any) -> Response:
        seen = _seen(
            lambda: selectors.access_referral(request.user, pk, rule="can_record_referral")
        )
        data = _valid(ReferralUpdateSerializer, request.data, partial=True)
        version = _version(data)
        referral = services.referral_update(
            actor=self.actor, referral=seen.referral, expected_version=version, **data
        )
        return Response(ReferralSerializer(referral).data)


urlpatterns = [
    path("referrals/", ReferralListView.as_view(), name="referral_list"),
    path("referrals/<uuid:pk>/", ReferralDetailView.as_view(), name="referral_detail"),
]
