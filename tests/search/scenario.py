"""A small partnership for the search tests: young people whose names are near one another
(nicknames, typos, sound-alikes, a swapped date of birth), persons of interest with aliases,
places and groups, and users in every relation to them. Synthetic names only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

# (given, family, date of birth, postcode, aliases, recorded by "care" or "police")
YOUNG_PEOPLE: list[tuple[str, str, dt.date | None, str, list[str], str]] = [
    ("William", "Ashworth", dt.date(2011, 4, 2), "BS16 1AB", ["Billy Ash"], "care"),
    ("Liam", "Ashford", dt.date(2010, 3, 5), "BS15 4XY", [], "care"),
    ("Jessica", "Pennington", dt.date(2012, 8, 3), "BS30 8AA", [], "care"),
    ("Jess", "Penington", dt.date(2012, 3, 8), "BS30 8AA", [], "police"),
    ("Katherine", "Oduya", dt.date(2009, 11, 12), "BS5 6QT", [], "care"),
    ("Catherine", "Oduyah", None, "", [], "police"),
    ("Mohammed", "Farouk", dt.date(2010, 6, 21), "BS16 9ZZ", ["Mo"], "care"),
    ("Tobias", "Quennell", dt.date(2011, 1, 30), "BS7 0AA", [], "police"),
    ("Harriet", "Blackwood", dt.date(2012, 12, 1), "BS16 1AB", [], "care"),
]
# (given, family, aliases)
PERSONS_OF_INTEREST = [
    ("Declan", "Marsh", ["Deeko"]),
    ("Kieran", "Holt", ["Kez"]),
]
# (name, address, postcode)
LOCATIONS = [
    ("Brunswick Square car park", "Brunswick Square, Kingswood", "BS15 1AA"),
    ("Station Road chicken shop", "14 Station Road, Fishponds", "BS16 2CD"),
]
GROUPS = ["Station Road boys", "Kingswood crew"]


@dataclass
class SearchWorld:
    area: Area
    care: Agency
    police: Agency
    school: Agency
    consultant: User  # consultant social worker: may open every young person in the area
    social_worker: User  # children's social care: opens what care recorded; may break glass
    officer: User  # police partner representative: opens what police recorded; no glass
    teacher: User  # school partner representative: opens nobody
    panel: User  # strategic panel: no recording role
    admin: User  # area administrator
    stranger: User  # every role, another area
    people: dict[str, YoungPerson] = field(default_factory=dict)
    pois: dict[str, PersonOfInterest] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)

    def person(self, name: str) -> YoungPerson:
        return self.people[name]


def build_search_world() -> SearchWorld:
    area = AreaFactory(name="Search area")
    care = AgencyFactory(area=area, name="Care", kind=AgencyKind.SOCIAL_CARE)
    police = AgencyFactory(area=area, name="Police", kind=AgencyKind.POLICE)
    school = AgencyFactory(area=area, name="School", kind=AgencyKind.EDUCATION)
    other = AgencyFactory(area=AreaFactory(), kind=AgencyKind.SOCIAL_CARE)
    world = SearchWorld(
        area=area,
        care=care,
        police=police,
        school=school,
        consultant=UserFactory(agency=school, roles=[Role.CONSULTANT_SOCIAL_WORKER]),
        social_worker=UserFactory(agency=care, roles=[Role.SOCIAL_WORKER]),
        officer=UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE]),
        teacher=UserFactory(agency=school, roles=[Role.PARTNER_REPRESENTATIVE]),
        panel=UserFactory(agency=school, roles=[Role.STRATEGIC_PANEL_MEMBER]),
        admin=UserFactory(agency=school, roles=[Role.AREA_ADMINISTRATOR]),
        stranger=UserFactory(agency=other, roles=list(Role.values)),
    )
    agencies = {"care": care, "police": police}
    recorders = {"care": world.social_worker, "police": world.officer}
    for given, family, dob, postcode, aliases, by in YOUNG_PEOPLE:
        world.people[f"{given} {family}"] = YoungPersonFactory(
            recording_agency=agencies[by],
            recorded_by=recorders[by],
            given_names=given,
            family_name=family,
            date_of_birth=dob,
            postcode=postcode,
            aliases=aliases,
            locality="",
        )
    # Another area's young person with a name that would match: never found.
    YoungPersonFactory(recording_agency=other, given_names="William", family_name="Ashworth")
    for given, family, aliases in PERSONS_OF_INTEREST:
        world.pois[f"{given} {family}"] = PersonOfInterest.objects.create(
            area=area,
            given_names=given,
            family_name=family,
            aliases=aliases,
            recording_agency=police,
            recorded_by=world.officer,
        )
    for name, address, postcode in LOCATIONS:
        world.locations[name] = Location.objects.create(
            area=area,
            name=name,
            address=address,
            postcode=postcode,
            kind="address",
            recording_agency=police,
            recorded_by=world.officer,
        )
    for name in GROUPS:
        world.groups[name] = Group.objects.create(
            area=area,
            name=name,
            kind="peer_group",
            recording_agency=police,
            recorded_by=world.officer,
        )
    return world


def titles(results: Any) -> list[tuple[str, str]]:
    """(kind, title) of every result shown, in order."""
    return [(hit.kind, hit.title) for group in results.groups for hit in group.hits]
