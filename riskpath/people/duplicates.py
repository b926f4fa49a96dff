"""Finding the same person twice: fuzzy and phonetic name matching (aliases included), dates of
birth with day/month swaps and year typos, and postcodes.

``score_pair`` is a pure function, tested on its own; ``possible_duplicates`` narrows
the area's records with cheap database filters (blocking) and scores what is left. The
narrowing uses phonetic keys stored with each record (``name_keys``, ``alias_keys``), so it
runs on indexes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jellyfish
from django.db.models import Q
from rapidfuzz.distance import JaroWinkler

LIKELY = 0.80  # scores at or above this are shown as likely the same person
NAME_WEIGHT, DOB_WEIGHT, POSTCODE_WEIGHT = 0.6, 0.3, 0.1


@dataclass(frozen=True)
class PersonFacts:
    """What is known of one person, for matching."""

    given_names: str
    family_name: str
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    postcode: str = ""
    key: Any = None


@dataclass(frozen=True)
class Match:
    key: Any
    score: float
    reasons: list[str] = field(default_factory=list)


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z ]+", " ", ascii_only.lower().replace("'", "")).split())


def _names(p: PersonFacts) -> list[tuple[str, str]]:
    """(given, family) for the person's name and each alias ("Kez Smith" → ("kez", "smith"))."""
    out = [(normalise(p.given_names), normalise(p.family_name))]
    out += _alias_names(p.aliases, p.family_name)
    return [(g, f) for g, f in out if g or f]


def _alias_names(aliases: Iterable[str], family_name: str) -> list[tuple[str, str]]:
    """(given, family) of each alias; an alias of one word takes the family name."""
    out = []
    for alias in aliases:
        parts = normalise(alias).split()
        if len(parts) >= 2:
            out.append((" ".join(parts[:-1]), parts[-1]))
        elif parts:
            out.append((parts[0], normalise(family_name)))
    return out


@lru_cache(maxsize=65536)
def _metaphone(word: str) -> str:
    return str(jellyfish.metaphone(word))


def _word_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    similarity = JaroWinkler.similarity(a, b)
    if _metaphone(a) == _metaphone(b):
        similarity = max(similarity, 0.92)
    return similarity


def _given_similarity(a: str, b: str) -> float:
    """First given names compared; an initial matches a name starting with it."""
    first_a, first_b = (a.split() or [""])[0], (b.split() or [""])[0]
    if len(first_a) == 1 or len(first_b) == 1:
        return 0.85 if first_a[:1] == first_b[:1] else 0.0
    return _word_similarity(first_a, first_b)


def name_score(a: PersonFacts, b: PersonFacts) -> tuple[float, str]:
    best, reason = 0.0, ""
    names_a, names_b = _names(a), _names(b)
    for ga, fa in names_a:
        for gb, fb in names_b:
            straight = (_given_similarity(ga, gb) + _word_similarity(fa, fb)) / 2
            swapped = (_given_similarity(ga, fb) + _word_similarity(fa, gb)) / 2 * 0.95
            score = max(straight, swapped)
            if score > best:
                best = score
                alias_used = (ga, fa) != names_a[0] or (gb, fb) != names_b[0]
                if score >= 0.999:
                    reason = "same name" + (" (alias)" if alias_used else "")
                elif swapped > straight:
                    reason = "names match with given and family names swapped"
                else:
                    reason = "similar name" + (" (alias)" if alias_used else "")
    return best, reason


def dob_score(a: dt.date | None, b: dt.date | None) -> tuple[float | None, str]:
    """None when either is unknown (neither for nor against)."""
    if a is None or b is None:
        return None, ""
    if a == b:
        return 1.0, "same date of birth"
    if a.day == b.month and a.month == b.day and a.year == b.year:
        return 0.85, "date of birth with day and month swapped"
    if (a.month, a.day) == (b.month, b.day):
        ya, yb = str(a.year), str(b.year)
        digits_differ = sum(x != y for x, y in zip(ya, yb, strict=True))
        if abs(a.year - b.year) == 1 or digits_differ == 1:
            return 0.75, "date of birth with a different year (possible typo)"
    if a.year == b.year and a.month == b.month and abs(a.day - b.day) <= 2:
        return 0.6, "date of birth within two days"
    return 0.0, ""


def normalise_postcode(postcode: str) -> str:
    return re.sub(r"\s+", "", (postcode or "").upper())


def postcode_score(a: str, b: str) -> tuple[float | None, str]:
    pa, pb = normalise_postcode(a), normalise_postcode(b)
    if not pa or not pb:
        return None, ""
    if pa == pb:
        return 1.0, "same postcode"
    if pa[:-3] and pa[:-3] == pb[:-3]:
        return 0.5, "same postcode district"
    return 0.0, ""


def score_pair(a: PersonFacts, b: PersonFacts) -> Match:
    """How likely ``a`` and ``b`` are one person (0 to 1), and why."""
    name, name_reason = name_score(a, b)
    dob, dob_reason = dob_score(a.date_of_birth, b.date_of_birth)
    postcode, postcode_reason = postcode_score(a.postcode, b.postcode)
    parts = [(NAME_WEIGHT, name)]
    if dob is not None:
        parts.append((DOB_WEIGHT, dob))
    if postcode is not None:
        parts.append((POSTCODE_WEIGHT, postcode))
    total = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    # A name that is not close is never rescued by a shared postcode or birthday.
    if name < 0.75:
        total = min(total, name)
    reasons = [r for r in (name_reason, dob_reason, postcode_reason) if r]
    return Match(key=b.key, score=round(total, 3), reasons=reasons)


def rank(candidate: PersonFacts, pool: Iterable[PersonFacts], *, limit: int = 10) -> list[Match]:
    matches = [score_pair(candidate, other) for other in pool]
    likely = [m for m in matches if m.score >= LIKELY]
    return sorted(likely, key=lambda m: m.score, reverse=True)[:limit]


def dob_variants(d: dt.date) -> set[dt.date]:
    """Dates a typist might have meant: swapped day and month, and near or mistyped years."""
    out = {d}
    if d.day <= 12:
        try:
            out.add(d.replace(month=d.day, day=d.month))
        except ValueError:
            pass
    for year in {d.year - 1, d.year + 1} | {
        int(str(d.year)[:i] + digit + str(d.year)[i + 1 :])
        for i in range(4)
        for digit in "0123456789"
    }:
        if 1900 < year < 2100:
            try:
                out.add(d.replace(year=year))
            except ValueError:
                pass
    for delta in (-2, -1, 1, 2):
        out.add(d + dt.timedelta(days=delta))
    return out


KEY_LENGTH = 20


def word_key(word: str) -> str:
    """The phonetic key of one normalised word or name ("" for none)."""
    word = word.replace(" ", "")
    return _metaphone(word)[:KEY_LENGTH] if word else ""


def name_keys(given_names: str, family_name: str) -> tuple[str, str]:
    """(given key, family key) stored on a record: the metaphone of the first given name and
    of the whole family name, normalised."""
    given = (normalise(given_names).split() or [""])[0]
    return word_key(given), word_key(normalise(family_name))


def _keys_of(given: str, family: str) -> set[str]:
    """Every key of one (normalised) name: first given name, whole family name, and each word
    of a family name of several words."""
    keys = {word_key((given.split() or [""])[0]), word_key(family)}
    keys |= {word_key(word) for word in family.split()}
    return {k for k in keys if k}


def alias_keys(aliases: Iterable[str], family_name: str = "") -> set[str]:
    """The keys stored for a record's aliases (an alias of one word takes the family name)."""
    out: set[str] = set()
    for given, family in _alias_names(aliases, family_name):
        out |= _keys_of(given, family)
    return out


def candidate_keys(candidate: PersonFacts) -> set[str]:
    """Keys of the candidate's name and aliases; the blocking filter matches them against both
    the given and the family keys of stored records, so swapped names are found too."""
    out: set[str] = set()
    for given, family in _names(candidate):
        out |= _keys_of(given, family)
    return out


def postcode_forms(postcode: str) -> set[str]:
    """The stored forms a typed postcode could have: as typed, and in the standard form."""
    compact = normalise_postcode(postcode)
    if not compact:
        return set()
    out = {postcode.strip().upper(), compact}
    if len(compact) > 3:
        out.add(f"{compact[:-3]} {compact[-3:]}")
    return out


# Can a record whose known date of birth is no plausible variant of the candidate's still score
# as likely, on its name (and postcode) alone? Not with today's weights: at best
# (NAME_WEIGHT + POSTCODE_WEIGHT) / (NAME_WEIGHT + DOB_WEIGHT + POSTCODE_WEIGHT) = 0.7. Then
# a candidate with a date of birth needs the name and postcode terms only for records without
# one, which keeps the pool small.
NAME_ALONE_CAN_BE_LIKELY = (NAME_WEIGHT + POSTCODE_WEIGHT) / (
    NAME_WEIGHT + DOB_WEIGHT + POSTCODE_WEIGHT
) >= LIKELY


def _undated_only(candidate: PersonFacts) -> dict[str, Any]:
    if candidate.date_of_birth is not None and not NAME_ALONE_CAN_BE_LIKELY:
        return {"date_of_birth__isnull": True}
    return {}


def blocking_filter(candidate: PersonFacts) -> Q:
    """A cheap, indexed database filter that keeps every record that could score as a likely
    match: a plausible date of birth (swaps and year typos included), a given or family name
    with the same phonetic key as any of the candidate's names (swapped too), or the same
    postcode. Matches on stored aliases are found by ``alias_match_filter``. Each term of the
    disjunction has an index of its own, so the database can combine index lookups."""
    q = Q(pk__in=[])
    undated = _undated_only(candidate)
    if candidate.date_of_birth is not None:
        q |= Q(date_of_birth__in=sorted(dob_variants(candidate.date_of_birth)))
    keys = sorted(candidate_keys(candidate))
    if keys:
        q |= Q(family_key__in=keys, **undated) | Q(given_key__in=keys, **undated)
    postcodes = sorted(postcode_forms(candidate.postcode))
    if postcodes:
        q |= Q(postcode__in=postcodes, **undated)
    return q


def alias_match_filter(candidate: PersonFacts) -> Q:
    """Records with an alias whose key matches any of the candidate's names (and, where a date
    of birth rules the rest out, no date of birth: the others are in ``blocking_filter``)."""
    return Q(alias_keys__key__in=sorted(candidate_keys(candidate)), **_undated_only(candidate))


FACT_FIELDS = ("pk", "given_names", "family_name", "aliases", "date_of_birth", "postcode")


def possible_duplicates(queryset: Any, candidate: PersonFacts, *, limit: int = 10) -> list[Match]:
    """Likely existing records for ``candidate`` among ``queryset`` (already scoped to what the
    user may see), best first.

    The blocking filters run on the model's whole table, where each of their terms has an
    index of its own (names, dates and postcodes in one query; aliases in a second); the
    caller's scope is applied afterwards to the few likely matches. Combined with the scope
    (an area), a planner without statistics, SQLite's, would walk the whole area instead."""
    table = queryset.model._base_manager.order_by()
    rows = {
        row[0]: row for row in table.filter(blocking_filter(candidate)).values_list(*FACT_FIELDS)
    }
    if candidate_keys(candidate):
        for row in table.filter(alias_match_filter(candidate)).values_list(*FACT_FIELDS):
            rows.setdefault(row[0], row)
    pool = (
        PersonFacts(
            key=pk,
            given_names=given,
            family_name=family,
            aliases=tuple(aliases or ()),
            date_of_birth=dob,
            postcode=postcode or "",
        )
        for pk, given, family, aliases, dob, postcode in rows.values()
    )
    likely = rank(candidate, pool, limit=len(rows))
    if not likely:
        return []
    in_scope = set(
        queryset.order_by().filter(pk__in=[m.key for m in likely]).values_list("pk", flat=True)
    )
    return [m for m in likely if m.key in in_scope][:limit]
