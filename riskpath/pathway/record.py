"""What the Risk Management Pathway adds to a young person's record: the pathway row of their
page (the episode, or the way to start one) and the steps of their episodes on their
timeline. Anyone who may see the young person may see their episodes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from riskpath.access import policy
from riskpath.core.pages import register_part
from riskpath.pathway.models import EpisodeEvent
from riskpath.pathway.selectors import pathway_summary_for
from riskpath.people import timeline
from riskpath.people.models import YoungPerson


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    events = (
        EpisodeEvent.objects.filter(episode__young_person=person, episode__area_id=person.area_id)
        .select_related("actor")
        .order_by("-at", "-created_at")[:limit]
    )
    return [
        timeline.Entry(
            when=event.at,
            kind=timeline.PATHWAY,
            summary=f"Risk Management Pathway: {event.summary} ({event.actor.full_name})",
            sort_key=timeline.key(timeline.local_date(event.at), event.at),
            url=reverse("pathway:detail", args=[event.episode_id]),
        )
        for event in events
    ]


timeline.register_source(
    timeline.PATHWAY,
    label="Pathway",
    filter_label="Risk Management Pathway steps",
    order=80,
    visible=lambda user, person: policy.check("can_view_episode", user),
    entries=_entries,
)


def _part(user: Any, person: YoungPerson, shared: dict[str, Any]) -> dict[str, Any]:
    return {"pathway": pathway_summary_for(user, person)}


register_part("young_person", "pathway", _part, order=60)
