"""What the Risk Management Pathway adds to a young person's record: the pathway row of their
page (the episode, or the way to start one) and the steps of their episodes on their
timeline. Anyone who may see the young person may see their episodes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from riskpath.access import policy
from riskpath.core.pages import register_part
from riskpath.governance import sources as sar
from riskpath.pathway.models import Episode, EpisodeEvent
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


def _held(person: YoungPerson) -> list[sar.Held]:
    """Every pathway episode of the young person and each step of it, for a subject access
    request."""
    out = []
    episodes = (
        Episode.objects.filter(young_person=person)
        .select_related("social_worker", "team_manager")
        .prefetch_related("events__actor")
    )
    for episode in episodes:
        plan = [
            f"Immediate actions: {episode.immediate_actions}" if episode.immediate_actions else "",
            f"Disruption opportunities: {episode.disruption_opportunities}"
            if episode.disruption_opportunities
            else "",
            f"Strategy discussion participants: {episode.strategy_participants}"
            if episode.strategy_participants
            else "",
        ]
        out.append(
            sar.Held(
                when=episode.created_at,
                kind="Pathway",
                title=f"{episode.get_kind_display()} episode: {episode.get_status_display()}",
                text="\n".join(line for line in plan if line),
                ref=f"pathway.episode:{episode.pk}",
                parties=sar.parties(
                    sar.professional(episode.social_worker), sar.professional(episode.team_manager)
                ),
            )
        )
        for event in episode.events.all():
            out.append(
                sar.Held(
                    when=event.at,
                    kind="Pathway",
                    title=f"{event.summary} ({event.actor.full_name})",
                    ref=f"pathway.episodeevent:{event.pk}",
                    parties=sar.parties(sar.professional(event.actor)),
                )
            )
    return out


sar.register_source("pathway", label="Risk Management Pathway", order=80, entries=_held)
