"""A partnership running the Risk Management Pathway: agencies (social care and police are
first responders), the people who take each step, a young person under 18 and a care
leaver. Shared by the pathway tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.core import clock, workdays
from riskpath.pathway import services
from riskpath.pathway.models import Episode, EpisodeKind
from riskpath.people.enums import CareStatus
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory


@dataclass
class Pathway:
    area: Area
    social_care: Agency
    police: Agency
    health: Agency
    school: Agency
    social_worker: User
    team_manager: User
    service_manager: User
    other_service_manager: User
    consultant: User  # consultant social worker: tracks every young person on the pathway
    chair: User  # independent chair of MARMMs
    business_support: User
    officer: User  # police partner representative: confirms the police flag
    nurse: User  # health partner representative: confirms the health flag
    teacher: User  # partner representative with no part in the pathway
    stranger: User  # a consultant social worker in another area
    child: YoungPerson  # 15
    care_leaver: YoungPerson  # 20

    def open_under_18(self, started: dt.date | None = None, **kwargs: Any) -> Episode:
        return services.episode_open(
            actor=self.social_worker,
            young_person=self.child,
            kind=EpisodeKind.UNDER_18,
            strategy_discussion_date=started or working_days_ago(self.area, 5),
            team_manager=self.team_manager,
            team="Locality North",
            **kwargs,
        )

    def open_care_leaver(self, started: dt.date | None = None) -> Episode:
        return services.episode_open(
            actor=self.team_manager,
            young_person=self.care_leaver,
            kind=EpisodeKind.CARE_LEAVER,
            care_leavers_meeting_date=started or working_days_ago(self.area, 3),
            social_worker=self.social_worker,
            team="Leaving care",
        )


def working_days_ago(area: Area, days: int) -> dt.date:
    return workdays.for_area(area).before(clock.today(), days)


def act(actor: User, episode: Episode, action: str, **data: Any) -> Episode:
    """Take ``action`` as ``actor`` from the episode's current version."""
    episode.refresh_from_db()
    return services.episode_act(
        actor=actor, episode=episode, action=action, expected_version=episode.version, data=data
    )


def build_pathway(area: Area) -> Pathway:
    social_care = AgencyFactory(
        area=area, name="Childrens services", kind=AgencyKind.SOCIAL_CARE, is_first_responder=True
    )
    police = AgencyFactory(
        area=area, name="Constabulary", kind=AgencyKind.POLICE, is_first_responder=True
    )
    health = AgencyFactory(area=area, name="Community health", kind=AgencyKind.HEALTH)
    school = AgencyFactory(area=area, name="Hillside Academy", kind=AgencyKind.EDUCATION)
    today = clock.today()
    other = AgencyFactory(area=AreaFactory(), kind=AgencyKind.SOCIAL_CARE)
    return Pathway(
        area=area,
        social_care=social_care,
        police=police,
        health=health,
        school=school,
        social_worker=UserFactory(agency=social_care, roles=[Role.SOCIAL_WORKER]),
        team_manager=UserFactory(agency=social_care, roles=[Role.TEAM_MANAGER]),
        service_manager=UserFactory(agency=social_care, roles=[Role.SERVICE_MANAGER]),
        other_service_manager=UserFactory(agency=social_care, roles=[Role.SERVICE_MANAGER]),
        consultant=UserFactory(agency=social_care, roles=[Role.CONSULTANT_SOCIAL_WORKER]),
        chair=UserFactory(agency=social_care, roles=[Role.INDEPENDENT_CHAIR]),
        business_support=UserFactory(agency=social_care, roles=[Role.ADMINISTRATOR]),
        officer=UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE]),
        nurse=UserFactory(agency=health, roles=[Role.PARTNER_REPRESENTATIVE]),
        teacher=UserFactory(agency=school, roles=[Role.PARTNER_REPRESENTATIVE]),
        stranger=UserFactory(agency=other, roles=[Role.CONSULTANT_SOCIAL_WORKER]),
        child=YoungPersonFactory(
            recording_agency=social_care,
            date_of_birth=today.replace(year=today.year - 15) - dt.timedelta(days=40),
        ),
        care_leaver=YoungPersonFactory(
            recording_agency=social_care,
            date_of_birth=today.replace(year=today.year - 20) - dt.timedelta(days=40),
            care_status=CareStatus.CARE_LEAVER,
        ),
    )


def to_marmm(p: Pathway, episode: Episode | None = None) -> Episode:
    """An under-18 episode whose route (the RMP) the service manager has agreed."""
    episode = episode or p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    act(p.team_manager, episode, "record_route", route="rmp", recorded_on=started)
    return act(p.service_manager, episode, "agree_route", agreed_on=started)


def to_plan(p: Pathway, episode: Episode | None = None, held_on: dt.date | None = None) -> Episode:
    """An episode with its initial MARMM held and its plan agreed."""
    held = held_on or clock.today()
    if episode is None:
        episode = p.open_under_18(started=workdays.for_area(p.area).before(held, 10))
    episode = to_marmm(p, episode)
    act(p.chair, episode, "record_marmm", held_on=held, chair=p.chair, family_attended=True)
    act(
        p.chair,
        episode,
        "add_plan_action",
        section="support",
        description="Weekly mentoring sessions",
        owner_agency=p.social_care,
    )
    act(
        p.chair,
        episode,
        "answer_plan_questions",
        trigger_plan_needed=True,
        trigger_plan_details="Likely to go to the retail park; phone and Snapchat known",
        nrm_needed=True,
        nrm_referrer_agency=p.police,
    )
    return act(p.chair, episode, "agree_plan", agreed_on=held)
