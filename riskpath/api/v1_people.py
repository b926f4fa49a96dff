"""API v1 endpoints for persons of interest (with their disruption) and missing episodes:
thin views over the people app's selectors and services, so the same rules and audit events
as the pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.access import policy
from riskpath.accounts.models import Agency
from riskpath.api import serializers as s
from riskpath.api.views import ERRORS, PolicyAPIView, _seen, _valid, _version
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.people import picker, selectors, services
from riskpath.people.enums import DisruptionKind, EpisodeKind
from riskpath.people.models import DisruptionActivity, MissingEpisode, PersonOfInterest

NOT_FOUND = {404: s.ErrorSerializer}
CONFLICT = {409: s.ErrorSerializer}

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------


class DisruptionSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", read_only=True)
    agency_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = DisruptionActivity
        fields = ["id", "kind", "date", "agency", "agency_id", "outcome", "created_at"]
        read_only_fields = fields


class PersonOfInterestSerializer(serializers.ModelSerializer):
    """The identity (names, aliases, date of birth) is the young person's when
    ``young_person`` is set."""

    young_person = serializers.UUIDField(source="young_person_id", read_only=True, allow_null=True)
    given_names = serializers.CharField(source="identity_given_names", read_only=True)
    family_name = serializers.CharField(source="identity_family_name", read_only=True)
    aliases = serializers.ListField(
        source="identity_aliases", child=serializers.CharField(), read_only=True
    )
    date_of_birth = serializers.DateField(
        source="identity_date_of_birth", read_only=True, allow_null=True
    )
    recording_agency = serializers.CharField(source="recording_agency.name", read_only=True)

    class Meta:
        model = PersonOfInterest
        fields = [
            "id",
            "young_person",
            "given_names",
            "family_name",
            "aliases",
            "date_of_birth",
            "description",
            "postcode",
            "recording_agency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonOfInterestDetailSerializer(PersonOfInterestSerializer):
    disruptions = serializers.SerializerMethodField()

    class Meta(PersonOfInterestSerializer.Meta):
        fields = [*PersonOfInterestSerializer.Meta.fields, "disruptions"]
        read_only_fields = fields

    @extend_schema_field(DisruptionSerializer(many=True))
    def get_disruptions(self, obj: PersonOfInterest) -> list[dict[str, Any]]:
        return list(DisruptionSerializer(selectors.disruptions_of(obj), many=True).data)


class PersonOfInterestWriteSerializer(serializers.Serializer):
    young_person = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A young person who is also this person of interest: their identity is used, "
        "so give no names, aliases or date of birth",
    )
    given_names = serializers.CharField(max_length=120, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=20
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)


class PersonOfInterestUpdateSerializer(serializers.Serializer):
    given_names = serializers.CharField(max_length=120, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=20
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


class DisruptionWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DisruptionKind.choices)
    date = serializers.DateField()
    agency = serializers.UUIDField(
        required=False, allow_null=True, help_text="Defaults to your own agency"
    )
    outcome = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class MissingEpisodeSerializer(serializers.ModelSerializer):
    young_person = serializers.UUIDField(source="young_person_id", read_only=True)
    reporting_agency = serializers.CharField(source="reporting_agency.name", read_only=True)

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "young_person",
            "kind",
            "reported_at",
            "returned_at",
            "where_found",
            "interview_offered",
            "interview_done_at",
            "interview_by",
            "reporting_agency",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MissingEpisodeFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EpisodeKind.choices, required=False)
    reported_at = serializers.DateTimeField(required=False)
    returned_at = serializers.DateTimeField(required=False, allow_null=True)
    where_found = serializers.CharField(max_length=200, required=False, allow_blank=True)
    interview_offered = serializers.BooleanField(required=False)
    interview_done_at = serializers.DateTimeField(required=False, allow_null=True)
    interview_by = serializers.CharField(max_length=160, required=False, allow_blank=True)


class MissingEpisodeWriteSerializer(MissingEpisodeFieldsSerializer):
    young_person = serializers.UUIDField()
    reported_at = serializers.DateTimeField()


class MissingEpisodeUpdateSerializer(MissingEpisodeFieldsSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def young_person_for_write(user: Any, pk: Any, rule: str) -> Any:
    """The young person a new record is about, named in the body: unknown or not involved is
    a 400 on the field (the same answer either way); the rule refusing is a 403."""
    try:
        return _seen(lambda: selectors.access_young_person(user, pk, rule=rule)).person
    except Http404 as exc:
        raise FieldErrors({"young_person": "No such young person"}) from exc


def young_person_filter(request: Request) -> uuid.UUID | None:
    raw = request.query_params.get("young_person", "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise FieldErrors({"young_person": "Give the young person's id"}) from exc


def agency_for_write(user: Any, pk: Any) -> Agency | None:
    if pk is None:
        return None
    agency = Agency.objects.filter(pk=pk, area_id=user.area_id).first()
    if agency is None:
        raise FieldErrors({"agency": "No such agency in your area"})
    return agency


# ---------------------------------------------------------------------------------------------
# Persons of interest
# ---------------------------------------------------------------------------------------------


class PersonOfInterestListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_person_of_interest"
    serializer_class = PersonOfInterestSerializer

    @extend_schema(
        operation_id="poi_list",
        parameters=[OpenApiParameter("q", str, description="Search by name")],
        responses={200: PersonOfInterestSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        search = request.query_params.get("q", "")[:100]
        people = selectors.person_of_interest_search_for_user(request.user, search=search)
        page = self.paginate_queryset(people) or []
        selectors.record_poi_listing(request.user, count=len(page), search=search)
        return self.get_paginated_response(PersonOfInterestSerializer(page, many=True).data)

    @extend_schema(
        operation_id="poi_create",
        request=PersonOfInterestWriteSerializer,
        responses={201: PersonOfInterestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not policy.check("can_record_person_of_interest", request.user):
            raise NotPermitted()
        data = _valid(PersonOfInterestWriteSerializer, request.data)
        young_person_id = data.pop("young_person", None)
        if young_person_id is not None:
            identity = sorted(set(data) & set(services.POI_IDENTITY))
            if identity:
                raise FieldErrors(
                    {
                        name: "This person of interest is a young person: their identity is "
                        "on the young person's record"
                        for name in identity
                    }
                )
            young_person = young_person_for_write(
                request.user, young_person_id, "can_view_young_person"
            )
            person = services.person_of_interest_create_from_young_person(
                actor=self.actor, young_person=young_person, **data
            )
        else:
            person = services.person_of_interest_create(actor=self.actor, **data)
        return Response(
            PersonOfInterestDetailSerializer(person).data, status=status.HTTP_201_CREATED
        )


class PersonOfInterestDetailView(PolicyAPIView):
    rule = "can_view_person_of_interest"

    @extend_schema(
        operation_id="poi_retrieve",
        responses={200: PersonOfInterestDetailSerializer, **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, pk: Any) -> Response:
        person = selectors.person_of_interest_get_for_user(request.user, pk)
        return Response(PersonOfInterestDetailSerializer(person).data)

    @extend_schema(
        operation_id="poi_update",
        request=PersonOfInterestUpdateSerializer,
        responses={200: PersonOfInterestDetailSerializer, **CONFLICT, **NOT_FOUND, **ERRORS},
    )
    def patch(self, request: Request, pk: Any) -> Response:
        person = selectors.access_person_of_interest(
            request.user, pk, rule="can_record_person_of_interest"
        )
        data = _valid(PersonOfInterestUpdateSerializer, request.data, partial=True)
        version = _version(data)
        person = services.person_of_interest_update(
            actor=self.actor, person=person, expected_version=version, **data
        )
        return Response(PersonOfInterestDetailSerializer(person).data)


class DisruptionCreateView(PolicyAPIView):
    rule = "can_record_person_of_interest"

    @extend_schema(
        operation_id="poi_disruption_create",
        request=DisruptionWriteSerializer,
        responses={201: DisruptionSerializer, **NOT_FOUND, **ERRORS},
        summary="Record disruption of a person of interest",
    )
    def post(self, request: Request, pk: Any) -> Response:
        person = selectors.access_person_of_interest(request.user, pk, rule=self.rule)
        data = _valid(DisruptionWriteSerializer, request.data)
        data["agency"] = agency_for_write(request.user, data.get("agency"))
        disruption = services.disruption_record(actor=self.actor, person=person, **data)
        return Response(DisruptionSerializer(disruption).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# Missing episodes
# ---------------------------------------------------------------------------------------------


class MissingEpisodeListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_list_young_people"
    serializer_class = MissingEpisodeSerializer

    @extend_schema(
        operation_id="missing_list",
        parameters=[
            OpenApiParameter("young_person", uuid.UUID, description="Only this young person's")
        ],
        responses={200: MissingEpisodeSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        young_person = young_person_filter(request)
        episodes = selectors.missing_episode_search_for_user(
            request.user, young_person=young_person
        )
        page = self.paginate_queryset(episodes) or []
        selectors.record_missing_listing(request.user, count=len(page), young_person=young_person)
        return self.get_paginated_response(MissingEpisodeSerializer(page, many=True).data)

    @extend_schema(
        operation_id="missing_create",
        request=MissingEpisodeWriteSerializer,
        responses={201: MissingEpisodeSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        if not policy.check("can_record_missing_episode", request.user):
            raise NotPermitted()
        data = _valid(MissingEpisodeWriteSerializer, request.data)
        young_person = young_person_for_write(
            request.user, data.pop("young_person"), "can_record_missing_episode"
        )
        episode = services.missing_episode_record(
            actor=self.actor, young_person=young_person, **data
        )
        return Response(MissingEpisodeSerializer(episode).data, status=status.HTTP_201_CREATED)


class MissingEpisodeDetailView(PolicyAPIView):
    rule = "can_list_young_people"

    @extend_schema(
        operation_id="missing_retrieve",
        responses={200: MissingEpisodeSerializer, **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, pk: Any) -> Response:
        seen = _seen(lambda: selectors.missing_episode_get_for_user(request.user, pk))
        return Response(MissingEpisodeSerializer(seen.episode).data)

    @extend_schema(
        operation_id="missing_update",
        request=MissingEpisodeUpdateSerializer,
        responses={200: MissingEpisodeSerializer, **CONFLICT, **NOT_FOUND, **ERRORS},
    )
    def patch(self, request: Request, pk: Any) -> Response:
        seen = _seen(
            lambda: selectors.access_missing_episode(
                request.user, pk, rule="can_record_missing_episode"
            )
        )
        data = _valid(MissingEpisodeUpdateSerializer, request.data, partial=True)
        version = _version(data)
        episode = services.missing_episode_update(
            actor=self.actor, episode=seen.episode, expected_version=version, **data
        )
        return Response(MissingEpisodeSerializer(episode).data)


# ---------------------------------------------------------------------------------------------
# Choosing a young person: the pickers' search
# ---------------------------------------------------------------------------------------------


class PickQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, allow_blank=True, help_text="Words of the name")
    dob = serializers.DateField(required=False, help_text="Date of birth, to narrow the search")
    postcode = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="Postcode or its start"
    )
    pool = serializers.CharField(
        required=False, help_text="Whom the form may choose: area (default), involved, …"
    )

    def validate_pool(self, value: str) -> str:
        if value not in picker.pool_names():
            raise serializers.ValidationError(f"Choose one of: {', '.join(picker.pool_names())}")
        return value


PickOptionSerializer = inline_serializer(
    "PickOption",
    {
        "id": serializers.UUIDField(),
        "label": serializers.CharField(
            help_text="In full for a record you may open; otherwise name, year of birth, locality"
        ),
        "openable": serializers.BooleanField(),
    },
)


PickResultSerializer = inline_serializer(
    "PickResult",
    {
        "results": serializers.ListField(child=PickOptionSerializer),
        "more": serializers.BooleanField(
            help_text="More matched than are shown: narrow the search"
        ),
        "message": serializers.CharField(help_text="What to do next, if anything"),
    },
)


class YoungPersonPickView(PolicyAPIView):
    """Find the young person a record is about, as the forms' pickers do: at most ten, shown
    only as far as you may see them, an empty search showing nothing. Audited."""

    rule = "can_pick_young_person"

    @extend_schema(
        parameters=[PickQuerySerializer],
        responses={200: PickResultSerializer, **ERRORS},
        summary="Search for a young person to choose",
    )
    def get(self, request: Request) -> Response:
        data = _valid(PickQuerySerializer, request.query_params)
        result = picker.young_person_pick(
            request.user,
            query=data["q"],
            pool_name=data.get("pool") or "area",
            date_of_birth=data.get("dob"),
            postcode=data.get("postcode", ""),
            purpose="api",
        )
        return Response(
            {
                "results": [
                    {"id": o.id, "label": o.label, "openable": o.openable} for o in result.options
                ],
                "more": result.more,
                "message": result.message,
            }
        )


urlpatterns = [
    path("young-people/pick/", YoungPersonPickView.as_view(), name="young_person_pick"),
    path("persons-of-interest/", PersonOfInterestListView.as_view(), name="poi_list"),
    path("persons-of-interest/<uuid:pk>/", PersonOfInterestDetailView.as_view(), name="poi_detail"),
    path(
        "persons-of-interest/<uuid:pk>/disruptions/",
        DisruptionCreateView.as_view(),
        name="poi_disruptions",
    ),
    path("missing-episodes/", MissingEpisodeListView.as_view(), name="missing_list"),
    path("missing-episodes/<uuid:pk>/", MissingEpisodeDetailView.as_view(), name="missing_detail"),
]
