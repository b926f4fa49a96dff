"""Version 1 of the JSON API: thin endpoints over the same selectors and services as the
pages. Every view names its access rule; ``PolicyPermission`` refuses any that does not."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from riskpath.accounts.models import User
from riskpath.administration import selectors as account_selectors
from riskpath.administration import services as account_services
from riskpath.api import serializers as s
from riskpath.api.throttling import RateLimitedViewMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.auditlog.forms import AuditFilterForm
from riskpath.auditlog.presentation import present
from riskpath.auditlog.selectors import AuditFilter, audit_events_for_user
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.people import selectors as people_selectors
from riskpath.people import services as people_services
from riskpath.people.duplicate_check import api_conflict

ERRORS = {400: s.ErrorSerializer, 401: s.ErrorSerializer, 403: s.ErrorSerializer}


class PolicyAPIView(RateLimitedViewMixin, APIView):
    rule: ClassVar[str | None] = None

    @property
    def actor(self) -> User:
        """The signed-in user or service account (``PolicyPermission`` has refused anyone
        else before the handler runs)."""
        user = self.request.user
        assert isinstance(user, User)
        return user


class MeView(PolicyAPIView):
    rule = "can_read_api_schema"

    @extend_schema(responses={200: s.MeSerializer, **ERRORS}, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(s.MeSerializer(request.user).data)


class AgencyListView(PolicyAPIView):
    rule = "can_manage_agencies"

    @extend_schema(responses={200: s.AgencySerializer(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        agencies = account_selectors.agency_list_for_user(request.user)
        return Response(s.AgencySerializer(agencies, many=True).data)

    @extend_schema(request=s.AgencyWriteSerializer, responses={201: s.AgencySerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = _valid(s.AgencyWriteSerializer, request.data)
        agency = account_services.agency_create(
            actor=self.actor,
            name=data["name"],
            kind=data["kind"],
            is_first_responder=data.get("is_first_responder", False),
        )
        return Response(s.AgencySerializer(agency).data, status=status.HTTP_201_CREATED)


class AgencyDetailView(PolicyAPIView):
    rule = "can_manage_agencies"

    @extend_schema(
        request=s.AgencyWriteSerializer,
        responses={200: s.AgencySerializer, 409: s.ErrorSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: Any) -> Response:
        agency = account_selectors.agency_get_for_user(request.user, pk)
        if agency is None:
            raise Http404
        data = _valid(s.AgencyWriteSerializer, request.data, partial=True)
        version = _version(data)
        agency = account_services.agency_update(
            actor=self.actor, agency=agency, expected_version=version, **data
        )
        return Response(s.AgencySerializer(agency).data)


class YoungPersonListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_list_young_people"
    serializer_class = s.YoungPersonSerializer

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Search by name")],
        responses={200: s.YoungPersonSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        search = request.query_params.get("q", "")[:100]
        people = people_selectors.young_person_search_for_user(request.user, search=search)
        page = self.paginate_queryset(people) or []
        people_selectors.record_listing(request.user, count=len(page), search=search)
        return self.get_paginated_response(s.YoungPersonSerializer(page, many=True).data)

    @extend_schema(
        request=s.YoungPersonWriteSerializer,
        responses={201: s.YoungPersonSerializer, 409: s.ErrorSerializer, **ERRORS},
        description='409 lists likely existing records ("candidates": id, score, reasons); '
        'send "confirm_new": true to record a new young person anyway.',
    )
    def post(self, request: Request) -> Response:
        if not _check("can_record_young_person", request.user):
            raise NotPermitted()
        data = _valid(s.YoungPersonWriteSerializer, request.data)
        data["lead_professional"] = _lead_professional(self.actor, data.get("lead_professional"))
        conflict = api_conflict(request.user, data, request.data.get("confirm_new"))
        if conflict is not None:
            return Response(conflict, status=status.HTTP_409_CONFLICT)
        person = people_services.young_person_create(actor=self.actor, **data)
        return Response(s.YoungPersonSerializer(person).data, status=status.HTTP_201_CREATED)


class YoungPersonDetailView(PolicyAPIView):
    rule = "can_list_young_people"

    @extend_schema(responses={200: s.YoungPersonSerializer, 404: s.ErrorSerializer, **ERRORS})
    def get(self, request: Request, pk: Any) -> Response:
        seen = _seen(lambda: people_selectors.young_person_get_for_user(request.user, pk))
        return Response(s.YoungPersonSerializer(seen.person).data)

    @extend_schema(
        request=s.YoungPersonUpdateSerializer,
        responses={200: s.YoungPersonSerializer, 409: s.ErrorSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: Any) -> Response:
        seen = _seen(
            lambda: people_selectors.access_young_person(
                request.user, pk, rule="can_edit_young_person"
            )
        )
        data = _valid(s.YoungPersonUpdateSerializer, request.data)
        version = data.pop("version")
        if "lead_professional" in data:
            data["lead_professional"] = _lead_professional(self.actor, data["lead_professional"])
        person = people_services.young_person_update(
            actor=self.actor, person=seen.person, expected_version=version, **data
        )
        return Response(s.YoungPersonSerializer(person).data)

    @extend_schema(
        request=s.DeleteSerializer,
        responses={204: None, 409: s.ErrorSerializer, **ERRORS},
        summary="Soft-delete a young person's record (restorable)",
    )
    def delete(self, request: Request, pk: Any) -> Response:
        seen = _seen(
            lambda: people_selectors.access_young_person(
                request.user, pk, rule="can_delete_young_person"
            )
        )
        data = _valid(s.DeleteSerializer, request.data)
        people_services.young_person_delete(
            actor=self.actor,
            person=seen.person,
            expected_version=data["version"],
            reason=data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuditEventListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_audit"
    serializer_class = s.AuditEventSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("actor", str, description="Part of the user's name or e-mail"),
            OpenApiParameter(
                "subject", str, description="A young person's id (at least its first 8 characters)"
            ),
            OpenApiParameter(
                "target", str, description="A record's id (at least its first 8 characters)"
            ),
            OpenApiParameter("verb", str),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
        ],
        responses={200: s.AuditEventSerializer(many=True), **ERRORS},
        description="Each event shows a record's label, its young person's name and what "
        "changed only where you may open that record; otherwise the kind of record and its "
        "id, and the names of the fields that changed.",
    )
    def get(self, request: Request) -> Response:
        form = AuditFilterForm(request.query_params)
        if not form.is_valid():
            raise FieldErrors({f: " ".join(str(m) for m in ms) for f, ms in form.errors.items()})
        data = form.cleaned_data
        criteria = AuditFilter(
            actor=data.get("actor") or "",
            subject=data.get("subject") or "",
            target=data.get("target") or "",
            verb=data.get("verb") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        events = audit_events_for_user(request.user, criteria)
        page = present(request.user, self.paginate_queryset(events) or [])
        audit_record(
            actor=self.actor,
            verb=Verb.AUDIT_VIEWED,
            changes={k: str(v) for k, v in criteria.__dict__.items() if v},
        )
        return self.get_paginated_response(s.AuditEventSerializer(page, many=True).data)


def _check(rule: str, user: Any) -> bool:
    from riskpath.access import policy

    return policy.check(rule, user)


def _valid(serializer_class: Any, data: Any, partial: bool = False) -> dict[str, Any]:
    serializer = serializer_class(data=data, partial=partial)
    if not serializer.is_valid():
        errors: dict[str, str] = {}
        for field, messages in serializer.errors.items():
            name = "non_field_errors" if field == "non_field_errors" else field
            errors[name] = " ".join(str(m) for m in messages)
        raise FieldErrors(errors)
    return dict(serializer.validated_data)


def _version(data: dict[str, Any]) -> int:
    version = data.pop("version", None)
    if version is None:
        raise FieldErrors({"version": "Give the version your change is based on"})
    return int(version)


def _lead_professional(actor: User, pk: Any) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk, agency__area_id=actor.area_id).first()
    if user is None:
        raise FieldErrors({"lead_professional": "No such user in your area"})
    return user


def _seen(lookup: Any) -> Any:
    try:
        return lookup()
    except people_selectors.EmergencyAccessRequired as exc:
        raise NotPermitted(
            "You have no involvement with this young person. Emergency access can only be "
            "requested in riskpath's pages, where your reason is recorded."
        ) from exc
