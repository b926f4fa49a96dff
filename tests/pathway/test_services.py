"""The pathway's services: every step of an under-18 and a care-leaver episode, the
deadlines in working days, and each illegal move refused with what must happen first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.pathway import selectors, services
from riskpath.pathway.models import (
    EpisodeEvent,
    EpisodeStatus,
    EscalationState,
    Flag,
    FlagPurpose,
    Marmm,
)
from riskpath.pathway.services import StepRefused
from tests.factories import UserFactory
from tests.pathway.scenario import Pathway, act, to_marmm, to_plan, working_days_ago

S = EpisodeStatus


def test_initial_marmm_is_due_15_working_days_after_the_strategy_discussion(
    p: Pathway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 1, 4))
    started = dt.date(2026, 12, 17)  # Christmas, Boxing Day (a Saturday: Monday 28th) between
    episode = to_marmm(p, p.open_under_18(started=started))
    assert episode.status == S.AWAITING_MARMM
    assert episode.marmm_due == workdays.for_area(p.area).add(started, 15)
    assert episode.marmm_due == dt.date(2027, 1, 12)


def test_the_consultant_social_workers_are_told_when_the_route_is_agreed(
    p: Pathway, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        to_marmm(p)
    sent = [m for m in mail.outbox if p.consultant.email in m.to]
    assert len(sent) == 1
    assert "Risk Management Pathway" in sent[0].subject
    assert p.child.family_name not in sent[0].body  # the e-mail names no one


def test_a_full_under_18_episode_from_strategy_discussion_to_ending(
    p: Pathway, django_capture_on_commit_callbacks: Any
) -> None:
    held = working_days_ago(p.area, 40)
    with django_capture_on_commit_callbacks(execute=True):
        episode = to_plan(p, held_on=held)
    assert episode.status == S.PLAN_IN_PLACE
    assert episode.next_review_due == held + dt.timedelta(weeks=12)
    marmm = Marmm.objects.get(episode=episode)
    assert marmm.minutes_due == workdays.for_area(p.area).add(held, 2)
    flags = Flag.objects.filter(episode=episode, purpose=FlagPurpose.SET)
    assert sorted(f.system for f in flags) == ["health", "police", "social_care"]
    social = flags.get(system="social_care")
    assert (
        social.text == "subject to multi-agency risk management plan \u2013 see documents for plan"
    )

    act(p.business_support, episode, "record_minutes_circulated", circulated_on=held, filed=True)
    for user, system in (
        (p.social_worker, "social_care"),
        (p.officer, "police"),
        (p.nurse, "health"),
    ):
        flag = flags.get(system=system)
        services.flag_confirm(
            actor=user, flag=flag, expected_version=flag.version, confirmed_on=held
        )

    review = held + dt.timedelta(days=30)
    act(p.chair, episode, "record_marmm", held_on=review, chair=p.chair)
    episode = act(
        p.team_manager, episode, "propose_ending", reason="Risks reduced", marmm_date=review
    )
    assert episode.status == S.ENDING_PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        episode = act(p.service_manager, episode, "agree_ending", agreed_on=review)
    assert episode.status == S.ENDED
    removal = Flag.objects.filter(episode=episode, purpose=FlagPurpose.REMOVE)
    assert sorted(f.system for f in removal) == ["health", "police", "social_care"]
    actions = list(EpisodeEvent.objects.filter(episode=episode).values_list("action", flat=True))
    assert actions[0] == "open" and actions[-1] == "agree_ending"
    assert "confirm_flag" in actions
    assert AuditEvent.objects.filter(
        verb=Verb.EPISODE_STEP_RECORDED, target_id=str(episode.pk)
    ).count() == len([a for a in actions if a not in ("open", "confirm_flag")])
    assert len([m for m in mail.outbox if p.consultant.email in m.to]) == 2


def test_no_marmm_before_the_route_is_the_pathway(p: Pathway) -> None:
    episode = p.open_under_18()
    with pytest.raises(StepRefused, match="route is the Risk Management Pathway"):
        act(p.chair, episode, "record_marmm", held_on=clock.today())
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME
    assert not Marmm.objects.exists()
    refused = AuditEvent.objects.get(verb=Verb.EPISODE_STEP_REFUSED)
    assert refused.changes["action"] == "record_marmm"


def test_a_route_other_than_the_pathway_closes_the_episode(p: Pathway) -> None:
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    act(p.team_manager, episode, "record_route", route="child_protection", recorded_on=started)
    episode = act(p.service_manager, episode, "agree_route", agreed_on=started)
    assert episode.status == S.CLOSED
    assert episode.marmm_due is None


def test_nobody_agrees_their_own_route(p: Pathway) -> None:
    manager = UserFactory(agency=p.social_care, roles=["team_manager", "service_manager"])
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    act(manager, episode, "record_route", route="rmp", recorded_on=started)
    with pytest.raises(StepRefused, match="different service manager"):
        act(manager, episode, "agree_route", agreed_on=started)
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_AGREEMENT and episode.route_agreed_by is None


def test_only_the_named_roles_take_each_step(p: Pathway) -> None:
    episode = p.open_under_18()
    with pytest.raises(StepRefused, match="Only a social worker"):
        act(
            p.team_manager,
            episode,
            "record_s47_outcome",
            threshold_met=True,
            recorded_on=clock.today(),
        )
    with pytest.raises(NotPermitted):
        act(p.teacher, episode, "record_s47_outcome", threshold_met=True, recorded_on=clock.today())


def test_the_plan_is_not_agreed_with_a_question_unanswered(p: Pathway) -> None:
    episode = to_marmm(p)
    act(p.chair, episode, "record_marmm", held_on=clock.today())
    act(p.chair, episode, "add_plan_action", section="disruption", description="Visit the park")
    with pytest.raises(StepRefused, match="trigger plan is needed and whether an NRM"):
        act(p.chair, episode, "agree_plan", agreed_on=clock.today())
    act(
        p.chair,
        episode,
        "answer_plan_questions",
        trigger_plan_needed=False,
        nrm_needed=False,
        nrm_reason="No indicators of trafficking",
    )
    episode = act(p.chair, episode, "agree_plan", agreed_on=clock.today())
    assert episode.status == S.PLAN_IN_PLACE


def test_only_a_first_responder_makes_an_nrm_referral(p: Pathway) -> None:
    episode = to_marmm(p)
    act(p.chair, episode, "record_marmm", held_on=clock.today())
    with pytest.raises(FieldErrors) as caught:
        act(
            p.chair,
            episode,
            "answer_plan_questions",
            trigger_plan_needed=True,
            nrm_needed=True,
            nrm_referrer_agency=p.health,
        )
    assert "not a first responder" in caught.value.errors["nrm_referrer_agency"]
    assert "trigger_plan_details" in caught.value.errors
    episode.refresh_from_db()
    assert episode.nrm_needed is None and episode.trigger_plan_needed is None


def test_the_plan_ends_only_at_a_marmm(p: Pathway) -> None:
    held = working_days_ago(p.area, 10)
    episode = to_plan(p, held_on=held)
    with pytest.raises(StepRefused, match="only at a MARMM"):
        act(
            p.team_manager,
            episode,
            "propose_ending",
            reason="Risks reduced",
            marmm_date=clock.today(),
        )
    episode.refresh_from_db()
    assert episode.status == S.PLAN_IN_PLACE


def test_escalation_needs_another_users_agreement_and_reaches_the_panel(p: Pathway) -> None:
    episode = to_plan(p)
    act(p.team_manager, episode, "request_escalation", reason="Missing three times this week")
    episode = act(p.service_manager, episode, "agree_escalation", agreed_on=clock.today())
    assert episode.escalation == EscalationState.AGREED
    assert list(selectors.escalated_episodes(p.area.pk, clock.today())) == [episode]


def test_a_stale_version_is_refused_and_changes_nothing(p: Pathway) -> None:
    episode = p.open_under_18()
    stale = episode.version
    act(
        p.social_worker,
        episode,
        "record_s47_outcome",
        threshold_met=True,
        recorded_on=clock.today(),
    )
    episode.refresh_from_db()
    with pytest.raises(ConcurrentEditError):
        services.episode_act(
            actor=p.team_manager,
            episode=episode,
            action="record_route",
            expected_version=stale,
            data={"route": "rmp", "recorded_on": clock.today()},
        )
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_ROUTE and episode.route == ""


def test_one_open_episode_per_young_person(p: Pathway) -> None:
    p.open_under_18()
    with pytest.raises(FieldErrors, match="already has an open pathway episode"):
        p.open_under_18()


def test_bad_input_names_the_field(p: Pathway) -> None:
    episode = p.open_under_18()
    with pytest.raises(FieldErrors) as caught:
        act(
            p.social_worker,
            episode,
            "record_s47_outcome",
            threshold_met="yes",
            recorded_on=clock.today() + dt.timedelta(days=3),
        )
    assert set(caught.value.errors) == {"threshold_met", "recorded_on"}
    assert "future" in caught.value.errors["recorded_on"]


def test_a_care_leaver_episode_must_answer_the_adult_safeguarding_question(p: Pathway) -> None:
    episode = p.open_care_leaver()
    assert episode.status == S.AWAITING_CARE_LEAVERS_DECISION
    with pytest.raises(FieldErrors) as caught:
        act(
            p.team_manager,
            episode,
            "record_care_leavers_decisions",
            immediate_actions="Safe accommodation tonight",
            disruption_opportunities="Trespass notice at the flat",
            follow_pathway=True,
            adult_safeguarding_referral=False,
        )
    assert "adult_safeguarding_reason" in caught.value.errors
    episode = act(
        p.team_manager,
        episode,
        "record_care_leavers_decisions",
        immediate_actions="Safe accommodation tonight",
        disruption_opportunities="Trespass notice at the flat",
        follow_pathway=True,
        adult_safeguarding_referral=True,
    )
    assert episode.status == S.AWAITING_MARMM
    assert episode.marmm_due == workdays.for_area(p.area).add(episode.care_leavers_meeting_date, 15)
    with pytest.raises(StepRefused, match="not a step of the pathway for a care leaver"):
        act(
            p.social_worker,
            episode,
            "record_s47_outcome",
            threshold_met=True,
            recorded_on=clock.today(),
        )


def test_flags_are_confirmed_by_their_own_agency_and_show_as_overdue(p: Pathway) -> None:
    episode = to_plan(p, held_on=working_days_ago(p.area, 12))
    police = Flag.objects.get(episode=episode, system="police")
    with pytest.raises(NotPermitted):
        services.flag_confirm(
            actor=p.nurse, flag=police, expected_version=police.version, confirmed_on=clock.today()
        )
    episode = selectors.access_episode(p.consultant, episode.pk).episode
    steps = {s.key: s for s in selectors.next_steps(episode)}
    flag_step = steps[f"flag:{police.pk}"]
    assert flag_step.overdue(clock.today())
    assert p.officer in flag_step.owners
    services.flag_confirm(
        actor=p.officer, flag=police, expected_version=police.version, confirmed_on=clock.today()
    )
    police.refresh_from_db()
    assert police.confirmed_by == p.officer


def test_who_sees_the_episode(p: Pathway) -> None:
    episode = to_marmm(p)
    for user in (
        p.social_worker,
        p.team_manager,
        p.service_manager,
        p.consultant,
        p.chair,
        p.business_support,
    ):
        assert selectors.episode_queryset_for_user(user).filter(pk=episode.pk).exists(), user
    for user in (p.teacher, p.stranger, p.officer):
        assert not selectors.episode_queryset_for_user(user).filter(pk=episode.pk).exists(), user


def test_a_marmm_is_scheduled_in_the_meetings_calendar(
    p: Pathway, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from riskpath.meetings import services as meeting_services
    from riskpath.meetings.models import Attendance, Meeting, MeetingKind

    episode = p.open_under_18()
    starts = timezone.make_aware(
        dt.datetime.combine(clock.today() + dt.timedelta(days=7), dt.time(14, 0))
    )
    with pytest.raises(StepRefused, match="route is the Risk Management Pathway"):
        act(p.chair, episode, "schedule_marmm", starts_at=starts)
    episode = to_marmm(p, episode)
    with pytest.raises(FieldErrors, match="no MARMM meeting type"):
        act(p.chair, episode, "schedule_marmm", starts_at=starts)
    admin = UserFactory(agency=p.social_care, roles=["area_administrator"])
    meeting_services.meeting_types_install_presets(actor=admin, area=p.area)
    with pytest.raises(FieldErrors, match="in the future"):
        act(p.chair, episode, "schedule_marmm", starts_at=starts - dt.timedelta(days=30))

    act(p.chair, episode, "schedule_marmm", starts_at=starts, place="Civic Centre", chair=p.chair)
    meeting = Meeting.objects.get(young_person=p.child)
    assert meeting.meeting_type.kind == MeetingKind.MARMM
    assert meeting.chair == p.chair and meeting.starts_at == starts
    invited = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    assert {p.social_worker.pk, p.team_manager.pk, p.chair.pk} <= invited
    event = EpisodeEvent.objects.filter(episode=episode, action="schedule_marmm").get()
    assert event.data["meeting"] == str(meeting.pk)
    # the meeting, once held, is recorded against the episode, on its own date
    with pytest.raises(FieldErrors, match="in the calendar for"):
        act(p.chair, episode, "record_marmm", held_on=clock.today(), meeting=meeting)
    monkeypatch.setattr(clock, "today", lambda: starts.date())
    act(p.chair, episode, "record_marmm", held_on=starts.date(), meeting=meeting)
    assert Marmm.objects.get(episode=episode).meeting == meeting
