"""Builders for intelligence tests. Synthetic data only (Faker en_GB)."""

from __future__ import annotations

from typing import Any

import factory

from riskpath.core import clock
from riskpath.groups.models import Group
from riskpath.intelligence.models import IntelligenceItem
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest
from tests.factories import UserFactory, fake


class PersonOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonOfInterest

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    given_names = factory.LazyFunction(fake.first_name)
    family_name = factory.LazyFunction(fake.last_name)
    recording_agency = factory.SubFactory("tests.factories.AgencyFactory")
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    name = factory.LazyFunction(lambda: f"{fake.street_name()} park")
    kind = "park"
    recording_agency = factory.SubFactory("tests.factories.AgencyFactory")
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    name = factory.Sequence(lambda n: f"Peer group {n}")
    kind = "peer_group"
    recording_agency = factory.SubFactory("tests.factories.AgencyFactory")
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class IntelligenceItemFactory(factory.django.DjangoModelFactory):
    """An item written straight to the database (for volume); behaviour is tested through
    the services."""

    class Meta:
        model = IntelligenceItem
        skip_postgeneration_save = True

    area = factory.LazyAttribute(lambda o: o.source_agency.area)
    reported_on = factory.LazyFunction(clock.today)
    source_agency = factory.SubFactory("tests.factories.AgencyFactory")
    submitted_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.source_agency))
    text = factory.LazyFunction(lambda: fake.paragraph())
    harm_types = factory.LazyFunction(lambda: ["cce"])
    source_evaluation = "2"
    assessment = "C"
    handling_code = "P"
    provenance = "second_hand"

    @factory.post_generation
    def young_people(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if extracted:
            self.young_people.set(extracted)  # type: ignore[attr-defined]
