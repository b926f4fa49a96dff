"""Demo Risk Management Pathway episodes at every stage, so the dashboard, the episode page
and the timeliness report have something to show: one awaiting the service manager's
agreement, one whose initial MARMM is due, one with a plan in place and an overdue police
flag, one escalated to the strategic panel, a care leaver whose plan is to be agreed, and
one ended. Written through the pathway services, so the history and audit log hold them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from faker import Faker

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User, UserRole
from riskpath.core import clock, workdays
from riskpath.pathway import services
from riskpath.pathway.models import Episode, EpisodeKind, Flag, FlagSystem
from riskpath.people.enums import CareStatus
from riskpath.people.models import YoungPerson


def build(area: Area, users: dict[str, User]) -> None:
    """Fill ``area`` once. Does nothing if it already has pathway episodes."""
    if Episode.objects.filter(area=area).exists():
        return
    cal = workdays.for_area(area)
    today = clock.today()
    csw = users[Role.CONSULTANT_SOCIAL_WORKER]
    sw = users[Role.SOCIAL_WORKER]
    tm = users[Role.TEAM_MANAGER]
    sm = users[Role.SERVICE_MANAGER]
    chair = users[Role.INDEPENDENT_CHAIR]
    support = users[Role.ADMINISTRATOR]
    police_rep = users[Role.PARTNER_REPRESENTATIVE]
    police = Agency.objects.filter(area=area, kind=AgencyKind.POLICE).order_by("name").first()
    children = list(
        YoungPerson.objects.filter(area=area, date_of_birth__isnull=False)
        .filter(date_of_birth__gt=today.replace(year=today.year - 17))
        .order_by("family_name", "given_names")[:5]
    )
    if len(children) < 5:
        return

    def act(episode: Episode, actor: User, action: str, **data: Any) -> Episode:
        episode.refresh_from_db()
        return services.episode_act(
            actor=actor, episode=episode, action=action, expected_version=episode.version, data=data
        )

    def open_under_18(person: YoungPerson, started: dt.date, team: str) -> Episode:
        return services.episode_open(
            actor=csw,
            young_person=person,
            kind=EpisodeKind.UNDER_18,
            strategy_discussion_date=started,
            social_worker=sw,
            team_manager=tm,
            team=team,
            strategy_participants="Social worker, police, school safeguarding lead, health",
        )

    def to_route_agreed(episode: Episode) -> Episode:
        started = episode.strategy_discussion_date
        assert started is not None
        act(episode, sw, "record_s47_outcome", threshold_met=True, recorded_on=started)
        act(episode, tm, "record_route", route="rmp", recorded_on=cal.add(started, 1))
        return act(episode, sm, "agree_route", agreed_on=cal.add(started, 2))

    def to_plan(episode: Episode, held: dt.date) -> Episode:
        act(episode, chair, "record_marmm", held_on=held, chair=chair, family_attended=True)
        for section, text in (
            ("support", "Weekly sessions with the exploitation team's youth worker"),
            ("disruption", "Police to serve a child abduction warning notice"),
            ("investigation", "Review phone download for links to the county line"),
        ):
            act(episode, chair, "add_plan_action", section=section, description=text)
        act(
            episode,
            chair,
            "answer_plan_questions",
            trigger_plan_needed=True,
            trigger_plan_details="Known to go to the retail park and the station; phone known",
            nrm_needed=police is not None,
            nrm_referrer_agency=police,
            nrm_reason="" if police is not None else "No first responder agency configured",
        )
        return act(episode, chair, "agree_plan", agreed_on=held)

    # 1. Route recorded, awaiting the service manager's agreement.
    first = open_under_18(children[0], cal.before(today, 3), "Locality North")
    act(first, sw, "record_s47_outcome", threshold_met=True, recorded_on=cal.before(today, 2))
    act(first, tm, "record_route", route="rmp", recorded_on=cal.before(today, 1))

    # 2. On the pathway; initial MARMM due in a few working days.
    to_route_agreed(open_under_18(children[1], cal.before(today, 12), "Locality South"))

    # 3. Plan in place; minutes circulated; the police flag not yet confirmed (overdue).
    third = to_route_agreed(open_under_18(children[2], cal.before(today, 30), "Locality North"))
    held = cal.before(today, 18)
    to_plan(third, held)
    act(third, support, "record_minutes_circulated", circulated_on=cal.add(held, 1), filed=True)
    for flag in Flag.objects.filter(episode=third).exclude(system=FlagSystem.POLICE):
        services.flag_confirm(
            actor=sw if flag.system == FlagSystem.SOCIAL_CARE else _health_user(area, sw),
            flag=flag,
            expected_version=flag.version,
            confirmed_on=cal.add(held, 2),
        )

    # 4. Plan in place and escalated to the strategic panel.
    fourth = to_route_agreed(open_under_18(children[3], cal.before(today, 45), "Locality South"))
    held = cal.before(today, 32)
    to_plan(fourth, held)
    act(fourth, support, "record_minutes_circulated", circulated_on=cal.add(held, 3), filed=True)
    act(fourth, sw, "request_escalation", reason="Missing three times in a fortnight; risk rising")
    act(fourth, sm, "agree_escalation", agreed_on=cal.before(today, 5))

    # 5. Ended at a review MARMM, with the service manager's agreement.
    fifth = to_route_agreed(open_under_18(children[4], cal.before(today, 110), "Locality North"))
    held = cal.before(today, 98)
    to_plan(fifth, held)
    act(fifth, support, "record_minutes_circulated", circulated_on=cal.add(held, 2), filed=True)
    for flag in Flag.objects.filter(episode=fifth):
        services.flag_confirm(
            actor={
                FlagSystem.SOCIAL_CARE: sw,
                FlagSystem.POLICE: police_rep,
                FlagSystem.HEALTH: _health_user(area, sw),
            }[FlagSystem(flag.system)],
            flag=flag,
            expected_version=flag.version,
            confirmed_on=cal.add(held, 3),
        )
    review = cal.before(today, 10)
    act(fifth, chair, "record_marmm", held_on=review, chair=chair)
    act(fifth, support, "record_minutes_circulated", circulated_on=cal.add(review, 1), filed=True)
    act(
        fifth, tm, "propose_ending", reason="Risks reduced: engaged with support", marmm_date=review
    )
    act(fifth, sm, "agree_ending", agreed_on=cal.add(review, 1))

    # 6. A care leaver: MARMM held, plan to agree.
    leaver = _care_leaver(area, csw, today)
    episode = services.episode_open(
        actor=csw,
        young_person=leaver,
        kind=EpisodeKind.CARE_LEAVER,
        care_leavers_meeting_date=cal.before(today, 14),
        social_worker=sw,
        team_manager=tm,
        team="Leaving care",
    )
    act(
        episode,
        tm,
        "record_care_leavers_decisions",
        immediate_actions="Emergency accommodation away from the address",
        disruption_opportunities="Closure order on the flat used for cuckooing",
        follow_pathway=True,
        adult_safeguarding_referral=True,
    )
    act(episode, chair, "record_marmm", held_on=cal.before(today, 1), chair=chair)


def _health_user(area: Area, fallback: User) -> User:
    """A health user confirms the health flag; the demo has one health representative at
    most, so a user of a health agency is made if there is none."""
    user = User.objects.filter(agency__area=area, agency__kind=AgencyKind.HEALTH).first()
    if user is not None:
        return user
    agency = Agency.objects.filter(area=area, kind=AgencyKind.HEALTH).order_by("name").first()
    assert agency is not None, "the demo area has a health agency"
    fake = Faker("en_GB")
    fake.seed_instance(25)
    user = User.objects.create_user(
        email="health.representative@demo.riskpath.invalid",
        full_name=fake.name(),
        job_title="Named nurse for safeguarding",
        agency=agency,
    )
    UserRole.objects.create(user=user, role=Role.PARTNER_REPRESENTATIVE)
    return user


def _care_leaver(area: Area, recorder: User, today: dt.date) -> YoungPerson:
    fake = Faker("en_GB")
    fake.seed_instance(1925)
    return YoungPerson.objects.create(
        area=area,
        given_names=fake.first_name(),
        family_name=fake.last_name(),
        date_of_birth=dt.date(today.year - 20, today.month, 1),
        care_status=CareStatus.CARE_LEAVER,
        recording_agency=recorder.agency,
        recorded_by=recorder,
    )
