"""What the Risk Management Pathway puts on a meeting's agenda: young people whose escalation a
service manager has agreed, on every strategic panel agenda while their plan is in place.
Registered with ``riskpath.meetings.agenda_sources`` (imported by the app's ``ready``)."""

from __future__ import annotations

import datetime as dt

from riskpath.meetings.agenda_sources import SourcedItem, register_source
from riskpath.meetings.models import ItemKind, Meeting, MeetingKind
from riskpath.pathway.selectors import escalated_episodes


def agreed_escalations(meeting: Meeting, until: dt.date) -> list[SourcedItem]:
    return [
        SourcedItem(
            ItemKind.ESCALATION,
            f"Escalation: {episode.young_person}",
            young_person_id=episode.young_person_id,
            reasons=[
                f"Escalated from the Risk Management Pathway on "
                f"{episode.escalated_on:%-d %B %Y}: {episode.escalation_reason}"
            ],
        )
        for episode in escalated_episodes(meeting.area_id, until)
    ]


# Beside the escalations decided at other meetings (the agenda's sixth group).
register_source(
    "pathway agreed escalations",
    kinds=[MeetingKind.STRATEGIC_PANEL],
    rank=6,
    items=agreed_escalations,
)
