"""Finding the same person twice: a Fellegi-Sunter model whose score can be explained.

Each field of two records is compared and falls into one *comparison level* ("given names the
same", "date of birth with day and month swapped", "postcode not known"). Each level has two
probabilities: ``m``, how often two records of one person fall into it, and ``u``, how often
two records of different people do. The level adds ``log2(m / u)`` bits to the *match
weight*: agreement adds, disagreement takes away, a missing value adds nothing. The weight is
the sum, and every term is shown to the user in plain words ("same date of birth: +10.8").

``m`` are stated priors (``LEVELS``), which ``estimate_m`` can refine by
expectation-maximisation on pairs; ``u`` are estimated from random pairs of the area's own
records (``estimate_u``), since random pairs are almost all of different people.

``score_pair`` is a pure function, tested on its own. ``possible_duplicates`` narrows the
area's records with blocking keys (several, unioned: a missing or mistyped date of birth never
hides a record whose name agrees) and scores what is left. The search app reuses the name
keys (``normalise``, ``word_key``, ``name_keys``, ``alias_keys``, ``nickname_group``)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jellyfish
from django.db.models import Q
from rapidfuzz.distance import JaroWinkler

# ---------------------------------------------------------------------------------------------
# What is compared
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """What is known of one person, for matching."""

    given_names: str
    family_name: str
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    postcode: str = ""
    key: Any = None
    locality: str = ""
    nhs_number: str = ""


@dataclass(frozen=True)
class Contribution:
    """One field's part of a match weight: its level, in words, and the bits it adds."""

    field: str
    level: str
    text: str
    weight: float

    def __str__(self) -> str:
        return f"{self.text}: {self.weight:+.1f}"


@dataclass(frozen=True)
class Match:
    key: Any
    score: float  # the match weight, in bits (log2 of the Bayes factor)
    reasons: list[str] = field(default_factory=list)
    contributions: tuple[Contribution, ...] = ()

    @property
    def probability(self) -> float:
        """How likely the two records are one person, given the prior of ``PRIOR_WEIGHT``."""
        return 1 / (1 + 2 ** -(self.score + PRIOR_WEIGHT))


# ---------------------------------------------------------------------------------------------
# Normalising names, and the keys stored for blocking (reused by the search)
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z ]+", " ", ascii_only.lower().replace("'", "")).split())


@lru_cache(maxsize=65536)
def _metaphone(word: str) -> str:
    return str(jellyfish.metaphone(word))


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


def _names(p: PersonFacts) -> list[tuple[str, str]]:
    """(given, family) for the person's name and each alias ("Kez Smith" → ("kez", "smith"))."""
    out = [(normalise(p.given_names), normalise(p.family_name))]
    out += _alias_names(p.aliases, p.family_name)
    return [(g, f) for g, f in out if g or f]


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


NICKNAMES_FILE = Path(__file__).with_name("nicknames.txt")


@lru_cache(maxsize=1)
def _nickname_lines() -> tuple[tuple[str, ...], ...]:
    """The pinned list's groups, each a line's names in order (the first is the group's name)."""
    lines = NICKNAMES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(
        tuple(normalise(name) for name in line.split())
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    )


@lru_cache(maxsize=1)
def _nickname_groups() -> dict[str, frozenset[int]]:
    """Each name on the pinned list → the numbers of the groups it is in."""
    groups: dict[str, set[int]] = {}
    for number, names in enumerate(_nickname_lines()):
        for name in names:
            groups.setdefault(name, set()).add(number)
    return {name: frozenset(numbers) for name, numbers in groups.items()}


@lru_cache(maxsize=4096)
def nickname_roots(name: str) -> frozenset[str]:
    """The names of the groups a given name is in ("bill" → {"william"}; none for most names):
    what search keys a name by, so "Bill" finds "William" and "Liam"."""
    lines = _nickname_lines()
    return frozenset(lines[number][0] for number in nickname_group(normalise(name)))


def nickname_group(name: str) -> frozenset[int]:
    """The groups of the nickname list a (normalised) given name belongs to (empty if none)."""
    return _nickname_groups().get(name, frozenset())


def nickname_forms(name: str) -> set[str]:
    """The other forms of a given name on the pinned list ("Bob" → robert, rob, bobby, …)."""
    own = normalise(name)
    groups = nickname_group(own)
    return {other for other, g in _nickname_groups().items() if g & groups and other != own}


def are_nicknames(a: str, b: str) -> bool:
    """Two given names are forms of one name on the pinned list ("bob" and "robert")."""
    return bool(nickname_group(a) & nickname_group(b))


def normalise_postcode(postcode: str) -> str:
    return re.sub(r"\s+", "", (postcode or "").upper())


def _digits(text: str) -> str:
    return re.sub(r"\D+", "", text or "")


# ---------------------------------------------------------------------------------------------
# Comparison levels
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """One comparison level of a field: its name, its words (``{a}``/``{b}`` are the values
    compared) and the stated prior m (and a default u, replaced by ``estimate_u``)."""

    name: str
    text: str
    m: float
    u: float


# Levels of each field, best agreement first; the last is "different". A missing value is no
# level: it adds nothing. m are stated priors (what share of the pairs of one person, as
# recorded by different agencies, fall in each level); u are defaults for an area of young
# people aged 10 to 18 in one city, replaced by the area's own figures where it has enough
# records.
GIVEN = (
    Level("exact", "same given name", 0.82, 0.006),
    Level("nickname", "given names are forms of one name ({a}, {b})", 0.04, 0.0008),
    Level("close", "given name one or two letters apart ({a}, {b})", 0.07, 0.003),
    Level("phonetic", "given names sound the same ({a}, {b})", 0.015, 0.002),
    Level("similar", "given names similar ({a}, {b})", 0.025, 0.05),
    Level("initial", "initial agrees with given name ({a}, {b})", 0.01, 0.04),
    Level("different", "different given names ({a}, {b})", 0.02, 0.898),
)
FAMILY = (
    Level("exact", "same family name", 0.86, 0.004),
    Level("close", "family name one or two letters apart ({a}, {b})", 0.08, 0.002),
    Level("phonetic", "family names sound the same ({a}, {b})", 0.015, 0.001),
    Level("similar", "family names similar ({a}, {b})", 0.025, 0.04),
    Level("different", "different family names ({a}, {b})", 0.02, 0.953),
)
DOB = (
    Level("exact", "same date of birth", 0.86, 0.0008),
    Level("swapped", "date of birth has day and month swapped", 0.02, 0.00005),
    Level("one_digit", "date of birth one digit different ({a}, {b})", 0.06, 0.004),
    Level(
        "one_part", "date of birth differs in the day, month or year only ({a}, {b})", 0.03, 0.03
    ),
    Level("different", "different dates of birth ({a}, {b})", 0.03, 0.9652),
)
POSTCODE = (
    Level("exact", "same postcode", 0.75, 0.01),
    Level("close", "postcode one character apart ({a}, {b})", 0.08, 0.01),
    Level("district", "same postcode district ({a}, {b})", 0.05, 0.08),
    Level("different", "different postcodes ({a}, {b})", 0.12, 0.90),
)
LOCALITY = (
    Level("exact", "same locality", 0.78, 0.02),
    Level("close", "locality one or two letters apart ({a}, {b})", 0.1, 0.01),
    Level("different", "different localities ({a}, {b})", 0.12, 0.97),
)
NHS = (
    Level("exact", "same NHS number", 0.86, 0.000001),
    Level("close", "NHS number one digit different or two swapped ({a}, {b})", 0.08, 0.00001),
    Level("different", "different NHS numbers ({a}, {b})", 0.06, 0.999989),
)
LEVELS: dict[str, tuple[Level, ...]] = {
    "given_name": GIVEN,
    "family_name": FAMILY,
    "date_of_birth": DOB,
    "postcode": POSTCODE,
    "locality": LOCALITY,
    "nhs_number": NHS,
}
MISSING_TEXT = {
    "date_of_birth": "date of birth not known on one record",
    "postcode": "postcode not known on one record",
    "locality": "locality not known on one record",
    "nhs_number": "NHS number not known on one record",
    "given_name": "given name not known on one record",
    "family_name": "family name not known on one record",
}
IMPLAUSIBLE_DOB_TEXT = "date of birth not plausible on one record: not compared"


def _level_of(levels: tuple[Level, ...], name: str) -> int:
    return next(i for i, level in enumerate(levels) if level.name == name)


def _edits_close(a: str, b: str) -> bool:
    """One or two letters apart: a Jaro-Winkler similarity of 0.92 or more."""
    return JaroWinkler.similarity(a, b) >= 0.92


def given_level(a: str, b: str) -> int | None:
    """The level of two normalised given names (first given names compared)."""
    first_a, first_b = (a.split() or [""])[0], (b.split() or [""])[0]
    if not first_a or not first_b:
        return None
    if first_a == first_b:
        return 0
    if len(first_a) == 1 or len(first_b) == 1:
        return 5 if first_a[0] == first_b[0] else 6
    if are_nicknames(first_a, first_b):
        return 1
    if _edits_close(first_a, first_b):
        return 2
    if _metaphone(first_a) == _metaphone(first_b):
        return 3
    if JaroWinkler.similarity(first_a, first_b) >= 0.8:
        return 4
    return 6


def family_level(a: str, b: str) -> int | None:
    """The level of two normalised family names (a word of a double-barrelled name counts)."""
    if not a or not b:
        return None
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return 0
    if _edits_close(a, b):
        return 1
    if _metaphone(a.replace(" ", "")) == _metaphone(b.replace(" ", "")):
        return 2
    words_a, words_b = set(a.split()), set(b.split())
    if (len(words_a) > 1 or len(words_b) > 1) and words_a & words_b:
        return 3
    if JaroWinkler.similarity(a, b) >= 0.8:
        return 3
    return 4


EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)


def plausible_dob(d: dt.date | None, today: dt.date | None = None) -> bool:
    """A date of birth that can be compared: not before 1900 and not in the future."""
    return d is not None and EARLIEST_PLAUSIBLE <= d <= (today or dt.date.today())


def dob_level(a: dt.date | None, b: dt.date | None) -> int | None:
    """The level of two dates of birth; None when either is missing or not plausible."""
    today = dt.date.today()
    if not plausible_dob(a, today) or not plausible_dob(b, today):
        return None
    return _dob_level(a, b)


def _dob_level(a: dt.date | None, b: dt.date | None) -> int | None:
    if a is None or b is None:
        return None
    if a == b:
        return 0
    same_year, same_month, same_day = a.year == b.year, a.month == b.month, a.day == b.day
    if same_year and a.day == b.month and a.month == b.day:
        return 1
    if same_year + same_month + same_day == 2:
        if same_year and same_month:
            differ = _differing(f"{a.day:02d}", f"{b.day:02d}")
        elif same_year:
            differ = _differing(f"{a.month:02d}", f"{b.month:02d}")
        else:
            differ = _differing(f"{a.year:04d}", f"{b.year:04d}")
        return 2 if differ == 1 else 3
    return 4


def _differing(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def postcode_level(a: str, b: str) -> int | None:
    return _postcode_level(normalise_postcode(a), normalise_postcode(b))


def _postcode_level(pa: str, pb: str) -> int | None:
    if not pa or not pb:
        return None
    if pa == pb:
        return 0
    if len(pa) == len(pb) and _differing(pa, pb) == 1:
        return 1
    if len(pa) > 3 and len(pb) > 3 and pa[:-3] == pb[:-3]:
        return 2
    return 3


def locality_level(a: str, b: str) -> int | None:
    return _locality_level(normalise(a), normalise(b))


def _locality_level(la: str, lb: str) -> int | None:
    if not la or not lb:
        return None
    if la == lb:
        return 0
    return 1 if _edits_close(la, lb) else 2


def nhs_level(a: str, b: str) -> int | None:
    return _nhs_level(_digits(a), _digits(b))


def _nhs_level(da: str, db: str) -> int | None:
    if not da or not db:
        return None
    if da == db:
        return 0
    if len(da) == len(db):
        diffs = [i for i, (x, y) in enumerate(zip(da, db, strict=True)) if x != y]
        if len(diffs) == 1:
            return 1
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
            first, second = diffs
            if da[first] == db[second] and da[second] == db[first]:
                return 1
    return 2


# ---------------------------------------------------------------------------------------------
# The model: m and u per level, and the weight of a pair
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """m and u of every level of every field; ``threshold``: the weight from which a pair is
    shown as likely the same person."""

    m: dict[str, tuple[float, ...]]
    u: dict[str, tuple[float, ...]]
    threshold: float

    @cached_property
    def weights(self) -> dict[str, tuple[float, ...]]:
        """log2(m / u) of every level of every field."""
        return {
            name: tuple(math.log2(m / u) for m, u in zip(self.m[name], self.u[name], strict=True))
            for name in FIELDS
        }

    def weight(self, field_name: str, level: int) -> float:
        return self.weights[field_name][level]

    def with_u(self, u: dict[str, tuple[float, ...]]) -> Model:
        return replace(self, u={**self.u, **u})

    def with_m(self, m: dict[str, tuple[float, ...]]) -> Model:
        return replace(self, m={**self.m, **m})


FIELDS = tuple(LEVELS)
# A pair is likely the same person from this weight: for instance the same name with the date
# of birth not known (about +15), a name one letter apart with the same date of birth, or a
# given name that sounds the same with the same family name (about +10.5). Chosen on the
# benchmarks (benchmarks/README.md): the one-record check is a prompt for a person to review,
# so it leans to recall.
LIKELY_WEIGHT = 10.0
# The prior odds that a record of the area is the one being recorded: one in about 16,000
# (log2), for the probability shown beside a weight.
PRIOR_WEIGHT = -14.0

DEFAULT_MODEL = Model(
    m={name: tuple(level.m for level in levels) for name, levels in LEVELS.items()},
    u={name: tuple(level.u for level in levels) for name, levels in LEVELS.items()},
    threshold=LIKELY_WEIGHT,
)


@dataclass(frozen=True)
class _Prepared:
    """One record's values, normalised once for all its comparisons (``dob`` is None when it
    is not plausible; ``shown`` keeps the values as written, for the explanation)."""

    names: tuple[tuple[str, str], ...]
    dob: dt.date | None
    postcode: str
    locality: str
    nhs: str
    facts: PersonFacts


def _prepare(p: PersonFacts, today: dt.date | None = None) -> _Prepared:
    dob = p.date_of_birth if plausible_dob(p.date_of_birth, today) else None
    return _Prepared(
        tuple(_names(p)),
        dob,
        normalise_postcode(p.postcode),
        normalise(p.locality),
        _digits(p.nhs_number),
        p,
    )


# Given and family names written the wrong way round: the pairing counts at this discount.
SWAP_PENALTY = 1.0


@dataclass(frozen=True)
class _Compared:
    """The levels of one pair (``None``: not known on one side, or not plausible), the names
    that were compared and how they were paired ("", "alias" or "swapped")."""

    levels: tuple[int | None, ...]
    names_a: tuple[str, str]
    names_b: tuple[str, str]
    how: str


def _name_levels(
    model: Model, a: _Prepared, b: _Prepared
) -> tuple[int | None, int | None, tuple[str, str], tuple[str, str], str]:
    """The best pairing of the two records' names (aliases, and given and family names swapped,
    included): levels of given and family name, the names compared, and how they were paired."""
    given_w, family_w = model.weights["given_name"], model.weights["family_name"]
    best: tuple[float, int | None, int | None, tuple[str, str], tuple[str, str], str] | None = None
    for i, (ga, fa) in enumerate(a.names):
        for j, (gb, fb) in enumerate(b.names):
            how = "alias" if i or j else ""
            for g1, f1, note in ((ga, fa, how), (fa, ga, "swapped")):
                if note == "swapped" and not (ga and fa):
                    continue
                gl, fl = given_level(g1, gb), family_level(f1, fb)
                total = (given_w[gl] if gl is not None else 0.0) + (
                    family_w[fl] if fl is not None else 0.0
                )
                if note == "swapped":
                    total -= SWAP_PENALTY
                if best is None or total > best[0]:
                    best = (total, gl, fl, (g1, f1), (gb, fb), note)
                if gl == 0 and fl == 0:
                    return gl, fl, (g1, f1), (gb, fb), note
    if best is None:
        return None, None, ("", ""), ("", ""), ""
    return best[1], best[2], best[3], best[4], best[5]


def _levels(a: _Prepared, b: _Prepared, model: Model) -> _Compared:
    gl, fl, names_a, names_b, how = _name_levels(model, a, b)
    levels = (
        gl,
        fl,
        _dob_level(a.dob, b.dob),
        _postcode_level(a.postcode, b.postcode),
        _locality_level(a.locality, b.locality),
        _nhs_level(a.nhs, b.nhs),
    )
    return _Compared(levels, names_a, names_b, how)


def _total(compared: _Compared, model: Model) -> float:
    weights = model.weights
    return sum(
        weights[name][level]
        for name, level in zip(FIELDS, compared.levels, strict=True)
        if level is not None
    )


def _fmt_date(d: dt.date | None) -> str:
    return f"{d:%-d %b %Y}" if d else ""


def _texts(a: _Prepared, b: _Prepared, compared: _Compared) -> dict[str, str]:
    """Each field's level in words, with the values compared where they differ."""
    (ga, fa), (gb, fb) = compared.names_a, compared.names_b
    note = {
        "alias": " (by a known alias)",
        "swapped": " (given and family names swapped)",
    }.get(compared.how, "")
    fa_, fb_ = a.facts, b.facts
    values = {
        "given_name": (ga.split(" ")[0], gb.split(" ")[0]),
        "family_name": (fa, fb),
        "date_of_birth": (_fmt_date(fa_.date_of_birth), _fmt_date(fb_.date_of_birth)),
        "postcode": (fa_.postcode, fb_.postcode),
        "locality": (fa_.locality, fb_.locality),
        "nhs_number": (fa_.nhs_number, fb_.nhs_number),
    }
    out = {}
    for name, level in zip(FIELDS, compared.levels, strict=True):
        va, vb = values[name]
        if level is None:
            implausible = name == "date_of_birth" and fa_.date_of_birth and fb_.date_of_birth
            out[name] = IMPLAUSIBLE_DOB_TEXT if implausible else MISSING_TEXT[name]
        else:
            out[name] = LEVELS[name][level].text.format(a=va, b=vb)
            if name in ("given_name", "family_name"):
                out[name] += note
    return out


def compare(
    a: PersonFacts, b: PersonFacts, model: Model = DEFAULT_MODEL
) -> list[tuple[str, int | None, str]]:
    """The level of each field for the pair (None: not known on one side), with its words."""
    pa, pb = _prepare(a), _prepare(b)
    compared = _levels(pa, pb, model)
    texts = _texts(pa, pb, compared)
    return [(name, level, texts[name]) for name, level in zip(FIELDS, compared.levels, strict=True)]


# Fields shown in the explanation even when not known (the others are left out when missing).
ALWAYS_EXPLAINED = {"given_name", "family_name", "date_of_birth"}


def _explain(key: Any, a: _Prepared, b: _Prepared, compared: _Compared, model: Model) -> Match:
    texts = _texts(a, b, compared)
    contributions = []
    for name, level in zip(FIELDS, compared.levels, strict=True):
        if level is None and name not in ALWAYS_EXPLAINED:
            continue
        weight = model.weights[name][level] if level is not None else 0.0
        level_name = LEVELS[name][level].name if level is not None else "missing"
        contributions.append(Contribution(name, level_name, texts[name], round(weight, 1)))
    return Match(
        key=key,
        score=round(_total(compared, model), 1),
        reasons=[str(c) for c in contributions],
        contributions=tuple(contributions),
    )


def score_pair(a: PersonFacts, b: PersonFacts, model: Model = DEFAULT_MODEL) -> Match:
    """The match weight of ``a`` and ``b`` (bits), and each field's part of it, in words."""
    pa, pb = _prepare(a), _prepare(b)
    return _explain(b.key, pa, pb, _levels(pa, pb, model), model)


def rank(
    candidate: PersonFacts,
    pool: Iterable[PersonFacts],
    *,
    limit: int = 10,
    model: Model = DEFAULT_MODEL,
) -> list[Match]:
    """The records of ``pool`` likely to be ``candidate`` (weight ≥ the threshold), best first,
    each explained."""
    today = dt.date.today()
    prepared = _prepare(candidate, today)
    likely = []
    for other in pool:
        other_prepared = _prepare(other, today)
        compared = _levels(prepared, other_prepared, model)
        if _total(compared, model) >= model.threshold:
            likely.append(_explain(other.key, prepared, other_prepared, compared, model))
    return sorted(likely, key=lambda m: m.score, reverse=True)[:limit]


# ---------------------------------------------------------------------------------------------
# Estimating u (from random pairs) and m (by expectation-maximisation)
# ---------------------------------------------------------------------------------------------

Vector = tuple[int | None, ...]


def comparison_vector(a: PersonFacts, b: PersonFacts, model: Model = DEFAULT_MODEL) -> Vector:
    return _levels(_prepare(a), _prepare(b), model).levels


def _spread_pair(k: int, n: int) -> tuple[int, int]:
    """The ``k``-th of a deterministic spread of pairs of ``n`` records (two different
    records, strides by large primes so that the pairs cover the records evenly)."""
    i = (k * 7919) % n
    j = (i + 1 + (k * 104_729) % (n - 1)) % n
    return i, j


def estimate_u(
    records: Sequence[PersonFacts],
    *,
    pairs: int = 20_000,
    seed: int = 0,
    model: Model = DEFAULT_MODEL,
) -> Model:
    """``model`` with u estimated from ``pairs`` pairs of ``records`` spread evenly over them
    (``seed`` shifts the spread): such pairs are nearly all of different people. Each level's
    count is smoothed by one half, so no u is zero; fields never compared keep their default
    u."""
    if len(records) < 2:
        return model
    prepared = [_prepare(r) for r in records]
    counts = {name: Counter[int]() for name in FIELDS}
    for k in range(pairs):
        i, j = _spread_pair(k + seed, len(prepared))
        for name, level in zip(
            FIELDS, _levels(prepared[i], prepared[j], model).levels, strict=True
        ):
            if level is not None:
                counts[name][level] += 1
    u = {}
    for name, levels in LEVELS.items():
        total = sum(counts[name].values())
        if total >= 100:
            u[name] = tuple(
                (counts[name][i] + 0.5) / (total + 0.5 * len(levels)) for i in range(len(levels))
            )
    return model.with_u(u)


def estimate_m(
    vectors: Sequence[Vector], model: Model = DEFAULT_MODEL, *, iterations: int = 20
) -> tuple[Model, float]:
    """Expectation-maximisation of m (u held, as Splink does) on the comparison vectors of
    blocked pairs. Returns the model with the new m and the estimated share of matches."""
    if not vectors:
        return model, 0.0
    m = {name: list(model.m[name]) for name in FIELDS}
    share = 0.5
    for _ in range(iterations):
        posteriors = []
        for vector in vectors:
            log_odds = math.log2(share / (1 - share))
            for name, level in zip(FIELDS, vector, strict=True):
                if level is not None:
                    log_odds += math.log2(m[name][level] / model.u[name][level])
            log_odds = max(min(log_odds, 60.0), -60.0)
            posteriors.append(1 / (1 + 2**-log_odds))
        total = sum(posteriors)
        share = min(max(total / len(vectors), 1e-6), 1 - 1e-6)
        for index, name in enumerate(FIELDS):
            sums = [0.0] * len(LEVELS[name])
            for p, vector in zip(posteriors, vectors, strict=True):
                level = vector[index]
                if level is not None:
                    sums[level] += p
            seen = sum(sums)
            if seen > 1:
                m[name] = [(s + 0.01) / (seen + 0.01 * len(sums)) for s in sums]
    return model.with_m({name: tuple(values) for name, values in m.items()}), share


# ---------------------------------------------------------------------------------------------
# Blocking: the keys under which two records of one person are compared
# ---------------------------------------------------------------------------------------------


def dob_variants(d: dt.date) -> set[dt.date]:
    """Dates a typist might have meant: the date itself, day and month swapped, and every date
    one digit different (year, month or day)."""
    out = likely_dates(d)
    text = f"{d:%Y%m%d}"
    for i in range(8):
        for digit in "0123456789":
            changed = text[:i] + digit + text[i + 1 :]
            year, month, day = int(changed[:4]), int(changed[4:6]), int(changed[6:])
            if year > 1900 and 1 <= month <= 12 and 1 <= day <= 31:
                try:
                    out.add(dt.date(year, month, day))
                except ValueError:
                    continue
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


def record_keys(p: PersonFacts) -> set[tuple[str, str]]:
    """The blocking keys a stored record is found under: its date of birth, the phonetic key of
    each of its names and aliases, its postcode and its NHS number."""
    out: set[tuple[str, str]] = {("name", k) for k in candidate_keys(p)}
    if p.date_of_birth:
        out.add(("dob", p.date_of_birth.isoformat()))
    if normalise_postcode(p.postcode):
        out.add(("postcode", normalise_postcode(p.postcode)))
    if _digits(p.nhs_number):
        out.add(("nhs", _digits(p.nhs_number)))
    return out


def probe_keys(p: PersonFacts) -> set[tuple[str, str]]:
    """The keys looked up for a candidate: those of ``record_keys``, with every date of birth a
    typist might have meant. Two records are compared when they share any key (the union of
    several blocking rules), so a missing or mistyped date of birth hides nothing whose name,
    postcode or NHS number agrees."""
    out = record_keys(p)
    if p.date_of_birth:
        out |= {("dob", d.isoformat()) for d in dob_variants(p.date_of_birth)}
    return out


class BlockingIndex:
    """The blocking keys of many records held in memory (for batch scans and benchmarks): the
    same keys as the database filter of ``possible_duplicates``."""

    def __init__(self, records: Iterable[PersonFacts], *, max_block: int = 5000) -> None:
        self.records: list[PersonFacts] = list(records)
        self.blocks: dict[tuple[str, str], list[int]] = {}
        for index, record in enumerate(self.records):
            for key in record_keys(record):
                self.blocks.setdefault(key, []).append(index)
        self.max_block = max_block

    def candidates(self, probe: PersonFacts) -> set[int]:
        out: set[int] = set()
        for key in probe_keys(probe):
            block = self.blocks.get(key, ())
            if len(block) <= self.max_block:
                out.update(block)
        return out


def likely_dates(d: dt.date) -> set[dt.date]:
    """The date itself and the date with day and month swapped."""
    out = {d}
    if d.day <= 12:
        try:
            out.add(d.replace(month=d.day, day=d.month))
        except ValueError:
            pass
    return out


def blocking_filter(candidate: PersonFacts) -> Q:
    """A cheap, indexed database filter holding every record that could be likely for the
    candidate, the blocking rules unioned:

    - the same date of birth, or day and month swapped (whatever the names);
    - a name or alias with the same phonetic key as any of the candidate's (given against
      family too, for swapped names) together with a date of birth one digit away, or none on
      either record (a missing date of birth hides nothing whose name agrees);
    - both names with agreeing keys, whatever the dates of birth;
    - the same postcode.

    The same NHS number and matches on stored aliases are found by separate queries. Each term
    has an index of its own ((family_key, date_of_birth), (given_key, date_of_birth),
    date_of_birth, postcode), so the database combines index lookups and returns few rows even
    in an area of 100,000 young people."""
    q = Q(pk__in=[])
    keys = sorted(candidate_keys(candidate))
    names = (Q(family_key__in=keys) | Q(given_key__in=keys)) if keys else None
    dob = candidate.date_of_birth
    if dob is not None:
        q |= Q(date_of_birth__in=sorted(likely_dates(dob)))
    if names is not None:
        if dob is None:
            q |= names
        else:
            q |= Q(date_of_birth__in=sorted(dob_variants(dob))) & names
            q |= Q(date_of_birth__isnull=True) & names
            q |= Q(family_key__in=keys, given_key__in=keys)
    postcodes = sorted(postcode_forms(candidate.postcode))
    if postcodes:
        q |= Q(postcode__in=postcodes)
    return q


def alias_match_filter(candidate: PersonFacts) -> Q:
    """Records with an alias whose key matches any of the candidate's names."""
    return Q(alias_keys__key__in=sorted(candidate_keys(candidate)))


FACT_FIELDS = ("pk", "given_names", "family_name", "aliases", "date_of_birth", "postcode")
EXTRA_FIELDS = ("locality", "nhs_number")


def _fact_fields(model_class: Any) -> tuple[str, ...]:
    names = {f.name for f in model_class._meta.get_fields()}
    return FACT_FIELDS + tuple(f for f in EXTRA_FIELDS if f in names)


def facts_from_row(fields: Sequence[str], row: Sequence[Any]) -> PersonFacts:
    values = dict(zip(fields, row, strict=True))
    return PersonFacts(
        key=values["pk"],
        given_names=values["given_names"] or "",
        family_name=values["family_name"] or "",
        aliases=tuple(values["aliases"] or ()),
        date_of_birth=values["date_of_birth"],
        postcode=values["postcode"] or "",
        locality=values.get("locality") or "",
        nhs_number=values.get("nhs_number") or "",
    )


def possible_duplicates(
    queryset: Any,
    candidate: PersonFacts,
    *,
    limit: int = 10,
    model: Model = DEFAULT_MODEL,
) -> list[Match]:
    """Likely existing records for ``candidate`` among ``queryset`` (already scoped to what the
    user may see), best first.

    The blocking filters run on the model's whole table, where each of their terms has an
    index of its own (names, dates and postcodes in one query; aliases in a second); the
    caller's scope is applied afterwards to the few likely matches. Combined with the scope
    (an area), a planner without statistics, SQLite's, would walk the whole area instead."""
    table = queryset.model._base_manager.order_by()
    fields = _fact_fields(queryset.model)
    rows = {row[0]: row for row in table.filter(blocking_filter(candidate)).values_list(*fields)}
    nhs = _digits(candidate.nhs_number)
    if nhs and "nhs_number" in fields:
        for row in table.filter(nhs_number=nhs).values_list(*fields):
            rows.setdefault(row[0], row)
    if candidate_keys(candidate):
        for row in table.filter(alias_match_filter(candidate)).values_list(*fields):
            rows.setdefault(row[0], row)
    pool = (facts_from_row(fields, row) for row in rows.values())
    likely = rank(candidate, pool, limit=len(rows), model=model)
    if not likely:
        return []
    in_scope = set(
        queryset.order_by().filter(pk__in=[m.key for m in likely]).values_list("pk", flat=True)
    )
    return [m for m in likely if m.key in in_scope][:limit]


def likely_pairs(
    records: Sequence[PersonFacts],
    *,
    model: Model = DEFAULT_MODEL,
    skip: Callable[[Any, Any], bool] | None = None,
) -> list[tuple[PersonFacts, PersonFacts, Match]]:
    """Every pair of ``records`` likely to be one person (a batch scan of an area), best first:
    each record is compared with those sharing a blocking key, each pair once. ``skip(a, b)``
    leaves out pairs already decided."""
    index = BlockingIndex(records)
    prepared = [_prepare(r) for r in records]
    out = []
    for i, record in enumerate(records):
        for j in index.candidates(record):
            if j <= i:
                continue
            other = records[j]
            if skip is not None and skip(record.key, other.key):
                continue
            compared = _levels(prepared[i], prepared[j], model)
            if _total(compared, model) >= model.threshold:
                out.append(
                    (record, other, _explain(other.key, prepared[i], prepared[j], compared, model))
                )
    out.sort(key=lambda t: t[2].score, reverse=True)
    return out
