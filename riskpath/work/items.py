"""What one piece of work is, the kinds there are, and the one order a work list is shown in:
the user's own overdue work first, then what is due soon, then the rest of theirs, then what
waits on others, then (for consultant social workers and managers) their team's and area's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# kind -> label of the filter
KINDS: dict[str, str] = {
    "pathway_step": "Pathway steps",
    "review": "Reviews due",
    "action": "Meeting actions",
    "partner_task": "Partner-system tasks",
    "minutes": "Minutes",
    "papers": "Papers",
    "disclosure": "Disclosure requests",
    "agenda": "Agenda items about young people you lead",
    "emergency_access": "Emergency access to your young people",
    "terms_of_reference": "Terms of reference",
    "subject_access": "Subject access requests",
}

# Whose the work is.
MINE = "mine"
WAITING = "waiting"  # the user's case, waiting on someone else
TEAM = "team"  # a consultant social worker's or manager's oversight
WHOSE = (MINE, WAITING, TEAM)

DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class WorkItem:
    kind: str
    title: str  # what to do
    due: dt.date | None
    url: str  # where it is done
    object_type: str  # e.g. "pathway.episode"
    object_id: str
    whose: str = MINE
    about: str = ""  # whom or what it concerns, as the user may see it

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class Context:
    user: Any
    today: dt.date
    soon: dt.date  # due on or before this is "due soon"


Source = Callable[[Context], list[WorkItem]]
_SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    _SOURCES[name] = source


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


SECTION_OVERDUE = "overdue"
SECTION_SOON = "soon"
SECTION_LATER = "later"
SECTION_WAITING = "waiting"
SECTION_TEAM = "team"
SECTIONS: dict[str, str] = {
    SECTION_OVERDUE: "Overdue",
    SECTION_SOON: "Due soon",
    SECTION_LATER: "Your other work",
    SECTION_WAITING: "Waiting on others",
    SECTION_TEAM: "Your team's and area's work",
}


def section(item: WorkItem, ctx: Context) -> str:
    if item.whose == WAITING:
        return SECTION_WAITING
    if item.whose == TEAM:
        return SECTION_TEAM
    if item.overdue(ctx.today):
        return SECTION_OVERDUE
    if item.due is not None and item.due <= ctx.soon:
        return SECTION_SOON
    return SECTION_LATER


_ORDER = {name: i for i, name in enumerate(SECTIONS)}


def order(items: list[WorkItem], ctx: Context) -> list[WorkItem]:
    """The one order of a work list: by section, then by date (undated last), then title."""
    far = dt.date.max
    return sorted(
        items, key=lambda i: (_ORDER[section(i, ctx)], i.due or far, i.title, i.object_id)
    )
