"""Retention and disposal: the area's schedule as data, legal holds, the daily review and the
disposal of what the officer approved.

- **The schedule** (``RetentionRule``): for each kind of record, the trigger (a birthday, the
  plan's end, the last activity, when it was recorded), the period after it and the source of
  that period. ``PRESETS`` are a starting point the area's data protection officer confirms.
- **Kinds** are registered here by the apps that hold the records (``register_kind``): which
  of their records are past the period (``candidates``) and how one is disposed of
  (``dispose``: personal data erased or anonymised in place, returning counts). What lives
  below this app (young people, persons of interest) this app registers itself. A young
  person with a plan is the pathway's kind (``register_plan_holders`` says who has one).
- **Legal holds** (``LegalHold``) stop disposal of everything they cover. A hold names a young
  person, a group, a meeting or the whole area; what a group's or a meeting's hold covers is
  said by the app that owns it (``register_hold_scope``: the young people in it). A candidate
  names the records it belongs to (``Candidate.keys``); any key covered by a live hold keeps it
  off the review and stops its disposal, checked again inside the disposal's transaction.
- **The daily job** (``retention_daily``, in ``RISKPATH_SCHEDULE``) disposes of what the
  officer approved and lists what has fallen due. Every disposal leaves a ``DisposalLog`` row
  (counts only, kept: the application may not change or delete it) and an audit event; the
  audit chain is appended to, never changed, so ``riskpath audit verify`` still passes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction

from riskpath.access import policy
from riskpath.accounts.models import Area
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.governance.enums import HoldScope, RecordKind, ReviewStatus, Trigger
from riskpath.governance.models import DisposalLog, LegalHold, RetentionReview, RetentionRule
from riskpath.jobs.runner import job

RULE = "can_manage_retention"
YOUNG_PERSON_KEY = "people.youngperson"


@dataclass(frozen=True)
class Preset:
    trigger: str
    months: int
    source: str


# A starting point, each with where its period comes from; the area's data protection officer
# confirms or changes them on the schedule page.
PRESETS: dict[str, Preset] = {
    RecordKind.INTELLIGENCE: Preset(
        Trigger.LAST_ACTIVITY,
        72,
        "College of Policing APP, Management of Police Information: review after 6 years",
    ),
    RecordKind.YOUNG_PERSON_PLAN: Preset(
        Trigger.BIRTHDAY_25,
        0,
        "IRMS Retention Guidelines for Local Authorities, children's social care case "
        "records: until the 25th birthday",
    ),
    RecordKind.YOUNG_PERSON: Preset(
        Trigger.BIRTHDAY_18,
        0,
        "The area's information sharing agreement: no plan, kept until the 18th birthday",
    ),
    RecordKind.PERSON_OF_INTEREST: Preset(
        Trigger.LAST_ACTIVITY,
        72,
        "College of Policing APP, Management of Police Information: review after 6 years",
    ),
    RecordKind.LINK: Preset(
        Trigger.LAST_ACTIVITY,
        24,
        "riskpath: an association not seen for 2 years is reviewed (its own, shorter review)",
    ),
    RecordKind.MINUTES: Preset(
        Trigger.CREATED,
        72,
        "IRMS Retention Guidelines for Local Authorities, partnership meetings: 6 years",
    ),
    RecordKind.AUDIT: Preset(
        Trigger.CREATED,
        84,
        "The area's audit policy: 7 years. Audit events are never changed: the chain stays "
        "intact, so they are listed, not disposed of",
    ),
}


@dataclass(frozen=True)
class Candidate:
    """A record past its period."""

    record_id: str
    label: str  # what the review list shows: never a name
    due_on: dt.date
    keys: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # what holds cover it


# (area, rule, today) -> the records of the kind past the rule's period
Candidates = Callable[[Area, RetentionRule, dt.date], list[Candidate]]
# (record id) -> counts of what was erased
Dispose = Callable[[str], dict[str, int]]


@dataclass(frozen=True)
class Kind:
    kind: str
    candidates: Candidates
    dispose: Dispose


_kinds: dict[str, Kind] = {}
_plan_holders: list[Callable[[Area], Any]] = []
# scope -> (target id) -> the keys a hold of that scope covers besides its own
_scopes: dict[str, Callable[[str], set[tuple[str, str]]]] = {}


def register_kind(kind: str, *, candidates: Candidates, dispose: Dispose) -> None:
    if kind in _kinds:
        raise ValueError(f"a retention kind {kind!r} is already registered")
    _kinds[kind] = Kind(kind, candidates, dispose)


def register_plan_holders(holders: Callable[[Area], Any]) -> None:
    """Say which young people in an area have a plan (a queryset of their ids, used as a
    subquery): the app that keeps plans registers it, and those young people are its kind (a
    young person with a plan), never the shorter-kept kind without one."""
    _plan_holders.append(holders)


def plan_holders(area: Area) -> list[Any]:
    """Each registered app's queryset of the ids of the young people in ``area`` with a plan."""
    return [holders(area) for holders in _plan_holders]


def register_hold_scope(scope: str, covers: Callable[[str], set[tuple[str, str]]]) -> None:
    _scopes[scope] = covers


def disposable_kinds() -> list[str]:
    return sorted(_kinds)


def due_date(trigger_date: dt.date, rule: RetentionRule) -> dt.date:
    return trigger_date + relativedelta(months=rule.period_months)


def birthday(date_of_birth: dt.date | None, years: int) -> dt.date | None:
    return None if date_of_birth is None else date_of_birth + relativedelta(years=years)


# ---------------------------------------------------------------------------------------------
# Holds
# ---------------------------------------------------------------------------------------------

SCOPE_KEYS: dict[str, str] = {
    HoldScope.PERSON: YOUNG_PERSON_KEY,
    HoldScope.GROUP: "groups.group",
    HoldScope.MEETING: "meetings.meeting",
}


@dataclass(frozen=True)
class Held:
    everything: bool
    keys: frozenset[tuple[str, str]]

    def covers(self, candidate: Candidate) -> bool:
        return self.everything or bool(candidate.keys & self.keys)


def holds_of(area_id: Any) -> Held:
    """What the area's live holds cover."""
    keys: set[tuple[str, str]] = set()
    everything = False
    for hold in LegalHold.objects.filter(area_id=area_id, lifted_at__isnull=True):
        if hold.scope == HoldScope.AREA:
            everything = True
            continue
        keys.add((SCOPE_KEYS[hold.scope], hold.target_id))
        expand = _scopes.get(hold.scope)
        if expand is not None:
            keys |= expand(hold.target_id)
    return Held(everything, frozenset(keys))


def _check(actor: Any, obj: Any = None) -> None:
    if not policy.check(RULE, actor, obj):
        raise NotPermitted()


def hold_place(*, actor: Any, scope: str, target_id: str, reason: str) -> LegalHold:
    """Place a legal hold: nothing it covers is disposed of until it is lifted."""
    _check(actor)
    reason = (reason or "").strip()
    target_id = (target_id or "").strip()
    errors: dict[str, str] = {}
    if scope not in HoldScope.values:
        errors["scope"] = "Select what the hold covers"
    elif scope != HoldScope.AREA and not target_id:
        errors["target_id"] = "Enter the reference of the record the hold covers"
    elif scope != HoldScope.AREA and _target_label(actor.area_id, scope, target_id) is None:
        errors["target_id"] = "There is no such record in your area"
    if not reason:
        errors["reason"] = "Say why the records are held"
    if errors:
        raise FieldErrors(errors)
    label = "" if scope == HoldScope.AREA else _target_label(actor.area_id, scope, target_id)
    with transaction.atomic():
        hold = LegalHold.objects.create(
            area_id=actor.area_id,
            scope=scope,
            target_id="" if scope == HoldScope.AREA else target_id,
            target_label=label or "",
            reason=reason,
            placed_by=actor,
        )
        # What the hold covers comes off the review list at once.
        held = holds_of(actor.area_id)
        for review in RetentionReview.objects.filter(
            area_id=actor.area_id, status__in=[ReviewStatus.DUE, ReviewStatus.APPROVED]
        ):
            if held.everything or _review_keys(review) & held.keys:
                review.delete()
        audit_record(actor=actor, verb=Verb.LEGAL_HOLD_PLACED, target=hold, reason=reason)
    return hold


# (area id, scope, target id) -> a label for the target, or None if it is not in the area
_labels: dict[str, Callable[[Any, str], str | None]] = {}


def register_hold_target(scope: str, label: Callable[[Any, str], str | None]) -> None:
    _labels[scope] = label


def _target_label(area_id: Any, scope: str, target_id: str) -> str | None:
    label = _labels.get(scope)
    try:
        return label(area_id, target_id) if label is not None else None
    except (ValueError, TypeError, ValidationError):
        return None


def hold_lift(*, actor: Any, hold: LegalHold) -> LegalHold:
    _check(actor, hold)
    if hold.lifted_at is not None:
        raise DomainError("The hold has already been lifted.")
    with transaction.atomic():
        hold.lifted_at = clock.now()
        hold.lifted_by = actor
        hold.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
        audit_record(actor=actor, verb=Verb.LEGAL_HOLD_LIFTED, target=hold)
    return hold


# ---------------------------------------------------------------------------------------------
# The schedule
# ---------------------------------------------------------------------------------------------


def schedule_install_presets(*, actor: Any) -> list[RetentionRule]:
    """Add the presets for every kind the area has no rule for yet."""
    _check(actor)
    made = []
    with transaction.atomic():
        have = set(
            RetentionRule.objects.filter(area_id=actor.area_id).values_list(
                "record_kind", flat=True
            )
        )
        for kind, preset in PRESETS.items():
            if kind in have:
                continue
            made.append(
                RetentionRule.objects.create(
                    area_id=actor.area_id,
                    record_kind=kind,
                    trigger=preset.trigger,
                    period_months=preset.months,
                    source=preset.source,
                )
            )
        if made:
            audit_record(
                actor=actor,
                verb=Verb.RETENTION_RULE_CHANGED,
                changes={"presets": [r.record_kind for r in made]},
            )
    return made


def rule_update(
    *, actor: Any, rule: RetentionRule, trigger: str, period_months: int | None, source: str
) -> RetentionRule:
    _check(actor, rule)
    source = (source or "").strip()
    errors: dict[str, str] = {}
    if trigger not in Trigger.values:
        errors["trigger"] = "Select what starts the period"
    if period_months is None or period_months < 0 or period_months > 1200:
        errors["period_months"] = "Enter the period in months, from 0 to 1200"
    if not source:
        errors["source"] = "Say where the period comes from"
    if errors:
        raise FieldErrors(errors)
    assert period_months is not None
    with transaction.atomic():
        before = {"trigger": rule.trigger, "period_months": rule.period_months}
        rule.trigger, rule.period_months, rule.source = trigger, period_months, source
        rule.version += 1
        rule.save()
        audit_record(
            actor=actor,
            verb=Verb.RETENTION_RULE_CHANGED,
            target=rule,
            changes={
                "before": before,
                "after": {"trigger": trigger, "period_months": period_months},
            },
        )
    return rule


# ---------------------------------------------------------------------------------------------
# The review and disposal
# ---------------------------------------------------------------------------------------------


def _review_keys(review: RetentionReview) -> frozenset[tuple[str, str]]:
    """The keys of a listed record, as its kind gave them when it was listed."""
    return frozenset((str(k[0]), str(k[1])) for k in (review.keys or []))


def review_area(area: Area, today: dt.date | None = None) -> int:
    """List the area's records past their period that no hold covers. Returns how many are
    newly listed."""
    today = today or clock.today()
    held = holds_of(area.pk)
    added = 0
    rules = {r.record_kind: r for r in RetentionRule.objects.filter(area=area)}
    for kind, rule in rules.items():
        handler = _kinds.get(kind)
        if handler is None:
            continue
        for candidate in handler.candidates(area, rule, today):
            if held.covers(candidate):
                continue
            _, created = RetentionReview.objects.get_or_create(
                area=area,
                record_kind=kind,
                record_id=candidate.record_id,
                defaults={
                    "label": candidate.label[:200],
                    "due_on": candidate.due_on,
                    "keys": sorted(list(k) for k in candidate.keys),
                },
            )
            added += int(created)
    return added


def review_list_for_user(user: Any) -> list[RetentionReview]:
    if not policy.check(RULE, user):
        return []
    with transaction.atomic():
        reviews = list(
            RetentionReview.objects.filter(
                area_id=user.area_id, status__in=[ReviewStatus.DUE, ReviewStatus.APPROVED]
            )
        )
        audit_listing(user, Verb.RETENTION_REVIEW_LISTED, count=len(reviews))
    return reviews


def review_decide(*, actor: Any, review: RetentionReview, dispose: bool) -> RetentionReview:
    """The officer approves a listed record's disposal (the daily job disposes of it), or keeps
    it."""
    _check(actor, review)
    if review.status != ReviewStatus.DUE:
        raise DomainError("This record has already been decided.")
    with transaction.atomic():
        review.status = ReviewStatus.APPROVED if dispose else ReviewStatus.RETAINED
        review.decided_by = actor
        review.decided_at = clock.now()
        review.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=Verb.DISPOSAL_APPROVED,
            target=review,
            changes={"kind": review.record_kind, "dispose": dispose},
        )
    return review


def dispose_approved(area: Area) -> int:
    """Dispose of every approved record of the area that no hold covers now. Returns how many
    were disposed of."""
    done = 0
    rules = {r.record_kind: r for r in RetentionRule.objects.filter(area=area)}
    for review in RetentionReview.objects.filter(area=area, status=ReviewStatus.APPROVED):
        handler = _kinds.get(review.record_kind)
        if handler is None:
            continue
        with transaction.atomic():
            # Checked again inside the disposal's transaction: a hold placed since approval
            # wins.
            held = holds_of(area.pk)
            if held.everything or _review_keys(review) & held.keys:
                continue
            counts = handler.dispose(review.record_id)
            rule = rules.get(review.record_kind)
            DisposalLog.objects.create(
                area=area,
                record_kind=review.record_kind,
                record_id=review.record_id,
                disposed_by=review.decided_by,
                counts=counts,
                rule=(
                    f"{rule.get_trigger_display()} + {rule.period_months} months ({rule.source})"
                    if rule
                    else ""
                )[:300],
            )
            review.status = ReviewStatus.DISPOSED
            review.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=None,
                actor_label="riskpath job",
                verb=Verb.RECORD_DISPOSED,
                area_id=area.pk,
                target_label=f"a {review.get_record_kind_display().lower()}",
                changes={"kind": review.record_kind, "record_id": review.record_id, **counts},
            )
            done += 1
    return done


@job
def retention_daily() -> None:
    """Daily: dispose of what the officer approved, then list what has fallen due."""
    for area in Area.objects.all():
        dispose_approved(area)
        review_area(area)


def kinds(values: Iterable[str]) -> list[str]:
    return [v for v in values if v in _kinds]
