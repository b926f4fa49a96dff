"""Reading an agenda: each item as a reader may see it, and one item of a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
