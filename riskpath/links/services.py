"""Writes to links: policy check, validation, write and audit event in one transaction.

A link joins two different things of one area (young person, person of interest, location,
group). It is never recorded twice: a live link with the same ends and kind is refused
(for kinds that read the same both ways, in either direction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from riskpath.access import policy
from riskpath.access.involvement import accessible_subset, involved_queryset
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record, field_changes, snapshot, soft_delete
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.groups.ends import END_LABELS, ENDS, end_type_of
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link, LinkKind, LinkStrength

BASIS = "recording member of the partnership"
FIELDS = ["kind", "strength", "first_seen", "last_seen"]
END_FIELDS = [f"{side}_{end}" for side in ("source", "target") for end in ENDS]

# Kinds that say the same thing read either way round ("A sibling of B" = "B sibling of A").
SYMMETRIC = frozenset({LinkKind.ASSOCIATE, LinkKind.SIBLING, LinkKind.PARTNER, LinkKind.SEEN_WITH})
# Kinds whose target must be of one type ("lives at" a location, "member of" a group).
TARGET_TYPE = {
    LinkKind.LIVES_AT: "location",
    LinkKind.FREQUENTS: "location",
    LinkKind.MEMBER_OF: "group",
}


class DuplicateLink(FieldErrors):
    """The same link (same ends, same kind) is already recorded and not deleted."""

    def __init__(self, existing: Link) -> None:
        super().__init__(
            {
                "kind": (
                    f"This link is already recorded (link {existing.pk}). Change that link "
                    "instead of recording it again."
                )
            }
        )
        self.existing = existing


def evidence_choices(actor: User, *, limit: int = 50) -> list[IntelligenceItem]:
    """The most recent intelligence items the actor may cite as evidence: those they may know
    of, in one query (a list: emergency access, which is per visit, adds nothing)."""
    if not policy.check("can_cite_intelligence", actor):
        return []
    return list(
        involved_queryset(IntelligenceItem, actor)
        .select_related("source_agency")
        .order_by("-reported_on", "-created_at")[:limit]
    )


def citable(actor: User, items: Iterable[IntelligenceItem]) -> list[IntelligenceItem]:
    """Of ``items``, those the actor may cite (``can_cite_intelligence``), in one query."""
    items = [i for i in items if i.area_id == actor.area_id and not i.is_deleted]
    if not items or not policy.check("can_cite_intelligence", actor):
        return []
    ok = accessible_subset("intelligence.intelligenceitem", actor, [i.pk for i in items])
    return [i for i in items if i.pk in ok]


def may_cite(actor: User, item: IntelligenceItem) -> bool:
    """May the actor cite this one item (``can_cite_intelligence``)?"""
    if item.area_id != actor.area_id or item.is_deleted:
        return False
    return policy.check("can_cite_intelligence", actor, item)


def _same_thing(a: Any, b: Any) -> bool:
    if type(a) is type(b):
        return bool(a.pk == b.pk)
    # A person of interest who is also a young person is one human.
    pairs = ((a, b), (b, a))
    for yp, poi in pairs:
        if end_type_of(yp) == "young_person" and end_type_of(poi) == "person_of_interest":
            return bool(poi.young_person_id == yp.pk)
    return False


def _check_end(actor: User, field: str, obj: Any, errors: dict[str, str]) -> None:
    try:
        kind = end_type_of(obj)
    except TypeError:
        errors[field] = "Choose a young person, person of interest, location or group"
        return
    noun = END_LABELS[kind].lower()
    if obj.area_id != actor.area_id or getattr(obj, "is_deleted", False):
        errors[field] = f"Select a {noun} in your area"
    elif kind == "young_person" and not policy.check("can_view_young_person", actor, obj):
        errors[field] = "Select a young person you are involved with"


def _check_values(values: dict[str, Any], target: Any, errors: dict[str, str]) -> None:
    kind = values.get("kind")
    if kind not in LinkKind.values:
        errors["kind"] = "Select the kind of link"
    elif kind in TARGET_TYPE and target is not None and "target" not in errors:
        wanted = TARGET_TYPE[LinkKind(kind)]
        try:
            actual = end_type_of(target)
        except TypeError:
            actual = ""
        if actual != wanted:
            label = LinkKind(kind).label.lower()
            errors["kind"] = f"“{label}” joins someone to a {END_LABELS[wanted].lower()}"
    if values.get("strength") not in LinkStrength.values:
        errors["strength"] = "Select how strong the link is"
    first, last = values.get("first_seen"), values.get("last_seen")
    today = clock.today()
    if first is not None and first > today:
        errors["first_seen"] = "The date first seen must be today or in the past"
    if last is not None and last > today:
        errors["last_seen"] = "The date last seen must be today or in the past"
    if first is not None and last is not None and last < first and "last_seen" not in errors:
        errors["last_seen"] = "The date last seen must be the same as or after the date first seen"


def _check_evidence(actor: User, evidence: Iterable[Any], errors: dict[str, str]) -> list[Any]:
    items = list(evidence)
    for item in items:
        if not isinstance(item, IntelligenceItem) or not may_cite(actor, item):
            errors["evidence"] = "Select intelligence items of your area that you can see"
            break
    return items


def _end_filter(prefix: str, obj: Any) -> Q:
    return Q(**{f"{prefix}_{end_type_of(obj)}": obj})


def find_duplicate(source: Any, target: Any, kind: str, *, exclude: Any = None) -> Link | None:
    same = _end_filter("source", source) & _end_filter("target", target)
    if kind in SYMMETRIC:
        same |= _end_filter("source", target) & _end_filter("target", source)
    qs = Link.objects.filter(same, kind=kind)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("created_at").first()


def _subject(link: Link) -> Any:
    """The young person the link is about, if either end is one."""
    return link.source_young_person or link.target_young_person


def _snapshot(link: Link) -> dict[str, Any]:
    out = snapshot(link, FIELDS)
    out["evidence"] = sorted(str(pk) for pk in link.evidence.values_list("pk", flat=True))
    return out


def link_create(
    *,
    actor: User,
    source: Any,
    target: Any,
    kind: str,
    strength: str = LinkStrength.UNCONFIRMED,
    first_seen: dt.date | None = None,
    last_seen: dt.date | None = None,
    evidence: Iterable[IntelligenceItem] = (),
) -> Link:
    if not policy.check("can_record_link", actor):
        raise NotPermitted()
    errors: dict[str, str] = {}
    _check_end(actor, "source", source, errors)
    _check_end(actor, "target", target, errors)
    if not errors and _same_thing(source, target):
        errors["target"] = "A link must join two different things: choose someone or somewhere else"
    values = {"kind": kind, "strength": strength, "first_seen": first_seen, "last_seen": last_seen}
    _check_values(values, target, errors)
    items = _check_evidence(actor, evidence, errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        existing = find_duplicate(source, target, kind)
        if existing is not None:
            raise DuplicateLink(existing)
        link = Link.objects.create(
            area_id=actor.area_id,
            recorded_by=actor,
            **{f"source_{end_type_of(source)}": source, f"target_{end_type_of(target)}": target},
            **values,
        )
        link.evidence.set(items)
        changes = field_changes({}, _snapshot(link))
        changes["source"] = {"before": None, "after": f"{end_type_of(source)}:{source.pk}"}
        changes["target"] = {"before": None, "after": f"{end_type_of(target)}:{target.pk}"}
        audit_record(
            actor=actor,
            verb=Verb.LINK_CREATED,
            target=link,
            subject=_subject(link),
            basis=BASIS,
            changes=changes,
        )
    return link


def link_update(*, actor: User, link: Link, expected_version: int, **values: Any) -> Link:
    """Change the kind, strength, dates or evidence of a link (its ends are fixed: record a
    new link instead), unless someone else changed it since ``expected_version``."""
    if not policy.check("can_record_link", actor, link):
        raise NotPermitted()
    unknown = set(values) - {*FIELDS, "evidence"}
    if unknown:
        raise TypeError(f"Not changeable on a link: {sorted(unknown)}")
    merged = {name: values.get(name, getattr(link, name)) for name in FIELDS}
    errors: dict[str, str] = {}
    _check_values(merged, link.target, errors)
    items = None
    if "evidence" in values:
        items = _check_evidence(actor, values["evidence"], errors)
    if errors:
        raise FieldErrors(errors)
    before = _snapshot(link)
    with transaction.atomic():
        if merged["kind"] != before["kind"]:
            existing = find_duplicate(link.source, link.target, merged["kind"], exclude=link.pk)
            if existing is not None:
                raise DuplicateLink(existing)
        original = {name: getattr(link, name) for name in FIELDS}
        for name, value in merged.items():
            setattr(link, name, value)
        try:
            save_versioned(link, expected_version=expected_version, fields=FIELDS, label="link")
        except ConcurrentEditError:
            for name, value in original.items():  # leave the caller's copy as it was read
                setattr(link, name, value)
            raise
        if items is not None:
            link.evidence.set(items)
        audit_record(
            actor=actor,
            verb=Verb.LINK_UPDATED,
            target=link,
            subject=_subject(link),
            basis=BASIS,
            changes=field_changes(before, _snapshot(link)),
        )
    return link


def link_delete(*, actor: User, link: Link, expected_version: int, reason: str) -> Link:
    """Soft delete: the link no longer shows, and the same link may be recorded again. Kept,
    and audited as a change of the link (``deleted``: false → true) with the reason."""
    if not policy.check("can_record_link", actor, link):
        raise NotPermitted()
    if link.is_deleted:
        raise DomainError("This link has already been deleted.")
    if len((reason or "").strip()) < 10:
        raise FieldErrors({"reason": "Enter why this link is being deleted"})
    return soft_delete(
        actor=actor,
        instance=link,
        expected_version=expected_version,
        reason=reason.strip(),
        verb=Verb.LINK_UPDATED,
        label="link",
        subject=_subject(link),
        basis=BASIS,
    )
