"""Reading an agenda: each item as a reader may see it, and one item of a meeting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page

from riskpath.access import policy
from riskpath.core.paging import page_at
from riskpath.meetings.agenda.sections import SHOWN_PER_SECTION, Entry, Section, sectioned
from riskpath.meetings.models import (
    AgendaItem,
    Decision,
    ItemMinutes,
    Meeting,
)

# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    subject: str  # the item's title as this user may know it, or why it is withheld
    restricted: bool  # withheld from this user: ``subject`` says why, never who or what
    detail: str = ""  # why the item is on the agenda ('' when withheld)
    removal_reason: str = ""  # why it came off the agenda ('' when withheld)


def agenda_for_user(
    user: Any, meeting: Meeting, seen: Any = None
) -> tuple[list[AgendaRow], list[AgendaRow]]:
    """(on the agenda, removed) for a user who may see the meeting, as
    ``sight.meeting_sight`` decides (pass ``seen`` if it is already made): those who run the
    meeting see every item; others see an item only as their need-to-know allows (withheld
    items say so briefly, never the name), and items they may not know of are not there."""
    from riskpath.meetings.sight import meeting_sight

    seen = seen if seen is not None else meeting_sight(user, meeting)

    def row(item_seen: Any) -> AgendaRow:
        return AgendaRow(
            item=item_seen.item,
            subject=seen.title(item_seen),
            restricted=not item_seen.shown,
            detail=seen.detail(item_seen),
            removal_reason=seen.redact(item_seen.item.removal_reason) if item_seen.shown else "",
        )

    return [row(s) for s in seen.items], [row(s) for s in seen.removed]


def access_agenda_item(meeting: Meeting, pk: Any) -> AgendaItem:
    """An item of ``meeting`` (which the caller has looked up through ``access_meeting``)."""
    from django.http import Http404

    item = (
        AgendaItem.objects.select_related("meeting", "meeting__meeting_type", "young_person")
        .filter(pk=pk, meeting=meeting)
        .first()
    )
    if item is None:
        raise Http404("No such agenda item")
    return item


@dataclass(frozen=True)
class _Outline:
    """An item as the numbering of an agenda needs it (no names, no content)."""

    pk: Any
    section: str
    position: int
    minutes_allowed: int | None


@dataclass(frozen=True)
class _OutlineRow:
    item: _Outline
    restricted: bool = False  # only those who run the meeting, who see every item, get these


@dataclass(frozen=True)
class SectionPage:
    section: Section  # the section, its entries outlined or read
    sections: list[Section]  # every section, for the way between them
    page: Any  # the page of ``section.entries`` asked for, each entry's row read


def _outline(meeting: Meeting, limit: int | None) -> list[Section]:
    """The agenda's sections numbered from an outline of its items (ids, sections and
    positions): for those who run the meeting, who know of every item."""
    outline = [
        _OutlineRow(_Outline(*values))
        for values in AgendaItem.objects.filter(
            meeting=meeting, removed_at__isnull=True
        ).values_list("pk", "section", "position", "minutes_allowed")
    ]
    return sectioned(outline, limit=limit)


def _read(entries: Sequence[Entry], rows: dict[Any, AgendaRow]) -> list[Entry]:
    return [replace(e, row=rows[e.row.item.pk]) for e in entries if e.row.item.pk in rows]


@dataclass(frozen=True)
class AgendaPage:
    """The agenda part of a meeting's page: the reader's sight (shared with the page's other
    parts), the sections (each with its first items read), the removed items."""

    seen: Any
    sections: list[Section]
    count: int  # items on the agenda the reader may know of
    removed: list[AgendaRow]


def agenda_page_for_user(user: Any, meeting: Meeting) -> AgendaPage:
    """The meeting page's agenda. Those who run the meeting know of every item, so the agenda
    is numbered from an outline, and the sight reads only what the page shows: each section's
    first items, the items with minutes or decisions, and those taken off. Anyone else (and
    a meeting with slots, whose page lists them all) reads the whole agenda through their
    sight, so that nothing they may not know of is counted."""
    from riskpath.meetings import slots
    from riskpath.meetings.sight import meeting_sight

    if policy.check("can_minute_meeting", user, meeting) and not slots.has_slots(meeting):
        sections = _outline(meeting, SHOWN_PER_SECTION)
        minuted = set(
            ItemMinutes.objects.filter(item__meeting=meeting)
            .exclude(discussion="")
            .values_list("item_id", flat=True)
        ) | set(Decision.objects.filter(item__meeting=meeting).values_list("item_id", flat=True))
        removed = AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=False)
        only = (
            {e.row.item.pk for s in sections for e in s.shown}
            | minuted
            | set(removed.values_list("pk", flat=True))
        )
        seen = meeting_sight(user, meeting, only=only)
        seen.numbers = {e.row.item.pk: e.number for s in sections for e in s.entries}
        rows, removed_rows = agenda_for_user(user, meeting, seen)
        read = {row.item.pk: row for row in rows}
        sections = [
            replace(s, entries=[*_read(s.shown, read), *s.entries[len(s.shown) :]])
            for s in sections
        ]
        return AgendaPage(seen, sections, sum(s.count for s in sections), removed_rows)
    seen = meeting_sight(user, meeting)
    rows, removed_rows = agenda_for_user(user, meeting, seen)
    return AgendaPage(seen, sectioned(rows), len(rows), removed_rows)


def agenda_section_for_user(
    user: Any, meeting: Meeting, section: str, page_number: Any, per_page: int
) -> SectionPage | None:
    """One section of the agenda, a page at a time; None if the reader has nothing in it.

    Those who run the meeting know of every item, so the agenda is numbered from an outline
    (ids, sections and positions) and only the page's items are read. Anyone else reads the
    whole agenda through their sight, so that nothing they may not know of is counted."""
    from riskpath.meetings.sight import meeting_sight

    if policy.check("can_minute_meeting", user, meeting):
        sections = _outline(meeting, None)
        this = next((s for s in sections if s.key == section), None)
        if this is None:
            return None
        page = page_at(this.entries, page_number, per_page)
        seen = meeting_sight(user, meeting, only=[e.row.item.pk for e in page.object_list])
        read = {row.item.pk: row for row in agenda_for_user(user, meeting, seen)[0]}
        read_page = Page(_read(list(page.object_list), read), page.number, page.paginator)
        return SectionPage(this, sections, read_page)
    rows, _removed = agenda_for_user(user, meeting)
    sections = sectioned(rows, limit=None)
    this = next((s for s in sections if s.key == section), None)
    if this is None:
        return None
    return SectionPage(this, sections, page_at(this.entries, page_number, per_page))
