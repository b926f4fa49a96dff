"""API v1 endpoints for the Risk Management Pathway: the episodes a user may see (listing and
one episode, both audited), opening an episode, one operation per named action of the state
machine (``riskpath.pathway.machine.TRANSITIONS``), confirming a partner-system flag, and the
quarterly timeliness figures. Thin over ``riskpath.pathway.services`` and ``selectors``: the
same rules, refusals and audit events as the pages.

The action endpoints are generated from one table (``ACTION_FIELDS`` in
``v1_episodes_serializers``): each action gets its own request serializer and its own
documented operation, ``episodes_<action>``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from riskpath.access import policy
from riskpath.accounts.models import Agency, User
from riskpath.api.serializers import ErrorSerializer
from riskpath.api.v1_episodes_serializers import (
    ACTION_SERIALIZERS,
    REFERENCES,
    EpisodeActionSerializer,
    EpisodeCreateSerializer,
    EpisodeSerializer,
    FlagConfirmSerializer,
    FlagSerializer,
    TimelinessSerializer,
    _camel,
    _FilterSerializer,
)
from riskpath.api.views import ERRORS, PolicyAPIView, _valid, _version
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.pathway import machine, selectors, services
from riskpath.pathway.models import (
    Episode,
    EpisodeEvent,
    EpisodeKind,
    EpisodeStatus,
    Flag,
    Marmm,
    PlanAction,
)
from riskpath.people.models import YoungPerson

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _detail_queryset(qs: QuerySet[Episode]) -> QuerySet[Episode]:
    return qs.select_related(
        "area", "young_person", "social_worker", "team_manager", "nrm_referrer_agency"
    ).prefetch_related(
        Prefetch("marmms", queryset=Marmm.objects.order_by("held_on", "created_at")),
        Prefetch("flags", queryset=Flag.objects.order_by("raised_on", "purpose", "system")),
        Prefetch("plan_actions", queryset=PlanAction.objects.order_by("section", "created_at")),
        Prefetch(
            "events",
            queryset=EpisodeEvent.objects.select_related("actor").order_by("at", "created_at"),
        ),
    )


def _context(user: Any) -> dict[str, Any]:
    return {"user": user, "today": clock.today(), "owners": selectors.Owners()}


def _episode_data(user: Any, pk: Any) -> Any:
    """The episode as it is now, for the user who just changed it (already checked)."""
    episode = _detail_queryset(Episode.objects.filter(pk=pk)).get()
    return EpisodeSerializer(episode, context=_context(user)).data


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


LIST_PARAMS = [
    OpenApiParameter("status", str, enum=list(EpisodeStatus.values)),
    OpenApiParameter("team", str, description="The team's name, exactly"),
    OpenApiParameter("overdue", bool, description="Only episodes with a step past its due date"),
]


# ---------------------------------------------------------------------------------------------
# Episodes
# ---------------------------------------------------------------------------------------------


class EpisodeListView(PolicyAPIView, generics.GenericAPIView):
    rule = "can_view_episode"
    serializer_class = EpisodeSerializer

    @extend_schema(
        parameters=LIST_PARAMS,
        responses={200: EpisodeSerializer(many=True), **ERRORS},
        summary="The pathway episodes you may see, newest first",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        data = _valid(_FilterSerializer, request.query_params.dict())
        qs = selectors.episode_queryset_for_user(user)
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("team"):
            qs = qs.filter(team=data["team"])
        qs = _detail_queryset(qs.order_by("-created_at"))
        context = _context(user)
        episodes: Any = qs
        if data.get("overdue"):
            today = context["today"]
            episodes = [
                e
                for e in selectors.with_urgency(qs)
                if (due := selectors.earliest_due(e)) is not None and due < today
            ]
        page = self.paginate_queryset(episodes) or []
        context["steppable"] = selectors.steppable(self.actor, page)
        assert self.paginator is not None
        count = self.paginator.page.paginator.count  # type: ignore[attr-defined]
        filters = {k: v for k, v in data.items() if v not in (None, "", False)}
        selectors.record_episode_listing(user, count=count, filters=filters)
        return self.get_paginated_response(EpisodeSerializer(page, many=True, context=context).data)

    @extend_schema(
        request=EpisodeCreateSerializer,
        responses={201: EpisodeSerializer, **ERRORS},
        summary="Start the pathway for a young person",
        description="Under 18 from a strategy discussion (strategy_discussion_date), a care "
        "leaver (18 to 25) from a care leavers safeguarding meeting (care_leavers_meeting_date). "
        "A social worker, team manager, service manager or consultant social worker.",
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not policy.check("can_open_episode", user):
            raise NotPermitted(
                "Only a social worker, team manager, service manager or consultant social "
                "worker can start the pathway for a young person."
            )
        data = _valid(EpisodeCreateSerializer, request.data)
        area_id = user.area_id
        person = YoungPerson.objects.filter(pk=data.pop("young_person"), area_id=area_id).first()
        if person is None or not policy.check("can_view_young_person", user, person):
            raise FieldErrors({"young_person": "No such young person in your area"})
        for name in ("social_worker", "team_manager"):
            data[name] = _in_area(User, data.get(name), name, area_id, "user")
        invited = []
        for pk in data.pop("agencies_invited", None) or []:
            invited.append(_in_area(Agency, pk, "agencies_invited", area_id, "agency"))
        episode = services.episode_open(
            actor=user, young_person=person, agencies_invited=invited, **data
        )
        return Response(_episode_data(user, episode.pk), status=status.HTTP_201_CREATED)


class EpisodeDetailView(PolicyAPIView):
    rule = "can_view_episode"

    @extend_schema(
        responses={200: EpisodeSerializer, 404: ErrorSerializer, **ERRORS},
        summary="One pathway episode with its MARMMs, plan, flags, next steps and history "
        "(the read is recorded)",
    )
    def get(self, request: Request, pk: Any) -> Response:
        selectors.episode_get_for_user(request.user, pk)
        return Response(_episode_data(request.user, pk))


class EpisodeActionView(PolicyAPIView):
    """Take one named action on an episode. Subclassed once per action below."""

    rule = "can_record_episode_step"
    action_name: ClassVar[str] = ""
    request_serializer: ClassVar[type[EpisodeActionSerializer]] = EpisodeActionSerializer

    def post(self, request: Request, pk: Any) -> Response:
        user: Any = request.user
        episode = selectors.access_episode(user, pk).episode
        data = _valid(self.request_serializer, request.data)
        version = _version(data)
        for name, (model, noun) in REFERENCES.items():
            if name in data:
                data[name] = _in_area(model, data[name], name, episode.area_id, noun)
        services.episode_act(
            actor=user,
            episode=episode,
            action=self.action_name,
            expected_version=version,
            data=data,
        )
        return Response(_episode_data(user, episode.pk))


def _action_view(name: str) -> type[EpisodeActionView]:
    transition = machine.BY_NAME[name]
    kinds = sorted(EpisodeKind(k).label.lower() for k in transition.kinds)
    statuses = sorted(transition.sources)
    description = (
        f"Who may take it: {machine.role_names(transition.roles)}. "
        f"For: {' and '.join(kinds)}. "
        f"From status: {', '.join(statuses)}. "
        f"Otherwise refused (400): {transition.first}"
    )

    @extend_schema(
        operation_id=f"episodes_{name}",
        summary=transition.label,
        description=description,
        request=ACTION_SERIALIZERS[name],
        responses={200: EpisodeSerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
    )
    def post(self: EpisodeActionView, request: Request, pk: Any) -> Response:
        return EpisodeActionView.post(self, request, pk)

    return type(
        f"Episode{_camel(name)}View",
        (EpisodeActionView,),
        {
            "action_name": name,
            "request_serializer": ACTION_SERIALIZERS[name],
            "post": post,
            "__module__": __name__,
            "__doc__": transition.label,
        },
    )


ACTION_VIEWS: dict[str, type[EpisodeActionView]] = {
    name: _action_view(name) for name in machine.ACTION_NAMES
}


class FlagConfirmView(PolicyAPIView):
    rule = "can_confirm_flag"

    @extend_schema(
        request=FlagConfirmSerializer,
        responses={200: FlagSerializer, 404: ErrorSerializer, 409: ErrorSerializer, **ERRORS},
        operation_id="episodes_flag_confirm",
        summary="Confirm a flag was added to (or removed from) your agency's system",
        description="A user of the system's agency: social care, police or health.",
    )
    def post(self, request: Request, flag_id: Any) -> Response:
        user: Any = request.user
        flag = (
            Flag.objects.select_related("episode__young_person", "episode__area")
            .filter(pk=flag_id, episode__area_id=user.area_id)
            .first()
        )
        if flag is None or not policy.check("can_view_episode", user, flag.episode):
            raise Http404("No such flag")
        data = _valid(FlagConfirmSerializer, request.data)
        version = _version(data)
        flag = services.flag_confirm(
            actor=user, flag=flag, expected_version=version, confirmed_on=data["confirmed_on"]
        )
        return Response(FlagSerializer(flag, context={"today": clock.today()}).data)


class TimelinessView(PolicyAPIView):
    rule = "can_view_timeliness"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "quarter", str, description="As 2026-Q3; the current quarter if left out"
            )
        ],
        responses={200: TimelinessSerializer, **ERRORS},
        operation_id="episodes_timeliness",
        summary="The pathway's timeliness figures for a quarter in your area (counts only)",
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        text = request.query_params.get("quarter", "").strip()
        if text:
            try:
                quarter = selectors.Quarter.parse(text[:20])
            except ValueError:
                raise FieldErrors(
                    {"quarter": "Give the quarter as YYYY-Qn, e.g. 2026-Q3"}
                ) from None
        else:
            quarter = selectors.Quarter.containing(clock.today())
        measures = selectors.timeliness(user.area_id, quarter)
        selectors.record_timeliness_read(user, quarter)
        body = {
            "quarter": str(quarter),
            "start": quarter.start,
            "end": quarter.end,
            "measures": [
                {
                    "key": m.key,
                    "label": m.label,
                    "target": m.target,
                    "on_time": m.on_time,
                    "total": m.total,
                    "percent": m.percent,
                }
                for m in measures
            ],
        }
        return Response(TimelinessSerializer(body).data)


urlpatterns: list[URLPattern] = [
    path("episodes/", EpisodeListView.as_view(), name="episode_list"),
    path("episodes/timeliness/", TimelinessView.as_view(), name="episode_timeliness"),
    path(
        "episodes/flags/<uuid:flag_id>/confirm/",
        FlagConfirmView.as_view(),
        name="episode_flag_confirm",
    ),
    path("episodes/<uuid:pk>/", EpisodeDetailView.as_view(), name="episode_detail"),
    *(
        path(f"episodes/<uuid:pk>/{name}/", view.as_view(), name=f"episode_{name}")
        for name, view in ACTION_VIEWS.items()
    ),
]
