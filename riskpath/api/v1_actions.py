"""API v1 endpoints for actions from meetings (the register, "my actions", one action with its
updates, closing with an outcome), partner-system tasks with their text extracts, and the
HSB/AIM panel's referral slots. Thin over ``riskpath.meetings.actions``, ``tasks`` and
``slots``; the same rules and audit as the pages."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.accounts.models import Agency, User
from riskpath.api.serializers import ErrorSerializer
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.core.errors import FieldErrors
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.meetings import actions, selectors, sight, slots, tasks
from riskpath.meetings.models import AgendaItem, MeetingType, PartnerSystem
from riskpath.people.models import PersonOfInterest, YoungPerson

# ---------------------------------------------------------------------------------------------
# Serializers
# ---------------------------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer):
    """An action as the user may see it: a young person they are not involved with is not
    named (``young_person`` is null and ``about`` says so). An action raised in a confidential
    slot is listed only for those who were in the slot and for its owner."""

    id = serializers.UUIDField(source="action.pk")
    meeting = serializers.UUIDField(source="action.meeting_id")
    meeting_type = serializers.CharField(source="action.meeting.meeting_type.name")
    meeting_starts_at = serializers.DateTimeField(source="action.meeting.starts_at")
    item = serializers.UUIDField(
        source="item_id",
        allow_null=True,
        help_text="The agenda item it was raised against; null when raised outside an item, or "
        "in a confidential slot you were not in (you own the action: the slot is not yours)",
    )
    description = serializers.CharField(source="action.description")
    owner_user = serializers.UUIDField(source="action.owner_user_id", allow_null=True)
    owner_agency = serializers.UUIDField(source="action.owner_agency_id", allow_null=True)
    owner = serializers.CharField(help_text="The owner in words: person and/or agency")
    young_person = serializers.SerializerMethodField()
    person_of_interest = serializers.UUIDField(
        source="action.person_of_interest_id", allow_null=True
    )
    location = serializers.UUIDField(source="action.location_id", allow_null=True)
    group = serializers.UUIDField(source="action.group_id", allow_null=True)
    about = serializers.CharField(help_text="Whom or what the action is about, in words")
    due_on = serializers.DateField(source="action.due_on")
    overdue = serializers.BooleanField()
    status = serializers.CharField(source="action.status", help_text="open or closed")
    outcome = serializers.CharField(source="action.outcome")
    closed_at = serializers.DateTimeField(source="action.closed_at", allow_null=True)
    created_at = serializers.DateTimeField(source="action.created_at")
    version = serializers.IntegerField(source="action.version")

    def get_young_person(self, row: actions.ActionRow) -> str | None:
        if row.action.young_person_id is None or not row.young_person_visible:
            return None
        return str(row.action.young_person_id)


class ActionUpdateSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    text = serializers.CharField()
    recorded_by = serializers.UUIDField(source="recorded_by_id")
    recorded_by_name = serializers.CharField(source="recorded_by.full_name")
    recorded_at = serializers.DateTimeField()


class ActionDetailSerializer(ActionSerializer):
    updates = ActionUpdateSerializer(many=True, source="extra.updates")


class ActionCreateSerializer(serializers.Serializer):
    meeting = serializers.UUIDField()
    description = serializers.CharField(max_length=actions.DESCRIPTION_MAX)
    due_on = serializers.DateField()
    owner_user = serializers.UUIDField(required=False, allow_null=True)
    owner_agency = serializers.UUIDField(required=False, allow_null=True)
    item = serializers.UUIDField(required=False, allow_null=True)
    young_person = serializers.UUIDField(required=False, allow_null=True)
    person_of_interest = serializers.UUIDField(required=False, allow_null=True)
    location = serializers.UUIDField(required=False, allow_null=True)
    group = serializers.UUIDField(required=False, allow_null=True)


class ActionPatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The action's version; 409 if stale")
    description = serializers.CharField(max_length=actions.DESCRIPTION_MAX, required=False)
    due_on = serializers.DateField(required=False)
    owner_user = serializers.UUIDField(required=False, allow_null=True)
    owner_agency = serializers.UUIDField(required=False, allow_null=True)


class ActionCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=actions.TEXT_MAX, allow_blank=True)
    version = serializers.IntegerField(min_value=1, help_text="The action's version; 409 if stale")


class ActionUpdateWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=actions.TEXT_MAX, allow_blank=True)


class PartnerTaskSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    decision = serializers.UUIDField(source="decision_id")
    decision_kind = serializers.CharField(source="decision.kind")
    meeting = serializers.UUIDField(source="decision.item.meeting_id")
    system = serializers.CharField(help_text="mosaic, liquidlogic, niche or flare")
    assignee = serializers.UUIDField(source="assignee_id", allow_null=True)
    extract = serializers.CharField(help_text="The plain text to copy into the partner system")
    done_at = serializers.DateTimeField(allow_null=True)
    done_by = serializers.UUIDField(source="done_by_id", allow_null=True)
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField()


class PartnerTaskCreateSerializer(serializers.Serializer):
    decision = serializers.UUIDField()
    system = serializers.ChoiceField(choices=PartnerSystem.choices)
    assignee = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Who carries it in; the young person's lead professional if left out",
    )


class PartnerTaskDoneSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The record's version; 409 if stale")


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    time = serializers.CharField(source="label", help_text="The slot's start as HH:MM")
    free = serializers.BooleanField(source="is_free")
    item = serializers.UUIDField(source="item.pk", allow_null=True, default=None)
    title = serializers.SerializerMethodField(
        help_text="The booked referral as you may know it (a referral you may not see says so, "
        "never the name); null for a free slot"
    )

    def get_title(self, slot: slots.Slot) -> str | None:
        return slot.title if slot.item is not None else None


class SlotBookSerializer(serializers.Serializer):
    slot = serializers.CharField(help_text='The slot\'s start, "13:30" or an ISO date-time')
    young_person = serializers.UUIDField()
    title = serializers.CharField(max_length=slots.TITLE_MAX)


class SlotBookedSerializer(serializers.Serializer):
    item = serializers.UUIDField(source="pk")
    slot = serializers.DateTimeField(source="slot_starts_at")
    position = serializers.IntegerField()
    title = serializers.CharField()


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _in_area(model: type[models.Model], pk: Any, field: str, area_id: Any, noun: str) -> Any:
    if pk is None:
        return None
    if model is User:
        qs: Any = User.objects.filter(agency__area_id=area_id)
    else:
        qs = model._default_manager.filter(area_id=area_id)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise FieldErrors({field: f"No such {noun} in your area"})
    return found


OWNER_FIELDS = {"owner_user": (User, "user"), "owner_agency": (Agency, "agency")}
ABOUT_FIELDS = {
    "young_person": (YoungPerson, "young person"),
    "person_of_interest": (PersonOfInterest, "person of interest"),
    "location": (Location, "location"),
    "group": (Group, "group"),
}


def _row(user: Any, action: Any, **extra: Any) -> actions.ActionRow:
    row = actions.rows_for(user, [action])[0]
    row.extra.update(extra)
    return row


def _detail(user: Any, action: Any) -> dict[str, Any]:
    return ActionDetailSerializer(_row(user, action, updates=actions.updates_of(action))).data


FILTER_PARAMS = [
    OpenApiParameter("status", str, enum=list(actions.STATUS_FILTERS), description="open default"),
    OpenApiParameter("owner_agency", str, description="An agency id (owning, or the owner's)"),
    OpenApiParameter("overdue", bool, description="Only open actions past their due date"),
    OpenApiParameter("meeting_type", str, description="A meeting type id"),
    OpenApiParameter("due_before", str, description="Due before this date (YYYY-MM-DD)"),
]


class _FilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=list(actions.STATUS_FILTERS), required=False)
    owner_agency = serializers.UUIDField(required=False)
    overdue = serializers.BooleanField(required=False)
    meeting_type = serializers.UUIDField(required=False)
    due_before = serializers.DateField(required=False)


# ---------------------------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------------------------


class ActionListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_actions"
    serializer_class = ActionSerializer

    @extend_schema(
        parameters=FILTER_PARAMS,
        responses={200: ActionSerializer(many=True), **ERRORS},
        summary="The action register: actions from every meeting in your area",
    )
    def get(self, request: Request) -> Response:
        data = _valid(_FilterSerializer, request.query_params.dict())
        user: Any = request.user
        if (
            data.get("meeting_type")
            and not MeetingType.objects.filter(
                pk=data["meeting_type"], area_id=user.area_id
            ).exists()
        ):
            raise FieldErrors({"meeting_type": "No such meeting type in your area"})
        criteria = actions.ActionFilter(
            status=data.get("status") or "open",
            owner_agency=data.get("owner_agency"),
            overdue=bool(data.get("overdue")),
            meeting_type=data.get("meeting_type"),
            due_before=data.get("due_before"),
        )
        qs = actions.action_register_for_user(request.user, criteria)
        page = self.paginate_queryset(qs) or []
        assert self.paginator is not None
        count = self.paginator.page.paginator.count  # type: ignore[attr-defined]
        actions.record_action_listing(request.user, count=count, filters=criteria.as_audit())
        rows = actions.rows_for(request.user, page)
        return self.get_paginated_response(ActionSerializer(rows, many=True).data)

    @extend_schema(
        request=ActionCreateSerializer,
        responses={201: ActionDetailSerializer, **ERRORS},
        summary="Record an action at a meeting (its chair or business support)",
    )
    def post(self, request: Request) -> Response:
        user = request.user
        data = _valid(ActionCreateSerializer, request.data)
        try:
            meeting = selectors.access_meeting(user, data.pop("meeting"))
        except Http404 as exc:
            raise FieldErrors({"meeting": "No such meeting"}) from exc
        area_id = meeting.area_id
        for name, (model, noun) in {**OWNER_FIELDS, **ABOUT_FIELDS}.items():
            data[name] = _in_area(model, data.get(name), name, area_id, noun)
        if data.get("item") is not None:
            item = AgendaItem.objects.filter(pk=data["item"], meeting=meeting).first()
            if item is None:
                raise FieldErrors({"item": "No such item on this meeting's agenda"})
            data["item"] = item
        action = actions.action_create(actor=user, meeting=meeting, **data)
        return Response(
            _detail(user, actions.access_action(user, action.pk)), status=status.HTTP_201_CREATED
        )


class ActionDetailView(PolicyAPIView):
    rule = "can_view_actions"

    @extend_schema(
        responses={200: ActionDetailSerializer, 404: ErrorSerializer, **ERRORS},
        summary="One action with its updates",
    )
    def get(self, request: Request, pk: Any) -> Response:
        return Response(_detail(request.user, actions.action_get_for_user(request.user, pk)))

    @extend_schema(
        request=ActionPatchSerializer,
        responses={
            200: ActionDetailSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Change an open action's description, due date or owner",
    )
    def patch(self, request: Request, pk: Any) -> Response:
        user = request.user
        action = actions.access_action(user, pk, rule="can_update_action")
        data = _valid(ActionPatchSerializer, request.data)
        version = _version(data)
        for name, (model, noun) in OWNER_FIELDS.items():
            if name in data:
                data[name] = _in_area(model, data[name], name, action.area_id, noun)
        actions.action_edit(actor=user, action=action, expected_version=version, **data)
        return Response(_detail(user, actions.access_action(user, pk)))


class ActionCloseView(PolicyAPIView):
    rule = "can_view_actions"

    @extend_schema(
        request=ActionCloseSerializer,
        responses={
            200: ActionDetailSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Close an action with its outcome",
    )
    def post(self, request: Request, pk: Any) -> Response:
        user = request.user
        action = actions.access_action(user, pk, rule="can_update_action")
        data = _valid(ActionCloseSerializer, request.data)
        version = _version(data)
        actions.action_close(
            actor=user, action=action, outcome=data["outcome"], expected_version=version
        )
        return Response(_detail(user, actions.access_action(user, pk)))


class ActionUpdatesView(PolicyAPIView):
    rule = "can_view_actions"

    @extend_schema(
        responses={200: ActionUpdateSerializer(many=True), 404: ErrorSerializer, **ERRORS},
        summary="An action's dated updates",
    )
    def get(self, request: Request, pk: Any) -> Response:
        action = actions.action_get_for_user(request.user, pk)
        return Response(ActionUpdateSerializer(actions.updates_of(action), many=True).data)

    @extend_schema(
        request=ActionUpdateWriteSerializer,
        responses={201: ActionUpdateSerializer, 404: ErrorSerializer, **ERRORS},
        summary="Add a dated update to an action (its owner, their agency, business support, "
        "the meeting's chair)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        action = actions.access_action(request.user, pk, rule="can_update_action")
        data = _valid(ActionUpdateWriteSerializer, request.data)
        update = actions.action_add_update(actor=self.actor, action=action, text=data["text"])
        return Response(ActionUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class MyActionsView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_actions"
    serializer_class = ActionSerializer

    @extend_schema(
        responses={200: ActionSerializer(many=True), **ERRORS},
        summary="Actions you or your agency own, open first",
    )
    def get(self, request: Request) -> Response:
        qs = actions.my_actions_for_user(request.user)
        page = self.paginate_queryset(qs) or []
        assert self.paginator is not None
        count = self.paginator.page.paginator.count  # type: ignore[attr-defined]
        actions.record_action_listing(request.user, count=count, filters={"mine": True})
        rows = actions.rows_for(request.user, page)
        return self.get_paginated_response(ActionSerializer(rows, many=True).data)


# ---------------------------------------------------------------------------------------------
# Partner-system tasks
# ---------------------------------------------------------------------------------------------


class PartnerTaskListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_partner_tasks"
    serializer_class = PartnerTaskSerializer

    @extend_schema(
        responses={200: PartnerTaskSerializer(many=True), **ERRORS},
        summary="Partner-system tasks assigned to you, open first",
    )
    def get(self, request: Request) -> Response:
        qs = tasks.partner_tasks_for_user(request.user)
        page = self.paginate_queryset(qs) or []
        tasks.record_task_listing(request.user, count=len(page))
        return self.get_paginated_response(PartnerTaskSerializer(page, many=True).data)

    @extend_schema(
        request=PartnerTaskCreateSerializer,
        responses={201: PartnerTaskSerializer, **ERRORS},
        summary="Mark that a decision must be carried into a partner system (the meeting's "
        "chair or business support)",
    )
    def post(self, request: Request) -> Response:
        user = request.user
        data = _valid(PartnerTaskCreateSerializer, request.data)
        try:
            decision = tasks.access_decision(user, data["decision"])
        except Http404 as exc:
            raise FieldErrors({"decision": "No such decision"}) from exc
        assignee = _in_area(
            User, data.get("assignee"), "assignee", decision.item.meeting.area_id, "user"
        )
        task = tasks.partner_task_create(
            actor=user, decision=decision, system=data["system"], assignee=assignee
        )
        return Response(PartnerTaskSerializer(task).data, status=status.HTTP_201_CREATED)


class PartnerTaskDetailView(PolicyAPIView):
    rule = "can_view_partner_tasks"

    @extend_schema(
        responses={200: PartnerTaskSerializer, 404: ErrorSerializer, **ERRORS},
        summary="One partner-system task with its text extract (the view is recorded)",
    )
    def get(self, request: Request, pk: Any) -> Response:
        task = tasks.partner_task_get_for_user(request.user, pk)
        return Response(PartnerTaskSerializer(task).data)


class PartnerTaskDoneView(PolicyAPIView):
    rule = "can_view_partner_tasks"

    @extend_schema(
        request=PartnerTaskDoneSerializer,
        responses={
            200: PartnerTaskSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            **ERRORS,
        },
        summary="Record that the task has been carried into the partner system",
    )
    def post(self, request: Request, pk: Any) -> Response:
        task = tasks.access_partner_task(request.user, pk, rule="can_complete_partner_task")
        data = _valid(PartnerTaskDoneSerializer, request.data)
        task = tasks.partner_task_done(actor=self.actor, task=task, expected_version=_version(data))
        return Response(PartnerTaskSerializer(task).data)


# ---------------------------------------------------------------------------------------------
# HSB/AIM slots
# ---------------------------------------------------------------------------------------------


class MeetingSlotsView(PolicyAPIView):
    rule = "can_list_meetings"

    @extend_schema(
        responses={200: SlotSerializer(many=True), 404: ErrorSerializer, **ERRORS},
        summary="An HSB/AIM panel's referral slots, free or booked",
    )
    def get(self, request: Request, pk: Any) -> Response:
        meeting = selectors.access_meeting(request.user, pk)
        selectors.record_meeting_read(request.user, meeting, "slots")
        seen = sight.meeting_sight(request.user, meeting)
        return Response(SlotSerializer(slots.slots_as_seen(seen), many=True).data)

    @extend_schema(
        request=SlotBookSerializer,
        responses={201: SlotBookedSerializer, 404: ErrorSerializer, **ERRORS},
        summary="Book a referral into a free slot (the chair or business support)",
    )
    def post(self, request: Request, pk: Any) -> Response:
        user = request.user
        meeting = selectors.access_meeting(user, pk, rule="can_edit_agenda")
        data = _valid(SlotBookSerializer, request.data)
        person = _in_area(
            YoungPerson, data["young_person"], "young_person", meeting.area_id, "young person"
        )
        starts_at = slots.slot_parse(meeting, data["slot"])
        if starts_at is None and slots.has_slots(meeting):
            raise FieldErrors({"slot": "Choose one of the panel's slots"})
        item = slots.slot_book(
            actor=user,
            meeting=meeting,
            starts_at=starts_at,
            young_person=person,
            title=data["title"],
        )
        return Response(SlotBookedSerializer(item).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("actions/", ActionListView.as_view(), name="action_list"),
    path("actions/mine/", MyActionsView.as_view(), name="my_actions"),
    path("actions/<uuid:pk>/", ActionDetailView.as_view(), name="action_detail"),
    path("actions/<uuid:pk>/close/", ActionCloseView.as_view(), name="action_close"),
    path("actions/<uuid:pk>/updates/", ActionUpdatesView.as_view(), name="action_updates"),
    path("partner-tasks/", PartnerTaskListView.as_view(), name="partner_task_list"),
    path("partner-tasks/<uuid:pk>/", PartnerTaskDetailView.as_view(), name="partner_task_detail"),
    path("partner-tasks/<uuid:pk>/done/", PartnerTaskDoneView.as_view(), name="partner_task_done"),
    path("meetings/<uuid:pk>/slots/", MeetingSlotsView.as_view(), name="meeting_slots"),
]
