"""The chart's page and API cost the same queries for a small web of links as for a larger one
(no query per node or per link)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.links.models import LinkKind
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory
from tests.links.factories import (
    GroupFactory,
    IntelligenceItemFactory,
    LinkFactory,
    LocationFactory,
    PersonOfInterestFactory,
)
from tests.query_counts import grown

pytestmark = pytest.mark.django_db


@dataclass
class Small:
    user: User
    centre: YoungPerson


def build(size: int) -> Small:
    agency = AgencyFactory()
    other = AgencyFactory(area=agency.area)
    user = UserFactory(agency=agency, roles=[Role.PARTNER_REPRESENTATIVE])
    centre = YoungPersonFactory(recording_agency=agency)
    group = GroupFactory(recording_agency=agency)
    for n in range(size):
        poi = PersonOfInterestFactory(recording_agency=agency)
        link = LinkFactory(
            area=agency.area,
            kind=LinkKind.EXPLOITED_BY,
            source_young_person=centre,
            target_person_of_interest=poi,
        )
        link.evidence.add(IntelligenceItemFactory(source_agency=agency))
        friend = YoungPersonFactory(recording_agency=agency if n % 2 else other)
        LinkFactory(area=agency.area, source_young_person=friend, target_person_of_interest=poi)
        place = LocationFactory(recording_agency=agency)
        LinkFactory(
            area=agency.area,
            kind=LinkKind.FREQUENTS,
            source_young_person=friend,
            target_location=place,
        )
        group.memberships.create(young_person=friend)
    return Small(user, centre)


def test_queries_do_not_grow_with_the_chart() -> None:
    pages = {
        "page": lambda w: (
            w.user,
            reverse("network:young_person", args=[w.centre.pk]) + "?depth=3",
        ),
        "api": lambda w: (
            w.user,
            f"{reverse('api:network')}?around=young_person:{w.centre.pk}&depth=3",
        ),
    }
    assert grown(pages, build(2), build(6)) == {}
