"""No list or record page grows its queries with its rows: every one, pages and API, is read at
two sizes of the same world (N and 5N rows of what it lists) and must cost no more queries at
the larger. An N+1 fails here. (Meetings and the pathway have their own, beside their tests.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.groups.models import GroupMembership
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.people.models import PersonOfInterest, YoungPerson
from tests.cohort.factories import on_cohort
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.links.factories import GroupFactory, LocationFactory
from tests.links.factories import PersonOfInterestFactory as POIFactory
from tests.people.factories import MissingEpisodeFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 15


@dataclass
class World:
    agency: Agency
    user: User  # social worker, team manager and chair of the recording agency
    admin: User
    person: YoungPerson
    poi: PersonOfInterest
    location: Any
    group: Any
    link: Link
    item: IntelligenceItem


def build(n: int) -> World:
    """One of each record, each with ``n`` of whatever its page lists."""
    area = AreaFactory()
    agency = AgencyFactory(area=area, kind=AgencyKind.SOCIAL_CARE)
    user = UserFactory(
        agency=agency, roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CHAIR], password=None
    )
    admin = UserFactory(agency=agency, roles=[Role.AREA_ADMINISTRATOR], password=None)
    for _ in range(n):
        UserFactory(agency=AgencyFactory(area=area), roles=[Role.PARTNER_REPRESENTATIVE])
    people = [YoungPersonFactory(recording_agency=agency, recorded_by=user) for _ in range(n)]
    person = people[0]
    pois = [POIFactory(recording_agency=agency, recorded_by=user) for _ in range(n)]
    locations = [LocationFactory(recording_agency=agency, recorded_by=user) for _ in range(n)]
    groups = [GroupFactory(recording_agency=agency, recorded_by=user) for _ in range(n)]
    items = []
    for i in range(n):
        item = IntelligenceItem.objects.create(
            area=area,
            reported_on=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            source_agency=agency if i % 2 else AgencyFactory(area=area),
            submitted_by=user,
            text=f"Item {i}",
            source_evaluation="2",
            assessment="B",
            handling_code="C" if i % 3 == 0 else "P",
            handling_conditions="Police only" if i % 3 == 0 else "",
            provenance="first_hand",
            harm_types=["cce"],
        )
        item.young_people.set([person, people[i]])
        item.persons_of_interest.set([pois[0]])
        items.append(item)
    for i in range(n):
        link = Link.objects.create(
            area=area,
            kind="associate",
            source_young_person=person,
            target_person_of_interest=pois[i],
            recorded_by=user,
        )
        link.evidence.set(items)
        Link.objects.create(
            area=area,
            kind="frequents",
            source_group=groups[0],
            target_location=locations[i],
            recorded_by=user,
        )
        GroupMembership.objects.create(group=groups[0], young_person=people[i])
        MissingEpisodeFactory(young_person=person)
        ReferralFactory(young_person=person)
        on_cohort(people[i], by=user, tier=1 + i % 3)
        audit_record(actor=user, verb=Verb.PERSON_VIEWED, target=people[i], subject=people[i])
    return World(
        agency=agency,
        user=user,
        admin=admin,
        person=person,
        poi=pois[0],
        location=locations[0],
        group=groups[0],
        link=Link.objects.filter(source_young_person=person).first(),  # type: ignore[arg-type]
        item=items[1],
    )


PAGES: dict[str, Callable[[World], tuple[str, str]]] = {
    # (who reads, the URL)
    "young people": lambda w: ("user", reverse("people:list")),
    "a young person": lambda w: ("user", reverse("people:detail", args=[w.person.pk])),
    "persons of interest": lambda w: ("user", reverse("people:poi_list")),
    "a person of interest": lambda w: ("user", reverse("people:poi_detail", args=[w.poi.pk])),
    "locations": lambda w: ("user", reverse("locations:list")),
    "a location": lambda w: ("user", reverse("locations:detail", args=[w.location.pk])),
    "groups": lambda w: ("user", reverse("groups:list")),
    "a group": lambda w: ("user", reverse("groups:detail", args=[w.group.pk])),
    "intelligence": lambda w: ("user", reverse("intelligence:list")),
    "an item": lambda w: ("user", reverse("intelligence:detail", args=[w.item.pk])),
    "a link": lambda w: ("user", reverse("links:detail", args=[w.link.pk])),
    "the cohort": lambda w: ("user", reverse("cohort:list")),
    "a cohort record": lambda w: ("user", reverse("cohort:detail", args=[w.person.pk])),
    "the audit log": lambda w: ("admin", reverse("audit:log")),
    "agencies": lambda w: ("admin", reverse("administration:agency_list")),
    "users": lambda w: ("admin", reverse("administration:user_list")),
    "API young people": lambda w: ("user", reverse("api:young_person_list")),
    "API a young person": lambda w: (
        "user",
        reverse("api:young_person_detail", args=[w.person.pk]),
    ),
    "API intelligence": lambda w: ("user", reverse("api:intelligence_list")),
    "API links": lambda w: ("user", reverse("api:link_list")),
    "API locations": lambda w: ("user", reverse("api:location_list")),
    "API groups": lambda w: ("user", reverse("api:group_list")),
    "API a group's members": lambda w: (
        "user",
        reverse("api:group_member_list", args=[w.group.pk]),
    ),
    "API persons of interest": lambda w: ("user", reverse("api:poi_list")),
    "API the cohort": lambda w: ("user", reverse("api:cohort_list")),
    "API missing episodes": lambda w: ("user", reverse("api:missing_list")),
    "API referrals": lambda w: ("user", reverse("api:referral_list")),
    "API the audit log": lambda w: ("admin", reverse("api:audit_event_list")),
}


def _queries(world: World, page: str) -> int:
    who, url = PAGES[page](world)
    client = Client()
    client.force_login(getattr(world, who))
    client.get(url)  # sessions and first-use caches out of the way
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (page, response.status_code)
    return len(context)


def test_no_page_costs_more_queries_for_more_rows() -> None:
    small = build(SMALL)
    large = build(LARGE)
    grew = {}
    for page in PAGES:
        few, many = _queries(small, page), _queries(large, page)
        if many > few:
            grew[page] = (few, many)
    assert not grew, f"queries grew with the rows ({SMALL} → {LARGE} rows): {grew}"
