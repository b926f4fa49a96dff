"""Test data builders. Names come from Faker (en_GB); nothing real."""

from __future__ import annotations

from typing import Any

import factory
from faker import Faker

from riskpath.accounts.enums import AgencyKind
from riskpath.accounts.models import Agency, Area, User, UserRole
from riskpath.people.models import YoungPerson

PASSWORD = "a-long-test-passphrase-42"
fake = Faker("en_GB")


def plain(name: str) -> str:
    """A generated name without an apostrophe (O'Connor: OConnor). Pages write an apostrophe
    as &#x27;, so tests that look for a name in a page would pass or fail by the draw; the
    tests that are about such names use them on purpose."""
    return name.replace("'", "")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Test area {n}")
    calendar = "england-and-wales"
    require_mfa = False


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.LazyFunction(lambda: plain(fake.name()))
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        self.save()
        for role in extracted or []:
            UserRole.objects.create(user=self, role=role)
        self.__dict__.pop("_role_cache", None)


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    area = factory.LazyAttribute(lambda o: o.recording_agency.area)
    given_names = factory.LazyFunction(lambda: plain(fake.first_name()))
    family_name = factory.LazyFunction(lambda: plain(fake.last_name()))
    date_of_birth = factory.LazyFunction(lambda: fake.date_of_birth(minimum_age=11, maximum_age=17))
    recording_agency = factory.SubFactory(AgencyFactory)
    recorded_by = factory.LazyAttribute(lambda o: UserFactory(agency=o.recording_agency))
    lead_professional = None
