"""The agenda's order of business: every item sits in one section (``AgendaSection``), the
sections come in the seeds' order, and a section is read a page at a time, so that an agenda
of any size stays short to read and quick to serve."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from riskpath.meetings.models import AgendaSection, ItemKind

SECTION_ORDER: dict[str, int] = {value: n for n, value in enumerate(AgendaSection.values)}

SECTION_OF_KIND: dict[str, str] = {
    ItemKind.COHORT_REVIEW: AgendaSection.REVIEWS,
    ItemKind.TIER_SUGGESTION: AgendaSection.REVIEWS,
    ItemKind.NEW_INTELLIGENCE: AgendaSection.NEW_INTELLIGENCE,
    ItemKind.NEWLY_REPORTED: AgendaSection.NEWLY_REPORTED,
    ItemKind.REENTRY: AgendaSection.REENTRY,
    ItemKind.ESCALATION: AgendaSection.ESCALATIONS,
    ItemKind.REFERRAL_SLOT: AgendaSection.REFERRALS,
    ItemKind.OPEN_ACTION: AgendaSection.OPEN_ACTIONS,
    ItemKind.OTHER: AgendaSection.OTHER,
}

# How many items of a section the meeting's page shows before "see all"; a section's own page
# shows this many a page.
SHOWN_PER_SECTION = 25


def section_for(kind: str, *, tier: int | None = None) -> str:
    """The section of an item of ``kind`` about a young person at ``tier`` now (if any):
    tier 1 young people come first whatever brings them to the agenda."""
    if tier == 1 and kind != ItemKind.OPEN_ACTION:
        return AgendaSection.TIER_ONE
    return SECTION_OF_KIND.get(kind, AgendaSection.OTHER)


def display_key(section: str, position: int) -> tuple[int, int]:
    """Where an item comes in the order of business: by section, then by its position."""
    return (SECTION_ORDER.get(section, len(SECTION_ORDER)), position)


@dataclass(frozen=True)
class Entry:
    """One row of a section with its number on the agenda and its place in the section."""

    number: int
    row: Any
    first: bool  # the first of its section: it cannot move up
    last: bool  # the last of its section: it cannot move down


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    entries: Sequence[Entry]  # every item of the section the reader may know of
    minutes: int  # the time allowed for its items, where the chair has set it
    limit: int | None = SHOWN_PER_SECTION

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def shown(self) -> Sequence[Entry]:
        """What the meeting's page shows of the section: its first ``limit`` items."""
        return self.entries if self.limit is None else self.entries[: self.limit]

    @property
    def more(self) -> int:
        return self.count - len(self.shown)


def sectioned(rows: Iterable[Any], *, limit: int | None = SHOWN_PER_SECTION) -> list[Section]:
    """Rows (each with an ``item``) grouped by section in the order of business and numbered
    through the agenda. Empty sections are left out."""
    by_section: dict[str, list[Any]] = {}
    for row in sorted(rows, key=lambda r: display_key(r.item.section, r.item.position)):
        by_section.setdefault(row.item.section, []).append(row)
    out: list[Section] = []
    number = 1
    for key, label in AgendaSection.choices:
        section_rows = by_section.get(key)
        if not section_rows:
            continue
        last = len(section_rows) - 1
        entries = [
            Entry(number=number + n, row=row, first=n == 0, last=n == last)
            for n, row in enumerate(section_rows)
        ]
        out.append(
            Section(
                key=key,
                label=str(label),
                entries=entries,
                minutes=sum(r.item.minutes_allowed or 0 for r in section_rows),
                limit=limit,
            )
        )
        number += len(section_rows)
    return out
