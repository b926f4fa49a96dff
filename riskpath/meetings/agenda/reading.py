"""Reading an agenda: each item as a reader may see it, and one item of a meeting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from riskpath.access import policy
from riskpath.core.paging import page_at
from riskpath.meetings.agenda.sections import Section, sectioned
from riskpath.meetings.models import (
    AgendaItem,
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


def agenda_section_for_user(
    user: Any, meeting: Meeting, section: str, page_number: Any, per_page: int
) -> SectionPage | None:
    """One section of the agenda, a page at a time; None if the reader has nothing in it.

    Those who run the meeting know of every item, so the agenda is numbered from an outline
    (ids, sections and positions) and only the page's items are read. Anyone else reads the
    whole agenda through their sight, so that nothing they may not know of is counted."""
    from riskpath.meetings.sight import meeting_sight

    if policy.check("can_minute_meeting", user, meeting):
        outline = [
            _OutlineRow(_Outline(*values))
            for values in AgendaItem.objects.filter(
                meeting=meeting, removed_at__isnull=True
            ).values_list("pk", "section", "position", "minutes_allowed")
        ]
        sections = sectioned(outline, limit=None)
        this = next((s for s in sections if s.key == section), None)
        if this is None:
            return None
        page = page_at(this.entries, page_number, per_page)
        seen = meeting_sight(user, meeting, only=[e.row.item.pk for e in page.object_list])
        read = {row.item.pk: row for row in agenda_for_user(user, meeting, seen)[0]}
        page.object_list = [
            replace(e, row=read[e.row.item.pk]) for e in page.object_list if e.row.item.pk in read
        ]
        return SectionPage(this, sections, page)
    rows, _removed = agenda_for_user(user, meeting)
    sections = sectioned(rows, limit=None)
    this = next((s for s in sections if s.key == section), None)
    if this is None:
        return None
    return SectionPage(this, sections, page_at(this.entries, page_number, per_page))
