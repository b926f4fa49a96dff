"""What other apps put on a meeting's agenda: registered, not imported.

``agenda.agenda_build`` reads the intelligence, the cohort and earlier meetings itself (they lie
below meetings). An app above meetings that has something a meeting must discuss — the
pathway's agreed escalations, for the strategic panel — registers a *source* here from its
``AppConfig.ready``; building an agenda asks every source registered for the meeting's kind.
Meetings never imports the app that registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from riskpath.meetings.models import Meeting


@dataclass(frozen=True)
class SourcedItem:
    """One item a source puts on an agenda (an ``ItemKind``, its title and why it is there)."""

    kind: str
    title: str
    reasons: list[str] = field(default_factory=list)
    young_person_id: Any = None


Items: TypeAlias = Callable[[Meeting, dt.date], Iterable[SourcedItem]]


@dataclass(frozen=True)
class Source:
    name: str
    kinds: frozenset[str]  # the ``MeetingKind`` values whose agendas it adds to
    rank: int  # where its items stand on the agenda, among the built-in groups (1 to 7)
    items: Items  # (meeting, until): the items, for a meeting up to the day ``until``


_sources: list[Source] = []


def register_source(name: str, *, kinds: Iterable[str], rank: int, items: Items) -> None:
    """Add ``items`` to the agendas of meetings of ``kinds``. Each name once."""
    if any(source.name == name for source in _sources):
        raise ValueError(f"the agenda source {name!r} is already registered")
    _sources.append(Source(name=name, kinds=frozenset(kinds), rank=rank, items=items))


def sources_for(kind: str) -> list[Source]:
    """The sources registered for meetings of ``kind``, in registration order."""
    return [source for source in _sources if kind in source.kinds]
