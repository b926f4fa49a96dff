"""Whole-word redaction of free text: names of people, and phrases copied from restricted text.

Used for the minutes' version for the young person and their family (and, more narrowly, for
professionals reading the full minutes: see ``riskpath.meetings.sight``). Pure: no database.

The algorithm works on *words*, never on substrings:

1. The text is split into words. A word is a run of letters or digits, joined across an inner
   hyphen or apostrophe ("Louis-Evans", "O'Neill", "Blaise's" are one word each); everything
   between words (spaces, punctuation) is kept exactly as written.
2. Each word is compared in a normal form: case-folded, typographic apostrophes and hyphens
   made plain. A possessive ("Blaise's") is also compared without its "'s".
3. **Names**: each name is itself split into words the same way, and matches a run of words of
   the text separated only by white space ("Blaise Birchwood" but not "Blaise, who"). At each
   word the longest name that matches is taken. Names to keep (the family's own young person's)
   are never removed, whoever else shares them. One exception to "any case": a name of one
   word that is also an everyday English word (``COMMON_WORDS``: Young, Green, Will, May,
   Hope…) is removed only when written with a capital letter — in lower case it is the
   ordinary word ("the young person"). A name of several words ("sam young") is removed in
   any case.
4. **Restricted text** (handling-code-C intelligence): every run of ``PHRASE_WORDS``
   consecutive words of the restricted text is a phrase; any run of the text whose words equal
   such a phrase is removed, so a copied sentence, a long enough fragment of one, or several
   overlapping fragments go, in any case and with any punctuation between the words. A
   sentence of the restricted text shorter than that (two words or more) is a phrase too.
5. Removed words that are next to each other (white space between) become one marker; a
   copied phrase becomes one marker with the punctuation inside it. Nothing else changes: a
   word that is not removed is left exactly as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# A word: letters and digits, with inner hyphens and apostrophes (plain and typographic).
_JOINERS = "'\u2019\u02bc\u2010\u2011-"
WORD = re.compile(rf"[^\W_]+(?:[{_JOINERS}][^\W_]+)*")
_PLAIN = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
_SENTENCE_END = re.compile(r"[.!?;:\n]+")

# The length of a phrase of restricted text that may not be copied: four words ("source
# reports activity near") are rarely innocent by chance; shorter overlaps would take ordinary
# phrases ("at the park") out of unrelated sentences.
PHRASE_WORDS = 4
# Name parts shorter than this (initials) are removed only as part of a longer name.
MIN_PART = 2
UNNAMED = "unnamed person of interest"

# Everyday English words that are also common given names or surnames in the UK. As a one-word
# name they are removed only when capitalised: an area's young people and persons of interest
# hold thousands of names, and without this "the young person", "the green" or "will meet"
# would lose a word in almost every family's version.
COMMON_WORDS = frozenset(
    """
    amber april art ash baker bank banks bell berry best bill bird bishop black bond booth
    brook brown bush carter case chambers child church close cook cross dale day dean early
    east english fair faith field fisher ford fox french friend frost gates gold good grace
    green grey guy hall hardy hart hay head heath hill holly hope house hunt hunter ivy jack
    jay joy june king knight lamb lane law little long lord love march mark marsh mason max
    may mills miller moss noble north oak page park pearl penny porter price reed rice rich
    robin rose ruby savage sharp short silver sky small south spring stone storm strong
    street summer swan turner walker ward well wells west white wild will winter wood young
    """.split()
)


def norm(word: str) -> str:
    return word.translate(_PLAIN).casefold()


def words(text: str) -> list[str]:
    """The words of ``text`` as written."""
    return WORD.findall(text)


def _key(words_: Iterable[str]) -> tuple[str, ...]:
    return tuple(norm(w) for w in words_)


def _possessive_base(word: str) -> str | None:
    plain = norm(word)
    if len(plain) > 2 and plain.endswith("'s"):
        return plain[:-2]
    return None


def name_forms(
    given: str, family: str, aliases: Iterable[str] = (), *, parts: bool
) -> set[tuple[str, ...]]:
    """The names a person may be called by in free text, as word tuples: the full name (given
    names then family name) and each alias; with ``parts``, also the given names and the
    family name on their own, and each single name part of ``MIN_PART`` letters or more (the
    halves of a double-barrelled name included). A hyphenated name is also matched written
    with a space ("Louis-Evans" and "Louis Evans")."""
    candidates = [f"{given} {family}", *aliases]
    if parts:
        candidates += [given, family]
    out: set[tuple[str, ...]] = set()
    for name in candidates:
        key = _key(words(name or ""))
        if not key or " ".join(key) == UNNAMED or (len(key) == 1 and len(key[0]) < 2):
            continue
        out.add(key)
        split = tuple(p for w in key for p in w.split("-") if p)
        if split != key:
            out.add(split)
    if parts:
        for word in words(f"{given} {family}"):
            for part in {word, *word.split("-")}:
                key = _key([part])
                if len(key[0]) >= MIN_PART:
                    out.add(key)
    return out


@dataclass(frozen=True)
class _Match:
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)


class Redactor:
    """Removes ``names`` (word tuples, see ``name_forms``) and phrases of ``restricted`` texts
    from free text, replacing each with ``marker``. ``keep`` names are never removed."""

    def __init__(
        self,
        *,
        names: Iterable[tuple[str, ...]] = (),
        keep: Iterable[tuple[str, ...]] = (),
        restricted: Iterable[str] = (),
        marker: str = "[removed]",
    ) -> None:
        kept = set(keep)
        wanted = {n for n in names if n and n not in kept}
        # One-word names that are everyday words: removed only when written with a capital.
        self.capitalised = {n for n in wanted if len(n) == 1 and n[0] in COMMON_WORDS}
        self.names = wanted - self.capitalised
        self.longest = max((len(n) for n in wanted), default=0)
        self.marker = marker
        self.phrases: set[tuple[str, ...]] = set()
        self.short: set[tuple[str, ...]] = set()
        for text in restricted:
            key = _key(words(text))
            for i in range(len(key) - PHRASE_WORDS + 1):
                self.phrases.add(key[i : i + PHRASE_WORDS])
            for sentence in _SENTENCE_END.split(text):
                skey = _key(words(sentence))
                if 2 <= len(skey) < PHRASE_WORDS:
                    self.short.add(skey)
        self.short_lengths = sorted({len(s) for s in self.short}, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.names or self.capitalised or self.phrases or self.short)

    def __call__(self, text: str) -> str:
        if not text or not self:
            return text
        found = list(WORD.finditer(text))
        if not found:
            return text
        keys = [norm(m.group()) for m in found]
        bases = [_possessive_base(m.group()) for m in found]
        capital = [m.group()[:1].isupper() for m in found]
        # Whether only white space lies between word i and word i + 1.
        spaced = [
            text[found[i].end() : found[i + 1].start()].isspace() for i in range(len(found) - 1)
        ]
        matches = self._names(keys, bases, spaced, capital) + self._phrases(keys)
        if not matches:
            return text
        # Join matches that overlap, or touch with only white space between them.
        matches.sort(key=lambda m: (m.first, m.last))
        merged: list[_Match] = []
        for match in matches:
            if merged and (
                match.first <= merged[-1].last
                or (match.first == merged[-1].last + 1 and spaced[merged[-1].last])
            ):
                merged[-1] = _Match(merged[-1].first, max(merged[-1].last, match.last))
            else:
                merged.append(match)
        out: list[str] = []
        at = 0
        for match in merged:
            out.append(text[at : found[match.first].start()])
            out.append(self.marker)
            at = found[match.last].end()
        out.append(text[at:])
        return "".join(out)

    def _names(
        self, keys: list[str], bases: list[str | None], spaced: list[bool], capital: list[bool]
    ) -> list[_Match]:
        if not self.names and not self.capitalised:
            return []
        matches = []
        i = 0
        while i < len(keys):
            hit = 0
            # The longest name starting here whose words are separated only by white space.
            reach = 1
            while reach < self.longest and i + reach < len(keys) and spaced[i + reach - 1]:
                reach += 1
            for length in range(reach, 0, -1):
                head = tuple(keys[i : i + length - 1])
                last = i + length - 1
                forms = [(*head, keys[last])]
                base = bases[last]
                if base is not None:
                    forms.append((*head, base))
                if any(f in self.names for f in forms) or (
                    length == 1 and capital[i] and any(f in self.capitalised for f in forms)
                ):
                    hit = length
                    break
            if hit:
                matches.append(_Match(i, i + hit - 1))
                i += hit
            else:
                i += 1
        return matches

    def _phrases(self, keys: list[str]) -> list[_Match]:
        matches = []
        if self.phrases:
            for i in range(len(keys) - PHRASE_WORDS + 1):
                if tuple(keys[i : i + PHRASE_WORDS]) in self.phrases:
                    matches.append(_Match(i, i + PHRASE_WORDS - 1))
        for length in self.short_lengths:
            for i in range(len(keys) - length + 1):
                if tuple(keys[i : i + length]) in self.short:
                    matches.append(_Match(i, i + length - 1))
        return matches


def identity(text: str) -> str:
    return text
