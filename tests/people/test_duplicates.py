"""Finding the same person twice."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from faker import Faker

from riskpath.people.duplicates import (
    LIKELY,
    PersonFacts,
    dob_score,
    normalise,
    possible_duplicates,
    rank,
    score_pair,
)
from riskpath.people.models import YoungPerson
from tests.factories import YoungPersonFactory

D = dt.date


def facts(given: str, family: str, dob: dt.date | None = None, **kw: Any) -> PersonFacts:
    return PersonFacts(given_names=given, family_name=family, date_of_birth=dob, **kw)


@pytest.mark.parametrize(
    "a,b",
    [
        (facts("Jon", "Smith", D(2009, 3, 4)), facts("John", "Smyth", D(2009, 3, 4))),
        (facts("Katherine", "Okoro", D(2010, 5, 6)), facts("Catherine", "Okoro", D(2010, 5, 6))),
        (facts("Aisha", "Khan", D(2008, 2, 11)), facts("Aisha", "Khan", D(2008, 11, 2))),
        (facts("Liam", "O'Neill", D(2011, 7, 9)), facts("Liam", "Oneill", D(2012, 7, 9))),
        (facts("Mia", "Jones", D(2009, 1, 20)), facts("Jones", "Mia", D(2009, 1, 20))),
        (
            facts("Tyler", "Brown", D(2008, 9, 9)),
            facts("Kez", "Marsh", D(2008, 9, 9), aliases=("Tyler Brown",)),
        ),
        (facts("Zoë", "Lefèvre", D(2010, 4, 1)), facts("Zoe", "Lefevre", D(2010, 4, 1))),
        (
            facts("J", "Patel", D(2009, 6, 30), postcode="BS16 1QY"),
            facts("Jay", "Patel", D(2009, 6, 30), postcode="bs161qy"),
        ),
    ],
)
def test_near_duplicates_are_found(a: PersonFacts, b: PersonFacts) -> None:
    match = score_pair(a, b)
    assert match.score >= LIKELY, (match.score, match.reasons)
    assert match.reasons


@pytest.mark.parametrize(
    "a,b",
    [
        (facts("Jon", "Smith", D(2009, 3, 4)), facts("Oliver", "Wright", D(2009, 3, 4))),
        (facts("Amelia", "Hughes", D(2010, 5, 6)), facts("Amelia", "Hughes", D(2003, 12, 25))),
        (facts("Noah", "Evans"), facts("Grace", "Evans")),
        (facts("Ella", "Price", postcode="BS16 1QY"), facts("Harry", "Ward", postcode="BS16 1QY")),
    ],
)
def test_different_people_are_not_matched(a: PersonFacts, b: PersonFacts) -> None:
    assert score_pair(a, b).score < LIKELY


def test_date_of_birth_typos() -> None:
    assert dob_score(D(2009, 3, 4), D(2009, 4, 3))[1] == "date of birth with day and month swapped"
    assert dob_score(D(2009, 3, 4), D(2008, 3, 4))[0] == 0.75
    assert dob_score(D(2009, 3, 4), D(2019, 3, 4))[0] == 0.75  # one digit mistyped
    assert dob_score(D(2009, 3, 4), None) == (None, "")
    assert dob_score(D(2009, 3, 4), D(1995, 8, 17))[0] == 0.0


def test_normalise_strips_accents_and_punctuation() -> None:
    assert normalise("  Zoë  O'Brien-Smith ") == "zoe obrien smith"


def test_recall_and_precision_on_planted_near_duplicates() -> None:
    """Plant mistyped copies among synthetic people; the matcher must find almost all of them
    without flagging strangers."""
    fake = Faker("en_GB")
    fake.seed_instance(7)
    rnd = random.Random(7)
    people = [
        facts(
            fake.first_name(),
            fake.last_name(),
            fake.date_of_birth(minimum_age=10, maximum_age=17),
            postcode=fake.postcode(),
            key=i,
        )
        for i in range(400)
    ]

    def typo(word: str) -> str:
        i = rnd.randrange(1, len(word)) if len(word) > 2 else 0
        return (
            word[:i] + word[i + 1 :]
            if rnd.random() < 0.5
            else word[:i] + word[i : i + 1] * 2 + word[i + 1 :]
        )

    def mangle(p: PersonFacts) -> PersonFacts:
        change = rnd.choice(["given", "family", "dob_swap", "year", "alias"])
        given, family, dob = p.given_names, p.family_name, p.date_of_birth
        assert dob is not None
        if change == "given":
            given = typo(given)
        elif change == "family":
            family = typo(family)
        elif change == "dob_swap" and dob.day <= 12:
            dob = dob.replace(day=dob.month, month=dob.day)
        elif change == "year":
            dob = dob.replace(year=dob.year + rnd.choice([-1, 1]))
        else:
            return facts(fake.first_name(), fake.last_name(), dob, aliases=(f"{given} {family}",))
        return facts(given, family, dob)

    planted = {i: mangle(people[i]) for i in rnd.sample(range(400), 100)}
    found = 0
    false_alarms = 0
    for index, probe in planted.items():
        best = rank(probe, people, limit=1)
        if best and best[0].key == index:
            found += 1
        elif best:
            false_alarms += 1
    recall = found / len(planted)
    precision = found / (found + false_alarms) if found + false_alarms else 1.0
    assert recall >= 0.95, recall
    assert precision >= 0.95, precision


@pytest.mark.django_db
def test_possible_duplicates_searches_the_database(agency: Any) -> None:
    existing = YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordan",
        family_name="Mitchell",
        date_of_birth=D(2009, 10, 2),
        aliases=["JJ Mitchell"],
    )
    YoungPersonFactory.create_batch(20, recording_agency=agency)
    probe = facts("Jordon", "Michell", D(2009, 2, 10))
    matches = possible_duplicates(YoungPerson.objects.all(), probe)
    assert matches and matches[0].key == existing.pk
    assert "date of birth with day and month swapped" in matches[0].reasons
