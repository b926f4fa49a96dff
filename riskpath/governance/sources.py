"""What riskpath holds about a person, for a subject access request: a registry.

The records live in apps above this one (intelligence, links, the cohort, meetings, the
pathway, referrals, groups), and this app imports none of them. Each registers a *source*
here from its ``record.py`` (``register_source``): a function that returns everything of its
records about one young person — **whoever could see it**, every handling code, confidential
slots included — as ``Held`` entries, each naming the people in it (``Party``) so that the
officer can review their names for redaction. What lives below this app (the young person's
record, missing episodes, who viewed the record) this app registers itself (``held.py``).

A source is read only by the compile (``services.disclosure_compile``), which the policy
allows to the information-governance officer alone (``can_compile_disclosure``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from riskpath.governance.enums import PartyKind


@dataclass(frozen=True)
class Party:
    """Someone named in an entry, other than the young person the request is about."""

    kind: str  # PartyKind
    name: str
    ref: str = ""  # "people.youngperson:<id>": the same person found in two entries is one
    also: tuple[str, ...] = ()  # aliases and other names they are known by


@dataclass(frozen=True)
class Held:
    """One dated thing held about the person."""

    when: dt.date | dt.datetime
    kind: str  # what it is, as the disclosure names it: "Intelligence"
    title: str
    text: str = ""
    ref: str = ""  # "<app.model>:<id>" of the record it comes from
    parties: tuple[Party, ...] = field(default_factory=tuple)

    @property
    def day(self) -> dt.date:
        if isinstance(self.when, dt.datetime):
            return (
                timezone.localdate(self.when) if timezone.is_aware(self.when) else self.when.date()
            )
        return self.when

    @property
    def moment(self) -> dt.datetime:
        if isinstance(self.when, dt.datetime):
            return self.when
        return dt.datetime.combine(self.when, dt.time.min, tzinfo=dt.UTC)


# (young person) -> every entry of the source about them
HeldFunction = Callable[[Any], list[Held]]


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    order: int
    entries: HeldFunction


_sources: dict[str, Source] = {}


def register_source(name: str, *, label: str, order: int, entries: HeldFunction) -> None:
    if name in _sources:
        raise ValueError(f"a subject-access source {name!r} is already registered")
    _sources[name] = Source(name, label, order, entries)


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: s.order)


def source_names() -> list[str]:
    return [s.name for s in sources()]


def everything_about(person: Any) -> list[Held]:
    """Every source's entries about ``person``, in narrative (date) order, oldest first."""
    held: list[Held] = []
    for source in sources():
        held += source.entries(person)
    held.sort(key=lambda h: (h.day, h.moment, h.kind, h.title))
    return held


def person_party(kind: str, obj: Any) -> Party:
    """A young person or person of interest as a party to an entry."""
    names = " ".join(n for n in (obj.given_names, obj.family_name) if n).strip()
    aliases = tuple(a for a in (getattr(obj, "aliases", None) or []) if a)
    return Party(
        kind=kind,
        name=names or (aliases[0] if aliases else "Unnamed"),
        ref=f"{obj._meta.label_lower}:{obj.pk}",
        also=aliases,
    )


def young_person_party(obj: Any) -> Party:
    return person_party(PartyKind.YOUNG_PERSON, obj)


def person_of_interest_party(obj: Any) -> Party:
    return person_party(PartyKind.PERSON_OF_INTEREST, obj)


def professional(user: Any) -> Party | None:
    """A member of staff as a party: their name is kept unless the officer decides."""
    if user is None:
        return None
    name = getattr(user, "full_name", "") or ""
    if not name:
        return None
    return Party(kind=PartyKind.PROFESSIONAL, name=name, ref=f"accounts.user:{user.pk}")


def parties(*found: Party | None) -> tuple[Party, ...]:
    return tuple(p for p in found if p is not None)
