"""Reads of subject access requests: the officer's own area's, audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from riskpath.access import policy
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound
from riskpath.governance.enums import RedactionDecision, RequestStatus
from riskpath.governance.models import (
    DisclosureEntry,
    Redaction,
    RequestPause,
    SubjectAccessRequest,
)
from riskpath.governance.redaction import Burn, burn_in
from riskpath.governance.services import RULE, request_deadline

OPEN = (RequestStatus.RECEIVED, RequestStatus.COMPILED, RequestStatus.APPROVED)


def request_queryset_for_user(user: Any) -> QuerySet[SubjectAccessRequest]:
    if not policy.check(RULE, user):
        return SubjectAccessRequest.objects.none()
    return (
        SubjectAccessRequest.objects.filter(area_id=user.area_id)
        .select_related("young_person", "area")
        .prefetch_related("pauses")
        .annotate(
            pending=Count("redactions", filter=Q(redactions__decision=RedactionDecision.PENDING))
        )
    )


def request_list_for_user(user: Any) -> list[SubjectAccessRequest]:
    """Every request of the user's area, newest first, with its deadline; the read audited."""
    with transaction.atomic():
        requests = list(request_queryset_for_user(user))
        for r in requests:
            r.deadline = request_deadline(r)  # type: ignore[attr-defined]
        audit_listing(user, Verb.SAR_LISTED, count=len(requests))
    return requests


def access_request(user: Any, pk: Any, *, rule: str = RULE) -> SubjectAccessRequest:
    """One request of the user's area the rule allows, or ``NotFound``. Not audited."""
    request = request_queryset_for_user(user).filter(pk=pk).first()
    if request is None or not policy.check(rule, user, request):
        raise NotFound()
    return request


@dataclass
class RequestView:
    request: SubjectAccessRequest
    entries: list[DisclosureEntry]
    redactions: list[Redaction]
    pauses: list[RequestPause]

    @property
    def deadline(self) -> Any:
        return request_deadline(self.request)

    @property
    def pending(self) -> int:
        return sum(1 for r in self.redactions if r.decision == RedactionDecision.PENDING)

    @property
    def paused(self) -> bool:
        return any(p.ended_on is None for p in self.pauses)

    @property
    def preview(self) -> list[tuple[DisclosureEntry, str, str]]:
        """Each entry as it will be disclosed: the names decided for redaction burnt in."""
        burns = [
            Burn(r.number, tuple([r.term, *(r.variants or [])]))
            for r in self.redactions
            if r.decision == RedactionDecision.REDACT
        ]
        return [(e, burn_in(e.title, burns), burn_in(e.text, burns)) for e in self.entries]


def request_get_for_user(user: Any, pk: Any) -> RequestView:
    """One request with what was compiled for it; the read audited."""
    with transaction.atomic():
        request = access_request(user, pk)
        view = RequestView(
            request=request,
            entries=list(request.entries.all()),
            redactions=list(request.redactions.select_related("decided_by")),
            pauses=list(request.pauses.all()),
        )
        audit_record(
            actor=user,
            verb=Verb.SAR_VIEWED,
            target=request,
            subject=request.young_person,
            area_id=request.area_id,
        )
    return view


def access_redaction(user: Any, request: SubjectAccessRequest, pk: Any) -> Redaction:
    redaction = Redaction.objects.filter(request=request, pk=pk).first()
    if redaction is None:
        raise NotFound()
    return redaction


def young_person_for_request(user: Any, pk: Any) -> Any:
    """The young person of the user's area a request names, or None (the service then says
    which field is wrong)."""
    from riskpath.people.models import YoungPerson

    if pk is None:
        return None
    return YoungPerson.objects.filter(area_id=user.area_id, pk=pk).first()
