"""API v1 endpoints for locations: list (search, filter by type), record, read, change
(with the version), soft delete."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import DeleteSerializer, ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.core.errors import FieldErrors
from riskpath.locations import selectors, services
from riskpath.locations.models import Location, LocationKind


class LocationSerializer(serializers.ModelSerializer):
    recording_agency = serializers.CharField(source="recording_agency.name", read_only=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True, read_only=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True, read_only=True
    )

    class Meta:
        model = Location
        fields = [
            "id",
            "name",
            "kind",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "recording_agency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _coordinate(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        required=False,
        allow_null=True,
        help_text=help_text,
    )


class LocationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=LocationKind.choices)
    address = serializers.CharField(max_length=240, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="A UK postcode; normalised."
    )
    latitude = _coordinate("-90 to 90; with longitude, or neither; none for online platforms.")
    longitude = _coordinate("-180 to 180; with latitude, or neither.")


class LocationUpdateSerializer(LocationWriteSerializer):
    name = serializers.CharField(max_length=160, required=False)
    kind = serializers.ChoiceField(choices=LocationKind.choices, required=False)
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


def _kind(request: Request) -> str:
    kind = request.query_params.get("kind", "")
    if kind and kind not in LocationKind.values:
        raise FieldErrors({"kind": f"Choose one of {', '.join(LocationKind.values)}"})
    return kind


class LocationListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_location"
    serializer_class = LocationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search by name or postcode"),
            OpenApiParameter("kind", str, enum=LocationKind.values, description="Type"),
        ],
        responses={200: LocationSerializer(many=True), **ERRORS},
        summary="Locations of your area",
    )
    def get(self, request: Request) -> Response:
        locations = selectors.location_search_for_user(
            request.user,
            search=request.query_params.get("q", "")[:100],
            kind=_kind(request),
        )
        page = self.paginate_queryset(locations) or []
        selectors.record_location_listing(
            request.user, count=len(page), searched=bool(request.query_params.get("q"))
        )
        return self.get_paginated_response(LocationSerializer(page, many=True).data)

    @extend_schema(
        request=LocationWriteSerializer,
        responses={201: LocationSerializer, **ERRORS},
        summary="Record a location",
    )
    def post(self, request: Request) -> Response:
        data = _valid(LocationWriteSerializer, request.data)
        location = services.location_create(actor=self.actor, **data)
        return Response(LocationSerializer(location).data, status=status.HTTP_201_CREATED)


class LocationDetailView(PolicyAPIView):
    rule = "can_view_location"

    @extend_schema(
        responses={200: LocationSerializer, 404: ErrorSerializer, **ERRORS},
        summary="A location (the read is audited)",
    )
    def get(self, request: Request, pk: Any) -> Response:
        location = selectors.location_get_for_user(request.user, pk)
        return Response(LocationSerializer(location).data)

    @extend_schema(
        request=LocationUpdateSerializer,
        responses={200: LocationSerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        summary="Change a location",
    )
    def patch(self, request: Request, pk: Any) -> Response:
        location = selectors.access_location(request.user, pk, rule="can_record_location")
        data = _valid(LocationUpdateSerializer, request.data)
        version = _version(data)
        location = services.location_update(
            actor=self.actor, location=location, expected_version=version, **data
        )
        return Response(LocationSerializer(location).data)

    @extend_schema(
        request=DeleteSerializer,
        responses={204: None, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        summary="Soft-delete a location (restorable in the pages)",
    )
    def delete(self, request: Request, pk: Any) -> Response:
        location = selectors.access_location(request.user, pk, rule="can_record_location")
        data = _valid(DeleteSerializer, request.data)
        services.location_delete(
            actor=self.actor,
            location=location,
            expected_version=data["version"],
            reason=data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("locations/", LocationListView.as_view(), name="location_list"),
    path("locations/<uuid:pk>/", LocationDetailView.as_view(), name="location_detail"),
]
