"""Coded values are never shown raw: the main pages show a young person with intelligence of
child criminal exploitation and county lines by the labels of those harms, never by the codes
``cce`` and ``county_lines`` (nor any other choice code), and tiers always as "Tier 1 (red)"
and the like, never "Tier i". Only the text a reader sees is tested: the codes may stand in
attribute values (a filter's option values, say)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from riskpath.cohort.suggestion import Criterion
from riskpath.meetings import agenda
from riskpath.meetings.models import AgendaItem
from tests.cohort.factories import intelligence, on_cohort
from tests.meetings.scenario import Scene, build_scene, schedule

pytestmark = pytest.mark.django_db

HARMS = ["cce", "county_lines"]


def choice_codes() -> set[str]:
    """Every code of every choice field in riskpath that could not pass for a word."""
    codes = {"cce", "cse", "hsb"}
    for model in apps.get_models():
        if not model.__module__.startswith("riskpath."):
            continue
        for field in model._meta.get_fields():
            for value, _ in getattr(field, "choices", None) or ():
                if isinstance(value, str) and "_" in value:
                    codes.add(value)
    return codes


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: no scripts or styles, no tags (so no attribute
    values), entities decoded."""
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1\s*>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    return html.unescape(page)


def assert_no_codes(page: str, where: str) -> None:
    text = visible_text(page)
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    shown = sorted(words & choice_codes())
    assert not shown, f"{where} shows the codes {shown}"
    # a tier by a roman numeral or a single letter ("Tier i"), not by its number
    assert not re.search(r"\bTier (?:[ivxIVX]+|[A-Za-z])\b", text), f"{where} names a tier wrongly"


@pytest.fixture
def scene(area: Any) -> Scene:
    scene = build_scene(area)
    on_cohort(scene.person, tier=1, by=scene.chair)
    return scene


def test_the_main_pages_show_harm_types_by_their_labels(client_for: Any, scene: Scene) -> None:
    police = intelligence(
        scene.person, scene.police, days_ago=2, grade="B2", harm_types=HARMS, immediate_risk=True
    )
    intelligence(scene.person, scene.school, days_ago=3, grade="C1", harm_types=["cce"])
    intelligence(scene.person, scene.social_care, days_ago=4, grade="A1", harm_types=HARMS)
    meeting = schedule(scene)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    item = AgendaItem.objects.get(meeting=meeting, young_person=scene.person)
    chair = client_for(scene.chair)
    lead = client_for(scene.lead)
    # (who, which page, its name, whether it lists the harm types)
    pages = [
        (chair, reverse("cohort:list"), "the cohort list", True),
        (chair, reverse("cohort:detail", args=[scene.person.pk]), "the cohort record", True),
        (lead, reverse("people:detail", args=[scene.person.pk]), "the young person's page", True),
        (chair, reverse("intelligence:detail", args=[police.pk]), "the intelligence item", True),
        (chair, reverse("meetings:detail", args=[meeting.pk]), "the PIMM's agenda", False),
        (
            chair,
            reverse("meetings:agenda_section", args=[meeting.pk, item.section]),
            "a section of the PIMM's agenda",
            False,
        ),
    ]
    for client, url, where, lists_harms in pages:
        response = client.get(url)
        assert response.status_code == 200, (where, response.status_code)
        page = response.content.decode()
        assert_no_codes(page, where)
        if lists_harms:
            assert "child criminal exploitation" in visible_text(page).lower(), where
    # the harm types are where the reader expects them: by label, in the cohort list's row
    text = visible_text(chair.get(reverse("cohort:list")).content.decode())
    assert "Child criminal exploitation, County lines" in text


def test_criteria_recorded_as_text_are_shown_as_written_never_as_tier_i(
    client_for: Any, scene: Scene
) -> None:
    """The demo data recorded its criteria as the seed's words, not codes: the cohort record
    showed "Tier i: Single partner referral"."""
    from riskpath.cohort.models import TierDecision

    decision = TierDecision.objects.filter(membership__young_person=scene.person).get()
    decision.criteria = ["Single partner referral", str(Criterion.T1_MULTIPLE_PARTNERS)]
    decision.save()
    page = client_for(scene.chair).get(reverse("cohort:detail", args=[scene.person.pk]))
    text = visible_text(page.content.decode())
    assert "Single partner referral" in text
    assert "Tier 1: Risk identified across multiple partners." in text
    assert "Added at Tier 1 (red)" in text
    assert_no_codes(page.content.decode(), "the cohort record")
