"""Burning redactions into text: every decided redaction's name, and its variants (aliases,
and the parts of the name that are not also the requester's own), replaced by whole words,
whatever their case, with ``[REDACTED R<n>]``, the number of its line in the schedule of
exemptions. Pure: the disclosure's text is made of nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MIN_PART_LETTERS = 3


@dataclass(frozen=True)
class Burn:
    number: int
    terms: tuple[str, ...]

    @property
    def marker(self) -> str:
        return f"[REDACTED R{self.number}]"


def variants_of(name: str, also: Iterable[str], keep: Iterable[str]) -> list[str]:
    """What to redact for a person called ``name`` (known also as ``also``): the full name,
    each alias, and each part of them of at least three letters unless ``keep`` (the
    subject's own names) holds it."""
    kept = {k.lower() for k in keep}
    out: list[str] = []
    for whole in [name, *also]:
        whole = " ".join(whole.split())
        if not whole:
            continue
        out.append(whole)
        for part in re.split(r"[\s\-]+", whole):
            if len(part) >= MIN_PART_LETTERS and part.lower() not in kept:
                out.append(part)
    return list(dict.fromkeys(out))


def _pattern(burns: Iterable[Burn]) -> tuple[re.Pattern[str] | None, dict[str, Burn]]:
    by_term: dict[str, Burn] = {}
    for burn in burns:
        for term in burn.terms:
            term = term.strip()
            if term and term.lower() not in by_term:
                by_term[term.lower()] = burn
    if not by_term:
        return None, by_term
    alternatives = sorted(by_term, key=len, reverse=True)  # "Jo Smith" before "Jo"
    body = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), by_term


def burn_in(text: str, burns: Iterable[Burn]) -> str:
    pattern, by_term = _pattern(burns)
    if pattern is None or not text:
        return text

    def replace(match: re.Match[str]) -> str:
        found = " ".join(match.group(0).split()).lower()
        return by_term[found].marker

    return pattern.sub(replace, text)


def still_present(text: str, burns: Iterable[Burn]) -> list[str]:
    """The terms of ``burns`` still in ``text`` as whole words (none, once burnt in)."""
    pattern, _ = _pattern(burns)
    if pattern is None:
        return []
    return [m.group(0) for m in pattern.finditer(text)]
