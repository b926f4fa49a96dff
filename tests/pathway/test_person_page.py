"""The young person's page shows their pathway episode, and offers to start one."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from riskpath.accounts.models import User
from tests.pathway.scenario import Pathway, to_marmm


def test_the_young_persons_page_links_to_their_episode(
    p: Pathway, client_for: Callable[[User], Client]
) -> None:
    page = reverse("people:detail", args=[p.child.pk])
    start = reverse("pathway:open") + f"?young_person={p.child.pk}"

    before = client_for(p.consultant).get(page)
    assert before.status_code == 200
    assert 'summary-list__key">Risk Management Pathway<' in before.content.decode()
    assert "Not on the pathway" in before.content.decode()
    assert start in before.content.decode()

    episode = to_marmm(p)
    for user in (p.consultant, p.social_worker):
        html = client_for(user).get(page).content.decode()
        assert reverse("pathway:detail", args=[episode.pk]) in html
        assert "Initial MARMM to hold" in html
        assert start not in html  # one open episode at a time


def test_the_row_is_not_offered_to_those_outside_the_pathway(
    p: Pathway, client_for: Callable[[User], Client]
) -> None:
    from tests.factories import UserFactory

    lead = UserFactory(agency=p.school, roles=["lead_professional"])
    p.child.lead_professional = lead
    p.child.save()
    html = client_for(lead).get(reverse("people:detail", args=[p.child.pk])).content.decode()
    assert 'summary-list__key">Risk Management Pathway<' not in html
    assert "Start the pathway" not in html


def test_the_steps_are_on_the_young_persons_timeline(
    p: Pathway, client_for: Callable[[User], Client]
) -> None:
    from riskpath.people.timeline import PATHWAY, young_person_timeline_for_user

    episode = to_marmm(p)
    timeline = young_person_timeline_for_user(p.social_worker, p.child, kinds=[PATHWAY])
    summaries = [e.summary for e in timeline.entries]
    assert len(summaries) == 4  # opened, section 47 outcome, route, agreement
    assert summaries[0].startswith("Risk Management Pathway: Service manager agreed")
    assert p.service_manager.full_name in summaries[0]
    assert {e.url for e in timeline.entries} == {reverse("pathway:detail", args=[episode.pk])}
    html = client_for(p.social_worker).get(reverse("people:detail", args=[p.child.pk]))
    assert "Risk Management Pathway steps" in html.content.decode()  # the filter offers it
