"""Who is involved with a young person because of their pathway episode, and so may see the
record and the episode: the episode's social worker and team manager; the area's service
managers, independent chairs and business support while an episode is open (they agree its
steps, chair and minute its MARMMs). Consultant social workers already see every young person
in their area (``people``). The agency that must confirm a flag in its system sees the
episode, not the young person's record, while the flag waits."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from riskpath.access.involvement import access_basis, register
from riskpath.accounts.enums import Role
from riskpath.pathway.models import Episode, EpisodeStatus, Flag

CLOSED = [EpisodeStatus.ENDED, EpisodeStatus.CLOSED]
OPEN_EPISODE_ROLES = {
    Role.SERVICE_MANAGER: "service manager for the pathway",
    Role.INDEPENDENT_CHAIR: "independent chair for the pathway",
    Role.ADMINISTRATOR: "business support for the pathway",
}


@register("pathway.episode")
def through_young_person(user: Any, episode: Any) -> str | None:
    return access_basis(user, episode.young_person)


@register("pathway.flag")
def through_episode(user: Any, flag: Any) -> str | None:
    return access_basis(user, flag.episode.young_person)


@register("people.youngperson")
def named_on_episode(user: Any, person: Any) -> str | None:
    row = (
        Episode.objects.filter(young_person_id=person.pk)
        .filter(Q(social_worker_id=user.pk) | Q(team_manager_id=user.pk))
        .values_list("pk", "social_worker_id")
        .first()
    )
    if row is None:
        return None
    if row[1] == user.pk:
        return "social worker on the pathway episode"
    return "team manager on the pathway episode"


@register("people.youngperson")
def open_episode_role(user: Any, person: Any) -> str | None:
    if person.area_id != user.area_id:
        return None
    roles = [role for role in OPEN_EPISODE_ROLES if user.has_role(role)]
    if not roles:
        return None
    if not Episode.objects.filter(young_person_id=person.pk).exclude(status__in=CLOSED).exists():
        return None
    return OPEN_EPISODE_ROLES[roles[0]]


@register("pathway.episode")
def flag_to_confirm(user: Any, episode: Any) -> str | None:
    """A police, health or social care user whose agency must confirm a flag sees the
    episode (to find the young person in their own system) while the flag waits; not the
    young person's whole record."""
    from riskpath.pathway.services import FLAG_AGENCY_KINDS

    agency = user.agency if user.agency_id else None
    if agency is None or episode.area_id != user.area_id:
        return None
    systems = [s for s, kinds in FLAG_AGENCY_KINDS.items() if agency.kind in kinds]
    if not systems:
        return None
    pending = Flag.objects.filter(episode=episode, system__in=systems, confirmed_on__isnull=True)
    return "flag to confirm in your agency's system" if pending.exists() else None


@register("pathway.flag")
def flag_of_your_agency(user: Any, flag: Any) -> str | None:
    return flag_to_confirm(user, flag.episode)
