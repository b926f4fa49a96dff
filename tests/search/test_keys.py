"""The search's keys and ranking, as pure functions: what a typed query asks for, and how
typos, nicknames, sound-alike spellings and a swapped day and month still match."""

from __future__ import annotations

import datetime as dt

import pytest

from riskpath.search.keys import entry_keys, nickname_roots, parse, score, swapped


def test_a_query_is_split_into_name_words_date_of_birth_and_postcode() -> None:
    query = parse("  Kai   Testperson 02/04/2011 bs16 1ab ")
    assert query.words == ("kai", "testperson")
    assert query.date_of_birth == dt.date(2011, 4, 2)
    assert query.postcode == "BS161AB"
    assert parse("kai 2011-04-02").date_of_birth == dt.date(2011, 4, 2)
    assert parse("BS16").postcode == "BS16" and parse("BS16").words == ()
    assert parse("4/2/11").date_of_birth == dt.date(2011, 2, 4)


@pytest.mark.parametrize("text", ["", "   ", "!!", "31/02/2011"])
def test_nothing_to_search_for_is_empty(text: str) -> None:
    assert parse(text).empty


def test_nicknames_belong_to_their_family() -> None:
    assert "william" in nickname_roots("billy")
    assert "william" in nickname_roots("liam")
    assert nickname_roots("zebedee") == frozenset()


def test_a_records_keys_cover_words_sounds_typos_prefixes_dob_and_postcode() -> None:
    keys = entry_keys(
        ["William Ashworth", "Billy Ash"], date_of_birth=dt.date(2011, 4, 2), postcode="bs16 1ab"
    )
    assert {"t:william", "t:ashworth", "t:billy", "n:william", "p:ash", "d:ashwrth"} <= set(keys)
    assert {"b:2011-04-02", "c:BS161AB", "o:BS16"} <= set(keys)
    assert any(k.startswith("m:") for k in keys)
    assert keys["t:william"] > keys["m:" + next(k[2:] for k in keys if k.startswith("m:"))]


def _score(text: str, names: str, dob: dt.date | None = None, postcode: str = "") -> float:
    return score(parse(text), names=names, date_of_birth=dob, postcode=postcode)


def test_the_exact_name_ranks_above_a_typo_above_a_stranger() -> None:
    exact = _score("william ashworth", "william ashworth")
    typo = _score("wiliam ashwroth", "william ashworth")
    nickname = _score("bill ashworth", "william ashworth")
    assert exact > nickname > 0
    assert exact > typo > 0
    assert _score("william ashworth", "harriet blackwood") == 0


def test_a_name_being_typed_matches_its_start() -> None:
    assert _score("quillf", "rowan quillfeather") > 0
    assert _score("ashw", "william ashworth") > 0


def test_sound_alike_spellings_match() -> None:
    assert _score("mohamed farook", "mohammed farouk") > 0.6
    assert _score("catherine oduyah", "katherine oduya") > 0.6


def test_a_swapped_day_and_month_still_matches_but_below_the_exact_date() -> None:
    born = dt.date(2011, 4, 2)
    assert swapped(born) == dt.date(2011, 2, 4)
    assert swapped(dt.date(2011, 4, 20)) is None
    exact = _score("ashworth 02/04/2011", "william ashworth", born)
    swap = _score("ashworth 04/02/2011", "william ashworth", born)
    other = _score("ashworth 09/09/2011", "william ashworth", born)
    assert exact > swap > other > 0
    assert _score("04/02/2011", "william ashworth", born) > 0  # the date alone
    assert _score("09/09/2011", "william ashworth", born) == 0


def test_a_postcode_or_its_district_raises_the_rank() -> None:
    full = _score("ashworth bs16 1ab", "william ashworth", postcode="BS161AB")
    district = _score("ashworth bs16", "william ashworth", postcode="BS161AB")
    assert full > district > _score("ashworth", "william ashworth", postcode="BS161AB")
    assert _score("bs16", "william ashworth", postcode="BS161AB") > 0
    assert _score("bs7", "william ashworth", postcode="BS161AB") == 0
