"""Whole-word redaction (``riskpath.meetings.redaction``): properties over generated text, and
worked examples of what the family's version of the minutes used to let through or corrupt."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from riskpath.meetings.redaction import (
    COMMON_WORDS,
    PHRASE_WORDS,
    Redactor,
    name_forms,
    norm,
    words,
)

# Ordinary words of minutes. Generated names never equal one of them (in any case), so a word
# from here that changes is a word the redactor corrupted.
INNOCENT = (
    "the school reported that attendance improved after half term and the mentor will "
    "meet her weekly at the library near the station while police keep patrols on the "
    "estate until March she said things were better at home but the park is still a worry "
    "Smith-Jones O'Neill Louis-Evans Mrs Hartley-Page St John's youth club D'Souza"
).split()
INNOCENT_KEYS = {norm(w) for w in INNOCENT} | {p for w in INNOCENT for p in norm(w).split("-")}
SEPARATORS = [" ", " ", " ", ", ", ". ", "; ", "\n", " (", ") ", ": ", " - "]

letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


@st.composite
def names(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    """A person's given names, family name (sometimes double-barrelled) and aliases, none of
    whose words is an innocent word."""

    def fresh(word: str) -> bool:
        # Everyday words used as one-word names go only when capitalised: tested on their own.
        return word not in INNOCENT_KEYS and word not in COMMON_WORDS and word != "removed"

    part = letters.filter(fresh).map(_capitalised)
    given = " ".join(draw(st.lists(part, min_size=1, max_size=2)))
    family = draw(part)
    if draw(st.booleans()):
        family = f"{family}-{draw(part)}"
    aliases = draw(st.lists(part, max_size=2))
    return given, family, aliases


def _case(word: str, how: int, rng: random.Random) -> str:
    if how == 0:
        return word.lower()
    if how == 1:
        return word.upper()
    if how == 2:
        return word.title()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in word)


def _mentions(given: str, family: str, aliases: list[str]) -> list[str]:
    """Ways free text may mention the person."""
    out = [f"{given} {family}", given, family, *aliases, *given.split(), *family.split("-")]
    out += [f"{family}'s", f"{given.split()[0]}\u2019s"]
    return out


@settings(max_examples=300, deadline=None)
@given(
    person=names(),
    text=st.lists(
        st.tuples(st.booleans(), st.integers(0, 1000), st.integers(0, 3)), min_size=1, max_size=40
    ),
    seed=st.integers(0, 2**32),
)
def test_names_in_any_case_never_survive_and_innocent_words_never_change(
    person: tuple[str, str, list[str]], text: list[tuple[bool, int, int]], seed: int
) -> None:
    given_names, family, aliases = person
    redact = Redactor(names=name_forms(given_names, family, aliases, parts=True))
    rng = random.Random(seed)
    mentions = _mentions(given_names, family, aliases)
    innocent: list[str] = []
    pieces: list[str] = []
    for is_name, pick, how in text:
        if is_name:
            pieces.append(_case(mentions[pick % len(mentions)], how, rng))
        else:
            word = INNOCENT[pick % len(INNOCENT)]
            innocent.append(word)
            pieces.append(word)
        pieces.append(rng.choice(SEPARATORS))
    original = "".join(pieces)
    out = redact(original)
    keys = {norm(w) for w in words(out)}
    for name_word in words(f"{given_names} {family} {' '.join(aliases)}"):
        assert norm(name_word) not in keys, (name_word, original, out)
        for half in norm(name_word).split("-"):
            assert half not in keys or half in INNOCENT_KEYS, (half, original, out)
    # Every innocent word is still there, exactly as written and in order.
    assert [w for w in words(out) if w != "removed"] == innocent, (original, out)


SECRET = (
    "covert source reports that kestrel drives a grey van to the quarry lane every friday "
    "carrying parcels for the crew from northfield"
).split()
PLAIN = [w for w in INNOCENT if norm(w) not in {norm(s) for s in SECRET}]


@settings(max_examples=300, deadline=None)
@given(
    start=st.integers(0, len(SECRET) - PHRASE_WORDS),
    length=st.integers(PHRASE_WORDS, len(SECRET)),
    before=st.lists(st.sampled_from(PLAIN), max_size=12),
    after=st.lists(st.sampled_from(PLAIN), max_size=12),
    cases=st.lists(st.integers(0, 3), min_size=len(SECRET), max_size=len(SECRET)),
    glue=st.lists(st.sampled_from([" ", ", ", " - ", "  ", "; "]), min_size=30, max_size=30),
    seed=st.integers(0, 2**32),
)
def test_a_copied_phrase_of_restricted_text_never_survives_in_any_case(
    start: int,
    length: int,
    before: list[str],
    after: list[str],
    cases: list[int],
    glue: list[str],
    seed: int,
) -> None:
    restricted = " ".join(SECRET[:5]).capitalize() + ". " + " ".join(SECRET[5:]) + "."
    redact = Redactor(restricted=[restricted])
    rng = random.Random(seed)
    fragment = SECRET[start : start + length]
    copied = [_case(w, cases[i], rng) for i, w in enumerate(fragment)]
    text = " ".join(before) + " " + "".join(w + glue[i] for i, w in enumerate(copied))
    text += " ".join(after) + "."
    out = redact(text)
    out_keys = [norm(w) for w in words(out)]
    secret_runs = {
        tuple(SECRET[i : i + PHRASE_WORDS]) for i in range(len(SECRET) - PHRASE_WORDS + 1)
    }
    for i in range(len(out_keys) - PHRASE_WORDS + 1):
        assert tuple(out_keys[i : i + PHRASE_WORDS]) not in secret_runs, (text, out)
    assert [w for w in words(out) if w != "removed"] == before + after, (text, out)


# ---------------------------------------------------------------------------------------------
# Worked examples
# ---------------------------------------------------------------------------------------------


def test_a_double_barrelled_surname_is_never_cut_in_two() -> None:
    """The old redactor matched names at regular-expression word boundaries, which a hyphen
    is: a person of interest called Louis took "Louis" out of "Louis-Evans", and one called
    Evans turned "Sam Louis-Evans" into "Sam Louis-[removed]"."""
    redact = Redactor(
        names=name_forms("Louis", "Grady", ["Evans"], parts=True)
        | name_forms("Tyler", "Evans", [], parts=True)
    )
    text = "Ms Louis-Evans (the mentor) met Louis Grady; Evans was not seen. O'Neill agreed."
    assert (
        redact(text)
        == "Ms Louis-Evans (the mentor) met [removed]; [removed] was not seen. O'Neill agreed."
    )


def test_a_double_barrelled_name_is_removed_however_it_is_written() -> None:
    redact = Redactor(names=name_forms("Sam", "Louis-Evans", [], parts=True))
    assert redact("Seen with Sam Louis-Evans, then louis evans alone, then EVANS.") == (
        "Seen with [removed], then [removed] alone, then [removed]."
    )


def test_a_lower_cased_sentence_of_code_c_text_is_removed() -> None:
    restricted = "Covert source reports Wolfsbane activity near the retail park. Seen at 3am."
    redact = Redactor(restricted=[restricted])
    minutes = (
        "Police shared that covert source reports wolfsbane activity near the retail park, "
        "so the mentor will avoid it. Also seen at 3am by a neighbour."
    )
    assert redact(minutes) == (
        "Police shared that [removed], so the mentor will avoid it. Also [removed] by a neighbour."
    )
    # A fragment long enough to identify it, in capitals, goes too; three common words do not.
    assert redact("They said: REPORTS WOLFSBANE ACTIVITY NEAR a shop.") == (
        "They said: [removed] a shop."
    )
    assert redact("Activity near the library was fine.") == "Activity near the library was fine."


def test_an_alias_is_removed_in_any_case_and_the_familys_own_names_are_kept() -> None:
    redact = Redactor(
        names=name_forms("Evander", "Gallowmere", ["Tank"], parts=True)
        | name_forms("Jordan", "Smith", [], parts=True),
        keep=name_forms("Jordan", "Brown", ["JB"], parts=True),
    )
    assert redact("Jordan said TANK and tank's friend Jordan Smith were there.") == (
        "Jordan said [removed] and [removed] friend [removed] were there."
    )
    # Removed names next to each other become one marker; punctuation between them stays.
    assert redact("Evander Gallowmere Tank, Gallowmere.") == "[removed], [removed]."


def test_text_without_anything_to_remove_is_returned_as_it_was() -> None:
    redact = Redactor(names=name_forms("Evander", "Gallowmere", [], parts=True))
    text = "  Odd   spacing,\tpunctuation\u2026 and \u2018quotes\u2019 stay exactly as typed.  "
    assert redact(text) == text
    assert Redactor()(text) == text


def test_a_one_word_name_that_is_an_everyday_word_goes_only_when_capitalised() -> None:
    """An area's thousands of names include Young, Green, Will: in lower case those are the
    ordinary words of the minutes; capitalised, or as part of a longer name, they are names."""
    redact = Redactor(
        names=name_forms("Sam", "Young", [], parts=True)
        | name_forms("Will", "Green", ["Tank"], parts=True)
    )
    assert redact("The young person will meet the mentor on the green.") == (
        "The young person will meet the mentor on the green."
    )
    assert redact("Young was seen with WILL, then with sam young and will green.") == (
        "[removed] was seen with [removed], then with [removed] and [removed]."
    )
    assert redact("Sam's friend Tank, tank and TANK.") == (
        "[removed] friend [removed], [removed] and [removed]."
    )
