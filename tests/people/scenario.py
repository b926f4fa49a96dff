"""A small partnership with one young person and people in every relation to them, shared by
the page tests here and the API tests in tests/api."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.models import AuditEvent
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

LONG_REASON = "Police report a missing-from-home episode overnight; need history now."


@dataclass
class Scene:
    area: Area
    recording: Agency  # the agency that recorded the young person
    lead_agency: Agency  # the lead professional's agency
    third: Agency  # an agency with no involvement
    person: YoungPerson
    lead: User  # lead professional (from another agency than the recording one)
    colleague: User  # social worker in the recording agency
    manager: User  # team manager in the recording agency
    consultant: User  # consultant social worker: sees everyone in the area
    outsider: User  # social worker with no involvement: may break glass
    partner: User  # partner representative with no involvement: may not break glass
    other_area_person: YoungPerson
    stranger: User  # consultant social worker and social worker in another area


def build_scene(area: Area, recording: Agency) -> Scene:
    lead_agency = AgencyFactory(area=area, name="Lead agency")
    third = AgencyFactory(area=area, name="Third agency")
    lead = UserFactory(agency=lead_agency, roles=[Role.LEAD_PROFESSIONAL], full_name="Lena Lead")
    person = YoungPersonFactory(
        recording_agency=recording,
        lead_professional=lead,
        given_names="Kai",
        family_name="Testperson",
    )
    other_area = AreaFactory()
    other_agency = AgencyFactory(area=other_area)
    return Scene(
        area=area,
        recording=recording,
        lead_agency=lead_agency,
        third=third,
        person=person,
        lead=lead,
        colleague=UserFactory(agency=recording, roles=[Role.SOCIAL_WORKER]),
        manager=UserFactory(agency=recording, roles=[Role.TEAM_MANAGER]),
        consultant=UserFactory(agency=third, roles=[Role.CONSULTANT_SOCIAL_WORKER]),
        outsider=UserFactory(agency=third, roles=[Role.SOCIAL_WORKER], full_name="Omar Outsider"),
        partner=UserFactory(agency=third, roles=[Role.PARTNER_REPRESENTATIVE]),
        other_area_person=YoungPersonFactory(
            recording_agency=other_agency, given_names="Far", family_name="Away"
        ),
        stranger=UserFactory(
            agency=other_agency, roles=[Role.CONSULTANT_SOCIAL_WORKER, Role.SOCIAL_WORKER]
        ),
    )


class AuditWatch:
    """The audit events written since it was made."""

    def __init__(self) -> None:
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        self.since = last or 0

    def new(self, **filters: Any) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(id__gt=self.since, **filters).order_by("id"))

    def verbs(self) -> list[str]:
        return [e.verb for e in self.new()]
