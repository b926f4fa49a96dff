"""Builders for persons of interest and missing episodes (synthetic names from Faker en_GB)."""

from __future__ import annotations

import datetime as dt

import factory

from riskpath.core import clock
from riskpath.people.enums import EpisodeKind
from riskpath.people.models import MissingEpisode, PersonOfInterest
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory, fake


class PersonOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonOfInterest

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    given_names = factory.LazyFunction(fake.first_name)
    family_name = factory.LazyFunction(fake.last_name)
    date_of_birth = factory.LazyFunction(lambda: fake.date_of_birth(minimum_age=19, maximum_age=40))
    recording_agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissingEpisode

    young_person = factory.SubFactory(YoungPersonFactory)
    kind = EpisodeKind.MISSING
    reported_at = factory.LazyFunction(lambda: clock.now() - dt.timedelta(days=3))
    reporting_agency = factory.LazyAttribute(lambda o: o.young_person.recording_agency)
    recorded_by = factory.LazyAttribute(lambda o: o.young_person.recorded_by)
