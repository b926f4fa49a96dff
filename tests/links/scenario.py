"""A small partnership shared by the location, group and link tests: recorders of two
agencies, a role that may not see places, and another area with its own records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.links.factories import GroupFactory, LocationFactory, PersonOfInterestFactory


@dataclass
class Places:
    area: Area
    agency: Agency  # the recorder's agency
    other_agency: Agency
    recorder: User  # partner representative
    colleague: User  # social worker in another agency of the same area
    qa: User  # quality-assurance member: no rule for places, groups or links
    young_person: YoungPerson  # recorded by the recorder's agency (so visible to them)
    unseen: YoungPerson  # recorded by the other agency: the recorder is not involved
    poi: PersonOfInterest
    location: Location
    group: Group
    far_agency: Agency
    far_user: User  # a recorder in another area
    far_location: Location
    far_group: Group
    far_young_person: YoungPerson


def build_places(area: Area, agency: Agency) -> Places:
    other = AgencyFactory(area=area, name="Children's social care")
    far_area = AreaFactory()
    far_agency = AgencyFactory(area=far_area)
    return Places(
        area=area,
        agency=agency,
        other_agency=other,
        recorder=UserFactory(agency=agency, roles=[Role.PARTNER_REPRESENTATIVE]),
        colleague=UserFactory(agency=other, roles=[Role.SOCIAL_WORKER]),
        qa=UserFactory(agency=agency, roles=[Role.QA_MEMBER]),
        young_person=YoungPersonFactory(
            recording_agency=agency, given_names="Kai", family_name="Linkperson"
        ),
        unseen=YoungPersonFactory(recording_agency=other, given_names="Ula", family_name="Unseen"),
        poi=PersonOfInterestFactory(
            recording_agency=agency, given_names="Pat", family_name="Interest"
        ),
        location=LocationFactory(recording_agency=agency, name="Station Road takeaway"),
        group=GroupFactory(recording_agency=agency, name="Station Road crew"),
        far_agency=far_agency,
        far_user=UserFactory(agency=far_agency, roles=[Role.PARTNER_REPRESENTATIVE]),
        far_location=LocationFactory(recording_agency=far_agency, name="Far away park"),
        far_group=GroupFactory(recording_agency=far_agency, name="Far away crew"),
        far_young_person=YoungPersonFactory(recording_agency=far_agency),
    )


@pytest.fixture
def places(area: Area, agency: Agency) -> Places:
    return build_places(area, agency)


class AuditWatch:
    """The audit events written since it was made (bar sign-ins: the test client's sign-in
    is recorded on its first request)."""

    def __init__(self) -> None:
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        self.since = last or 0

    def new(self, **filters: Any) -> list[AuditEvent]:
        events = AuditEvent.objects.filter(id__gt=self.since, **filters).exclude(
            verb=Verb.SIGNED_IN
        )
        return list(events.order_by("id"))

    def verbs(self) -> list[str]:
        return [e.verb for e in self.new()]
