"""API v1 endpoints for a meeting's agenda: read it, build it from the record, add, change,
remove (with a reason) and restore items, and reorder them. ``<meeting>`` is the meeting's id.

What each reader sees is the meeting page's (``riskpath.meetings.sight.meeting_sight``): those
who run the meeting see every item; other participants see an item only as their need-to-know
allows. A withheld item (``restricted``) has a title saying why and nothing else; an item a
reader may not know of (one carrying forward an action from a confidential slot they were not
in) is not listed."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.core.errors import FieldErrors
from riskpath.meetings import agenda, selectors
from riskpath.meetings.agenda import AgendaRow
from riskpath.meetings.agenda.sections import sectioned
from riskpath.meetings.models import AgendaSection, ItemKind, Meeting
from riskpath.people.models import YoungPerson


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    section = serializers.ChoiceField(
        choices=AgendaSection.choices, help_text="The section of the order of business"
    )
    title = serializers.CharField(help_text="Who or what the item is about, as you may know it")
    restricted = serializers.BooleanField(
        help_text="True when the item is withheld from you (a confidential slot you were not "
        "in, or about someone whose record you may not see): the title says which, and the "
        "other fields are empty"
    )
    detail = serializers.CharField(help_text="Why the item is on the agenda ('' if restricted)")
    built = serializers.BooleanField(help_text="Put on the agenda from the record")
    young_person = serializers.UUIDField(allow_null=True)
    person_of_interest = serializers.UUIDField(allow_null=True)
    location = serializers.UUIDField(allow_null=True)
    action = serializers.UUIDField(allow_null=True)
    minutes_allowed = serializers.IntegerField(allow_null=True)
    slot_starts_at = serializers.DateTimeField(allow_null=True)
    confidential = serializers.BooleanField()
    removed_at = serializers.DateTimeField(allow_null=True)
    removal_reason = serializers.CharField()
    version = serializers.IntegerField()


class AgendaSectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=AgendaSection.choices)
    name = serializers.CharField(help_text="The section's name, as the agenda prints it")
    count = serializers.IntegerField(help_text="Items of the section you may know of")
    minutes = serializers.IntegerField(help_text="Time allowed for its items, where set")


class AgendaSerializer(serializers.Serializer):
    meeting = serializers.UUIDField()
    built_at = serializers.DateTimeField(allow_null=True)
    sections = AgendaSectionSerializer(
        many=True, help_text="The sections in the order of business (empty ones left out)"
    )
    items = AgendaItemSerializer(
        many=True, help_text="In the order of business; only one section's with ?section="
    )
    removed = AgendaItemSerializer(many=True)


class AgendaItemAddSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    young_person = serializers.UUIDField(required=False, allow_null=True)
    minutes_allowed = serializers.IntegerField(required=False, allow_null=True)
    confidential = serializers.BooleanField(required=False, default=False)


class AgendaItemChangeSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=300)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    minutes_allowed = serializers.IntegerField(required=False, allow_null=True)
    confidential = serializers.BooleanField(required=False)
    version = serializers.IntegerField()


class AgendaItemRemoveSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the item is coming off the agenda: kept with the item"
    )
    version = serializers.IntegerField()


class AgendaReorderSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="Every item on the agenda (not removed), each once, in the new order: "
        "items keep to their sections, so this orders each section's items",
    )


def _row(row: AgendaRow) -> dict[str, Any]:
    item = row.item
    shown = not row.restricted
    return {
        "id": item.pk,
        "position": item.position,
        "kind": item.kind,
        "section": item.section,
        "title": row.subject,
        "restricted": row.restricted,
        "detail": row.detail,
        "built": item.built,
        "young_person": item.young_person_id if shown else None,
        "person_of_interest": item.person_of_interest_id if shown else None,
        "location": item.location_id if shown else None,
        "action": item.action_id if shown else None,
        "minutes_allowed": item.minutes_allowed,
        "slot_starts_at": item.slot_starts_at,
        "confidential": item.confidential,
        "removed_at": item.removed_at,
        "removal_reason": row.removal_reason,
        "version": item.version,
    }


def _agenda(user: Any, meeting: Meeting, section: str | None = None) -> dict[str, Any]:
    live, removed = agenda.agenda_for_user(user, meeting)
    sections = sectioned(live, limit=None)
    return AgendaSerializer(
        {
            "meeting": meeting.pk,
            "built_at": meeting.agenda_built_at,
            "sections": [
                {"key": s.key, "name": s.label, "count": s.count, "minutes": s.minutes}
                for s in sections
            ],
            "items": [_row(e.row) for s in sections if section in (None, s.key) for e in s.entries],
            "removed": [_row(r) for r in removed],
        }
    ).data


class AgendaQuerySerializer(serializers.Serializer):
    section = serializers.ChoiceField(
        choices=AgendaSection.choices,
        required=False,
        help_text="Only the items of this section (the agenda of a large area is long)",
    )


class AgendaItemsRemoveSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=serializers.UUIDField(), help_text="The items to take off the agenda"
    )
    reason = serializers.CharField(
        max_length=2000, help_text="Why they are coming off the agenda: kept with each item"
    )


RESPONSES = {200: AgendaSerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS}


class AgendaView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        parameters=[AgendaQuerySerializer],
        responses=RESPONSES,
        summary="A meeting's agenda by section, with the items removed",
    )
    def get(self, request: Request, pk: Any) -> Response:
        query = _valid(AgendaQuerySerializer, request.query_params)
        meeting = selectors.meeting_get_for_user(request.user, pk)
        return Response(_agenda(request.user, meeting, query.get("section")))


class AgendaItemsRemoveView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=AgendaItemsRemoveSerializer,
        responses=RESPONSES,
        summary="Take several items off the agenda with one reason, all or none (chair, "
        "business support)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        data = _valid(AgendaItemsRemoveSerializer, request.data)
        agenda.agenda_items_remove(
            actor=self.actor, meeting=meeting, item_ids=data["items"], reason=data["reason"]
        )
        return Response(_agenda(request.user, meeting))


class AgendaBuildView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=None,
        responses=RESPONSES,
        summary="Add to the agenda what the record puts on it (chair, business support)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        agenda.agenda_build(actor=self.actor, meeting=meeting)
        return Response(_agenda(request.user, meeting))


class AgendaItemListView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=AgendaItemAddSerializer,
        responses={201: AgendaSerializer, 404: ErrorSerializer, **ERRORS},
        summary="Add an item to the end of the agenda (chair, business support)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        data = _valid(AgendaItemAddSerializer, request.data)
        person_id = data.pop("young_person", None)
        person = None
        if person_id is not None:
            person = YoungPerson.objects.filter(pk=person_id, area_id=meeting.area_id).first()
            if person is None:
                raise FieldErrors({"young_person": "No such young person in your area"})
        agenda.agenda_item_add(actor=self.actor, meeting=meeting, young_person=person, **data)
        return Response(_agenda(request.user, meeting), status=status.HTTP_201_CREATED)


class AgendaItemDetailView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=AgendaItemChangeSerializer,
        responses=RESPONSES,
        summary="Change an item's title, detail, time allowed or confidential slot",
    )
    def patch(self, request: Request, pk: Any, item_pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        item = agenda.access_agenda_item(meeting, item_pk)
        data = _valid(AgendaItemChangeSerializer, request.data, partial=True)
        version = _version(data)
        agenda.agenda_item_change(actor=self.actor, item=item, expected_version=version, **data)
        return Response(_agenda(request.user, meeting))


class AgendaItemRemoveView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=AgendaItemRemoveSerializer,
        responses=RESPONSES,
        summary="Take an item off the agenda, saying why (chair, business support)",
    )
    def post(self, request: Request, pk: Any, item_pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        item = agenda.access_agenda_item(meeting, item_pk)
        data = _valid(AgendaItemRemoveSerializer, request.data)
        agenda.agenda_item_remove(
            actor=self.actor, item=item, expected_version=data["version"], reason=data["reason"]
        )
        return Response(_agenda(request.user, meeting))


class AgendaItemRestoreView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=None,
        responses=RESPONSES,
        summary="Put a removed item back at the end of the agenda (chair, business support)",
    )
    def post(self, request: Request, pk: Any, item_pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        item = agenda.access_agenda_item(meeting, item_pk)
        agenda.agenda_item_restore(actor=self.actor, item=item, expected_version=item.version)
        return Response(_agenda(request.user, meeting))


class AgendaReorderView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        request=AgendaReorderSerializer,
        responses=RESPONSES,
        summary="Put the agenda's items in a new order (chair, business support)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk, rule="can_edit_agenda")
        data = _valid(AgendaReorderSerializer, request.data)
        agenda.agenda_reorder(actor=self.actor, meeting=meeting, order=data["order"])
        return Response(_agenda(request.user, meeting))


urlpatterns = [
    path("meetings/<uuid:pk>/agenda/", AgendaView.as_view(), name="agenda"),
    path("meetings/<uuid:pk>/agenda/build/", AgendaBuildView.as_view(), name="agenda_build"),
    path("meetings/<uuid:pk>/agenda/items/", AgendaItemListView.as_view(), name="agenda_items"),
    path(
        "meetings/<uuid:pk>/agenda/items/<uuid:item_pk>/",
        AgendaItemDetailView.as_view(),
        name="agenda_item",
    ),
    path(
        "meetings/<uuid:pk>/agenda/items/<uuid:item_pk>/remove/",
        AgendaItemRemoveView.as_view(),
        name="agenda_item_remove",
    ),
    path(
        "meetings/<uuid:pk>/agenda/items/<uuid:item_pk>/restore/",
        AgendaItemRestoreView.as_view(),
        name="agenda_item_restore",
    ),
    path("meetings/<uuid:pk>/agenda/order/", AgendaReorderView.as_view(), name="agenda_reorder"),
    path(
        "meetings/<uuid:pk>/agenda/remove-several/",
        AgendaItemsRemoveView.as_view(),
        name="agenda_items_remove",
    ),
]
