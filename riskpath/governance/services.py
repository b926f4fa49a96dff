"""Subject access requests: recording one, its deadline's pauses and extension, compiling
everything riskpath holds about the person, the officer's review of redactions and approval,
and producing the disclosure (a job). Each write checks the policy, validates, writes and
appends its audit event in one transaction; bad input raises ``FieldErrors`` with nothing
written."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.governance import deadline as deadlines
from riskpath.governance import sources
from riskpath.governance.enums import (
    THIRD_PARTIES,
    Exemption,
    PartyKind,
    PauseReason,
    RedactionDecision,
    RequesterKind,
    RequestStatus,
)
from riskpath.governance.models import (
    Disclosure,
    DisclosureEntry,
    Redaction,
    RequestPause,
    SubjectAccessRequest,
)
from riskpath.governance.redaction import variants_of
from riskpath.jobs.runner import job
from riskpath.people.models import YoungPerson

RULE = "can_record_subject_access_request"
COMPILE_RULE = "can_compile_disclosure"
KEPT_BY_DEFAULT = "A professional acting in their role: kept by default"


def _check(actor: Any, rule: str, obj: Any = None) -> None:
    if not policy.check(rule, actor, obj):
        raise NotPermitted()


def _audit(actor: Any, verb: Verb, request: SubjectAccessRequest, **kwargs: Any) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=request,
        subject=request.young_person,
        area_id=request.area_id,
        **kwargs,
    )


def _locked(request: SubjectAccessRequest) -> SubjectAccessRequest:
    """The request, re-read under a lock inside the caller's transaction."""
    return SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)


def _touch(request: SubjectAccessRequest, fields: Iterable[str]) -> None:
    request.version += 1
    request.save(update_fields=[*fields, "version", "updated_at"])


def request_deadline(request: SubjectAccessRequest) -> deadlines.Deadline:
    pauses = [(p.started_on, p.ended_on) for p in request.pauses.all()]
    return deadlines.deadline(
        request.received_on,
        extended=request.extended,
        pauses=pauses,
        calendar=getattr(request.area, "calendar", None),
    )


# ---------------------------------------------------------------------------------------------
# The request
# ---------------------------------------------------------------------------------------------


def request_record(
    *,
    actor: Any,
    young_person: YoungPerson | None,
    requester_name: str,
    requester_kind: str,
    received_on: dt.date | None,
    identity_checked_on: dt.date | None = None,
    identity_note: str = "",
) -> SubjectAccessRequest:
    """Record a subject access request about ``young_person``."""
    _check(actor, RULE)
    errors: dict[str, str] = {}
    requester_name = " ".join((requester_name or "").split())
    identity_note = (identity_note or "").strip()
    today = clock.today()
    if young_person is None or young_person.area_id != actor.area_id:
        errors["young_person"] = "Search for and choose the young person the request is about"
    if not requester_name:
        errors["requester_name"] = "Enter the name of the person making the request"
    elif len(requester_name) > 160:
        errors["requester_name"] = "Enter 160 characters or fewer"
    if requester_kind not in RequesterKind.values:
        errors["requester_kind"] = "Select who is making the request"
    if received_on is None:
        errors["received_on"] = "Enter the date the request was received"
    elif received_on > today:
        errors["received_on"] = "The date the request was received must be today or in the past"
    if identity_checked_on is not None:
        if identity_checked_on > today:
            errors["identity_checked_on"] = (
                "The date identity was checked must be today or in the past"
            )
        elif received_on is not None and identity_checked_on < received_on:
            errors["identity_checked_on"] = (
                "The date identity was checked must be on or after the date received"
            )
        elif not identity_note:
            errors["identity_note"] = "Say how the requester's identity was checked"
    if len(identity_note) > 300:
        errors["identity_note"] = "Enter 300 characters or fewer"
    if errors:
        raise FieldErrors(errors)
    assert young_person is not None and received_on is not None
    with transaction.atomic():
        request = SubjectAccessRequest.objects.create(
            area_id=actor.area_id,
            young_person=young_person,
            requester_name=requester_name,
            requester_kind=requester_kind,
            received_on=received_on,
            identity_checked_on=identity_checked_on,
            identity_note=identity_note,
            recorded_by=actor,
        )
        _audit(
            actor,
            Verb.SAR_RECORDED,
            request,
            changes={
                "requester_kind": requester_kind,
                "received_on": received_on,
                "identity_checked": identity_checked_on is not None,
            },
        )
    return request


def identity_record(
    *, actor: Any, request: SubjectAccessRequest, checked_on: dt.date | None, note: str
) -> SubjectAccessRequest:
    """Record that the requester's identity has been checked (and how)."""
    _check(actor, RULE, request)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if checked_on is None:
        errors["checked_on"] = "Enter the date identity was checked"
    elif checked_on > clock.today():
        errors["checked_on"] = "The date identity was checked must be today or in the past"
    elif checked_on < request.received_on:
        errors["checked_on"] = "The date identity was checked must be on or after the date received"
    if not note:
        errors["note"] = "Say how the requester's identity was checked"
    elif len(note) > 300:
        errors["note"] = "Enter 300 characters or fewer"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        request = _locked(request)
        before = request.identity_checked_on
        request.identity_checked_on = checked_on
        request.identity_note = note
        _touch(request, ["identity_checked_on", "identity_note"])
        _audit(
            actor,
            Verb.SAR_UPDATED,
            request,
            changes={"identity_checked_on": {"before": before, "after": checked_on}},
        )
    return request


def _open_pause(request: SubjectAccessRequest) -> RequestPause | None:
    return request.pauses.filter(ended_on__isnull=True).first()


def request_pause(
    *, actor: Any, request: SubjectAccessRequest, reason: str, started_on: dt.date | None
) -> RequestPause:
    """Stop the deadline's clock while waiting for identity or clarification."""
    _check(actor, RULE, request)
    errors: dict[str, str] = {}
    if reason not in PauseReason.values:
        errors["reason"] = "Select what you are waiting for"
    if started_on is None:
        errors["started_on"] = "Enter the date you asked the requester"
    elif started_on > clock.today():
        errors["started_on"] = "The date you asked must be today or in the past"
    elif started_on < request.received_on:
        errors["started_on"] = "The date you asked must be on or after the date received"
    if errors:
        raise FieldErrors(errors)
    assert started_on is not None
    with transaction.atomic():
        request = _locked(request)
        if request.status != RequestStatus.RECEIVED:
            raise DomainError("Only a request not yet compiled can be paused.")
        if _open_pause(request) is not None:
            raise FieldErrors({"started_on": "The deadline is already paused"})
        last = request.pauses.aggregate(last=Max("ended_on"))["last"]
        if last is not None and started_on < last:
            raise FieldErrors({"started_on": "A pause cannot start before the last one ended"})
        pause = RequestPause.objects.create(
            request=request, reason=reason, started_on=started_on, recorded_by=actor
        )
        _touch(request, [])
        _audit(actor, Verb.SAR_PAUSED, request, changes={"reason": reason, "from": started_on})
    return pause


def request_resume(
    *, actor: Any, request: SubjectAccessRequest, ended_on: dt.date | None
) -> RequestPause:
    """Start the clock again: the requester answered on ``ended_on``."""
    _check(actor, RULE, request)
    if ended_on is None:
        raise FieldErrors({"ended_on": "Enter the date the requester answered"})
    if ended_on > clock.today():
        raise FieldErrors({"ended_on": "The date the requester answered must be today or earlier"})
    with transaction.atomic():
        request = _locked(request)
        pause = _open_pause(request)
        if pause is None:
            raise FieldErrors({"ended_on": "The deadline is not paused"})
        if ended_on < pause.started_on:
            raise FieldErrors(
                {"ended_on": "The date the requester answered must be on or after the pause began"}
            )
        pause.ended_on = ended_on
        pause.save(update_fields=["ended_on", "updated_at"])
        _touch(request, [])
        _audit(actor, Verb.SAR_RESUMED, request, changes={"until": ended_on})
    return pause


def request_extend(
    *, actor: Any, request: SubjectAccessRequest, reason: str
) -> SubjectAccessRequest:
    """Extend the deadline by two months for a complex request, saying why."""
    _check(actor, RULE, request)
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "Say why the request is complex"})
    if len(reason) > 2000:
        raise FieldErrors({"reason": "Enter 2000 characters or fewer"})
    with transaction.atomic():
        request = _locked(request)
        if request.extended:
            raise FieldErrors({"reason": "The deadline has already been extended"})
        if request.status == RequestStatus.PRODUCED:
            raise DomainError("The disclosure has already been produced.")
        request.extended = True
        request.extension_reason = reason
        _touch(request, ["extended", "extension_reason"])
        _audit(actor, Verb.SAR_EXTENDED, request, reason=reason)
    return request


# ---------------------------------------------------------------------------------------------
# Compiling, redaction review, approval
# ---------------------------------------------------------------------------------------------


def _own_names(person: YoungPerson) -> set[str]:
    names = [person.given_names, person.family_name, *(person.aliases or [])]
    return {part for n in names if n for part in n.replace("-", " ").split()}


def disclosure_compile(*, actor: Any, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """Gather everything riskpath holds about the young person, in date order, from every
    registered source, and list everyone named in it for the officer's review: third
    parties to decide, professionals kept by default. Compiling again (before approval)
    gathers afresh and keeps the decisions already made about the same people."""
    _check(actor, COMPILE_RULE, request)
    if request.identity_checked_on is None:
        raise FieldErrors(
            {"identity_checked_on": "Check the requester's identity before compiling"}
        )
    with transaction.atomic():
        request = _locked(request)
        if request.status not in (RequestStatus.RECEIVED, RequestStatus.COMPILED):
            raise DomainError("The disclosure has been approved: it can no longer be compiled.")
        if _open_pause(request) is not None:
            raise DomainError("The deadline is paused: resume it before compiling.")
        person = YoungPerson.all_objects.get(pk=request.young_person_id)
        held = sources.everything_about(person)
        request.entries.all().delete()
        DisclosureEntry.objects.bulk_create(
            DisclosureEntry(
                request=request,
                position=i,
                occurred_on=h.day,
                kind=h.kind[:60],
                title=h.title[:300],
                text=h.text,
                ref=h.ref[:120],
            )
            for i, h in enumerate(held, start=1)
        )
        own = _own_names(person)
        subject_ref = f"people.youngperson:{person.pk}"
        known = {(r.party_ref or r.term.lower()): r for r in request.redactions.all()}
        number = max((r.number for r in known.values()), default=0)
        added = 0
        for party in _parties(held):
            if party.ref == subject_ref:
                continue
            key = party.ref or party.name.lower()
            if key in known:
                continue
            number += 1
            added += 1
            third = party.kind in THIRD_PARTIES
            known[key] = Redaction.objects.create(
                request=request,
                number=number,
                term=party.name[:200],
                variants=variants_of(party.name, party.also, own) if third else [party.name],
                party_kind=party.kind,
                party_ref=party.ref[:120],
                decision=RedactionDecision.PENDING if third else RedactionDecision.KEEP,
                reason="" if third else KEPT_BY_DEFAULT,
            )
        request.status = RequestStatus.COMPILED
        request.compiled_at = clock.now()
        _touch(request, ["status", "compiled_at"])
        counts: dict[str, int] = {}
        for h in held:
            counts[h.kind] = counts.get(h.kind, 0) + 1
        _audit(
            actor,
            Verb.DISCLOSURE_COMPILED,
            request,
            changes={"entries": len(held), "by_kind": counts, "people_named": added},
        )
    return request


def _parties(held: list[sources.Held]) -> list[sources.Party]:
    seen: dict[str, sources.Party] = {}
    for h in held:
        for p in h.parties:
            seen.setdefault(p.ref or p.name.lower(), p)
    return list(seen.values())


def _editable(request: SubjectAccessRequest) -> None:
    if request.status != RequestStatus.COMPILED:
        raise DomainError("Redactions are reviewed after compiling and before approval.")


def redaction_decide(
    *,
    actor: Any,
    redaction: Redaction,
    decision: str,
    reason: str,
    exemption: str = "",
) -> Redaction:
    """Mark a person's name for redaction (with the reason and the exemption relied on) or
    for disclosure (with the reason, for a third party)."""
    request = redaction.request
    _check(actor, COMPILE_RULE, request)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if decision not in (RedactionDecision.REDACT, RedactionDecision.KEEP):
        errors["decision"] = "Select whether to redact or disclose the name"
    if decision == RedactionDecision.REDACT and exemption not in Exemption.values:
        errors["exemption"] = "Select the exemption the redaction relies on"
    if not reason and (
        decision == RedactionDecision.REDACT or redaction.party_kind in THIRD_PARTIES
    ):
        errors["reason"] = "Say why"
    if len(reason) > 2000:
        errors["reason"] = "Enter 2000 characters or fewer"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        request = _locked(request)
        _editable(request)
        before = redaction.decision
        redaction.decision = decision
        redaction.reason = reason
        redaction.exemption = exemption if decision == RedactionDecision.REDACT else ""
        redaction.decided_by = actor
        redaction.decided_at = clock.now()
        redaction.save()
        _audit(
            actor,
            Verb.REDACTION_DECIDED,
            request,
            changes={
                "redaction": f"R{redaction.number}",
                "party": redaction.party_kind,
                "decision": {"before": before, "after": decision},
                "exemption": redaction.exemption,
            },
        )
    return redaction


def redaction_add(
    *,
    actor: Any,
    request: SubjectAccessRequest,
    term: str,
    party_kind: str,
    reason: str,
    exemption: str,
) -> Redaction:
    """Redact words the compile did not find as a person: a member of the public named in
    free text, say."""
    _check(actor, COMPILE_RULE, request)
    term = " ".join((term or "").split())
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not term:
        errors["term"] = "Enter the words to redact"
    elif len(term) > 200:
        errors["term"] = "Enter 200 characters or fewer"
    elif term.lower() in {n.lower() for n in _own_names(request.young_person)}:
        errors["term"] = "The requester's own name is not redacted from their disclosure"
    if party_kind not in PartyKind.values:
        errors["party_kind"] = "Select whose information it is"
    if exemption not in Exemption.values:
        errors["exemption"] = "Select the exemption the redaction relies on"
    if not reason:
        errors["reason"] = "Say why"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        request = _locked(request)
        _editable(request)
        number = (request.redactions.aggregate(n=Max("number"))["n"] or 0) + 1
        redaction = Redaction.objects.create(
            request=request,
            number=number,
            term=term,
            variants=[term],
            party_kind=party_kind,
            decision=RedactionDecision.REDACT,
            reason=reason,
            exemption=exemption,
            decided_by=actor,
            decided_at=clock.now(),
        )
        _audit(
            actor,
            Verb.REDACTION_ADDED,
            request,
            changes={"redaction": f"R{number}", "party": party_kind, "exemption": exemption},
        )
    return redaction


def disclosure_approve(*, actor: Any, request: SubjectAccessRequest) -> SubjectAccessRequest:
    """The officer approves the redactions; the disclosure is produced by a job."""
    _check(actor, COMPILE_RULE, request)
    with transaction.atomic():
        request = _locked(request)
        _editable(request)
        pending = request.redactions.filter(decision=RedactionDecision.PENDING).count()
        if pending:
            raise DomainError(
                f"Decide every name first: {pending} still to decide "
                f"({'redact or disclose each' if pending > 1 else 'redact or disclose it'})."
            )
        request.status = RequestStatus.APPROVED
        request.approved_at = clock.now()
        request.approved_by = actor
        _touch(request, ["status", "approved_at", "approved_by"])
        redacted = request.redactions.filter(decision=RedactionDecision.REDACT).count()
        _audit(actor, Verb.DISCLOSURE_APPROVED, request, changes={"redactions": redacted})
        produce_disclosure.enqueue(str(request.pk))
    return request


@job
def produce_disclosure(request_id: str) -> None:
    """Lay the approved disclosure out as a PDF, redactions burnt in, and keep it."""
    from riskpath.governance.document import disclosure_document

    with transaction.atomic():
        request = (
            SubjectAccessRequest.objects.select_for_update()
            .select_related("young_person", "area")
            .get(pk=request_id)
        )
        if request.status != RequestStatus.APPROVED:
            return  # produced already, or not approved: nothing to do
        content, entries, redactions = disclosure_document(request)
        Disclosure.objects.update_or_create(
            request=request,
            defaults={
                "content": content,
                "sha256": hashlib.sha256(content).hexdigest(),
                "entries": entries,
                "redactions": redactions,
            },
        )
        request.status = RequestStatus.PRODUCED
        _touch(request, ["status"])
        audit_record(
            actor=None,
            actor_label="riskpath job",
            verb=Verb.DISCLOSURE_PRODUCED,
            target=request,
            subject=request.young_person,
            area_id=request.area_id,
            changes={"sha256": hashlib.sha256(content).hexdigest(), "entries": entries},
        )


def disclosure_download(*, actor: Any, request: SubjectAccessRequest) -> Disclosure:
    _check(actor, COMPILE_RULE, request)
    disclosure = Disclosure.objects.filter(request=request).first()
    if disclosure is None:
        raise DomainError("The disclosure has not been produced yet.")
    with transaction.atomic():
        _audit(actor, Verb.DISCLOSURE_DOWNLOADED, request, changes={"sha256": disclosure.sha256})
    return disclosure
