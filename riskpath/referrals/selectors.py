"""Reads of referrals: part of the young person's record, seen by those with an access basis
to the young person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound
from riskpath.people.models import YoungPerson
from riskpath.people.selectors import access_young_person, young_person_queryset_for_user
from riskpath.referrals.models import Referral


@dataclass(frozen=True)
class SeenReferral:
    referral: Referral
    basis: str


def referrals_of(young_person: YoungPerson) -> list[Referral]:
    """Newest first. Not audited: shown as part of the young person's record, whose read is."""
    return list(
        young_person.referrals.select_related("referring_agency").order_by(
            "-made_on", "-created_at"
        )
    )


def access_referral(user: Any, pk: Any, *, rule: str = "can_view_young_person") -> SeenReferral:
    """The referral ``pk`` if the user has an access basis to its young person and passes
    ``rule`` for them; Http404 as for the young person. Does not audit."""
    referral = (
        Referral.objects.select_related("young_person", "referring_agency")
        .filter(pk=pk, young_person__area_id=user.area_id)
        .first()
    )
    if referral is None:
        raise NotFound("No such referral")
    seen = access_young_person(user, referral.young_person_id, rule=rule)
    referral.young_person = seen.person
    return SeenReferral(referral=referral, basis=seen.basis)


def referral_get_for_user(
    user: Any, pk: Any, *, rule: str = "can_view_young_person"
) -> SeenReferral:
    with transaction.atomic():
        seen = access_referral(user, pk, rule=rule)
        audit_record(
            actor=user,
            verb=Verb.REFERRAL_VIEWED,
            target=seen.referral,
            subject=seen.referral.young_person,
            basis=seen.basis,
        )
    return seen


def referral_search_for_user(user: Any, *, young_person: Any = None) -> QuerySet[Referral]:
    """Referrals of the young people the user is involved with (optionally one of them).
    Not audited: callers use ``record_referral_listing``."""
    qs = Referral.objects.filter(
        young_person__in=young_person_queryset_for_user(user)
    ).select_related("young_person", "referring_agency")
    if young_person is not None:
        qs = qs.filter(young_person_id=young_person)
    return qs.order_by("-made_on", "-created_at", "pk")


def record_referral_listing(user: Any, *, count: int, young_person: Any = None) -> None:
    audit_listing(
        user,
        Verb.REFERRAL_LISTED,
        count=count,
        young_person=str(young_person) if young_person else None,
    )
