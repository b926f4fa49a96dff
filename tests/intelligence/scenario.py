"""A partnership with one young person, intelligence about them from the police, and users
in every relation to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.core import clock
from riskpath.intelligence import services
from riskpath.intelligence.models import IntelligenceItem
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

SECRET = "Seen with an older male near the canal bridge after midnight"
SANITISED = "Concerns about exploitation near a local landmark"
CONDITIONS = "Share with police and the consultant social workers only; do not tell the family."
REASON = "I am the allocated social worker and plan a home visit on Friday."


@dataclass
class Scene:
    area: Area
    police: Agency  # submits the intelligence
    social_care: Agency  # recorded the young person
    school: Agency  # no involvement
    person: YoungPerson
    officer: User  # police partner representative: submits
    sergeant: User  # police team manager: decides disclosure requests
    social_worker: User  # social care, involved with the young person (recording agency)
    consultant: User  # consultant social worker in the health agency: a handling role
    teacher: User  # partner representative in the school: no involvement
    stranger: User  # another area
    admin: User  # area administrator


def build_scene(area: Area) -> Scene:
    police = AgencyFactory(area=area, name="Constabulary", kind=AgencyKind.POLICE)
    social_care = AgencyFactory(area=area, name="Children's services", kind=AgencyKind.SOCIAL_CARE)
    school = AgencyFactory(area=area, name="Hillside Academy", kind=AgencyKind.EDUCATION)
    health = AgencyFactory(area=area, name="Community health", kind=AgencyKind.HEALTH)
    person = YoungPersonFactory(
        recording_agency=social_care, given_names="Kai", family_name="Testperson"
    )
    other_agency = AgencyFactory(area=AreaFactory())
    return Scene(
        area=area,
        police=police,
        social_care=social_care,
        school=school,
        person=person,
        officer=UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE]),
        sergeant=UserFactory(agency=police, roles=[Role.TEAM_MANAGER], full_name="Sam Sergeant"),
        social_worker=UserFactory(
            agency=social_care, roles=[Role.SOCIAL_WORKER], full_name="Sol Worker"
        ),
        consultant=UserFactory(agency=health, roles=[Role.CONSULTANT_SOCIAL_WORKER]),
        teacher=UserFactory(agency=school, roles=[Role.PARTNER_REPRESENTATIVE]),
        stranger=UserFactory(
            agency=other_agency, roles=[Role.CONSULTANT_SOCIAL_WORKER, Role.SOCIAL_WORKER]
        ),
        admin=UserFactory(agency=police, roles=[Role.AREA_ADMINISTRATOR]),
    )


def submission(**overrides: Any) -> dict[str, Any]:
    """Valid arguments for ``intelligence_item_submit`` (without actor)."""
    values: dict[str, Any] = {
        "reported_on": clock.today(),
        "text": SECRET,
        "sanitised_text": SANITISED,
        "harm_types": ["cse", "missing"],
        "source_evaluation": "2",
        "assessment": "B",
        "handling_code": "P",
        "provenance": "second_hand",
    }
    values.update(overrides)
    return values


def submit(actor: User, **overrides: Any) -> IntelligenceItem:
    return services.intelligence_item_submit(actor=actor, **submission(**overrides))


def c_coded(scene: Scene, **overrides: Any) -> IntelligenceItem:
    """A C-coded item from the police about the scene's young person, whose conditions let
    consultant social workers read it."""
    values: dict[str, Any] = {
        "handling_code": "C",
        "handling_conditions": CONDITIONS,
        "handling_roles": [Role.CONSULTANT_SOCIAL_WORKER],
        "young_people": [scene.person],
    }
    values.update(overrides)
    return submit(scene.officer, **values)
