"""Who is involved with a young person because of their pathway episode, and so may see the
record and the episode: the episode's social worker and team manager; the area's service
managers, independent chairs and business support while an episode is open (they agree its
steps, chair and minute its MARMMs). Consultant social workers already see every young person
in their area (``people``). The agency that must confirm a flag in its system sees the
episode, not the young person's record, while the flag waits.

Each basis is one query (``riskpath.access.involvement``), used by lists and by the check of
one record alike."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from riskpath.access import policy
from riskpath.access.involvement import (
    involved_ids,
    register_basis,
    register_opened_through,
)
from riskpath.accounts.enums import Role
from riskpath.pathway.models import Episode, EpisodeStatus, Flag

YOUNG_PERSON = "people.youngperson"
EPISODE = "pathway.episode"
FLAG = "pathway.flag"
CLOSED = [EpisodeStatus.ENDED, EpisodeStatus.CLOSED]


def _on_episode_as(field: str) -> Any:
    def q(user: Any) -> Q:
        named = Episode.objects.filter(**{f"{field}_id": user.pk})
        return Q(pk__in=named.values("young_person_id"))

    return q


register_basis(
    YOUNG_PERSON, "social worker on the pathway episode", q=_on_episode_as("social_worker")
)
register_basis(
    YOUNG_PERSON, "team manager on the pathway episode", q=_on_episode_as("team_manager")
)


def _with_open_episode(user: Any) -> Q:
    open_episodes = Episode.objects.filter(area_id=user.area_id).exclude(status__in=CLOSED)
    return Q(pk__in=open_episodes.values("young_person_id"))


def _holds(role: str) -> Any:
    return lambda user: user.has_role(role)


for _role, _name in (
    (Role.SERVICE_MANAGER, "service manager for the pathway"),
    (Role.INDEPENDENT_CHAIR, "independent chair for the pathway"),
    (Role.ADMINISTRATOR, "business support for the pathway"),
):
    register_basis(YOUNG_PERSON, _name, q=_with_open_episode, applies=_holds(_role))


# The episode is seen by those involved with its young person…
register_basis(
    EPISODE,
    "involved with the young person",
    q=lambda user: Q(young_person_id__in=involved_ids(YOUNG_PERSON, user)),
)


def _flag_systems(user: Any) -> list[str]:
    agency = user.agency
    return [
        system
        for system, kinds in policy.FLAG_CONFIRMING_AGENCY_KINDS.items()
        if agency is not None and agency.kind in kinds
    ]


def _flag_waiting(user: Any) -> Q:
    waiting = Flag.objects.filter(system__in=_flag_systems(user), confirmed_on__isnull=True)
    return Q(pk__in=waiting.values("episode_id"))


# …and, while a flag in their agency's system waits, by the police, health or social care
# users who must confirm it (to find the young person in their own system): the episode only,
# not the young person's record.
register_basis(
    EPISODE,
    "flag to confirm in your agency's system",
    q=_flag_waiting,
    applies=lambda user: policy.holds_recording_role(user) and bool(_flag_systems(user)),
)

# A flag is seen with its episode.
register_basis(
    FLAG, "seen with its episode", q=lambda user: Q(episode_id__in=involved_ids(EPISODE, user))
)

# Emergency access to the young person opens their episode and its flags, for that visit.
register_opened_through(EPISODE, lambda episode: [episode.young_person])
register_opened_through(FLAG, lambda flag: [flag.episode])
