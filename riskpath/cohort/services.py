"""Writes to the cohort. Each checks the access policy, writes, and records its audit event in
one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import (
    CohortMembership,
    ExitReason,
    ReentryFlag,
    ReentryOutcome,
    Tier,
    TierDecision,
    tier_label,
)
from riskpath.cohort.suggestion import Criterion
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.models import YoungPerson


def cohort_note_intelligence(*, actor: User, item: Any) -> list[ReentryFlag]:
    """Re-entry: new intelligence about a young person who has left the cohort is flagged for
    the next meeting's agenda, never lost. Call inside the submission's transaction."""
    flags: list[ReentryFlag] = []
    for person in item.young_people.all():
        spells = CohortMembership.objects.filter(young_person=person)
        if not spells.exists() or spells.filter(exited_at__isnull=True).exists():
            continue
        if ReentryFlag.objects.filter(young_person=person, cleared_at__isnull=True).exists():
            continue
        flag = ReentryFlag.objects.create(
            young_person=person, intelligence_item=item, raised_at=clock.now()
        )
        audit_record(
            actor=actor, verb=Verb.REENTRY_FLAGGED, target=flag, subject=person, basis="system"
        )
        flags.append(flag)
    return flags


# ---------------------------------------------------------------------------------------------
# Decisions: entry, tier change, exit, and "no action" on a re-entry flag
# ---------------------------------------------------------------------------------------------

MEMBERSHIP_FIELDS = [
    "tier",
    "entry_reason",
    "last_discussed_on",
    "next_review_on",
    "exited_at",
    "exit_reason",
    "exit_note",
    "receiving_area",
]
CRITERIA = {str(c) for c in Criterion}
TIER_2_WARNING = (
    "No lead professional is in place. At tier 2 the PIMM expects a lead professional to be "
    "appointed to oversee the young person's progress."
)
TIER_1_REFUSAL = (
    "Tier 1 needs a lead professional in place: record the young person's lead professional "
    "before placing them at tier 1"
)


def _check(actor: User, obj: Any) -> None:
    if not policy.check("can_decide_cohort", actor, obj):
        raise NotPermitted("Only the chair can decide who is on the cohort and at which tier.")


def _validate_decision(
    *,
    person: YoungPerson,
    tier: Any,
    reason: str,
    criteria: list[str],
    meeting_ref: str,
    accept_warning: bool,
    next_review_on: dt.date | None,
) -> str:
    """Check a tier decision; return the warning the chair accepted (or "")."""
    errors: dict[str, str] = {}
    if tier not in (Tier.RED, Tier.AMBER, Tier.GREEN):
        errors["tier"] = "Select tier 1, 2 or 3"
    if not (reason or "").strip():
        errors["reason"] = "Enter why the PIMM made this decision"
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown:
        errors["criteria"] = "These are not PIMM criteria: " + ", ".join(unknown)
    elif not criteria:
        errors["criteria"] = "Select the criteria the young person meets"
    if len(meeting_ref or "") > 64:
        errors["meeting_ref"] = "Meeting must be 64 characters or fewer"
    if next_review_on is not None and next_review_on < clock.today():
        errors["next_review_on"] = "Next review must be today or in the future"
    warning = ""
    if "tier" not in errors and person.lead_professional_id is None:
        if tier == Tier.RED:
            errors["tier"] = TIER_1_REFUSAL
        elif tier == Tier.AMBER:
            warning = TIER_2_WARNING
            if not accept_warning:
                errors["accept_warning"] = (
                    f"{TIER_2_WARNING} Confirm that the chair accepts this to continue"
                )
    if errors:
        raise FieldErrors(errors)
    return warning


def _decision(
    membership: CohortMembership,
    *,
    actor: User,
    from_tier: int | None,
    to_tier: int | None,
    reason: str,
    criteria: list[str] | None = None,
    warning: str = "",
    meeting_ref: str = "",
    with_suggestion: bool = True,
) -> TierDecision:
    from riskpath.cohort.selectors import suggestion_for

    suggestion = suggestion_for(membership.young_person) if with_suggestion else None
    return TierDecision.objects.create(
        membership=membership,
        decided_by=actor,
        decided_at=clock.now(),
        from_tier=from_tier,
        to_tier=to_tier,
        reason=reason.strip(),
        criteria=sorted(criteria or [], key=_criterion_order),
        suggested_tier=suggestion.tier if suggestion else None,
        suggestion_reasons=suggestion.reasons_as_dicts() if suggestion else [],
        warning=warning,
        meeting_ref=(meeting_ref or "").strip(),
    )


def _criterion_order(code: str) -> int:
    return [str(c) for c in Criterion].index(code)


def _decision_changes(decision: TierDecision) -> dict[str, Any]:
    return {
        "criteria": decision.criteria,
        "meeting_ref": decision.meeting_ref,
        "suggested_tier": decision.suggested_tier,
        "warning": decision.warning,
    }


def cohort_add(
    *,
    actor: User,
    young_person: YoungPerson,
    tier: int,
    reason: str,
    criteria: list[str],
    meeting_ref: str = "",
    accept_warning: bool = False,
    next_review_on: dt.date | None = None,
) -> CohortMembership:
    """Open a spell on the cohort (a first entry or a re-entry), with its first decision.
    Clears the young person's open re-entry flags."""
    _check(actor, young_person)
    if young_person.area_id != actor.area_id or young_person.is_deleted:
        raise FieldErrors({"young_person": "Select a young person in your area"})
    current = CohortMembership.objects.filter(
        young_person=young_person, exited_at__isnull=True
    ).first()
    if current is not None:
        raise FieldErrors(
            {
                "young_person": f"{young_person} is already on the cohort at tier "
                f"{current.tier}: change their tier instead"
            }
        )
    warning = _validate_decision(
        person=young_person,
        tier=tier,
        reason=reason,
        criteria=criteria,
        meeting_ref=meeting_ref,
        accept_warning=accept_warning,
        next_review_on=next_review_on,
    )
    now = clock.now()
    try:
        with transaction.atomic():
            membership = CohortMembership.objects.create(
                area_id=actor.area_id,
                young_person=young_person,
                tier=tier,
                entered_at=now,
                entry_reason=reason.strip(),
                last_discussed_on=clock.today(),
                next_review_on=next_review_on,
            )
            decision = _decision(
                membership,
                actor=actor,
                from_tier=None,
                to_tier=tier,
                reason=reason,
                criteria=criteria,
                warning=warning,
                meeting_ref=meeting_ref,
            )
            audit_record(
                actor=actor,
                verb=Verb.COHORT_ENTERED,
                target=membership,
                subject=young_person,
                basis="chair",
                reason=decision.reason,
                changes={
                    **field_changes({}, snapshot(membership, MEMBERSHIP_FIELDS)),
                    **_decision_changes(decision),
                },
            )
            for flag in ReentryFlag.objects.select_for_update().filter(
                young_person=young_person, cleared_at__isnull=True
            ):
                flag.cleared_at = now
                flag.cleared_by = actor
                flag.outcome = ReentryOutcome.READDED
                flag.meeting_ref = decision.meeting_ref
                flag.save(update_fields=["cleared_at", "cleared_by", "outcome", "meeting_ref"])
                audit_record(
                    actor=actor,
                    verb=Verb.REENTRY_CLEARED,
                    target=flag,
                    subject=young_person,
                    basis="chair",
                    changes={"outcome": {"before": "", "after": flag.outcome}},
                )
    except IntegrityError as exc:
        # Someone else added them at the same moment: the constraint allows one open spell.
        raise FieldErrors(
            {"young_person": f"{young_person} is already on the cohort: change their tier instead"}
        ) from exc
    return membership


def _open_spell(membership: CohortMembership) -> None:
    if membership.exited_at is not None:
        raise DomainError(
            f"{membership.young_person} has left the cohort. Add them to the cohort again to "
            "open a new spell."
        )


def cohort_change_tier(
    *,
    actor: User,
    membership: CohortMembership,
    expected_version: int,
    tier: int,
    reason: str,
    criteria: list[str],
    meeting_ref: str = "",
    accept_warning: bool = False,
    next_review_on: dt.date | None = None,
) -> CohortMembership:
    """Move a young person to another tier, unless the spell changed since
    ``expected_version``."""
    _check(actor, membership)
    _open_spell(membership)
    person = membership.young_person
    warning = _validate_decision(
        person=person,
        tier=tier,
        reason=reason,
        criteria=criteria,
        meeting_ref=meeting_ref,
        accept_warning=accept_warning,
        next_review_on=next_review_on,
    )
    if tier == membership.tier:
        raise FieldErrors(
            {"tier": f"{person} is already at {tier_label(tier)}: select another tier"}
        )
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    from_tier = membership.tier
    membership.tier = tier
    membership.last_discussed_on = clock.today()
    if next_review_on is not None:
        membership.next_review_on = next_review_on
    with transaction.atomic():
        save_versioned(
            membership,
            expected_version=expected_version,
            fields=["tier", "last_discussed_on", "next_review_on"],
            label="cohort record",
        )
        decision = _decision(
            membership,
            actor=actor,
            from_tier=from_tier,
            to_tier=tier,
            reason=reason,
            criteria=criteria,
            warning=warning,
            meeting_ref=meeting_ref,
        )
        audit_record(
            actor=actor,
            verb=Verb.TIER_CHANGED,
            target=membership,
            subject=person,
            basis="chair",
            reason=decision.reason,
            changes={
                **field_changes(before, snapshot(membership, MEMBERSHIP_FIELDS)),
                **_decision_changes(decision),
            },
        )
    return membership


def cohort_exit(
    *,
    actor: User,
    membership: CohortMembership,
    expected_version: int,
    exit_reason: str,
    note: str,
    receiving_area: str = "",
    meeting_ref: str = "",
) -> CohortMembership:
    """The only way off the cohort: a recorded exit decision."""
    _check(actor, membership)
    _open_spell(membership)
    errors: dict[str, str] = {}
    if exit_reason not in ExitReason.values:
        errors["exit_reason"] = "Select why the young person is leaving the cohort"
    if not (note or "").strip():
        errors["note"] = "Enter why the PIMM made this decision"
    receiving_area = (receiving_area or "").strip()
    if exit_reason == ExitReason.MOVED_OUT_OF_AREA and not receiving_area:
        errors["receiving_area"] = "Enter the area the young person has moved to"
    if len(receiving_area) > 120:
        errors["receiving_area"] = "Receiving area must be 120 characters or fewer"
    if len(meeting_ref or "") > 64:
        errors["meeting_ref"] = "Meeting must be 64 characters or fewer"
    if errors:
        raise FieldErrors(errors)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.exited_at = clock.now()
    membership.exit_reason = exit_reason
    membership.exit_note = note.strip()
    moved = exit_reason == ExitReason.MOVED_OUT_OF_AREA
    membership.receiving_area = receiving_area if moved else ""
    membership.last_discussed_on = clock.today()
    with transaction.atomic():
        save_versioned(
            membership,
            expected_version=expected_version,
            fields=["exited_at", "exit_reason", "exit_note", "receiving_area", "last_discussed_on"],
            label="cohort record",
        )
        decision = _decision(
            membership,
            actor=actor,
            from_tier=membership.tier,
            to_tier=None,
            reason=note,
            meeting_ref=meeting_ref,
            with_suggestion=False,
        )
        audit_record(
            actor=actor,
            verb=Verb.COHORT_EXITED,
            target=membership,
            subject=membership.young_person,
            basis="chair",
            reason=decision.reason,
            changes={
                **field_changes(before, snapshot(membership, MEMBERSHIP_FIELDS)),
                "meeting_ref": decision.meeting_ref,
            },
        )
    return membership


def reentry_flag_no_action(
    *, actor: User, flag: ReentryFlag, reason: str, meeting_ref: str = ""
) -> ReentryFlag:
    """The chair's recorded decision to take no action on new intelligence about a young person
    who has left the cohort."""
    _check(actor, flag.young_person)
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "Enter why no action is needed"
    if len(meeting_ref or "") > 64:
        errors["meeting_ref"] = "Meeting must be 64 characters or fewer"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        updated = ReentryFlag.objects.filter(pk=flag.pk, cleared_at__isnull=True).update(
            cleared_at=clock.now(),
            cleared_by=actor,
            outcome=ReentryOutcome.NO_ACTION,
            clear_reason=reason.strip(),
            meeting_ref=(meeting_ref or "").strip(),
        )
        if updated != 1:
            raise DomainError("This re-entry flag has already been cleared.")
        flag.refresh_from_db()
        audit_record(
            actor=actor,
            verb=Verb.REENTRY_CLEARED,
            target=flag,
            subject=flag.young_person,
            basis="chair",
            reason=flag.clear_reason,
            changes={"outcome": {"before": "", "after": flag.outcome}},
        )
    return flag
