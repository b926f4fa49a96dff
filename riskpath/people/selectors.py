"""Reads of young people, always scoped to what the user may see, and audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotPermitted
from riskpath.people.models import YoungPerson


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
    """The young people the user is involved with (emergency grants are per visit, and do
    not put a record in anyone's lists)."""
    if not policy.check("can_list_young_people", user):
        return YoungPerson.objects.none()
    qs = YoungPerson.objects.filter(area_id=user.area_id)
    from riskpath.accounts.enums import Role

    if user.has_role(Role.CONSULTANT_SOCIAL_WORKER):
        return qs
    return qs.filter(Q(lead_professional=user) | Q(recording_agency_id=user.agency_id))


def young_person_deleted_list_for_user(user: Any) -> list[YoungPerson]:
    """Deleted records the user could restore (managers involved with them)."""
    if not policy.check("can_delete_young_person", user):
        return []
    qs = YoungPerson.all_objects.filter(area_id=user.area_id, deleted_at__isnull=False)
    return [
        p
        for p in qs.select_related("deleted_by")
        if policy.check("can_delete_young_person", user, p)
    ]


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
    audit_record(
        actor=user,
        verb=Verb.PERSON_LISTED,
        changes={"count": count, "searched": bool(search)},
    )


def young_person_list_for_user(user: Any, *, search: str = "") -> list[YoungPerson]:
    people = list(young_person_search_for_user(user, search=search)[:500])
    record_listing(user, count=len(people), search=search)
    return people


def access_young_person(
    user: Any, pk: Any, *, rule: str = "can_view_young_person", include_deleted: bool = False
) -> Seen:
    """The young person ``pk`` if ``user`` passes ``rule`` for them, with the basis of access.

    Raises Http404 when the record is missing or the user has no business knowing it exists,
    and ``EmergencyAccessRequired`` when the user could break glass for it. Does not audit:
    callers record what they did with the record."""
    manager = YoungPerson.all_objects if include_deleted else YoungPerson.objects
    person = (
        manager.select_related("lead_professional", "recording_agency")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if person is None:
        raise Http404("No such young person")
    basis = access_basis(user, person)
    if basis is None:
        if policy.check("can_break_glass", user, person):
            raise EmergencyAccessRequired(person)
        raise Http404("No such young person")
    if not policy.check(rule, user, person):
        raise NotPermitted()
    return Seen(person=person, basis=basis)


def young_person_get_for_user(user: Any, pk: Any) -> Seen:
    """Look up and record the read in one step. If the audit event cannot be written, the
    caller gets the exception, never the record."""
    with transaction.atomic():
        seen = access_young_person(user, pk)
        audit_record(
            actor=user,
            verb=Verb.PERSON_VIEWED,
            target=seen.person,
            subject=seen.person,
            basis=seen.basis,
        )
    return seen
