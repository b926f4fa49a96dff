"""The pathway's pages through the Django test client: who may open each, starting an
episode, taking steps (and being refused one, with what must happen first), a stale form,
confirming a flag, the audited read, the dashboard's overdue tag and the timeliness report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.restricted import digest
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.pathway.models import (
    Episode,
    EpisodeEvent,
    EpisodeStatus,
    Flag,
    FlagPurpose,
    Marmm,
    PlanAction,
)
from riskpath.pathway.selectors import Quarter
from tests.pathway.scenario import Pathway, act, to_marmm, to_plan, working_days_ago

S = EpisodeStatus


def iso(day: dt.date) -> str:
    return day.isoformat()


def typed(day: dt.date) -> str:
    """A date as people type it: 27 3 2026."""
    return f"{day.day} {day.month} {day.year}"


def detail(episode: Episode) -> str:
    return reverse("pathway:detail", args=[episode.pk])


def step_url(episode: Episode, action: str) -> str:
    return reverse("pathway:act", args=[episode.pk, action])


def post_step(client: Any, episode: Episode, action: str, **data: Any) -> Any:
    episode.refresh_from_db()
    data.setdefault("version", episode.version)
    return client.post(step_url(episode, action), data)


# ---------------------------------------------------------------------------------------------
# Who may open each page
# ---------------------------------------------------------------------------------------------


def test_the_dashboard_is_for_those_who_run_the_pathway(p: Pathway, client_for: Any) -> None:
    p.open_under_18()
    for user in (p.consultant, p.service_manager, p.social_worker, p.chair, p.business_support):
        response = client_for(user).get(reverse("pathway:dashboard"))
        assert response.status_code == 200, user
        assert str(p.child) in response.content.decode()
    for user in (p.teacher, p.officer):
        assert client_for(user).get(reverse("pathway:dashboard")).status_code == 403, user
    # A consultant social worker of another area runs their own pathway, not this one.
    elsewhere = client_for(p.stranger).get(reverse("pathway:dashboard"))
    assert str(p.child) not in elsewhere.content.decode()


def test_the_dashboard_lists_the_episode_and_records_the_listing(
    p: Pathway, client_for: Any
) -> None:
    episode = p.open_under_18()
    response = client_for(p.consultant).get(reverse("pathway:dashboard"))
    page = response.content.decode()
    assert detail(episode) in page
    assert "Record the section 47 outcome" in page
    assert "Start the pathway for a young person" in page
    assert reverse("pathway:timeliness") in page
    listed = AuditEvent.objects.get(verb=Verb.EPISODES_LISTED, actor=p.consultant)
    assert listed.changes["count"] == 1


def test_the_dashboard_offers_to_start_the_pathway_only_to_those_who_may(
    p: Pathway, client_for: Any
) -> None:
    for user, offered in [
        (p.social_worker, True),
        (p.service_manager, True),
        (p.consultant, True),
        (p.chair, False),  # runs the pathway's meetings; does not start an episode
        (p.business_support, False),
    ]:
        page = client_for(user).get(reverse("pathway:dashboard")).content.decode()
        assert ("Start the pathway for a young person" in page) is offered, user


def test_the_dashboard_shows_an_overdue_tag_for_an_overdue_episode(
    p: Pathway, client_for: Any
) -> None:
    late = to_marmm(p, p.open_under_18(started=working_days_ago(p.area, 20)))
    assert late.marmm_due is not None and late.marmm_due < clock.today()
    page = client_for(p.consultant).get(reverse("pathway:dashboard")).content.decode()
    assert 'govuk-tag govuk-tag--red">Overdue' in page
    assert "Hold the initial MARMM" in page

    filtered = client_for(p.consultant).get(reverse("pathway:dashboard"), {"due": "overdue"})
    assert filtered.status_code == 200
    assert detail(late) in filtered.content.decode()
    assert AuditEvent.objects.filter(
        verb=Verb.EPISODES_LISTED, changes__filters={"due": "overdue"}
    ).exists()


def test_the_dashboard_is_empty_without_episodes(p: Pathway, client_for: Any) -> None:
    page = client_for(p.consultant).get(reverse("pathway:dashboard")).content.decode()
    assert "There are no open pathway episodes for you to see." in page


def test_the_nav_shows_the_pathway_only_to_those_who_run_it(p: Pathway, client_for: Any) -> None:
    home = reverse("web:home")
    assert reverse("pathway:dashboard") in client_for(p.chair).get(home).content.decode()
    assert reverse("pathway:dashboard") not in client_for(p.teacher).get(home).content.decode()


def test_the_episode_page_is_refused_to_those_not_involved(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    assert client_for(p.social_worker).get(detail(episode)).status_code == 200
    assert client_for(p.teacher).get(detail(episode)).status_code in (403, 404)
    assert client_for(p.stranger).get(detail(episode)).status_code in (403, 404)
    # The police see it only once there is a police flag to confirm.
    assert client_for(p.officer).get(detail(episode)).status_code in (403, 404)


def test_reading_the_episode_page_is_audited(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    response = client_for(p.consultant).get(detail(episode))
    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(verb=Verb.EPISODE_VIEWED, actor=p.consultant)
    assert viewed.count() == 1
    assert viewed.get().target_id == str(episode.pk)
    assert viewed.get().subject_id == str(p.child.pk)


def test_the_episode_page_tells_the_whole_story(p: Pathway, client_for: Any) -> None:
    episode = to_plan(p, held_on=working_days_ago(p.area, 5))
    page = client_for(p.consultant).get(detail(episode)).content.decode()
    assert str(p.child) in page
    assert reverse("people:detail", args=[p.child.pk]) in page
    assert "Risk management plan in place" in page
    assert "Weekly mentoring sessions" in page
    assert "Initial MARMM held" in page  # the history
    assert "What is due next" in page
    assert "Add the flag" in page
    # The consultant takes no step of the plan in place beyond these.
    assert step_url(episode, "call_early_review") in page
    assert step_url(episode, "agree_ending") not in page


def test_the_open_page_is_refused_to_partners(p: Pathway, client_for: Any) -> None:
    assert client_for(p.social_worker).get(reverse("pathway:open")).status_code == 200
    for user in (p.teacher, p.officer):
        assert client_for(user).get(reverse("pathway:open")).status_code == 403
        assert client_for(user).post(reverse("pathway:open"), {}).status_code == 403


def test_the_timeliness_report_counts_the_quarter(p: Pathway, client_for: Any) -> None:
    to_marmm(p, p.open_under_18(started=working_days_ago(p.area, 40)))
    quarter = Quarter.containing(clock.today())
    response = client_for(p.service_manager).get(
        reverse("pathway:timeliness"), {"quarter": str(quarter)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Initial MARMMs within 15 working days" in page
    assert "Previous quarter" in page
    assert str(p.child) not in page  # counts only
    assert AuditEvent.objects.filter(verb=Verb.TIMELINESS_VIEWED, actor=p.service_manager).exists()
    # With no quarter: the current one.
    assert (
        str(quarter) in client_for(p.consultant).get(reverse("pathway:timeliness")).content.decode()
    )


def test_the_timeliness_report_counts_an_initial_marmm_on_time(p: Pathway, client_for: Any) -> None:
    episode = to_plan(p, held_on=working_days_ago(p.area, 30))
    assert episode.marmm_due is not None
    quarter = Quarter.containing(episode.marmm_due)
    response = client_for(p.chair).get(reverse("pathway:timeliness"), {"quarter": str(quarter)})
    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index('data-measure="initial_marmm"') :]
    row = row[: row.index("</tr>")]
    assert "100%" in row


def test_the_timeliness_report_refuses_a_bad_quarter(p: Pathway, client_for: Any) -> None:
    response = client_for(p.consultant).get(reverse("pathway:timeliness"), {"quarter": "2026-Q7"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the quarter as a year and quarter, like 2026-Q3" in page
    assert 'href="#id_quarter"' in page


def test_the_timeliness_report_is_refused_to_partners(p: Pathway, client_for: Any) -> None:
    for user in (p.teacher, p.officer):
        assert client_for(user).get(reverse("pathway:timeliness")).status_code == 403


# ---------------------------------------------------------------------------------------------
# Opening an episode
# ---------------------------------------------------------------------------------------------


def test_a_social_worker_opens_an_episode(p: Pathway, client_for: Any) -> None:
    started = working_days_ago(p.area, 2)
    client = client_for(p.social_worker)
    form = client.get(reverse("pathway:open"), {"young_person": str(p.child.pk)})
    assert f'type="radio" value="{p.child.pk}" checked' in form.content.decode()
    # The form lists nobody: the worker searches, and the search is recorded.
    searched = client.post(
        reverse("pathway:open"),
        {"young_person__search": p.child.family_name, "find__young_person": "1"},
    )
    assert searched.status_code == 200 and str(p.child.pk) in searched.content.decode()
    (event,) = AuditEvent.objects.filter(verb=Verb.PERSON_SEARCHED, actor=p.social_worker)
    assert event.changes["query"] == digest(p.child.family_name)
    assert event.changes["pool"] == "involved"
    assert not Episode.objects.filter(young_person=p.child).exists()
    assert client.get(reverse("pathway:open"), {"young_person": "abc"}).status_code == 200
    response = client.post(
        reverse("pathway:open"),
        {
            "young_person": str(p.child.pk),
            "kind": "under_18",
            "strategy_discussion_date": typed(started),
            "team_manager": str(p.team_manager.pk),
            "team": "Locality North",
            "strategy_participants": "Social worker, police, school",
            "agencies_invited": [str(p.police.pk), str(p.school.pk)],
        },
    )
    episode = Episode.objects.get(young_person=p.child)
    assert response.status_code == 302
    assert response["Location"] == detail(episode)
    assert episode.status == S.AWAITING_S47_OUTCOME
    assert episode.strategy_discussion_date == started
    assert episode.social_worker == p.social_worker
    assert episode.team_manager == p.team_manager
    assert set(episode.agencies_invited.all()) == {p.police, p.school}
    page = client.get(detail(episode)).content.decode()
    assert "The pathway has been started for" in page
    assert "govuk-notification-banner--success" in page


def test_opening_with_the_wrong_date_names_the_field_and_writes_nothing(
    p: Pathway, client_for: Any
) -> None:
    client = client_for(p.social_worker)
    response = client.post(
        reverse("pathway:open"),
        {"young_person": str(p.child.pk), "kind": "under_18"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the date of the strategy discussion" in page
    assert 'href="#id_strategy_discussion_date"' in page
    assert not Episode.objects.exists()

    bad = client.post(
        reverse("pathway:open"),
        {
            "young_person": str(p.child.pk),
            "kind": "under_18",
            "strategy_discussion_date": "31 2 2026",
        },
    )
    assert bad.status_code == 400
    assert "Enter the date of the strategy discussion as a real date" in bad.content.decode()
    assert not Episode.objects.exists()


def test_opening_needs_a_kind(p: Pathway, client_for: Any) -> None:
    response = client_for(p.social_worker).post(
        reverse("pathway:open"),
        {"young_person": str(p.child.pk), "strategy_discussion_date": iso(clock.today())},
    )
    assert response.status_code == 400
    assert "Choose under 18 or care leaver" in response.content.decode()
    assert not Episode.objects.exists()


# ---------------------------------------------------------------------------------------------
# Taking steps
# ---------------------------------------------------------------------------------------------


def test_the_social_worker_records_the_s47_outcome(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    client = client_for(p.social_worker)
    page = client.get(detail(episode)).content.decode()
    assert step_url(episode, "record_s47_outcome") in page
    response = post_step(
        client,
        episode,
        "record_s47_outcome",
        threshold_met="yes",
        recorded_on=typed(episode.strategy_discussion_date),
    )
    assert response.status_code == 302
    assert response["Location"] == detail(episode)
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_ROUTE
    assert episode.threshold_met is True
    assert "Done: record the section 47 outcome." in client.get(detail(episode)).content.decode()


def test_an_unanswered_question_is_named_and_nothing_is_written(
    p: Pathway, client_for: Any
) -> None:
    episode = p.open_under_18()
    response = post_step(
        client_for(p.social_worker),
        episode,
        "record_s47_outcome",
        recorded_on=typed(episode.strategy_discussion_date),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say whether the threshold is assessed as met" in page
    assert 'href="#record_s47_outcome-threshold_met_0"' in page
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME
    assert episode.threshold_met is None
    assert not EpisodeEvent.objects.filter(action="record_s47_outcome").exists()


def test_a_bad_date_on_a_step_is_named(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    response = post_step(
        client_for(p.social_worker),
        episode,
        "record_s47_outcome",
        threshold_met="no",
        recorded_on="yesterday",
    )
    assert response.status_code == 400
    assert "Enter the date of the section 47 outcome as a real date" in response.content.decode()
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME
    # The page shown again with the error holds the episode: its read is recorded.
    viewed = AuditEvent.objects.filter(verb=Verb.EPISODE_VIEWED, actor=p.social_worker)
    assert viewed.filter(target_id=str(episode.pk)).count() == 1


def test_an_illegal_step_shows_what_must_happen_first(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    response = post_step(client_for(p.chair), episode, "record_marmm", held_on=typed(clock.today()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "A MARMM can be recorded only once the route is the Risk Management Pathway" in page
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME
    assert not Marmm.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.EPISODE_STEP_REFUSED, actor=p.chair).exists()


def test_an_unknown_step_is_not_found(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    response = client_for(p.social_worker).post(step_url(episode, "abc"), {"version": 1})
    assert response.status_code == 404


def test_a_stale_form_is_refused_with_409(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    stale = episode.version
    act(
        p.social_worker,
        episode,
        "record_s47_outcome",
        threshold_met=True,
        recorded_on=episode.strategy_discussion_date,
    )
    act(
        p.team_manager,
        episode,
        "record_route",
        route="rmp",
        recorded_on=episode.strategy_discussion_date,
    )
    response = client_for(p.service_manager).post(
        step_url(episode, "decline_route"), {"version": stale, "reason": "Needs more detail"}
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_AGREEMENT


def test_steps_are_refused_to_those_not_involved(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    for user in (p.teacher, p.officer):
        response = post_step(client_for(user), episode, "record_s47_outcome", threshold_met="yes")
        assert response.status_code in (403, 404), user
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME


def test_the_route_and_the_plan_through_the_pages(p: Pathway, client_for: Any) -> None:
    started = working_days_ago(p.area, 10)
    held = working_days_ago(p.area, 3)
    episode = p.open_under_18(started=started)
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    assert (
        post_step(
            client_for(p.team_manager),
            episode,
            "record_route",
            route="rmp",
            recorded_on=typed(started),
        ).status_code
        == 302
    )
    assert (
        post_step(
            client_for(p.service_manager), episode, "agree_route", agreed_on=typed(started)
        ).status_code
        == 302
    )
    chair = client_for(p.chair)
    assert (
        post_step(
            chair,
            episode,
            "record_marmm",
            held_on=typed(held),
            chair=str(p.chair.pk),
            family_attended="on",
        ).status_code
        == 302
    )
    assert (
        post_step(
            chair,
            episode,
            "add_plan_action",
            section="disruption",
            description="Patrols near the retail park",
            owner_agency=str(p.police.pk),
        ).status_code
        == 302
    )
    # The NRM question needs a first responder.
    refused = post_step(
        chair,
        episode,
        "answer_plan_questions",
        trigger_plan_needed="no",
        nrm_needed="yes",
        nrm_referrer_agency=str(p.school.pk),
    )
    assert refused.status_code == 400
    assert "is not a first responder" in refused.content.decode()
    assert (
        post_step(
            chair,
            episode,
            "answer_plan_questions",
            trigger_plan_needed="no",
            nrm_needed="no",
            nrm_reason="No indicators of trafficking",
        ).status_code
        == 302
    )
    assert post_step(chair, episode, "agree_plan", agreed_on=typed(held)).status_code == 302
    episode.refresh_from_db()
    assert episode.status == S.PLAN_IN_PLACE
    assert episode.trigger_plan_needed is False and episode.nrm_needed is False
    assert PlanAction.objects.get(episode=episode).section == "disruption"
    marmm = Marmm.objects.get(episode=episode)
    assert marmm.family_attended and marmm.chair == p.chair
    assert Flag.objects.filter(episode=episode, purpose=FlagPurpose.SET).count() == 3


def test_a_care_leaver_through_the_pages(p: Pathway, client_for: Any) -> None:
    met = working_days_ago(p.area, 3)
    client = client_for(p.team_manager)
    response = client.post(
        reverse("pathway:open"),
        {
            "young_person": str(p.care_leaver.pk),
            "kind": "care_leaver",
            "care_leavers_meeting_date": typed(met),
            "social_worker": str(p.social_worker.pk),
        },
    )
    assert response.status_code == 302
    episode = Episode.objects.get(young_person=p.care_leaver)
    assert episode.status == S.AWAITING_CARE_LEAVERS_DECISION
    assert episode.team_manager == p.team_manager
    page = client.get(detail(episode)).content.decode()
    assert step_url(episode, "record_care_leavers_decisions") in page
    assert step_url(episode, "record_s47_outcome") not in page

    missing = post_step(
        client,
        episode,
        "record_care_leavers_decisions",
        immediate_actions="Safety plan with the personal adviser",
        disruption_opportunities="Licensing visit to the hostel",
        follow_pathway="yes",
        adult_safeguarding_referral="no",
    )
    assert missing.status_code == 400
    assert "Enter why no referral to adult safeguarding is made" in missing.content.decode()
    assert (
        post_step(
            client,
            episode,
            "record_care_leavers_decisions",
            immediate_actions="Safety plan with the personal adviser",
            disruption_opportunities="Licensing visit to the hostel",
            follow_pathway="yes",
            adult_safeguarding_referral="no",
            adult_safeguarding_reason="Already known to adult services",
        ).status_code
        == 302
    )
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_MARMM
    assert episode.follow_pathway is True and episode.adult_safeguarding_referral is False


def test_the_nrm_decisions_and_an_escalation_through_the_pages(p: Pathway, client_for: Any) -> None:
    held = working_days_ago(p.area, 6)
    episode = to_plan(p, held_on=held)  # an NRM referral by the police is needed
    social_worker = client_for(p.social_worker)
    page = social_worker.get(detail(episode)).content.decode()
    for action in ("record_nrm_decision", "call_early_review", "request_escalation"):
        assert step_url(episode, action) in page, action
    assert (
        post_step(
            social_worker,
            episode,
            "record_nrm_decision",
            referral_date=typed(held),
            reasonable_grounds="positive",
            reasonable_grounds_date=typed(working_days_ago(p.area, 2)),
            conclusive_grounds="",
        ).status_code
        == 302
    )
    episode.refresh_from_db()
    assert episode.nrm_referral_date == held
    assert episode.nrm_reasonable_grounds == "positive"
    assert episode.nrm_conclusive_grounds == ""

    assert (
        post_step(
            social_worker, episode, "request_escalation", reason="Missing three times this week"
        ).status_code
        == 302
    )
    manager = client_for(p.service_manager)
    assert step_url(episode, "agree_escalation") in manager.get(detail(episode)).content.decode()
    assert (
        post_step(manager, episode, "agree_escalation", agreed_on=typed(clock.today())).status_code
        == 302
    )
    episode.refresh_from_db()
    assert episode.escalation == "agreed"

    early = post_step(
        social_worker,
        episode,
        "call_early_review",
        reason="New intelligence",
        review_by=typed(clock.today() + dt.timedelta(days=7)),
    )
    assert early.status_code == 302
    episode.refresh_from_db()
    assert episode.next_review_due == clock.today() + dt.timedelta(days=7)


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------


def test_the_police_confirm_their_flag(p: Pathway, client_for: Any) -> None:
    held = working_days_ago(p.area, 2)
    episode = to_plan(p, held_on=held)
    flag = Flag.objects.get(episode=episode, system="police", purpose=FlagPurpose.SET)
    client = client_for(p.officer)
    page = client.get(detail(episode)).content.decode()
    assert reverse("pathway:flag_confirm", args=[flag.pk]) in page
    # Not the health flag: that is the health agency's.
    health = Flag.objects.get(episode=episode, system="health", purpose=FlagPurpose.SET)
    assert reverse("pathway:flag_confirm", args=[health.pk]) not in page

    missing = client.post(
        reverse("pathway:flag_confirm", args=[flag.pk]), {"version": flag.version}
    )
    assert missing.status_code == 400
    assert "Enter the date the flag was added" in missing.content.decode()

    response = client.post(
        reverse("pathway:flag_confirm", args=[flag.pk]),
        {"version": flag.version, "confirmed_on": typed(held)},
    )
    assert response.status_code == 302
    # With their flag confirmed the police have nothing more to see: back to the home page.
    assert response["Location"] == reverse("web:home")
    assert "The police flag is confirmed added." in client.get(reverse("web:home")).content.decode()
    flag.refresh_from_db()
    assert flag.confirmed_on == held and flag.confirmed_by == p.officer
    assert AuditEvent.objects.filter(verb=Verb.FLAG_CONFIRMED, actor=p.officer).exists()


def test_the_social_worker_confirms_the_social_care_flag(p: Pathway, client_for: Any) -> None:
    held = working_days_ago(p.area, 2)
    episode = to_plan(p, held_on=held)
    flag = Flag.objects.get(episode=episode, system="social_care", purpose=FlagPurpose.SET)
    response = client_for(p.social_worker).post(
        reverse("pathway:flag_confirm", args=[flag.pk]),
        {"version": flag.version, "confirmed_on": typed(held)},
    )
    assert response.status_code == 302
    assert response["Location"] == detail(episode) + "#flags"
    again = client_for(p.social_worker).post(
        reverse("pathway:flag_confirm", args=[flag.pk]),
        {"version": flag.version, "confirmed_on": typed(held)},
    )
    assert again.status_code == 400
    assert "This flag has already been confirmed." in again.content.decode()


def test_a_flag_is_confirmed_only_by_its_agency(p: Pathway, client_for: Any) -> None:
    episode = to_plan(p, held_on=working_days_ago(p.area, 2))
    flag = Flag.objects.get(episode=episode, system="health", purpose=FlagPurpose.SET)
    data = {"version": flag.version, "confirmed_on": typed(clock.today())}
    url = reverse("pathway:flag_confirm", args=[flag.pk])
    assert client_for(p.officer).post(url, data).status_code == 403
    assert client_for(p.teacher).post(url, data).status_code in (403, 404)
    assert client_for(p.stranger).post(url, data).status_code in (403, 404)
    flag.refresh_from_db()
    assert flag.confirmed_on is None


@pytest.mark.parametrize("action", ["record_s47_outcome"])
def test_a_get_of_a_step_goes_back_to_the_episode(p: Pathway, client_for: Any, action: str) -> None:
    episode = p.open_under_18()
    response = client_for(p.social_worker).get(step_url(episode, action))
    assert response.status_code == 302
    assert response["Location"] == detail(episode)


def test_the_chair_schedules_the_marmm_from_the_episode(p: Pathway, client_for: Any) -> None:
    from django.utils import timezone

    from riskpath.meetings import services as meeting_services
    from riskpath.meetings.models import Meeting
    from tests.factories import UserFactory

    admin = UserFactory(agency=p.social_care, roles=["area_administrator"])
    meeting_services.meeting_types_install_presets(actor=admin, area=p.area)
    episode = to_marmm(p)
    client = client_for(p.chair)
    page = client.get(detail(episode)).content.decode()
    assert "Schedule the MARMM" in page
    day = clock.today() + dt.timedelta(days=6)
    bad = post_step(client, episode, "schedule_marmm", day=typed(day), start_time="25:00")
    assert bad.status_code == 400
    assert "Enter the start time as a 24-hour time" in bad.content.decode()
    assert not Meeting.objects.exists()
    response = post_step(
        client, episode, "schedule_marmm", day=typed(day), start_time="14:30", place="Civic Centre"
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(young_person=p.child)
    assert meeting.place == "Civic Centre"
    local = timezone.localtime(meeting.starts_at)
    assert (local.date(), local.strftime("%H:%M")) == (day, "14:30")
    assert "MARMM scheduled for" in client.get(detail(episode)).content.decode()


def test_a_marmm_in_year_9999_is_refused_on_the_date(p: Pathway, client_for: Any) -> None:
    """It used to overflow the meeting's papers deadline (a 500)."""
    from riskpath.meetings import services as meeting_services
    from riskpath.meetings.models import Meeting
    from tests.factories import UserFactory

    admin = UserFactory(agency=p.social_care, roles=["area_administrator"])
    meeting_services.meeting_types_install_presets(actor=admin, area=p.area)
    episode = to_marmm(p)
    bad = post_step(
        client_for(p.chair), episode, "schedule_marmm", day="31 12 9999", start_time="10:00"
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    summary = page[page.index('class="govuk-error-summary"') :]
    assert "The MARMM&#x27;s date must be on or before 31 December" in summary
    assert 'href="#schedule_marmm-day"' in summary
    assert not Meeting.objects.exists()


def test_the_police_see_the_episode_for_their_flag_not_the_whole_record(
    p: Pathway, client_for: Any
) -> None:
    episode = to_plan(p)
    officer = client_for(p.officer)
    assert officer.get(detail(episode)).status_code == 200
    record = officer.get(reverse("people:detail", args=[p.child.pk]))
    assert record.status_code in (403, 404)


def test_the_timeliness_report_downloads_as_csv(p: Pathway, client_for: Any) -> None:
    import csv
    import io

    to_marmm(p)
    client = client_for(p.consultant)
    page = client.get(reverse("pathway:timeliness") + "?quarter=2026-Q4").content.decode()
    assert "?quarter=2026-Q4&amp;download=csv" in page
    response = client.get(reverse("pathway:timeliness") + "?quarter=2026-Q4&download=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "pathway-timeliness-2026-Q4.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["quarter", "from", "to", "measure"]
    assert [r[3] for r in rows[1:]] == [
        "Initial MARMMs within 15 working days",
        "Minutes and plans within 2 working days",
        "Reviews within 12 weeks",
        "Flags confirmed within 5 working days",
    ]
    assert p.child.family_name not in response.content.decode()
    reads = AuditEvent.objects.filter(verb=Verb.TIMELINESS_VIEWED, actor=p.consultant)
    assert reads.count() == 2


def test_the_nrm_question_says_which_agencies_are_first_responders(
    p: Pathway, client_for: Any
) -> None:
    episode = to_marmm(p)
    act(p.chair, episode, "record_marmm", held_on=clock.today())
    page = client_for(p.chair).get(detail(episode)).content.decode()
    assert f"{p.police.name} (first responder)" in page
    assert f"{p.health.name} (first responder)" not in page
    assert f">{p.health.name}<" in page
