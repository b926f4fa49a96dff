"""Escalation to the strategic panel (asked for, agreed) and ending the plan (proposed at a
MARMM, agreed or declined by a service manager)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from riskpath.pathway.models import (
    Episode,
    EscalationState,
    Flag,
    FlagPurpose,
)
from riskpath.pathway.services.common import (
    FLAG_WORKING_DAYS,
    REMOVAL_TEXT,
    S,
    Step,
    StepRefused,
    _date,
    _not_self,
    _required_text,
    _set,
    _tell_consultants,
    calendar,
)


def _request_escalation(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    reason = _required_text(
        data, "reason", errors, "Enter why the risk stays very high or is escalating"
    )
    step = Step("")
    if errors:
        return step
    _set(
        ep,
        step,
        escalation=EscalationState.REQUESTED,
        escalation_reason=reason,
        escalation_requested_by=actor,
    )
    step.summary = f"Escalation to the strategic panel asked for: {reason}"
    return step


def _agree_escalation(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    _not_self(actor, ep.escalation_requested_by_id, "asked for the escalation")
    on = _date(data, "agreed_on", errors, "date of the service manager's agreement")
    step = Step("")
    if errors or on is None:
        return step
    _set(ep, step, escalation=EscalationState.AGREED, escalated_on=on, escalation_agreed_by=actor)
    step.summary = "Escalated to the strategic panel: the young person is on its next agenda"
    step.changes = {"agreed_on": on}
    return step


def _propose_ending(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    reason = _required_text(data, "reason", errors, "Enter why the risks no longer warrant a plan")
    on = data.get("marmm_date")
    marmm = None
    if not isinstance(on, dt.date):
        errors["marmm_date"] = "Enter the date of the MARMM that decided to end the plan"
    else:
        marmm = ep.marmms.filter(held_on=on).first()
        if marmm is None or marmm.held_on != ep.last_marmm_on:
            raise StepRefused(
                "A plan can be ended only at a MARMM: record the MARMM held that day first, "
                "then propose the ending from it."
            )
        if ep.plan_agreed_on and on < ep.plan_agreed_on:
            errors["marmm_date"] = "The MARMM must be after the plan was agreed"
    step = Step("")
    if errors or marmm is None:
        return step
    _set(
        ep,
        step,
        status=S.ENDING_PROPOSED,
        ending_reason=reason,
        ending_marmm=marmm,
        ending_proposed_by=actor,
    )
    step.summary = f"Ending proposed at the {marmm}: {reason}"
    step.changes = {"marmm": str(marmm.pk)}
    return step


def _agree_ending(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    _not_self(actor, ep.ending_proposed_by_id, "proposed the ending")
    on = _date(
        data,
        "agreed_on",
        errors,
        "date of the service manager's agreement",
        not_before=ep.ending_marmm.held_on if ep.ending_marmm else None,
        not_before_label="the MARMM",
    )
    step = Step("")
    if errors or on is None:
        return step
    _set(
        ep,
        step,
        status=S.ENDED,
        ended_on=on,
        ending_agreed_by=actor,
        next_review_due=None,
        escalation="" if ep.escalation == EscalationState.REQUESTED else ep.escalation,
    )
    due = calendar(ep).add(on, FLAG_WORKING_DAYS)

    def removal_tasks() -> None:
        for flag in ep.flags.filter(purpose=FlagPurpose.SET):
            Flag.objects.create(
                episode=ep,
                system=flag.system,
                purpose=FlagPurpose.REMOVE,
                text=REMOVAL_TEXT,
                raised_on=on,
                due_on=due,
            )

    step.then.append(removal_tasks)
    _tell_consultants(ep, "has come off the Risk Management Pathway")
    step.summary = (
        f"Service manager agreed the ending {on:%-d %B %Y}; flags to remove by "
        f"{due:%-d %B %Y}; consultant social workers told"
    )
    step.changes = {"agreed_on": on, "flags_due": due}
    return step


def _decline_ending(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    reason = _required_text(data, "reason", errors, "Enter why the plan stays in place")
    step = Step("")
    if errors:
        return step
    _set(
        ep,
        step,
        status=S.PLAN_IN_PLACE,
        ending_marmm=None,
        ending_proposed_by=None,
        ending_reason="",
    )
    step.summary = f"Service manager kept the plan in place: {reason}"
    step.changes = {"reason": reason}
    return step
