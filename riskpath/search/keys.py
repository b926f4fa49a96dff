"""The keys a record is found by, and what a typed query asks for. Pure functions.

A record's *entry* holds its normalised names (every name and alias), date of birth and
postcode; its *keys* are short strings stored in one indexed table, each with a weight:

| key | from | weight |
|---|---|---|
| ``t:word`` | each word of a name | 10 |
| ``n:name`` | a given name's family of nicknames ("bill", "will" → ``n:william``) | 8 |
| ``m:KEY`` | the word's phonetic key (metaphone, as the duplicate check keys names) | 6 |
| ``d:wrd`` | the word with one letter left out (words of five letters or more): a typo | 4 |
| ``p:wo`` | the word's first two, three and four letters: a name being typed | 3 |
| ``b:2011-04-02`` | the date of birth | 10 |
| ``c:BS161AB`` / ``o:BS16`` | the postcode, and its district | 8 / 3 |

A query's keys are made the same way (a date of birth also as its day-and-month swap), so one
lookup, summed by weight, finds the candidates on either database; ``score`` then ranks them
in Python. Normalisation, phonetic keys and the nickname groups (``people/nicknames.txt``) are
the duplicate check's (``people.duplicates``): one list, so search and matching agree."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from riskpath.people.duplicates import (
    are_nicknames,
    nickname_roots,
    normalise,
    normalise_postcode,
    word_key,
)

WEIGHTS = {"t": 10, "n": 8, "m": 6, "d": 4, "p": 3, "b": 10, "c": 8, "o": 3}
PREFIX_LENGTHS = (2, 3, 4)
TYPO_MIN_LENGTH = 5
KEY_MAX = 40


def deletions(word: str) -> set[str]:
    """The word with each one of its letters left out."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def word_keys(word: str) -> set[str]:
    """Every key of one normalised word of a stored name."""
    if not word:
        return set()
    keys = {f"t:{word}"}
    phonetic = word_key(word)
    if phonetic:
        keys.add(f"m:{phonetic}")
    keys |= {f"n:{root}" for root in nickname_roots(word)}
    keys |= {f"p:{word[:n]}" for n in PREFIX_LENGTHS if len(word) > n}
    if len(word) >= TYPO_MIN_LENGTH:
        keys |= {f"d:{variant}" for variant in deletions(word)}
    return {k[:KEY_MAX] for k in keys}


def query_word_keys(word: str) -> set[str]:
    """The keys one typed word looks for: the word, its sound, its nickname family and its
    one-letter typos as stored; the word as the start of a longer name (only its longest
    stored prefix: a short one would match half the area); and the word as a typo of a
    longer or shorter name."""
    keys = {k for k in word_keys(word) if not k.startswith("p:")}
    if len(word) in PREFIX_LENGTHS or len(word) > max(PREFIX_LENGTHS):
        keys.add(f"p:{word[: max(PREFIX_LENGTHS)]}")
    if len(word) >= TYPO_MIN_LENGTH - 1:
        keys.add(f"d:{word}")  # a letter missing from the query
    if len(word) >= TYPO_MIN_LENGTH:
        keys |= {f"t:{variant}" for variant in deletions(word)}  # a letter too many
    return {k[:KEY_MAX] for k in keys}


def postcode_keys(postcode: str) -> set[str]:
    code = normalise_postcode(postcode)
    if not code:
        return set()
    keys = {f"c:{code}"}
    if len(code) > 3:
        keys.add(f"o:{code[:-3]}")
    return keys


def dob_keys(date_of_birth: dt.date | None) -> set[str]:
    return {f"b:{date_of_birth.isoformat()}"} if date_of_birth else set()


def swapped(date_of_birth: dt.date) -> dt.date | None:
    """The date with day and month swapped, where that is a different date."""
    if date_of_birth.day > 12 or date_of_birth.day == date_of_birth.month:
        return None
    return date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month)


def name_words(names: Iterable[str]) -> list[str]:
    """The distinct normalised words of every name given."""
    words: dict[str, None] = {}
    for name in names:
        for word in normalise(name).split():
            words[word] = None
    return list(words)


def entry_keys(
    names: Iterable[str], *, date_of_birth: dt.date | None = None, postcode: str = ""
) -> dict[str, int]:
    """The keys stored for a record, with their weights."""
    keys: set[str] = set()
    for word in name_words(names):
        keys |= word_keys(word)
    keys |= dob_keys(date_of_birth) | postcode_keys(postcode)
    return {k: WEIGHTS[k[0]] for k in keys}


# ---------------------------------------------------------------------------------------------
# A typed query
# ---------------------------------------------------------------------------------------------

QUERY_MAX = 200
_DATE = re.compile(r"\b(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_POSTCODE = re.compile(
    r"\b([A-Za-z]{1,2}\d[A-Za-z\d]?)(?:\s*(\d[A-Za-z]{2}))?\b",
)


@dataclass(frozen=True)
class Query:
    """What a typed search asks for: name words, and a date of birth or postcode if given."""

    text: str
    words: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    postcode: str = ""  # compact, capitals: a whole postcode or only its district
    keys: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.words and self.date_of_birth is None and not self.postcode


def _date(day: str, month: str, year: str) -> dt.date | None:
    if len(day) == 4:  # 2011-04-02
        day, year = year, day
    y = int(year)
    if len(year) == 2:
        y += 2000 if y <= dt.date.today().year % 100 else 1900
    try:
        return dt.date(y, int(month), int(day))
    except ValueError:
        try:  # a month over 12: typed month first
            return dt.date(y, int(day), int(month))
        except ValueError:
            return None


def parse(text: str) -> Query:
    """Split a typed search into name words, a date of birth and a postcode."""
    text = " ".join((text or "").split())[:QUERY_MAX]
    rest = text
    date_of_birth = None
    found = _DATE.search(rest)
    if found:
        date_of_birth = _date(*found.groups())
        rest = rest[: found.start()] + " " + rest[found.end() :]
    postcode = ""
    for match in _POSTCODE.finditer(rest):
        outward, inward = match.group(1), match.group(2)
        if inward or any(ch.isdigit() for ch in outward):
            postcode = normalise_postcode(outward + (inward or ""))
            rest = rest[: match.start()] + " " + rest[match.end() :]
            break
    words = tuple(w for w in name_words([rest]) if len(w) >= 2)
    keys: dict[str, int] = {}
    for word in words:
        for k in query_word_keys(word):
            keys[k] = WEIGHTS[k[0]]
    if date_of_birth:
        keys[f"b:{date_of_birth.isoformat()}"] = WEIGHTS["b"]
        other = swapped(date_of_birth)
        if other:
            keys[f"b:{other.isoformat()}"] = WEIGHTS["b"] - 3
    if postcode:
        if len(postcode) > 4:
            keys.update({k: WEIGHTS[k[0]] for k in postcode_keys(postcode)})
        else:
            keys[f"o:{postcode}"] = WEIGHTS["o"]
    return Query(text, words, date_of_birth, postcode, keys)


# ---------------------------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------------------------

NAME_THRESHOLD = 0.6  # below this, a name search does not match


def _word_match(typed: str, stored: str) -> float:
    """How well one typed word matches one stored word (0 to 1)."""
    if typed == stored:
        return 1.0
    if are_nicknames(typed, stored):
        # Another form of the same name (Bill, William; Katherine, Catherine): below a name
        # still being typed, so the name exactly as typed comes first.
        return 0.88
    if len(typed) >= 2 and stored.startswith(typed):
        return 0.9
    if word_key(typed) and word_key(typed) == word_key(stored):
        return 0.85
    similarity = Levenshtein.normalized_similarity(typed, stored)
    if len(typed) >= 4 and similarity >= 0.7:
        return 0.8 * similarity
    return 0.0


def name_score(words: Iterable[str], stored_words: Iterable[str]) -> float:
    """Every typed word against its best stored word, averaged: a name that holds each typed
    word (or its nickname, sound or a typo of it) scores near 1."""
    typed = list(words)
    stored = list(stored_words)
    if not typed or not stored:
        return 0.0
    return sum(max(_word_match(t, s) for s in stored) for t in typed) / len(typed)


def score(
    query: Query,
    *,
    names: str,
    date_of_birth: dt.date | None = None,
    postcode: str = "",
) -> float:
    """The rank of one record for a query, 0 for no match. ``names`` is the entry's stored
    text (normalised names and aliases)."""
    total = 0.0
    if query.words:
        found = name_score(query.words, names.replace("|", " ").split())
        if found < NAME_THRESHOLD:
            return 0.0
        total += found
    if query.date_of_birth:
        if date_of_birth == query.date_of_birth:
            total += 0.5
        elif date_of_birth is not None and date_of_birth == swapped(query.date_of_birth):
            total += 0.4
        elif not query.words:
            return 0.0
        elif date_of_birth is not None:
            total -= 0.3
    if query.postcode:
        stored = normalise_postcode(postcode)
        if stored and stored == query.postcode:
            total += 0.3
        elif stored and len(stored) > 3 and stored[:-3] == query.postcode:
            total += 0.2
        elif stored and len(stored) > 3 and stored[:-3] == query.postcode[:-3]:
            total += 0.1
        elif not query.words and not query.date_of_birth:
            return 0.0
    return round(total, 4)
