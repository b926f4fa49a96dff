"""API v1 endpoints for links between young people, persons of interest, locations and
groups."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import DeleteSerializer, ErrorSerializer
from riskpath.api.v1_groups import EndSerializer, end_data
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.audit.listing import audit_listing
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors
from riskpath.groups.ends import ENDS, end_get
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links import selectors, services
from riskpath.links.models import Link, LinkKind, LinkStrength
from riskpath.links.selectors import LinkRow


class LinkSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    source = EndSerializer()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    target = EndSerializer()
    strength = serializers.ChoiceField(choices=LinkStrength.choices)
    first_seen = serializers.DateField(allow_null=True)
    last_seen = serializers.DateField(allow_null=True)
    evidence = serializers.ListField(
        child=serializers.UUIDField(), help_text="The cited intelligence items you can see."
    )
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class LinkWriteSerializer(serializers.Serializer):
    source_type = serializers.ChoiceField(choices=list(ENDS))
    source_id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    target_type = serializers.ChoiceField(choices=list(ENDS))
    target_id = serializers.UUIDField()
    strength = serializers.ChoiceField(
        choices=LinkStrength.choices, required=False, default=LinkStrength.UNCONFIRMED
    )
    first_seen = serializers.DateField(required=False, allow_null=True)
    last_seen = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="Intelligence item ids."
    )


class LinkUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LinkKind.choices, required=False)
    strength = serializers.ChoiceField(choices=LinkStrength.choices, required=False)
    first_seen = serializers.DateField(required=False, allow_null=True)
    last_seen = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Replaces the cited items you can see; items you cannot see stay cited.",
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The version your change is based on; 409 if it is stale."
    )


def link_data(row: LinkRow, user: Any, citable: set[Any] | None = None) -> dict[str, Any]:
    """A link as the API gives it; ``citable`` the ids of the evidence the user may see, when
    the caller has asked for a page of links at once (``citable_ids``)."""
    link = row.link
    if citable is None:
        citable = citable_ids(user, [row])
    return {
        "id": link.pk,
        "source": end_data(row.source),
        "kind": link.kind,
        "target": end_data(row.target),
        "strength": link.strength,
        "first_seen": link.first_seen,
        "last_seen": link.last_seen,
        "evidence": [item.pk for item in link.evidence.all() if item.pk in citable],
        "version": link.version,
        "created_at": link.created_at,
    }


def citable_ids(user: Any, rows: list[LinkRow]) -> set[Any]:
    """The ids of the evidence of ``rows`` the user may cite, asked once for them all."""
    items = [item for row in rows for item in row.link.evidence.all()]
    return {item.pk for item in services.citable(user, items)}


def _evidence(user: Any, ids: list[Any]) -> list[IntelligenceItem]:
    items = list(IntelligenceItem.objects.filter(pk__in=ids, area_id=user.area_id))
    if len(items) != len(set(ids)) or len(services.citable(user, items)) != len(items):
        raise FieldErrors({"evidence": "Give ids of intelligence items of your area you can see"})
    return items


def _end(user: Any, data: dict[str, Any], side: str) -> Any:
    obj = end_get(user, data[f"{side}_type"], data[f"{side}_id"])
    if obj is None:
        raise FieldErrors(
            {f"{side}_id": f"No {data[f'{side}_type'].replace('_', ' ')} with that id"}
        )
    return obj


class _LinkFilterSerializer(serializers.Serializer):
    entity_type = serializers.ChoiceField(
        choices=list(ENDS),
        required=False,
        error_messages={"invalid_choice": f"Give one of: {', '.join(ENDS)}"},
    )
    entity_id = serializers.UUIDField(
        required=False, error_messages={"invalid": "Give the record's id, a UUID"}
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if "entity_type" in data and "entity_id" not in data:
            raise serializers.ValidationError({"entity_id": "Give the record's id, a UUID"})
        if "entity_id" in data and "entity_type" not in data:
            raise serializers.ValidationError(
                {"entity_type": f"Give the record's type, one of: {', '.join(ENDS)}"}
            )
        return data


class LinkListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_link"
    serializer_class = LinkSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "entity_type", str, enum=list(ENDS), description="Links touching this type…"
            ),
            OpenApiParameter(
                "entity_id", OpenApiTypes.UUID, description="…and this id (either end)"
            ),
        ],
        responses={200: LinkSerializer(many=True), 404: ErrorSerializer, **ERRORS},
        summary="Links of your area, or those touching one record",
    )
    def get(self, request: Request) -> Response:
        query = _valid(_LinkFilterSerializer, request.query_params.dict())
        links = selectors.link_queryset_for_user(request.user).prefetch_related("evidence")
        entity = None
        entity_type = query.get("entity_type")
        if entity_type is not None:
            entity = end_get(request.user, entity_type, query["entity_id"])
            if entity is None:
                raise Http404
            links = links.filter(selectors.touching(entity))
        page = self.paginate_queryset(links) or []
        rows = selectors.rows_for(request.user, page, entity)
        audit_listing(
            request.user,
            Verb.LINKS_LISTED,
            count=len(rows),
            basis=selectors.BASIS,
            target=entity,
            entity_type=entity_type,
        )
        citable = citable_ids(request.user, rows)
        return self.get_paginated_response([link_data(row, request.user, citable) for row in rows])

    @extend_schema(
        request=LinkWriteSerializer,
        responses={201: LinkSerializer, **ERRORS},
        summary="Record a link (a duplicate or a link to itself is refused)",
    )
    def post(self, request: Request) -> Response:
        data = _valid(LinkWriteSerializer, request.data)
        link = services.link_create(
            actor=self.actor,
            source=_end(request.user, data, "source"),
            target=_end(request.user, data, "target"),
            kind=data["kind"],
            strength=data["strength"],
            first_seen=data.get("first_seen"),
            last_seen=data.get("last_seen"),
            evidence=_evidence(request.user, data.get("evidence") or []),
        )
        row = selectors.rows_for(request.user, [selectors.access_link(request.user, link.pk)])[0]
        return Response(link_data(row, request.user), status=status.HTTP_201_CREATED)


class LinkDetailView(PolicyAPIView):
    rule = "can_view_link"

    @extend_schema(
        responses={200: LinkSerializer, 404: ErrorSerializer, **ERRORS},
        summary="A link (the read is audited)",
    )
    def get(self, request: Request, pk: Any) -> Response:
        row = selectors.link_get_for_user(request.user, pk)
        return Response(link_data(row, request.user))

    @extend_schema(
        request=LinkUpdateSerializer,
        responses={200: LinkSerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        summary="Change a link's kind, strength, dates or evidence",
    )
    def patch(self, request: Request, pk: Any) -> Response:
        link = selectors.access_link(request.user, pk, rule="can_record_link")
        data = _valid(LinkUpdateSerializer, request.data)
        version = _version(data)
        if "evidence" in data:
            everything = list(link.evidence.all())
            shown = set(services.citable(self.actor, everything))
            withheld = [i for i in everything if i not in shown]
            data["evidence"] = [*_evidence(request.user, data["evidence"]), *withheld]
        link = services.link_update(actor=self.actor, link=link, expected_version=version, **data)
        return Response(link_data(selectors.rows_for(request.user, [link])[0], request.user))

    @extend_schema(
        request=DeleteSerializer,
        responses={204: None, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        summary="Soft-delete a link",
    )
    def delete(self, request: Request, pk: Any) -> Response:
        link: Link = selectors.access_link(request.user, pk, rule="can_record_link")
        data = _valid(DeleteSerializer, request.data)
        services.link_delete(
            actor=self.actor, link=link, expected_version=data["version"], reason=data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("links/", LinkListView.as_view(), name="link_list"),
    path("links/<uuid:pk>/", LinkDetailView.as_view(), name="link_detail"),
]
