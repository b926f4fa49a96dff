"""API v1: the signed-in user's own work list and notifications. Thin over
``riskpath.work.selectors`` and ``riskpath.notifications``; the same rules and audit as the
home page."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.api.views import ERRORS, PolicyAPIView, _valid
from riskpath.core.errors import FieldErrors
from riskpath.notifications import services as notification_services
from riskpath.notifications.kinds import label
from riskpath.notifications.selectors import notifications_for_user
from riskpath.work.items import KINDS, WHOSE, WorkItem, section
from riskpath.work.selectors import WorkList, work_for_user


class WorkObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='The kind of record, e.g. "pathway.episode"')
    id = serializers.CharField()


class WorkItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    title = serializers.CharField(help_text="What to do")
    about = serializers.CharField(help_text="Whom or what it concerns, as you may see it")
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    section = serializers.CharField(help_text="overdue, soon, later, waiting or team")
    whose = serializers.ChoiceField(
        choices=list(WHOSE),
        help_text="mine; waiting (your case, someone else's step); team (your team's or area's)",
    )
    url = serializers.CharField(help_text="The page where it is done")
    object = WorkObjectSerializer()


class WorkListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="By kind")
    results = WorkItemSerializer(many=True)


def _item(item: WorkItem, work: WorkList) -> dict[str, object]:
    return {
        "kind": item.kind,
        "title": item.title,
        "about": item.about,
        "due": item.due,
        "overdue": item.overdue(work.ctx.today),
        "section": section(item, work.ctx),
        "whose": item.whose,
        "url": item.url,
        "object": {"type": item.object_type, "id": item.object_id},
    }


class MyWorkView(PolicyAPIView):
    rule = "can_view_own_work"

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=list(KINDS), description="Only work of this kind")
        ],
        responses={200: WorkListSerializer, **ERRORS},
        summary="Your work: overdue first, then due soon, then waiting on others",
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "")
        if kind and kind not in KINDS:
            raise FieldErrors({"kind": f"Choose one of: {', '.join(KINDS)}"})
        work = work_for_user(self.actor, kind=kind)
        data = {
            "count": len(work.items),
            "counts": work.counts,
            "results": [_item(i, work) for i in work.items],
        }
        return Response(WorkListSerializer(data).data)


class NotificationSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    title = serializers.CharField()
    url = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_kind_label(self, obj: object) -> str:
        return label(getattr(obj, "kind", ""))


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="Those to mark read"
    )
    all = serializers.BooleanField(required=False, default=False, help_text="Mark all read")


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class MyNotificationsView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_have_notifications"
    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread ones")],
        responses={200: NotificationSerializer(many=True), **ERRORS},
        summary="Your notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        unread = request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        page = self.paginate_queryset(notifications_for_user(self.actor, unread_only=unread))
        return self.get_paginated_response(NotificationSerializer(page or [], many=True).data)


class MarkNotificationsReadView(PolicyAPIView):
    rule = "can_have_notifications"

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: MarkedSerializer, **ERRORS},
        summary="Mark some of your notifications (ids) or all of them (all) read",
    )
    def post(self, request: Request) -> Response:
        data = _valid(MarkReadSerializer, request.data)
        ids = data.get("ids")
        if not ids and not data.get("all"):
            raise FieldErrors({"ids": "Give the ids of the notifications to mark read, or all"})
        marked = notification_services.mark_read(actor=self.actor, ids=None if data["all"] else ids)
        return Response({"marked": marked})


urlpatterns = [
    path("me/work/", MyWorkView.as_view(), name="my_work"),
    path("me/notifications/", MyNotificationsView.as_view(), name="my_notifications"),
    path(
        "me/notifications/read/",
        MarkNotificationsReadView.as_view(),
        name="my_notifications_read",
    ),
]
