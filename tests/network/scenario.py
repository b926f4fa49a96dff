"""A small web of links around Kai (see ``tests.links.scenario``): a person of interest linked
to Kai and to a young person the recorder is not involved with, whose name is a canary, and a
second person of interest reachable only through that hidden young person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from riskpath.groups.models import GroupMembership
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link, LinkKind, LinkStrength
from riskpath.people.models import PersonOfInterest
from tests.links.factories import IntelligenceItemFactory, LinkFactory, PersonOfInterestFactory
from tests.links.scenario import Places

CANARY = "Quorblethwaite"  # the hidden young person's family name
BEYOND = "Zephyrine"  # a person of interest linked only to the hidden young person


@dataclass
class Web:
    places: Places
    exploited: Link  # Kai exploited by the person of interest: confirmed, CCE, 1A evidence
    hidden_link: Link  # the hidden young person exploited by the same person of interest
    beyond: PersonOfInterest
    frequents: Link  # Kai frequents the location: tentative, no evidence
    item: IntelligenceItem


@pytest.fixture
def web(places: Places) -> Web:
    p = places
    p.unseen.family_name = CANARY
    p.unseen.save()
    item = IntelligenceItemFactory(
        source_agency=p.agency, harm_types=["cce"], source_evaluation="1", assessment="A"
    )
    exploited = LinkFactory(
        area=p.area,
        kind=LinkKind.EXPLOITED_BY,
        strength=LinkStrength.CONFIRMED,
        source_young_person=p.young_person,
        target_person_of_interest=p.poi,
        first_seen=dt.date(2026, 1, 5),
        last_seen=dt.date(2026, 3, 1),
    )
    exploited.evidence.add(item)
    hidden_link = LinkFactory(
        area=p.area,
        kind=LinkKind.EXPLOITED_BY,
        source_young_person=p.unseen,
        target_person_of_interest=p.poi,
    )
    beyond = PersonOfInterestFactory(
        recording_agency=p.agency, given_names=BEYOND, family_name="Farside"
    )
    LinkFactory(
        area=p.area,
        kind=LinkKind.ASSOCIATE,
        source_young_person=p.unseen,
        target_person_of_interest=beyond,
    )
    frequents = LinkFactory(
        area=p.area,
        kind=LinkKind.FREQUENTS,
        strength=LinkStrength.TENTATIVE,
        source_young_person=p.young_person,
        target_location=p.location,
        first_seen=dt.date(2025, 6, 1),
        last_seen=dt.date(2025, 7, 1),
    )
    GroupMembership.objects.create(group=p.group, young_person=p.young_person)
    return Web(places, exploited, hidden_link, beyond, frequents, item)
