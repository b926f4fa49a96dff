"""Bare views for ``benchmarks/http.py``: each reads the same rows as one of riskpath's main
pages (the same models, the same related rows, the same page size and order) and renders them
with the same template engine inside the same GOV.UK layout (``web/base.html``), or as JSON for
the API's twin, but with no access policy, no audit event and no selectors: what a page would
cost with nothing but the query and the template. Served only by the benchmark's own URLconf
(``benchmarks/http_urls.py``); the application never routes to them.

``/bench-bare/<page>/?…`` with ``format=json`` for the API twin. The area is the signed-in
user's; the rows are chosen without asking whether the user may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View

Rows = tuple[str, list[str], list[list[Any]]]  # title, column headings, rows of cells


def _cohort(request: HttpRequest) -> Rows:
    """The cohort page filtered by tier and harm type: a page of 25 open spells."""
    from django.db.models import Exists, OuterRef

    from riskpath.cohort.models import CohortMembership
    from riskpath.intelligence.models import IntelligenceItem

    qs = CohortMembership.objects.filter(
        area_id=request.user.area_id, exited_at__isnull=True
    ).select_related("young_person")
    if tier := request.GET.get("tier"):
        qs = qs.filter(tier=tier)
    if harm := request.GET.get("harm_type"):
        about = IntelligenceItem.young_people.through.objects.filter(
            youngperson_id=OuterRef("young_person_id"),
            intelligenceitem__harm_types__icontains=f'"{harm}"',
        )
        qs = qs.filter(Exists(about))
    rows = [
        [m.young_person, m.tier, m.entered_at, m.last_discussed_on, m.next_review_on]
        for m in qs.order_by("tier", "young_person__family_name", "pk")[:25]
    ]
    return "Cohort", ["Young person", "Tier", "Entered", "Last discussed", "Next review"], rows


def _person(request: HttpRequest) -> Rows:
    """The young person's page: the person and their newest intelligence (the page shows 20
    beside the timeline and a page of 50 in it)."""
    from riskpath.intelligence.models import IntelligenceItem
    from riskpath.people.models import YoungPerson

    person = YoungPerson.objects.get(pk=request.GET["pk"])
    items = (
        IntelligenceItem.objects.filter(young_people=person)
        .select_related("source_agency")
        .order_by("-reported_on", "-created_at", "pk")[:70]
    )
    rows = [[i.reported_on, i.source_agency, i.grading, ", ".join(i.harm_types)] for i in items]
    return str(person), ["Date", "Source agency", "Grading", "Types of harm"], rows


def _intelligence(request: HttpRequest) -> Rows:
    """The intelligence list: the newest 25 items of the area with their young people."""
    from django.db.models import Prefetch

    from riskpath.intelligence.models import IntelligenceItem
    from riskpath.people.models import YoungPerson

    items = (
        IntelligenceItem.objects.filter(area_id=request.user.area_id)
        .select_related("source_agency")
        .prefetch_related(
            Prefetch("young_people", queryset=YoungPerson.objects.order_by("family_name"))
        )
        .order_by("-reported_on", "-created_at", "pk")[:26]
    )
    rows = [
        [
            i.reported_on,
            i.source_agency,
            i.grading,
            ", ".join(i.harm_types),
            ", ".join(str(p) for p in i.young_people.all()),
        ]
        for i in list(items)[:25]
    ]
    return "Intelligence", ["Date", "Source agency", "Grading", "Types of harm", "About"], rows


def _pathway(request: HttpRequest) -> Rows:
    """The pathway dashboard: a page of 25 open episodes, the soonest due first."""
    from riskpath.pathway.models import Episode, EpisodeStatus

    episodes = (
        Episode.objects.filter(area_id=request.user.area_id)
        .exclude(status=EpisodeStatus.ENDED)
        .select_related("young_person", "social_worker", "team_manager")
        .order_by("marmm_due", "pk")[:25]
    )
    rows = [
        [e.young_person, e.get_status_display(), e.social_worker, e.team_manager, e.marmm_due]
        for e in episodes
    ]
    return "Pathway", ["Young person", "Stage", "Social worker", "Team manager", "Due"], rows


def _agenda(request: HttpRequest) -> Rows:
    """The PIMM's page: every item of its agenda, in order, with what each is about."""
    from riskpath.meetings.models import AgendaItem

    items = (
        AgendaItem.objects.filter(meeting_id=request.GET["pk"])
        .select_related("young_person", "person_of_interest", "location", "group", "action")
        .order_by("position")
    )
    rows = [
        [
            i.position,
            i.get_kind_display(),
            i.title,
            i.young_person or i.person_of_interest or i.location or i.group or "",
        ]
        for i in items
    ]
    return "Agenda", ["Position", "Kind", "Item", "About"], rows


def _work(request: HttpRequest) -> Rows:
    """My work: the user's open actions and their open episodes."""
    from riskpath.meetings.models import Action, ActionStatus
    from riskpath.pathway.models import Episode, EpisodeStatus

    user = request.user
    actions = (
        Action.objects.filter(owner_user=user, status=ActionStatus.OPEN)
        .select_related("meeting")
        .order_by("due_on", "pk")[:100]
    )
    episodes = (
        Episode.objects.filter(social_worker=user)
        .exclude(status=EpisodeStatus.ENDED)
        .select_related("young_person")
        .order_by("marmm_due", "pk")[:100]
    )
    rows = [[a.due_on, a.description, a.meeting.title] for a in actions] + [
        [e.marmm_due, e.get_status_display(), e.young_person] for e in episodes
    ]
    return "My work", ["Due", "What", "Where"], rows


PAGES: dict[str, Callable[[HttpRequest], Rows]] = {
    "cohort": _cohort,
    "person": _person,
    "intelligence": _intelligence,
    "pathway": _pathway,
    "agenda": _agenda,
    "work": _work,
}


class BareView(View):
    """``rule`` only lets the route past ``DefaultDenyMiddleware`` (which refuses a route that
    names no rule of the policy); unlike ``RuleRequiredMixin``, nothing here checks it."""

    rule = "can_view_intelligence"

    def get(self, request: HttpRequest, page: str) -> HttpResponse:
        if page not in PAGES or not request.user.is_authenticated:
            raise Http404
        title, headings, rows = PAGES[page](request)
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "count": len(rows),
                    "results": [dict(zip(headings, map(str, row), strict=True)) for row in rows],
                }
            )
        return render(
            request, "bench/bare.html", {"title": title, "headings": headings, "rows": rows}
        )


bare = BareView.as_view()
