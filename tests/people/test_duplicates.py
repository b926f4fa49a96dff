"""Finding the same person twice: the comparison levels, the model's weights and their
explanation, blocking, and recall on planted near-duplicates."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from typing import Any

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from riskpath.people.duplicates import (
    DEFAULT_MODEL,
    FAMILY,
    GIVEN,
    LEVELS,
    LIKELY_WEIGHT,
    BlockingIndex,
    PersonFacts,
    are_nicknames,
    comparison_vector,
    dob_level,
    dob_variants,
    estimate_m,
    estimate_u,
    family_level,
    given_level,
    likely_pairs,
    locality_level,
    nhs_level,
    nickname_group,
    normalise,
    possible_duplicates,
    postcode_level,
    rank,
    score_pair,
)
from riskpath.people.models import YoungPerson
from tests.factories import YoungPersonFactory

D = dt.date


def facts(given: str, family: str, dob: dt.date | None = None, **kw: Any) -> PersonFacts:
    return PersonFacts(given_names=given, family_name=family, date_of_birth=dob, **kw)


def level_name(levels: tuple[Any, ...], index: int | None) -> str | None:
    return None if index is None else levels[index].name


# --- comparison levels -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ("jordan", "jordan", "exact"),
        ("bob", "robert", "nickname"),
        ("kate", "catherine", "nickname"),
        ("jordan", "jordon", "close"),
        ("philip", "filip", "phonetic"),
        ("jordan", "jordi", "similar"),
        ("j", "jordan", "initial"),
        ("k", "jordan", "different"),
        ("jordan", "amelia", "different"),
        ("", "jordan", None),
    ],
)
def test_given_name_levels(a: str, b: str, expected: str | None) -> None:
    assert level_name(GIVEN, given_level(a, b)) == expected


@pytest.mark.parametrize(
    "a,b,expected",
    [
        ("mitchell", "mitchell", "exact"),
        ("obrien smith", "obriensmith", "exact"),
        ("mitchell", "michell", "close"),
        ("stephens", "stevens", "phonetic"),
        ("smith jones", "jones", "similar"),
        ("mitchell", "okoro", "different"),
        ("mitchell", "", None),
    ],
)
def test_family_name_levels(a: str, b: str, expected: str | None) -> None:
    assert level_name(FAMILY, family_level(a, b)) == expected


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (D(2009, 3, 4), D(2009, 3, 4), "exact"),
        (D(2009, 3, 4), D(2009, 4, 3), "swapped"),
        (D(2009, 3, 4), D(2008, 3, 4), "one_digit"),
        (D(2009, 3, 4), D(2009, 3, 14), "one_digit"),
        (D(2009, 3, 4), D(2001, 3, 4), "one_digit"),
        (D(2009, 3, 4), D(2019, 3, 4), "one_digit"),
        (D(2009, 3, 4), D(2009, 3, 27), "one_part"),
        (D(2009, 3, 4), D(1995, 8, 17), "different"),
        (D(2009, 3, 4), None, None),
        (D(2009, 3, 4), D(2999, 3, 4), None),  # not plausible: not compared
        (D(1850, 3, 4), D(1850, 3, 4), None),
    ],
)
def test_date_of_birth_levels(a: Any, b: Any, expected: str | None) -> None:
    assert level_name(LEVELS["date_of_birth"], dob_level(a, b)) == expected


def test_postcode_locality_and_nhs_number_levels() -> None:
    postcode, locality, nhs = LEVELS["postcode"], LEVELS["locality"], LEVELS["nhs_number"]
    assert level_name(postcode, postcode_level("bs16 1qy", "BS161QY")) == "exact"
    assert level_name(postcode, postcode_level("BS16 1QY", "BS16 1QZ")) == "close"
    assert level_name(postcode, postcode_level("BS16 1QY", "BS16 4AB")) == "district"
    assert level_name(postcode, postcode_level("BS16 1QY", "M1 1AE")) == "different"
    assert postcode_level("", "M1 1AE") is None
    assert level_name(locality, locality_level("Fishponds", "fishponds")) == "exact"
    assert level_name(locality, locality_level("Fishponds", "Fishpond")) == "close"
    assert level_name(locality, locality_level("Fishponds", "Kingswood")) == "different"
    assert level_name(nhs, nhs_level("943 476 5919", "9434765919")) == "exact"
    assert level_name(nhs, nhs_level("9434765919", "9434765918")) == "close"
    assert level_name(nhs, nhs_level("9434765919", "9434765991")) == "close"  # two swapped
    assert level_name(nhs, nhs_level("9434765919", "1234567890")) == "different"


def test_the_nickname_list_is_pinned_and_symmetric() -> None:
    assert are_nicknames("bob", "robert") and are_nicknames("robert", "bob")
    assert are_nicknames("liz", "elizabeth") and are_nicknames("bill", "william")
    assert not are_nicknames("bob", "william")
    assert nickname_group("nosuchname") == frozenset()


def test_normalise_strips_accents_and_punctuation() -> None:
    assert normalise("  Zoë  O'Brien-Smith ") == "zoe obrien smith"


# --- the model and its explanation -----------------------------------------------------------


@pytest.mark.parametrize(
    "a,b",
    [
        (facts("Jon", "Smith", D(2009, 3, 4)), facts("John", "Smyth", D(2009, 3, 4))),
        (facts("Katherine", "Okoro", D(2010, 5, 6)), facts("Catherine", "Okoro", D(2010, 5, 6))),
        (facts("Aisha", "Khan", D(2008, 2, 11)), facts("Aisha", "Khan", D(2008, 11, 2))),
        (facts("Liam", "O'Neill", D(2011, 7, 9)), facts("Liam", "Oneill", D(2012, 7, 9))),
        (facts("Mia", "Jones", D(2009, 1, 20)), facts("Jones", "Mia", D(2009, 1, 20))),
        (facts("Bob", "Marsh", D(2008, 9, 9)), facts("Robert", "Marsh", D(2008, 9, 9))),
        (
            facts("Tyler", "Brown", D(2008, 9, 9)),
            facts("Kez", "Marsh", D(2008, 9, 9), aliases=("Tyler Brown",)),
        ),
        (facts("Zoë", "Lefèvre", D(2010, 4, 1)), facts("Zoe", "Lefevre", D(2010, 4, 1))),
        (
            facts("J", "Patel", D(2009, 6, 30), postcode="BS16 1QY"),
            facts("Jay", "Patel", D(2009, 6, 30), postcode="bs161qy"),
        ),
        # A missing date of birth lowers the weight but never hides a name that agrees
        (facts("Jordan", "Mitchell"), facts("Jordan", "Mitchell", D(2009, 6, 30))),
    ],
)
def test_near_duplicates_are_found(a: PersonFacts, b: PersonFacts) -> None:
    match = score_pair(a, b)
    assert match.score >= LIKELY_WEIGHT, (match.score, match.reasons)
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
    assert score_pair(a, b).score < LIKELY_WEIGHT


def test_the_weight_is_the_sum_of_its_explained_parts() -> None:
    match = score_pair(
        facts("Aisha", "Khan", D(2008, 2, 11), postcode="BS16 1QY"),
        facts("Aisha", "Khan", D(2008, 11, 2)),
    )
    by_field = {c.field: c for c in match.contributions}
    assert by_field["date_of_birth"].level == "swapped"
    assert by_field["date_of_birth"].weight == round(DEFAULT_MODEL.weight("date_of_birth", 1), 1)
    assert "postcode" not in by_field  # not known on one side: no part, not explained
    assert abs(match.score - sum(c.weight for c in match.contributions)) < 0.2
    assert "date of birth has day and month swapped: +" in " ".join(match.reasons)
    assert match.reasons[0].startswith("same given name: +")


def test_a_missing_date_of_birth_is_said_and_adds_nothing() -> None:
    match = score_pair(facts("Jordan", "Mitchell"), facts("Jordan", "Mitchell", D(2009, 6, 30)))
    dob = next(c for c in match.contributions if c.field == "date_of_birth")
    assert (dob.level, dob.weight) == ("missing", 0.0)
    assert "date of birth not known on one record: +0.0" in match.reasons
    implausible = score_pair(
        facts("Jordan", "Mitchell", D(2999, 1, 1)), facts("Jordan", "Mitchell", D(2009, 6, 30))
    )
    assert "not plausible" in implausible.reasons[2]
    assert implausible.score == match.score


def test_each_level_of_a_field_weighs_less_than_the_one_above() -> None:
    for name, levels in LEVELS.items():
        weights = [DEFAULT_MODEL.weight(name, i) for i in range(len(levels))]
        assert weights[0] > 0 > weights[-1], name
        assert weights[0] == max(weights), name


people_facts = st.builds(
    facts,
    st.sampled_from(["Jordan", "Bob", "Robert", "Mia", "J", ""]),
    st.sampled_from(["Mitchell", "Michell", "Khan", ""]),
    st.one_of(st.none(), st.dates(D(1995, 1, 1), D(2015, 12, 31))),
    postcode=st.sampled_from(["", "BS16 1QY", "BS16 1QZ", "M1 1AE"]),
    locality=st.sampled_from(["", "Fishponds", "Kingswood"]),
)


@settings(max_examples=200, deadline=None)
@given(a=people_facts, b=people_facts, field_name=st.sampled_from(["dob", "postcode", "local"]))
def test_adding_agreeing_evidence_never_lowers_the_weight(
    a: PersonFacts, b: PersonFacts, field_name: str
) -> None:
    """Filling in, on one record, a detail that agrees with the other adds to the weight (or
    leaves it where it was): missing counts as nothing, agreement as more than nothing."""
    before = score_pair(a, b).score
    if field_name == "dob" and b.date_of_birth and a.date_of_birth is None:
        after = score_pair(replace(a, date_of_birth=b.date_of_birth), b).score
    elif field_name == "postcode" and b.postcode and not a.postcode:
        after = score_pair(replace(a, postcode=b.postcode), b).score
    elif field_name == "local" and b.locality and not a.locality:
        after = score_pair(replace(a, locality=b.locality), b).score
    else:
        return
    assert after >= before


# --- estimating the model --------------------------------------------------------------------


def synthetic_people(n: int, seed: int) -> list[PersonFacts]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return [
        facts(
            fake.first_name(),
            fake.last_name(),
            fake.date_of_birth(minimum_age=10, maximum_age=17),
            postcode=fake.postcode(),
            key=i,
        )
        for i in range(n)
    ]


def test_u_is_estimated_from_the_records_and_m_by_em() -> None:
    people = synthetic_people(600, 3)
    model = estimate_u(people, pairs=5000)
    assert model.u["given_name"] != DEFAULT_MODEL.u["given_name"]
    assert sum(model.u["date_of_birth"]) == pytest.approx(1.0)
    assert model.u["date_of_birth"][0] < 0.01  # random pairs rarely share a birthday
    # EM on blocked pairs: half copies of a record, half strangers
    vectors = [comparison_vector(p, p) for p in people[:200]]
    vectors += [comparison_vector(people[i], people[i + 1]) for i in range(200, 400)]
    trained, share = estimate_m(vectors, model)
    assert 0.4 < share < 0.6
    assert trained.m["family_name"][0] > 0.9


# --- blocking --------------------------------------------------------------------------------


def test_blocking_keeps_pairs_with_a_missing_or_mistyped_date_of_birth() -> None:
    people = synthetic_people(300, 5)
    index = BlockingIndex(people)
    target = people[17]
    assert target.date_of_birth is not None
    no_dob = facts(target.given_names, target.family_name, None)
    mistyped = facts(target.given_names, target.family_name, D(1990, 1, 1))
    swapped_names = facts(target.family_name, target.given_names, None)
    for probe in (no_dob, mistyped, swapped_names):
        assert 17 in index.candidates(probe)  # compared, whatever the date of birth says
    for probe in (no_dob, swapped_names):
        assert rank(probe, [people[i] for i in index.candidates(probe)])[0].key == 17
    # and a record without a date of birth is found by a probe with one
    index = BlockingIndex([*people, facts("Jordan", "Mitchell", None, key="undated")])
    assert len(people) in index.candidates(facts("Jordon", "Mitchell", D(2009, 1, 1)))


def test_dob_variants_cover_every_one_digit_typo_and_the_swap() -> None:
    variants = dob_variants(D(2009, 3, 4))
    assert {D(2009, 4, 3), D(2008, 3, 4), D(2019, 3, 4), D(2009, 3, 14), D(2009, 8, 4)} <= variants


def test_a_batch_scan_finds_each_planted_pair_once() -> None:
    people = synthetic_people(200, 9)
    copies = [
        facts(p.given_names + "e", p.family_name, p.date_of_birth, key=f"copy-{p.key}")
        for p in people[:20]
    ]
    pairs = likely_pairs(people + copies)
    found = {frozenset((a.key, b.key)) for a, b, _ in pairs}
    assert all(frozenset((p.key, f"copy-{p.key}")) in found for p in people[:20])
    assert len(found) == len(pairs)
    skipped = likely_pairs(people + copies, skip=lambda a, b: True)
    assert skipped == []


def test_recall_and_precision_on_planted_near_duplicates() -> None:
    """Plant mistyped copies among synthetic people (typos, nicknames, swapped day and month,
    year typos, missing dates of birth, aliases); the model finds them without flagging
    strangers."""
    fake = Faker("en_GB")
    fake.seed_instance(7)
    rnd = random.Random(7)
    people = synthetic_people(400, 7)

    def typo(word: str) -> str:
        i = rnd.randrange(1, len(word)) if len(word) > 2 else 0
        return (
            word[:i] + word[i + 1 :]
            if rnd.random() < 0.5
            else word[:i] + word[i : i + 1] * 2 + word[i + 1 :]
        )

    def mangle(p: PersonFacts) -> PersonFacts:
        change = rnd.choice(["given", "family", "dob_swap", "year", "alias", "no_dob"])
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
        elif change == "no_dob":
            dob = None
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
    assert recall >= 0.97, recall
    assert precision >= 0.97, precision


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
    assert any(
        r.startswith("date of birth has day and month swapped: +") for r in matches[0].reasons
    )
