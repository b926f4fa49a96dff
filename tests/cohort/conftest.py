from __future__ import annotations

from dataclasses import dataclass

import pytest

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory


@dataclass
class Scene:
    area: Area
    police: Agency
    school: Agency
    health: Agency
    chair: User  # decides the cohort
    partner: User  # a PIMM member: sees and exports the cohort, decides nothing
    qa: User  # a quality-assurance member: no cohort rule at all
    lead: User
    led: YoungPerson  # has a lead professional
    unled: YoungPerson  # has none
    far: YoungPerson  # in another area
    far_chair: User


@pytest.fixture
def scene(area: Area, agency: Agency) -> Scene:
    police = agency
    school = AgencyFactory(area=area, name="Northfield Academy")
    health = AgencyFactory(area=area, name="Community health")
    lead = UserFactory(agency=school, roles=[Role.LEAD_PROFESSIONAL])
    other = AgencyFactory(area=AreaFactory())
    return Scene(
        area=area,
        police=police,
        school=school,
        health=health,
        chair=UserFactory(agency=police, roles=[Role.CHAIR]),
        partner=UserFactory(agency=health, roles=[Role.PARTNER_REPRESENTATIVE]),
        qa=UserFactory(agency=health, roles=[Role.QA_MEMBER]),
        lead=lead,
        led=YoungPersonFactory(
            recording_agency=police, lead_professional=lead, locality="Kingsmead"
        ),
        unled=YoungPersonFactory(recording_agency=police, locality="Yate"),
        far=YoungPersonFactory(recording_agency=other),
        far_chair=UserFactory(agency=other, roles=[Role.CHAIR]),
    )
