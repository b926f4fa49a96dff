"""Writes to intelligence: submission, change, soft deletion, and disclosure requests. Each
checks the access policy, validates, writes and records its audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.audit.restricted import restricted
from riskpath.audit.services import audit_record, field_changes, restore, snapshot, soft_delete
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.groups.models import Group
from riskpath.intelligence.enums import (
    Assessment,
    DisclosureStatus,
    HandlingCode,
    HarmType,
    Provenance,
    SourceEvaluation,
)
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson

FIELDS = [
    "reported_on",
    "period_start",
    "period_end",
    "text",
    "sanitised_text",
    "harm_types",
    "immediate_risk",
    "source_evaluation",
    "assessment",
    "handling_code",
    "handling_conditions",
    "handling_roles",
    "provenance",
]

# relation -> (model, the message when a choice is not one of the area's records)
RELATIONS: dict[str, tuple[type[models.Model], str]] = {
    "young_people": (YoungPerson, "Select young people recorded in your area"),
    "persons_of_interest": (PersonOfInterest, "Select persons of interest recorded in your area"),
    "locations": (Location, "Select locations recorded in your area"),
    "groups": (Group, "Select groups recorded in your area"),
}
ABOUT_SOMEONE = "Select at least one person, place or group the intelligence is about"
LABEL = "intelligence item"
# What the audit log keeps only as digests: what the intelligence says, however it is coded.
RESTRICTED_FIELDS = ("text", "sanitised_text", "handling_conditions")


def _ids(values: Iterable[Any] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        key = str(getattr(value, "pk", value))
        if key not in out:
            out.append(key)
    return out


def _resolve(actor: User, values: dict[str, Any], errors: dict[str, str]) -> dict[str, list[Any]]:
    """The area's live records for each relation, in the order given."""
    resolved: dict[str, list[Any]] = {}
    for name, (model, message) in RELATIONS.items():
        wanted = _ids(values.get(name))
        found = {
            str(obj.pk): obj
            for obj in model._default_manager.filter(area_id=actor.area_id, pk__in=wanted)
        }
        if len(found) != len(wanted):
            errors[name] = message
        resolved[name] = [found[key] for key in wanted if key in found]
    if not errors.keys() & RELATIONS.keys() and not any(resolved.values()):
        errors["young_people"] = ABOUT_SOMEONE
    return resolved


def _validate(actor: User, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Clean ``values`` (every field of FIELDS and RELATIONS) or raise FieldErrors naming each
    field that is wrong."""
    errors: dict[str, str] = {}
    today = clock.today()
    reported_on = values.get("reported_on")
    if not isinstance(reported_on, dt.date):
        errors["reported_on"] = "Enter the date of the intelligence"
    elif reported_on > today:
        errors["reported_on"] = "The date of the intelligence must be today or in the past"
    start, end = values.get("period_start"), values.get("period_end")
    if start is not None and start > today:
        errors["period_start"] = "The start of the period must be today or in the past"
    if end is not None and end > today:
        errors["period_end"] = "The end of the period must be today or in the past"
    if start is not None and end is not None and end < start:
        errors["period_end"] = "The end of the period must be the same as or after its start"
    text = (values.get("text") or "").strip()
    if not text:
        errors["text"] = "Enter the intelligence"
    harm_types = list(dict.fromkeys(values.get("harm_types") or []))
    if not harm_types:
        errors["harm_types"] = "Select at least one type of harm"
    elif not set(harm_types) <= set(HarmType.values):
        errors["harm_types"] = "Select types of harm from the list"
    if values.get("source_evaluation") not in SourceEvaluation.values:
        errors["source_evaluation"] = "Select how reliable the source is (1, 2 or 3)"
    if values.get("assessment") not in Assessment.values:
        errors["assessment"] = "Select how the source knows the intelligence (A to E)"
    code = values.get("handling_code")
    conditions = (values.get("handling_conditions") or "").strip()
    roles = list(dict.fromkeys(values.get("handling_roles") or []))
    if code not in HandlingCode.values:
        errors["handling_code"] = "Select a handling code (P or C)"
    elif code == HandlingCode.C and not conditions:
        errors["handling_conditions"] = "Enter the handling conditions for a C-coded item"
    if not set(roles) <= set(Role.values):
        errors["handling_roles"] = "Select roles from the list"
    if values.get("provenance") not in Provenance.values:
        errors["provenance"] = "Select whether the source knows it first-, second- or third-hand"
    relations = _resolve(actor, values, errors)
    if errors:
        raise FieldErrors(errors)
    clean = {
        "reported_on": reported_on,
        "period_start": start,
        "period_end": end,
        "text": text,
        "sanitised_text": (values.get("sanitised_text") or "").strip(),
        "harm_types": harm_types,
        "immediate_risk": bool(values.get("immediate_risk")),
        "source_evaluation": values["source_evaluation"],
        "assessment": values["assessment"],
        "handling_code": code,
        # Conditions and the roles they allow only mean something for a C-coded item.
        "handling_conditions": conditions if code == HandlingCode.C else "",
        "handling_roles": roles if code == HandlingCode.C else [],
        "provenance": values["provenance"],
    }
    return clean, relations


def _relation_snapshot(relations: dict[str, list[Any]]) -> dict[str, list[str]]:
    return {name: sorted(str(obj.pk) for obj in objs) for name, objs in relations.items()}


def _current_relations(item: IntelligenceItem) -> dict[str, list[Any]]:
    return {name: list(getattr(item, name).all()) for name in RELATIONS}


def _subject(item: IntelligenceItem) -> YoungPerson | None:
    return item.young_people.order_by("family_name", "given_names", "pk").first()


# What other apps do, in the same transaction, when an item comes to be about young people
# (the cohort flags a former member for re-entry): registered from their record.py, so that
# intelligence imports none of them.
ItemHook = Callable[[Any, IntelligenceItem], None]
_on_about_young_people: list[ItemHook] = []


def on_item_about_young_people(hook: ItemHook) -> None:
    """``hook(actor, item)`` runs inside the write's transaction when an item is submitted, or
    changed to be about more young people."""
    _on_about_young_people.append(hook)


def _tell_others(actor: User, item: IntelligenceItem) -> None:
    for hook in _on_about_young_people:
        hook(actor, item)


def intelligence_item_submit(
    *,
    actor: User,
    reported_on: dt.date,
    text: str,
    harm_types: Iterable[str],
    source_evaluation: str,
    assessment: str,
    handling_code: str,
    provenance: str,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    sanitised_text: str = "",
    immediate_risk: bool = False,
    handling_conditions: str = "",
    handling_roles: Iterable[str] = (),
    young_people: Iterable[Any] = (),
    persons_of_interest: Iterable[Any] = (),
    locations: Iterable[Any] = (),
    groups: Iterable[Any] = (),
    import_key: str = "",
) -> IntelligenceItem:
    """Record what a partner shares, as from the actor's agency. Flags a young person who has
    left the cohort for re-entry, in the same transaction."""
    if not policy.check("can_submit_intelligence", actor):
        raise NotPermitted()
    values = {
        "reported_on": reported_on,
        "period_start": period_start,
        "period_end": period_end,
        "text": text,
        "sanitised_text": sanitised_text,
        "harm_types": list(harm_types or []),
        "immediate_risk": immediate_risk,
        "source_evaluation": source_evaluation,
        "assessment": assessment,
        "handling_code": handling_code,
        "handling_conditions": handling_conditions,
        "handling_roles": list(handling_roles or []),
        "provenance": provenance,
        "young_people": young_people,
        "persons_of_interest": persons_of_interest,
        "locations": locations,
        "groups": groups,
    }
    clean, relations = _validate(actor, values)
    with transaction.atomic():
        item = IntelligenceItem.objects.create(
            area_id=actor.area_id,
            source_agency_id=actor.agency_id,
            submitted_by=actor,
            import_key=import_key,
            **clean,
        )
        for name, objs in relations.items():
            getattr(item, name).set(objs)
        after = {**snapshot(item, FIELDS), **_relation_snapshot(relations)}
        audit_record(
            actor=actor,
            verb=Verb.INTELLIGENCE_SUBMITTED,
            target=item,
            subject=relations["young_people"][0] if relations["young_people"] else None,
            basis="submitting agency",
            changes=restricted(field_changes({}, after), RESTRICTED_FIELDS),
        )
        _tell_others(actor, item)
    return item


def intelligence_item_update(
    *, actor: User, item: IntelligenceItem, expected_version: int, **values: Any
) -> IntelligenceItem:
    """Change the item, unless someone else has changed it since ``expected_version``. Only
    the submitting agency changes what it shared."""
    if not policy.check("can_edit_intelligence", actor, item):
        raise NotPermitted()
    unknown = set(values) - set(FIELDS) - set(RELATIONS)
    if unknown:
        raise FieldErrors({name: "This field cannot be changed" for name in sorted(unknown)})
    current = _current_relations(item)
    merged: dict[str, Any] = {name: getattr(item, name) for name in FIELDS}
    merged.update({name: current[name] for name in RELATIONS})
    merged.update(values)
    clean, relations = _validate(actor, merged)
    before = {**snapshot(item, FIELDS), **_relation_snapshot(current)}
    added_people = {p.pk for p in relations["young_people"]} - {
        p.pk for p in current["young_people"]
    }
    for name, value in clean.items():
        setattr(item, name, value)
    with transaction.atomic():
        save_versioned(item, expected_version=expected_version, fields=FIELDS, label=LABEL)
        for name, objs in relations.items():
            getattr(item, name).set(objs)
        after = {**snapshot(item, FIELDS), **_relation_snapshot(relations)}
        audit_record(
            actor=actor,
            verb=Verb.INTELLIGENCE_UPDATED,
            target=item,
            subject=_subject(item),
            basis="submitting agency",
            changes=restricted(field_changes(before, after), RESTRICTED_FIELDS),
        )
        if added_people:
            _tell_others(actor, item)
    return item


def intelligence_item_delete(
    *, actor: User, item: IntelligenceItem, expected_version: int, reason: str
) -> IntelligenceItem:
    """Soft delete: hidden from every list and lookup, kept and restorable. Recorded as a
    change of the item (its deletion fields), with the reason."""
    if not policy.check("can_edit_intelligence", actor, item):
        raise NotPermitted()
    if item.is_deleted:
        raise DomainError("This intelligence item has already been deleted.")
    if len((reason or "").strip()) < 10:
        raise FieldErrors({"reason": "Enter why this intelligence item is being deleted"})
    return soft_delete(
        actor=actor,
        instance=item,
        expected_version=expected_version,
        reason=reason.strip(),
        verb=Verb.INTELLIGENCE_UPDATED,
        label=LABEL,
        subject=_subject(item),
        basis="submitting agency",
    )


def intelligence_item_restore(
    *, actor: User, item: IntelligenceItem, expected_version: int
) -> IntelligenceItem:
    if not policy.check("can_edit_intelligence", actor, item):
        raise NotPermitted()
    if not item.is_deleted:
        raise DomainError("This intelligence item is not deleted.")
    return restore(
        actor=actor,
        instance=item,
        expected_version=expected_version,
        verb=Verb.INTELLIGENCE_UPDATED,
        label=LABEL,
        subject=_subject(item),
        basis="submitting agency",
    )


# ---------------------------------------------------------------------------------------------
# Disclosure of C-coded items
# ---------------------------------------------------------------------------------------------


def disclosure_request_create(
    *, actor: User, item: IntelligenceItem, reason: str
) -> DisclosureRequest:
    """Ask the submitting agency to see a restricted item in full, saying why."""
    basis = access_basis(actor, item)
    if basis is None or not policy.check("can_request_disclosure", actor, item):
        raise NotPermitted()
    if policy.check("can_read_intelligence_in_full", actor, item):
        raise DomainError("You can already read this intelligence in full.")
    if DisclosureRequest.objects.filter(
        item=item, requested_by=actor, status=DisclosureStatus.REQUESTED
    ).exists():
        raise DomainError("You have already asked to see this intelligence; wait for a decision.")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise FieldErrors({"reason": "Enter why you need to see this intelligence in full"})
    with transaction.atomic():
        request = DisclosureRequest.objects.create(item=item, requested_by=actor, reason=reason)
        audit_record(
            actor=actor,
            verb=Verb.DISCLOSURE_REQUESTED,
            target=item,
            subject=_subject(item),
            basis=basis,
            reason=reason,
        )
    return request


def disclosure_request_decide(
    *, actor: User, request: DisclosureRequest, grant: bool, note: str = ""
) -> DisclosureRequest:
    """Grant or refuse a request, as a member of the submitting agency. A refusal says why."""
    item = request.item
    if not policy.check("can_decide_disclosure", actor, item):
        raise NotPermitted()
    note = (note or "").strip()
    if not grant and not note:
        raise FieldErrors({"note": "Enter why the request is refused"})
    status = DisclosureStatus.GRANTED if grant else DisclosureStatus.REFUSED
    now = clock.now()
    with transaction.atomic():
        updated = DisclosureRequest.objects.filter(
            pk=request.pk, status=DisclosureStatus.REQUESTED
        ).update(status=status, decided_by=actor, decided_at=now, decision_note=note)
        if updated != 1:
            raise DomainError("This request has already been decided.")
        audit_record(
            actor=actor,
            verb=Verb.DISCLOSURE_GRANTED if grant else Verb.DISCLOSURE_REFUSED,
            target=item,
            subject=_subject(item),
            basis="submitting agency",
            changes={
                "request": str(request.pk),
                "requested_by": str(request.requested_by_id),
                "status": {"before": DisclosureStatus.REQUESTED.value, "after": status.value},
            },
            reason=note,
        )
    request.refresh_from_db()
    return request
