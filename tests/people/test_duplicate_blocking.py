"""The indexed blocking filter loses no likely match: the database search finds exactly what
scoring every record would find."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from faker import Faker

from riskpath.people.duplicate_check import facts_of
from riskpath.people.duplicates import (
    PersonFacts,
    name_keys,
    possible_duplicates,
    rank,
)
from riskpath.people.models import YoungPerson
from riskpath.people.services import refresh_name_keys
from tests.factories import AgencyFactory, AreaFactory, YoungPersonFactory


def test_name_keys_are_phonetic_and_normalised() -> None:
    assert name_keys("Jordan Lee", "Mitchell") == name_keys("jordon", "MICHELL")
    assert name_keys("Zoë", "O'Neill") == name_keys("Zoe", "Oneill")
    assert name_keys("", "") == ("", "")


@pytest.mark.django_db
def test_database_search_finds_what_scoring_everyone_finds(agency: Any) -> None:
    fake = Faker("en_GB")
    fake.seed_instance(11)
    rnd = random.Random(11)
    people = []
    for i in range(150):
        people.append(
            YoungPersonFactory(
                recording_agency=agency,
                given_names=fake.first_name(),
                family_name=fake.last_name(),
                date_of_birth=None if i % 10 == 0 else fake.date_of_birth(None, 10, 17),
                aliases=[f"{fake.first_name()} {fake.last_name()}"] if i % 7 == 0 else [],
                postcode=fake.postcode() if i % 3 == 0 else "",
            )
        )
    # Another area's records are never returned.
    YoungPersonFactory(
        recording_agency=AgencyFactory(area=AreaFactory()),
        given_names=people[0].given_names,
        family_name=people[0].family_name,
        date_of_birth=people[0].date_of_birth,
    )
    pool = [facts_of(p) for p in people]

    def typo(word: str) -> str:
        i = rnd.randrange(1, len(word)) if len(word) > 2 else 0
        return word[:i] + word[i + 1 :]

    probes = []
    for p in rnd.sample(pool, 60):
        given, family, dob = p.given_names, p.family_name, p.date_of_birth
        change = rnd.choice(["given", "family", "swap", "year", "alias", "no_dob", "names"])
        if change == "given":
            given = typo(given)
        elif change == "family":
            family = typo(family)
        elif change == "swap" and dob is not None and dob.day <= 12:
            dob = dob.replace(day=dob.month, month=dob.day)
        elif change == "year" and dob is not None:
            dob = dob.replace(year=dob.year + 1) if (dob.month, dob.day) != (2, 29) else dob
        elif change == "alias" and p.aliases:
            given, family = p.aliases[0].split(" ", 1)
        elif change == "no_dob":
            dob = None
        elif change == "names":
            given, family = family, given
        probes.append(
            PersonFacts(given_names=given, family_name=family, date_of_birth=dob, postcode="")
        )
    probes.append(PersonFacts(given_names="", family_name="", postcode=people[0].postcode))
    probes.append(
        PersonFacts(given_names="Nobody", family_name="Known", date_of_birth=dt.date(2011, 1, 1))
    )

    area_people = YoungPerson.objects.filter(area=agency.area)
    found = 0
    for probe in probes:
        expected = [(m.key, m.score) for m in rank(probe, pool)]
        assert [(m.key, m.score) for m in possible_duplicates(area_people, probe)] == expected
        found += bool(expected)
    assert found >= 50  # the comparison is not vacuous: most probes have likely matches


@pytest.mark.django_db
def test_refresh_name_keys_fills_records_made_in_bulk(agency: Any) -> None:
    YoungPerson.objects.bulk_create(
        [
            YoungPerson(
                area=agency.area,
                given_names="Jordan",
                family_name="Mitchell",
                aliases=["Tyler Brown"],
                recording_agency=agency,
                recorded_by=YoungPersonFactory(recording_agency=agency).recorded_by,
            )
        ]
    )
    probe = PersonFacts(given_names="Tyler", family_name="Brown")
    assert possible_duplicates(YoungPerson.objects.all(), probe) == []
    assert refresh_name_keys(YoungPerson.objects.all()) == 2
    reasons = possible_duplicates(YoungPerson.objects.all(), probe)[0].reasons
    assert reasons[0].startswith("same given name (by a known alias): +")
    assert reasons[1].startswith("same family name (by a known alias): +")
