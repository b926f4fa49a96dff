"""API v1 endpoints for the area's own configuration: its closure days, the days the
partnership does not work that working-day timescales skip. Thin over
``riskpath.administration.services``; the same rule (``can_manage_area``) and audit as the page."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.accounts.models import Area
from riskpath.administration import selectors, services
from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid


class ClosureDaySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField()
    reason = serializers.CharField()
    created_by = serializers.UUIDField(source="created_by_id")
    created_at = serializers.DateTimeField()


class ClosureDayCreateSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="YYYY-MM-DD")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Up to 200 characters"
    )


def _own_area(user: Any) -> Area:
    area = user.area
    if area is None:
        raise Http404
    return area


class ClosureDayListView(PolicyAPIView):
    rule = "can_manage_area"

    @extend_schema(
        responses={200: ClosureDaySerializer(many=True), **ERRORS},
        summary="Your area's closure days, earliest first",
    )
    def get(self, request: Request) -> Response:
        closure_days = selectors.closure_day_list_for_user(request.user)
        return Response(ClosureDaySerializer(closure_days, many=True).data)

    @extend_schema(
        request=ClosureDayCreateSerializer,
        responses={201: ClosureDaySerializer, **ERRORS},
        summary="Add a closure day: working-day timescales counted from now on skip it",
    )
    def post(self, request: Request) -> Response:
        data = _valid(ClosureDayCreateSerializer, request.data)
        closure_day = services.closure_day_add(
            actor=self.actor, area=_own_area(request.user), **data
        )
        return Response(ClosureDaySerializer(closure_day).data, status=status.HTTP_201_CREATED)


class ClosureDayDetailView(PolicyAPIView):
    rule = "can_manage_area"

    @extend_schema(
        responses={204: None, 404: ErrorSerializer, **ERRORS},
        summary="Remove a closure day: the day is a working day again",
    )
    def delete(self, request: Request, pk: Any) -> Response:
        closure_day = selectors.closure_day_get_for_user(request.user, pk)
        if closure_day is None:
            raise Http404
        services.closure_day_remove(actor=self.actor, closure_day=closure_day)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("area/closure-days/", ClosureDayListView.as_view(), name="closure_day_list"),
    path("area/closure-days/<uuid:pk>/", ClosureDayDetailView.as_view(), name="closure_day_detail"),
]
