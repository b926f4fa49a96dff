"""The quarterly timeliness figures and the strategic panel agenda."""

from __future__ import annotations

import datetime as dt

import pytest

from riskpath.core import clock, workdays
from riskpath.meetings import agenda
from riskpath.meetings import services as meeting_services
from riskpath.meetings.models import ItemKind, MeetingKind, MeetingType
from riskpath.pathway import selectors, services
from riskpath.pathway.models import Flag
from riskpath.pathway.selectors import Quarter
from tests.factories import UserFactory
from tests.meetings.scenario import at, next_weekday
from tests.pathway.scenario import Pathway, act, to_plan

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def test_quarters() -> None:
    q = Quarter.parse("2026-q4")
    assert (q.start, q.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert str(q.previous) == "2026-Q3"
    assert Quarter.containing(dt.date(2026, 2, 28)) == Quarter(2026, 1)
    for bad in ("2026", "2026-Q5", "Q3-2026", ""):
        with pytest.raises(ValueError):
            Quarter.parse(bad)


def test_the_four_figures_count_deadlines_met_and_missed(p: Pathway) -> None:
    cal = workdays.for_area(p.area)
    # On time: MARMM 10 working days after the strategy discussion, minutes next day.
    held = dt.date(2026, 10, 20)
    on_time = to_plan(p, held_on=held)
    act(
        p.business_support,
        on_time,
        "record_minutes_circulated",
        circulated_on=cal.add(held, 1),
        filed=True,
    )
    police = Flag.objects.get(episode=on_time, system="police")
    services.flag_confirm(
        actor=p.officer, flag=police, expected_version=police.version, confirmed_on=held
    )

    # Late: the care leaver's initial MARMM 20 working days after the meeting.
    started = dt.date(2026, 10, 1)
    late = p.open_care_leaver(started=started)
    act(
        p.team_manager,
        late,
        "record_care_leavers_decisions",
        immediate_actions="Move to safe accommodation",
        disruption_opportunities="Closure order on the flat",
        follow_pathway=True,
        adult_safeguarding_referral=True,
    )
    act(p.chair, late, "record_marmm", held_on=cal.add(started, 20))

    figures = {m.key: m for m in selectors.timeliness(p.area.pk, Quarter(2026, 4))}
    assert (figures["initial_marmm"].on_time, figures["initial_marmm"].total) == (1, 2)
    assert figures["initial_marmm"].percent == 50
    # minutes: one on time; the care leaver's MARMM minutes (due 2 working days later) not
    # yet circulated and overdue by TODAY
    assert (figures["minutes"].on_time, figures["minutes"].total) == (1, 2)
    # flags: police confirmed in time; social care and health unconfirmed and overdue
    assert (figures["flags"].on_time, figures["flags"].total) == (1, 3)
    # reviews: none has fallen due yet (12 weeks from 20 October)
    assert figures["reviews"].total == 0
    assert selectors.timeliness(p.area.pk, Quarter(2026, 2))[0].total == 0


def test_an_agreed_escalation_puts_the_young_person_on_the_strategic_panel_agenda(
    p: Pathway,
) -> None:
    episode = to_plan(p, held_on=dt.date(2026, 11, 2))
    act(p.team_manager, episode, "request_escalation", reason="Risk escalating: missing again")
    act(p.service_manager, episode, "agree_escalation", agreed_on=TODAY)
    admin = UserFactory(agency=p.social_care, roles=["area_administrator"])
    meeting_services.meeting_types_install_presets(actor=admin, area=p.area)
    panel_type = MeetingType.objects.get(area=p.area, kind=MeetingKind.STRATEGIC_PANEL)
    panel = meeting_services.meeting_schedule(
        actor=p.business_support, meeting_type=panel_type, starts_at=at(next_weekday(after=TODAY))
    )
    added = agenda.agenda_build(actor=p.business_support, meeting=panel)
    escalations = [i for i in added if i.kind == ItemKind.ESCALATION]
    assert [i.young_person_id for i in escalations] == [p.child.pk]
    assert "Escalated from the Risk Management Pathway" in escalations[0].detail


def test_an_ended_plan_stays_on_the_dashboard_until_its_flags_are_removed(p: Pathway) -> None:
    """And until its minutes are circulated (done here first)."""
    held = dt.date(2026, 10, 20)
    episode = to_plan(p, held_on=held)
    review = dt.date(2026, 11, 16)
    act(p.chair, episode, "record_marmm", held_on=review)
    act(p.team_manager, episode, "propose_ending", reason="Risks reduced", marmm_date=review)
    act(p.service_manager, episode, "agree_ending", agreed_on=review)
    for _ in range(2):
        act(
            p.business_support,
            episode,
            "record_minutes_circulated",
            circulated_on=review,
            filed=True,
        )
    users = {"social_care": p.social_worker, "police": p.officer, "health": p.nurse}
    for flag in Flag.objects.filter(episode=episode, purpose="set"):
        services.flag_confirm(
            actor=users[flag.system], flag=flag, expected_version=flag.version, confirmed_on=held
        )
    criteria = selectors.DashboardFilter()
    (row,) = selectors.with_steps(selectors.dashboard_rows(p.consultant, criteria))
    assert row.episode.pk == episode.pk
    assert row.next_step is not None and row.next_step.label.startswith("Remove the flag")
    for flag in Flag.objects.filter(episode=episode, confirmed_on__isnull=True):
        services.flag_confirm(
            actor=users[flag.system], flag=flag, expected_version=flag.version, confirmed_on=TODAY
        )
    assert selectors.dashboard_rows(p.consultant, criteria) == []
    every = selectors.DashboardFilter(include_closed=True)
    assert [r.episode.pk for r in selectors.dashboard_rows(p.consultant, every)] == [episode.pk]
