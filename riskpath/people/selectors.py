"""Reads of young people, always scoped to what the user may see, and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from riskpath.access import policy
from riskpath.access.involvement import access_basis, involved_queryset, only_involved
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound, NotPermitted
from riskpath.people.models import DisruptionActivity, MissingEpisode, PersonOfInterest, YoungPerson


class EmergencyAccessRequired(NotPermitted):
    """The user has no involvement, but their role may break glass for this record."""

    def __init__(self, person: YoungPerson) -> None:
        super().__init__("You have no involvement with this young person.")
        self.person = person


@dataclass(frozen=True)
class Seen:
    person: YoungPerson
    basis: str


def young_person_queryset_for_user(user: Any) -> QuerySet[YoungPerson]:
    """The young people the user is involved with, through any basis (see
    ``riskpath.access.involvement``). Emergency grants are per visit, and do not put a record
    in anyone's lists."""
    if not policy.check("can_list_young_people", user):
        return YoungPerson.objects.none()
    return involved_queryset(YoungPerson, user)


def young_person_deleted_list_for_user(user: Any) -> list[YoungPerson]:
    """Deleted records the user could restore (managers involved with them)."""
    if not policy.check("can_delete_young_person", user):
        return []
    qs = only_involved(YoungPerson.all_objects.filter(deleted_at__isnull=False), user)
    return list(qs.select_related("deleted_by"))


def young_person_search_for_user(user: Any, *, search: str = "") -> QuerySet[YoungPerson]:
    """The young people the user is involved with whose names match every word of ``search``,
    in a stable order (for paging). Not audited: the caller records what it shows with
    ``record_listing``."""
    qs = young_person_queryset_for_user(user).select_related(
        "lead_professional", "recording_agency"
    )
    for term in search.split():
        qs = qs.filter(Q(given_names__icontains=term) | Q(family_name__icontains=term))
    return qs.order_by("family_name", "given_names", "pk")


def record_listing(user: Any, *, count: int, search: str) -> None:
    audit_listing(user, Verb.PERSON_LISTED, count=count, searched=bool(search))


def young_person_list_for_user(user: Any, *, search: str = "") -> list[YoungPerson]:
    people = list(young_person_search_for_user(user, search=search)[:500])
    record_listing(user, count=len(people), search=search)
    return people


def access_young_person(
    user: Any, pk: Any, *, rule: str = "can_view_young_person", include_deleted: bool = False
) -> Seen:
    """The young person ``pk`` if ``user`` passes ``rule`` for them, with the basis of access.

    Raises NotFound (404) when the record is missing or the user has no business knowing it exists,
    and ``EmergencyAccessRequired`` when the user could break glass for it. Does not audit:
    callers record what they did with the record."""
    manager = YoungPerson.all_objects if include_deleted else YoungPerson.objects
    person = (
        manager.select_related("lead_professional", "recording_agency")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if person is None:
        raise NotFound("No such young person")
    basis = access_basis(user, person)
    if basis is None:
        if policy.check("can_break_glass", user, person):
            raise EmergencyAccessRequired(person)
        raise NotFound("No such young person")
    if not policy.check(rule, user, person):
        raise NotPermitted()
    return Seen(person=person, basis=basis)


def young_person_get_for_user(user: Any, pk: Any, *, rule: str = "can_view_young_person") -> Seen:
    """Look up (passing ``rule``) and record the read in one step. If the audit event cannot
    be written, the caller gets the exception, never the record. Pages that show a record to
    change it read it through here too: showing it is a read."""
    with transaction.atomic():
        seen = access_young_person(user, pk, rule=rule)
        audit_record(
            actor=user,
            verb=Verb.PERSON_VIEWED,
            target=seen.person,
            subject=seen.person,
            basis=seen.basis,
        )
    return seen


# ---------------------------------------------------------------------------------------------
# Persons of interest: seen by the partnership's recording members in the area. Never shown in
# anything meant for a young person or their family.
# ---------------------------------------------------------------------------------------------

POI_BASIS = "recording member of the partnership"


def person_of_interest_search_for_user(
    user: Any, *, search: str = ""
) -> QuerySet[PersonOfInterest]:
    """Persons of interest in the user's area whose names or aliases match every word of
    ``search``, in a stable order. Not audited: callers use ``record_poi_listing``."""
    if not policy.check("can_view_person_of_interest", user):
        return PersonOfInterest.objects.none()
    qs = (
        PersonOfInterest.objects.filter(area_id=user.area_id)
        .select_related("young_person", "recording_agency")
        .annotate(
            sort_family=Coalesce(NullIf("family_name", Value("")), "young_person__family_name"),
            sort_given=Coalesce(NullIf("given_names", Value("")), "young_person__given_names"),
        )
    )
    for term in search.split():
        qs = qs.filter(
            Q(given_names__icontains=term)
            | Q(family_name__icontains=term)
            | Q(young_person__given_names__icontains=term)
            | Q(young_person__family_name__icontains=term)
        )
    return qs.order_by("sort_family", "sort_given", "pk")


def record_poi_listing(user: Any, *, count: int, search: str) -> None:
    audit_listing(user, Verb.POI_LISTED, count=count, basis=POI_BASIS, searched=bool(search))


def person_of_interest_list_for_user(user: Any, *, search: str = "") -> list[PersonOfInterest]:
    people = list(person_of_interest_search_for_user(user, search=search)[:500])
    record_poi_listing(user, count=len(people), search=search)
    return people


def access_person_of_interest(
    user: Any, pk: Any, *, rule: str = "can_view_person_of_interest"
) -> PersonOfInterest:
    """The person of interest ``pk`` if ``user`` passes ``rule`` for them; NotFound (404) for a
    missing record or one in another area. Does not audit."""
    person = (
        PersonOfInterest.objects.select_related("young_person", "recording_agency", "recorded_by")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if person is None:
        raise NotFound("No such person of interest")
    if not policy.check(rule, user, person):
        raise NotPermitted()
    return person


def person_of_interest_get_for_user(
    user: Any, pk: Any, *, rule: str = "can_view_person_of_interest"
) -> PersonOfInterest:
    """Look up a person of interest and record the read (POI_VIEWED) in one step."""
    with transaction.atomic():
        person = access_person_of_interest(user, pk, rule=rule)
        audit_record(
            actor=user,
            verb=Verb.POI_VIEWED,
            target=person,
            subject=person.young_person if person.young_person_id else None,
            basis=POI_BASIS,
        )
    return person


def disruptions_of(person: PersonOfInterest) -> list[DisruptionActivity]:
    return list(
        person.disruptions.select_related("agency", "recorded_by").order_by("-date", "-created_at")
    )


def person_of_interest_of(user: Any, young_person: YoungPerson) -> PersonOfInterest | None:
    """The person-of-interest record of ``young_person``, only for users who may see persons
    of interest (everyone else must not learn that there is one)."""
    if not policy.check("can_view_person_of_interest", user, young_person):
        return None
    return PersonOfInterest.objects.filter(young_person=young_person).first()


# ---------------------------------------------------------------------------------------------
# Missing episodes: part of the young person's record, seen with it
# ---------------------------------------------------------------------------------------------


def missing_episodes_of(young_person: YoungPerson) -> list[MissingEpisode]:
    """Newest first. Not audited: shown as part of the young person's record, whose read is."""
    return list(
        young_person.missing_episodes.select_related("reporting_agency").order_by(
            "-reported_at", "-created_at"
        )
    )


@dataclass(frozen=True)
class SeenEpisode:
    episode: MissingEpisode
    basis: str


def access_missing_episode(
    user: Any, pk: Any, *, rule: str = "can_view_young_person"
) -> SeenEpisode:
    """The episode ``pk`` if the user has an access basis to its young person and passes
    ``rule`` for them. NotFound as for the young person; does not audit."""
    episode = (
        MissingEpisode.objects.select_related("young_person", "reporting_agency")
        .filter(pk=pk, young_person__area_id=user.area_id, young_person__deleted_at__isnull=True)
        .first()
    )
    if episode is None:
        raise NotFound("No such missing episode")
    seen = access_young_person(user, episode.young_person_id, rule=rule)
    episode.young_person = seen.person
    return SeenEpisode(episode=episode, basis=seen.basis)


def missing_episode_get_for_user(
    user: Any, pk: Any, *, rule: str = "can_view_young_person"
) -> SeenEpisode:
    with transaction.atomic():
        seen = access_missing_episode(user, pk, rule=rule)
        audit_record(
            actor=user,
            verb=Verb.MISSING_VIEWED,
            target=seen.episode,
            subject=seen.episode.young_person,
            basis=seen.basis,
        )
    return seen


def missing_episode_search_for_user(
    user: Any, *, young_person: Any = None
) -> QuerySet[MissingEpisode]:
    """Episodes of the young people the user is involved with (optionally one of them),
    newest first. Not audited: callers use ``record_missing_listing``."""
    people = young_person_queryset_for_user(user)
    qs = MissingEpisode.objects.filter(young_person__in=people).select_related(
        "young_person", "reporting_agency"
    )
    if young_person is not None:
        qs = qs.filter(young_person_id=young_person)
    return qs.order_by("-reported_at", "-created_at", "pk")


def record_missing_listing(user: Any, *, count: int, young_person: Any = None) -> None:
    audit_listing(
        user,
        Verb.MISSING_LISTED,
        count=count,
        young_person=str(young_person) if young_person else None,
    )
