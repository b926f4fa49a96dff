"""API v1 endpoints for groups and their members over time."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.audit.listing import audit_listing
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors
from riskpath.groups import selectors, services
from riskpath.groups.ends import ENDS, end_get
from riskpath.groups.models import Group, GroupKind
from riskpath.groups.selectors import MemberRow


class GroupSerializer(serializers.ModelSerializer):
    recording_agency = serializers.CharField(source="recording_agency.name", read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "recording_agency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    kind = serializers.ChoiceField(choices=GroupKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class GroupUpdateSerializer(GroupWriteSerializer):
    name = serializers.CharField(max_length=160, required=False)
    kind = serializers.ChoiceField(choices=GroupKind.choices, required=False)
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


class EndSerializer(serializers.Serializer):
    """A person, place or group as you may see it: a young person you are not involved with
    is not named (``hidden``, with no ``id``)."""

    type = serializers.ChoiceField(choices=list(ENDS))
    id = serializers.UUIDField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]
    hidden = serializers.BooleanField()


class MembershipSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    member = EndSerializer()
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)


class MemberAddSerializer(serializers.Serializer):
    young_person = serializers.UUIDField(required=False, allow_null=True)
    person_of_interest = serializers.UUIDField(required=False, allow_null=True)
    joined_on = serializers.DateField()


class MemberEndSerializer(serializers.Serializer):
    left_on = serializers.DateField()


def end_data(shown: Any) -> dict[str, Any]:
    return {"type": shown.type, "id": shown.id, "label": shown.label, "hidden": shown.hidden}


def membership_data(row: MemberRow) -> dict[str, Any]:
    m = row.membership
    return {
        "id": m.pk,
        "member": end_data(row.person),
        "joined_on": m.joined_on,
        "left_on": m.left_on,
    }


def _kind(request: Request) -> str:
    kind = request.query_params.get("kind", "")
    if kind and kind not in GroupKind.values:
        raise FieldErrors({"kind": f"Choose one of {', '.join(GroupKind.values)}"})
    return kind


class GroupListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_group"
    serializer_class = GroupSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search by name"),
            OpenApiParameter("kind", str, enum=GroupKind.values, description="Type"),
        ],
        responses={200: GroupSerializer(many=True), **ERRORS},
        summary="Groups of your area",
    )
    def get(self, request: Request) -> Response:
        groups = selectors.group_search_for_user(
            request.user,
            search=request.query_params.get("q", "")[:100],
            kind=_kind(request),
        ).select_related("recording_agency")
        page = self.paginate_queryset(groups) or []
        selectors.record_group_listing(
            request.user, count=len(page), searched=bool(request.query_params.get("q"))
        )
        return self.get_paginated_response(GroupSerializer(page, many=True).data)

    @extend_schema(
        request=GroupWriteSerializer,
        responses={201: GroupSerializer, **ERRORS},
        summary="Record a group",
    )
    def post(self, request: Request) -> Response:
        data = _valid(GroupWriteSerializer, request.data)
        group = services.group_create(actor=self.actor, **data)
        return Response(GroupSerializer(group).data, status=status.HTTP_201_CREATED)


class GroupDetailView(PolicyAPIView):
    rule = "can_view_group"

    @extend_schema(
        responses={200: GroupSerializer, 404: ErrorSerializer, **ERRORS},
        summary="A group (the read is audited)",
    )
    def get(self, request: Request, pk: Any) -> Response:
        return Response(GroupSerializer(selectors.group_get_for_user(request.user, pk)).data)

    @extend_schema(
        request=GroupUpdateSerializer,
        responses={200: GroupSerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        summary="Change a group",
    )
    def patch(self, request: Request, pk: Any) -> Response:
        group = selectors.access_group(request.user, pk, rule="can_record_group")
        data = _valid(GroupUpdateSerializer, request.data)
        version = _version(data)
        group = services.group_update(
            actor=self.actor, group=group, expected_version=version, **data
        )
        return Response(GroupSerializer(group).data)


class GroupMemberListView(PolicyAPIView):
    rule = "can_view_group"

    @extend_schema(
        responses={200: MembershipSerializer(many=True), 404: ErrorSerializer, **ERRORS},
        summary="A group's members, current and past",
    )
    def get(self, request: Request, pk: Any) -> Response:
        group = selectors.access_group(request.user, pk)
        members = selectors.group_members_for_user(request.user, group)
        rows = [*members.current, *members.past]
        audit_listing(
            request.user,
            Verb.GROUP_VIEWED,
            count=len(rows),
            basis=selectors.BASIS,
            target=group,
            members=True,
        )
        return Response([membership_data(row) for row in rows])

    @extend_schema(
        request=MemberAddSerializer,
        responses={201: MembershipSerializer, 404: ErrorSerializer, **ERRORS},
        summary="Add a young person or a person of interest to a group",
    )
    def post(self, request: Request, pk: Any) -> Response:
        group = selectors.access_group(request.user, pk, rule="can_record_group")
        data = _valid(MemberAddSerializer, request.data)
        people: dict[str, Any] = {}
        for kind in ("young_person", "person_of_interest"):
            if data.get(kind) is not None:
                person = end_get(request.user, kind, data[kind])
                if person is None:
                    noun = kind.replace("_", " ")
                    raise FieldErrors({kind: f"No {noun} with that id that you can add"})
                people[kind] = person
        membership = services.group_member_add(
            actor=self.actor, group=group, joined_on=data["joined_on"], **people
        )
        row = _row(request.user, group, membership.pk)
        return Response(membership_data(row), status=status.HTTP_201_CREATED)


def _row(user: Any, group: Group, membership_pk: Any) -> MemberRow:
    members = selectors.group_members_for_user(user, group)
    for row in [*members.current, *members.past]:
        if row.membership.pk == membership_pk:
            return row
    raise Http404("No such membership")


class GroupMemberDetailView(PolicyAPIView):
    rule = "can_record_group"

    @extend_schema(
        request=MemberEndSerializer,
        responses={200: MembershipSerializer, 404: ErrorSerializer, **ERRORS},
        summary="End a membership on the date the member left (the history is kept)",
    )
    def patch(self, request: Request, pk: Any, membership_pk: Any) -> Response:
        group = selectors.access_group(request.user, pk, rule="can_record_group")
        membership = selectors.access_membership(request.user, group, membership_pk)
        data = _valid(MemberEndSerializer, request.data)
        services.group_member_end(actor=self.actor, membership=membership, left_on=data["left_on"])
        return Response(membership_data(_row(request.user, group, membership.pk)))


urlpatterns = [
    path("groups/", GroupListView.as_view(), name="group_list"),
    path("groups/<uuid:pk>/", GroupDetailView.as_view(), name="group_detail"),
    path("groups/<uuid:pk>/members/", GroupMemberListView.as_view(), name="group_member_list"),
    path(
        "groups/<uuid:pk>/members/<uuid:membership_pk>/",
        GroupMemberDetailView.as_view(),
        name="group_member_detail",
    ),
]
