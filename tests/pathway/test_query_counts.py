"""No pathway list or record page grows its queries with its rows: each, pages and API, is read at
two sizes of one world (N and 5N episodes, and an episode with N plan actions and MARMMs behind
it) and must cost no more queries at the larger."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from riskpath.pathway import services
from riskpath.pathway.models import Episode, EpisodeKind
from tests.factories import AreaFactory, YoungPersonFactory
from tests.pathway.scenario import Pathway, act, build_pathway, to_plan, working_days_ago
from tests.query_counts import Page, grown

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 15


@dataclass
class World:
    p: Pathway
    episode: Episode


def build(n: int) -> World:
    p = build_pathway(AreaFactory())
    episode = to_plan(p)
    for i in range(n):
        act(
            p.chair,
            episode,
            "add_plan_action",
            section="support",
            description=f"Plan action {i}",
            owner_agency=p.police if i % 2 else p.social_care,
        )
    for i in range(n):
        services.episode_open(
            actor=p.social_worker,
            young_person=YoungPersonFactory(recording_agency=p.social_care),
            kind=EpisodeKind.UNDER_18,
            strategy_discussion_date=working_days_ago(p.area, 2 + i % 4),
            team_manager=p.team_manager,
            team="Locality North" if i % 2 else "Locality South",
        )
    episode.refresh_from_db()
    return World(p=p, episode=episode)


PAGES: dict[str, Page[World]] = {
    "the tracker": lambda w: (w.p.consultant, reverse("pathway:dashboard")),
    "the tracker (a social worker)": lambda w: (w.p.social_worker, reverse("pathway:dashboard")),
    "an episode": lambda w: (w.p.social_worker, reverse("pathway:detail", args=[w.episode.pk])),
    "timeliness": lambda w: (w.p.consultant, reverse("pathway:timeliness")),
    "API episodes": lambda w: (w.p.consultant, reverse("api:episode_list")),
    "API an episode": lambda w: (
        w.p.social_worker,
        reverse("api:episode_detail", args=[w.episode.pk]),
    ),
    "API timeliness": lambda w: (w.p.consultant, reverse("api:episode_timeliness")),
}


def test_no_pathway_page_costs_more_queries_for_more_rows() -> None:
    grew = grown(PAGES, build(SMALL), build(LARGE))
    assert not grew, f"queries grew with the rows ({SMALL} → {LARGE} rows): {grew}"
