"""A believable synthetic partnership for the demo: young people, persons of interest, places,
groups, a year of graded intelligence clustered around hotspots, links, missing episodes,
referrals and a tiered cohort. Everything is generated from fixed seeds with Faker (en_GB).

Records are written directly, as seed data: the audit log starts with the demo's users'
own actions."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from faker import Faker

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.cohort.models import CohortMembership, ExitReason, Tier, TierDecision
from riskpath.cohort.suggestion import Criterion
from riskpath.groups.models import Group, GroupKind, GroupMembership
from riskpath.intelligence.enums import (
    Assessment,
    HandlingCode,
    HarmType,
    Provenance,
    SourceEvaluation,
)
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link, LinkKind, LinkStrength
from riskpath.locations.models import Location, LocationKind
from riskpath.people.enums import CareStatus, EpisodeKind, Ethnicity, Gender
from riskpath.people.models import MissingEpisode, PersonOfInterest, YoungPerson
from riskpath.people.services import refresh_name_keys
from riskpath.referrals.models import Referral, ReferralStatus, ReferralTo

YOUNG_PEOPLE = 200
PERSONS_OF_INTEREST = 60
LOCATIONS = 80
INTELLIGENCE_ITEMS = 3000
CLUSTERS = 8

# Bristol-side postcode districts, for plausible synthetic addresses.
DISTRICTS = ["BS15", "BS16", "BS30", "BS32", "BS34", "BS35", "BS36", "BS37"]
HARM_THEMES: list[list[HarmType]] = [
    [HarmType.CCE, HarmType.COUNTY_LINES],
    [HarmType.CSE, HarmType.ONLINE_HARM],
    [HarmType.SERIOUS_VIOLENCE],
    [HarmType.CCE, HarmType.SERIOUS_VIOLENCE],
    [HarmType.CSE, HarmType.MISSING],
    [HarmType.HSB],
    [HarmType.TRAFFICKING, HarmType.CCE],
    [HarmType.RADICALISATION, HarmType.ONLINE_HARM],
]


@dataclass
class Cluster:
    theme: list[HarmType]
    hotspots: list[Location] = field(default_factory=list)
    young_people: list[YoungPerson] = field(default_factory=list)
    persons: list[PersonOfInterest] = field(default_factory=list)


def build(area: Area, users: dict[str, User]) -> None:
    """Fill ``area`` once. Does nothing if it already has intelligence."""
    if IntelligenceItem.objects.filter(area=area).exists():
        return
    fake = Faker("en_GB")
    fake.seed_instance(2026)
    rnd = random.Random(2026)  # noqa: S311 - synthetic demo data, not security
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(area=area))
    recorder = users[Role.PARTNER_REPRESENTATIVE]
    lead = users[Role.LEAD_PROFESSIONAL]
    chair = users[Role.CHAIR]

    def postcode() -> str:
        letters = fake.random_uppercase_letter() + fake.random_uppercase_letter()
        return f"{rnd.choice(DISTRICTS)} {rnd.randint(1, 9)}{letters}"

    locations = [
        Location(
            area=area,
            name=f"{fake.street_name()} {kind.label.split()[0].lower()}"
            if kind != LocationKind.ONLINE
            else f"{fake.word().title()} chat group",
            kind=kind,
            address="" if kind == LocationKind.ONLINE else fake.street_address(),
            postcode="" if kind == LocationKind.ONLINE else postcode(),
            latitude=None
            if kind == LocationKind.ONLINE
            else Decimal(f"{51.48 + rnd.random() * 0.12:.6f}"),
            longitude=None
            if kind == LocationKind.ONLINE
            else Decimal(f"{-2.58 + rnd.random() * 0.2:.6f}"),
            recording_agency=recorder.agency,
            recorded_by=recorder,
        )
        for kind in (rnd.choice(list(LocationKind)) for _ in range(LOCATIONS))
    ]
    Location.objects.bulk_create(locations)

    existing = list(YoungPerson.objects.filter(area=area))
    young_people = existing + [
        YoungPerson(
            area=area,
            given_names=fake.first_name(),
            family_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=11, maximum_age=19),
            gender=rnd.choice([Gender.FEMALE, Gender.MALE, Gender.MALE, Gender.NOT_KNOWN]),
            ethnicity=rnd.choice(list(Ethnicity)),
            school=f"{fake.last_name()} Academy",
            locality=fake.city(),
            postcode=postcode(),
            care_status=rnd.choice(
                [CareStatus.NONE] * 4 + [CareStatus.CHILD_IN_NEED, CareStatus.LOOKED_AFTER]
            ),
            mosaic_id=str(rnd.randint(100000, 999999)),
            recording_agency=rnd.choice(agencies),
            recorded_by=recorder,
            lead_professional=lead if rnd.random() < 0.15 else None,
        )
        for _ in range(YOUNG_PEOPLE - len(existing))
    ]
    YoungPerson.objects.bulk_create([p for p in young_people if p not in existing])

    persons = [
        PersonOfInterest(
            area=area,
            given_names=fake.first_name_male(),
            family_name=fake.last_name(),
            aliases=[fake.first_name_male()] if rnd.random() < 0.4 else [],
            date_of_birth=fake.date_of_birth(minimum_age=17, maximum_age=35),
            description=rnd.choice(
                [
                    "Seen driving young people to addresses",
                    "Believed to run a drugs line",
                    "Contacts girls online",
                    "Older associate of the peer group",
                ]
            ),
            postcode=postcode(),
            recording_agency=rnd.choice(agencies),
            recorded_by=recorder,
        )
        for _ in range(PERSONS_OF_INTEREST)
    ]
    PersonOfInterest.objects.bulk_create(persons)

    clusters = [Cluster(theme=HARM_THEMES[i % len(HARM_THEMES)]) for i in range(CLUSTERS)]
    for i, cluster in enumerate(clusters):
        cluster.hotspots = locations[i * 3 : i * 3 + 3]
        cluster.young_people = young_people[i * 12 : i * 12 + rnd.randint(6, 12)]
        cluster.persons = persons[i * 4 : i * 4 + rnd.randint(2, 4)]

    # bulk_create bypasses the services that keep the duplicate-finding name keys.
    refresh_name_keys(YoungPerson.objects.filter(area=area))
    refresh_name_keys(PersonOfInterest.objects.filter(area=area))

    _groups(area, clusters, recorder, fake)
    items = _intelligence(area, clusters, young_people, locations, agencies, users, rnd, today)
    _links(area, clusters, items, recorder, rnd, today)
    _missing(young_people, clusters, agencies, recorder, rnd, today)
    _referrals(clusters, agencies, recorder, rnd, today)
    _cohort(area, clusters, chair, lead, rnd, today)


def _groups(area: Area, clusters: list[Cluster], recorder: User, fake: Faker) -> None:
    for i, cluster in enumerate(clusters[:5]):
        kind = GroupKind.ORGANISED_CRIME_GROUP if i == 0 else GroupKind.PEER_GROUP
        group = Group.objects.create(
            area=area,
            name=f"{fake.street_name()} {'network' if i == 0 else 'friendship group'}",
            kind=kind,
            recording_agency=recorder.agency,
            recorded_by=recorder,
        )
        members = [GroupMembership(group=group, young_person=p) for p in cluster.young_people[:6]]
        members += [GroupMembership(group=group, person_of_interest=p) for p in cluster.persons[:2]]
        GroupMembership.objects.bulk_create(members)


def _intelligence(
    area: Area,
    clusters: list[Cluster],
    young_people: list[YoungPerson],
    locations: list[Location],
    agencies: list[Agency],
    users: dict[str, User],
    rnd: random.Random,
    today: dt.date,
) -> list[IntelligenceItem]:
    submitters = [u for u in users.values() if u.agency_id]
    texts = [
        "Seen getting into a car with older males near {place}.",
        "School report: returned with new phone and clothes, will not say where from.",
        "Found in possession of cash and two phones at {place}.",
        "Parent reports late nights and unknown contacts messaging at all hours.",
        "Named by a peer as carrying a knife near {place}.",
        "Reported as frequenting {place} during school hours.",
        "Third-hand: a neighbour heard the young person is 'running for' someone.",
        "Missing overnight; returned with injuries, declined return interview.",
    ]
    items: list[IntelligenceItem] = []
    relations: list[tuple[int, list[Any], list[Any], list[Any]]] = []
    for n in range(INTELLIGENCE_ITEMS):
        clustered = rnd.random() < 0.7
        cluster = rnd.choice(clusters) if clustered else None
        place = rnd.choice(cluster.hotspots if cluster else locations)
        about = (
            rnd.sample(cluster.young_people, k=min(len(cluster.young_people), rnd.randint(1, 2)))
            if cluster
            else [rnd.choice(young_people)]
        )
        poi = (
            [rnd.choice(cluster.persons)]
            if cluster and cluster.persons and rnd.random() < 0.5
            else []
        )
        submitter = rnd.choice(submitters)
        grade_c = rnd.random() < 0.1
        reported = today - dt.timedelta(days=int(rnd.triangular(0, 365, 30)))
        items.append(
            IntelligenceItem(
                area=area,
                reported_on=reported,
                source_agency=submitter.agency,
                submitted_by=submitter,
                text=rnd.choice(texts).format(place=place.name),
                harm_types=list(cluster.theme if cluster else [rnd.choice(list(HarmType))]),
                immediate_risk=rnd.random() < 0.05,
                source_evaluation=rnd.choices(list(SourceEvaluation), weights=[3, 5, 1])[0],
                assessment=rnd.choices(list(Assessment), weights=[2, 3, 4, 2, 1])[0],
                handling_code=HandlingCode.C if grade_c else HandlingCode.P,
                handling_conditions="Police use only unless the submitting agency agrees"
                if grade_c
                else "",
                provenance=rnd.choices(list(Provenance), weights=[4, 3, 2])[0],
                import_key=f"demo-{n}",
            )
        )
        relations.append((n, about, poi, [place]))
    IntelligenceItem.objects.bulk_create(items)
    YP = IntelligenceItem.young_people.through
    POI = IntelligenceItem.persons_of_interest.through
    LOC = IntelligenceItem.locations.through
    YP.objects.bulk_create(
        [
            YP(intelligenceitem=items[n], youngperson=p)
            for n, about, _, _ in relations
            for p in about
        ]
    )
    POI.objects.bulk_create(
        [
            POI(intelligenceitem=items[n], personofinterest=p)
            for n, _, poi, _ in relations
            for p in poi
        ]
    )
    LOC.objects.bulk_create(
        [
            LOC(intelligenceitem=items[n], location=loc)
            for n, _, _, locs in relations
            for loc in locs
        ]
    )
    return items


def _links(
    area: Area,
    clusters: list[Cluster],
    items: list[IntelligenceItem],
    recorder: User,
    rnd: random.Random,
    today: dt.date,
) -> None:
    for cluster in clusters:
        for person in cluster.young_people:
            first = today - dt.timedelta(days=rnd.randint(60, 300))
            for poi in cluster.persons[:2]:
                Link.objects.create(
                    area=area,
                    kind=rnd.choice(
                        [LinkKind.EXPLOITED_BY, LinkKind.SEEN_WITH, LinkKind.ASSOCIATE]
                    ),
                    strength=rnd.choice(list(LinkStrength)),
                    first_seen=first,
                    last_seen=today - dt.timedelta(days=rnd.randint(0, 59)),
                    source_young_person=person,
                    target_person_of_interest=poi,
                    recorded_by=recorder,
                ).evidence.set(rnd.sample(items, 2))
            Link.objects.create(
                area=area,
                kind=LinkKind.FREQUENTS,
                strength=LinkStrength.TENTATIVE,
                first_seen=first,
                last_seen=today - dt.timedelta(days=rnd.randint(0, 59)),
                source_young_person=person,
                target_location=rnd.choice(cluster.hotspots),
                recorded_by=recorder,
            )


def _missing(
    young_people: list[YoungPerson],
    clusters: list[Cluster],
    agencies: list[Agency],
    recorder: User,
    rnd: random.Random,
    today: dt.date,
) -> None:
    police = next((a for a in agencies if a.kind == "police"), agencies[0])
    at_risk = [p for c in clusters for p in c.young_people]
    episodes = []
    for person in rnd.sample(at_risk, k=min(len(at_risk), 40)):
        for _ in range(rnd.randint(1, 4)):
            reported = timezone.now() - dt.timedelta(
                days=rnd.randint(1, 360), hours=rnd.randint(0, 23)
            )
            returned = reported + dt.timedelta(hours=rnd.randint(3, 60))
            episodes.append(
                MissingEpisode(
                    young_person=person,
                    kind=rnd.choice([EpisodeKind.MISSING, EpisodeKind.MISSING, EpisodeKind.ABSENT]),
                    reported_at=reported,
                    returned_at=returned,
                    where_found=rnd.choice(
                        ["Friend's address", "Town centre", "Railway station", "Returned home"]
                    ),
                    interview_offered=True,
                    interview_done_at=returned + dt.timedelta(hours=48)
                    if rnd.random() < 0.7
                    else None,
                    interview_by="Missing persons co-ordinator",
                    reporting_agency=police,
                    recorded_by=recorder,
                )
            )
    MissingEpisode.objects.bulk_create(episodes)


def _referrals(
    clusters: list[Cluster],
    agencies: list[Agency],
    recorder: User,
    rnd: random.Random,
    today: dt.date,
) -> None:
    social_care = next((a for a in agencies if a.kind == "social_care"), agencies[0])
    Referral.objects.bulk_create(
        [
            Referral(
                young_person=person,
                to=rnd.choice(
                    [
                        ReferralTo.CHILDRENS_SOCIAL_CARE,
                        ReferralTo.BASE,
                        ReferralTo.DRUG_AND_ALCOHOL,
                        ReferralTo.MENTORING,
                    ]
                ),
                made_on=today - dt.timedelta(days=rnd.randint(5, 200)),
                status=rnd.choice(list(ReferralStatus)),
                referring_agency=social_care,
                recorded_by=recorder,
            )
            for cluster in clusters
            for person in cluster.young_people[:3]
        ]
    )


def _cohort(
    area: Area, clusters: list[Cluster], chair: User, lead: User, rnd: random.Random, today: dt.date
) -> None:
    now = timezone.now()
    for i, cluster in enumerate(clusters):
        for j, person in enumerate(cluster.young_people[:6]):
            tier = Tier.RED if j == 0 and i < 4 else (Tier.AMBER if j < 3 else Tier.GREEN)
            if tier == Tier.RED and person.lead_professional_id is None:
                person.lead_professional = lead
                person.save(update_fields=["lead_professional"])
            entered = now - dt.timedelta(days=rnd.randint(30, 250))
            spell = CohortMembership.objects.create(
                area=area,
                young_person=person,
                tier=tier,
                entered_at=entered,
                entry_reason="Identified at PIMM from partner intelligence",
                last_discussed_on=today - dt.timedelta(days=rnd.randint(0, 28)),
                next_review_on=today + dt.timedelta(days=rnd.randint(1, 28)),
            )
            TierDecision.objects.create(
                membership=spell,
                decided_by=chair,
                decided_at=entered,
                from_tier=None,
                to_tier=Tier.GREEN if tier != Tier.GREEN else tier,
                reason="Added to the cohort at PIMM",
                criteria=[Criterion.T3_SINGLE_PARTNER_UNKNOWN],
            )
            if tier != Tier.GREEN:
                TierDecision.objects.create(
                    membership=spell,
                    decided_by=chair,
                    decided_at=entered + dt.timedelta(days=14),
                    from_tier=Tier.GREEN,
                    to_tier=tier,
                    reason="Further intelligence from several partners",
                    criteria=[
                        Criterion.T1_MULTIPLE_PARTNERS
                        if tier == Tier.RED
                        else Criterion.T2_FURTHER_INVESTIGATION
                    ],
                )
        # One former member per cluster, to show exits and re-entry.
        if len(cluster.young_people) > 6:
            person = cluster.young_people[6]
            entered = now - dt.timedelta(days=300)
            spell = CohortMembership.objects.create(
                area=area,
                young_person=person,
                tier=Tier.GREEN,
                entered_at=entered,
                entry_reason="Identified at PIMM",
                exited_at=now - dt.timedelta(days=60),
                exit_reason=ExitReason.RISK_REDUCED,
                exit_note="Engaging with mentoring",
            )
            TierDecision.objects.create(
                membership=spell,
                decided_by=chair,
                decided_at=entered,
                to_tier=Tier.GREEN,
                reason="Added to the cohort at PIMM",
            )
            TierDecision.objects.create(
                membership=spell,
                decided_by=chair,
                decided_at=now - dt.timedelta(days=60),
                from_tier=Tier.GREEN,
                to_tier=None,
                reason="Risk reduced; mentoring in place",
            )
