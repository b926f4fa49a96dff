"""Pathway steps in the work list: whose each is (by role, team and episode), where it links,
and the order of the list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.work.items import MINE, TEAM, WAITING, Context, WorkItem, order, section
from riskpath.work.selectors import gather, work_for_user
from tests.pathway.scenario import Pathway, act, to_marmm, to_plan, working_days_ago


def titles(user, kind: str | None = None) -> list[str]:
    return [i.title for i in gather(user) if kind is None or i.kind == kind]


def test_a_recorded_route_is_the_service_managers_to_agree(p: Pathway) -> None:
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    act(p.team_manager, episode, "record_route", route="rmp", recorded_on=started)

    mine = [i for i in gather(p.service_manager) if i.whose == MINE]
    assert [i.title for i in mine] == ["Service manager to agree the route"]
    assert mine[0].url == reverse("pathway:detail", args=[episode.pk])
    assert mine[0].object_type == "pathway.episode" and mine[0].object_id == str(episode.pk)
    # The team manager who recorded it waits on the service manager.
    waiting = [i for i in gather(p.team_manager) if i.object_id == str(episode.pk)]
    assert [(i.title, i.whose) for i in waiting] == [
        ("Service manager to agree the route", WAITING)
    ]
    # A partner with no part in the pathway sees nothing of it.
    assert gather(p.teacher) == []
    assert gather(p.stranger) == []


def test_an_agreed_plan_puts_the_police_flag_in_the_police_partners_work(p: Pathway) -> None:
    to_plan(p)
    flags = [i for i in gather(p.officer) if i.kind == "partner_task"]
    assert [i.title for i in flags] == ["Add the flag in the police system"]
    assert flags[0].whose == MINE and flags[0].due is not None
    # The health partner has the health flag, not the police one.
    assert [i.title for i in gather(p.nurse) if i.kind == "partner_task"] == [
        "Add the flag in the health system"
    ]


def test_the_consultant_sees_the_areas_overdue_steps_as_team_work(p: Pathway) -> None:
    to_marmm(p, p.open_under_18(started=working_days_ago(p.area, 20)))
    items = gather(p.consultant)
    assert [(i.title, i.whose) for i in items] == [("Next step: Initial MARMM to hold", TEAM)]
    assert items[0].overdue(clock.today())
    # The social worker's own: overdue.
    own = gather(p.social_worker)
    assert own[0].title == "Hold the initial MARMM" and own[0].whose == MINE


def test_the_order_is_overdue_then_soon_then_later_then_waiting_then_team() -> None:
    today = dt.date(2026, 3, 2)
    ctx = Context(user=None, today=today, soon=today + dt.timedelta(days=3))

    def item(title: str, due: dt.date | None, whose: str = MINE) -> WorkItem:
        return WorkItem("action", title, due, "/", "meetings.action", title, whose)

    items = [
        item("team", today - dt.timedelta(days=9), TEAM),
        item("waiting", today - dt.timedelta(days=9), WAITING),
        item("later", today + dt.timedelta(days=30)),
        item("undated", None),
        item("soon", today + dt.timedelta(days=2)),
        item("overdue", today - dt.timedelta(days=1)),
        item("most overdue", today - dt.timedelta(days=5)),
    ]
    ordered = order(items, ctx)
    assert [i.title for i in ordered] == [
        "most overdue",
        "overdue",
        "soon",
        "later",
        "undated",
        "waiting",
        "team",
    ]
    assert [section(i, ctx) for i in ordered][:3] == ["overdue", "overdue", "soon"]


def test_listing_the_work_is_audited_with_its_count(p: Pathway) -> None:
    to_plan(p)
    work = work_for_user(p.officer)
    event = AuditEvent.objects.filter(verb=Verb.WORK_LISTED, actor_id=p.officer.pk).get()
    assert event.changes["count"] == len(work.items) == 1


@pytest.mark.parametrize("kind", ["partner_task", "action"])
def test_the_kind_filter_keeps_only_that_kind(p: Pathway, kind: str) -> None:
    to_plan(p)
    work = work_for_user(p.officer, kind=kind)
    assert all(i.kind == kind for i in work.items)
    assert work.counts == {"partner_task": 1}
