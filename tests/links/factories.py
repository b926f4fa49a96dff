"""Builders for locations, groups, persons of interest, intelligence items and links.
Names from Faker (en_GB); nothing real."""

from __future__ import annotations

import factory
from faker import Faker

from riskpath.groups.models import Group, GroupKind
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link, LinkKind
from riskpath.locations.models import Location, LocationKind
from riskpath.people.models import PersonOfInterest
from tests.factories import AgencyFactory, UserFactory

fake = Faker("en_GB")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    name = factory.Sequence(lambda n: f"{fake.street_name()} shop {n}")
    kind = LocationKind.SHOP
    address = factory.LazyFunction(fake.street_address)
    postcode = "BS16 1QY"
    recording_agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    name = factory.Sequence(lambda n: f"Peer group {n}")
    kind = GroupKind.PEER_GROUP
    recording_agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class PersonOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonOfInterest

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    given_names = factory.LazyFunction(fake.first_name)
    family_name = factory.LazyFunction(fake.last_name)
    recording_agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class IntelligenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelligenceItem

    area = factory.LazyAttribute(lambda o: o.source_agency.area)
    reported_on = factory.LazyFunction(lambda: fake.date_between("-60d", "today"))
    source_agency = factory.SubFactory(AgencyFactory)
    submitted_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.source_agency))
    text = factory.LazyFunction(fake.sentence)
    source_evaluation = "2"
    assessment = "B"
    handling_code = "P"
    provenance = "first_hand"


class LinkFactory(factory.django.DjangoModelFactory):
    """Give the ends as ``source_location=…, target_group=…``."""

    class Meta:
        model = Link

    kind = LinkKind.ASSOCIATE
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=AgencyFactory(area=o.area)))
