"""The steps before a plan: for a young person under 18, the section 47 outcome and the route
(recorded, agreed or sent back); for a care leaver, the care leavers safeguarding meeting's
decisions."""

from __future__ import annotations

from typing import Any

from riskpath.pathway.models import (
    Episode,
    Route,
)
from riskpath.pathway.services.common import (
    INITIAL_MARMM_WORKING_DAYS,
    S,
    Step,
    _boolean,
    _date,
    _not_self,
    _required_text,
    _set,
    _tell_consultants,
    _text,
    calendar,
)

# --- Under 18: section 47 and the route ------------------------------------------------------


def _record_s47_outcome(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    met = _boolean(data, "threshold_met", errors, "Say whether the threshold is assessed as met")
    on = _date(
        data,
        "recorded_on",
        errors,
        "date of the section 47 outcome",
        not_before=ep.strategy_discussion_date,
        not_before_label="the strategy discussion",
    )
    step = Step("")
    if errors:
        return step
    _set(
        ep,
        step,
        threshold_met=met,
        s47_recorded_by=actor,
        s47_recorded_on=on,
        status=S.AWAITING_ROUTE,
    )
    step.summary = "Section 47 outcome: threshold " + ("met" if met else "not met")
    step.changes = {"threshold_met": met, "recorded_on": on}
    return step


def _record_route(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    route = _text(data, "route")
    if route not in Route.values:
        errors["route"] = (
            "Choose how the case will be managed: child protection, child in need, the Risk "
            "Management Pathway, step down or closure"
        )
    on = _date(
        data,
        "recorded_on",
        errors,
        "date of the route decision",
        not_before=ep.s47_recorded_on,
        not_before_label="the section 47 outcome",
    )
    step = Step("")
    if errors:
        return step
    _set(
        ep,
        step,
        route=route,
        route_recorded_by=actor,
        route_recorded_on=on,
        route_agreed_by=None,
        route_agreed_on=None,
        status=S.AWAITING_AGREEMENT,
    )
    if not ep.team_manager_id:
        _set(ep, step, team_manager=actor)
    step.summary = f"Route recorded: {Route(route).label}"
    step.changes = {"route": route, "recorded_on": on}
    return step


def _agree_route(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    _not_self(actor, ep.route_recorded_by_id, "recorded the route")
    on = _date(
        data,
        "agreed_on",
        errors,
        "date of the service manager's agreement",
        not_before=ep.route_recorded_on,
        not_before_label="the route decision",
    )
    step = Step("")
    if errors or on is None:
        return step
    _set(ep, step, route_agreed_by=actor, route_agreed_on=on)
    if ep.route == Route.RMP:
        assert ep.strategy_discussion_date is not None
        due = calendar(ep).add(ep.strategy_discussion_date, INITIAL_MARMM_WORKING_DAYS)
        _set(ep, step, status=S.AWAITING_MARMM, marmm_due=due)
        step.summary = (
            "Service manager agreed the Risk Management Pathway; consultant social workers "
            f"told; initial MARMM due {due:%-d %B %Y}"
        )
        step.changes = {"agreed_on": on, "marmm_due": due}
        _tell_consultants(ep, "is now on the Risk Management Pathway")
    else:
        _set(ep, step, status=S.CLOSED, closed_on=on)
        step.summary = f"Service manager agreed the route: {Route(ep.route).label}. Episode closed"
        step.changes = {"agreed_on": on}
    return step


def _decline_route(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    reason = _required_text(data, "reason", errors, "Enter why the route is sent back")
    step = Step("")
    if errors:
        return step
    _set(
        ep, step, status=S.AWAITING_ROUTE, route="", route_recorded_by=None, route_recorded_on=None
    )
    step.summary = f"Service manager sent the route back: {reason}"
    step.changes = {"reason": reason}
    return step


# --- Care leavers ----------------------------------------------------------------------------


def _record_care_leavers_decisions(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    immediate = _required_text(data, "immediate_actions", errors, "Enter the immediate actions")
    disruption = _required_text(
        data, "disruption_opportunities", errors, "Enter the disruption opportunities"
    )
    follow = _boolean(
        data, "follow_pathway", errors, "Say whether to follow the Risk Management Pathway"
    )
    referral = _boolean(
        data,
        "adult_safeguarding_referral",
        errors,
        "Say whether a referral to adult safeguarding is made",
    )
    reason = _text(data, "adult_safeguarding_reason")
    if referral is False and not reason:
        errors["adult_safeguarding_reason"] = "Enter why no referral to adult safeguarding is made"
    step = Step("")
    if errors:
        return step
    _set(
        ep,
        step,
        immediate_actions=immediate,
        disruption_opportunities=disruption,
        follow_pathway=follow,
        adult_safeguarding_referral=referral,
        adult_safeguarding_reason=reason,
    )
    if not ep.team_manager_id:
        _set(ep, step, team_manager=actor)
    assert ep.care_leavers_meeting_date is not None
    step.changes = {"follow_pathway": follow, "adult_safeguarding_referral": referral}
    if follow:
        due = calendar(ep).add(ep.care_leavers_meeting_date, INITIAL_MARMM_WORKING_DAYS)
        _set(ep, step, status=S.AWAITING_MARMM, marmm_due=due)
        step.summary = (
            "Care leavers safeguarding meeting: follow the Risk Management Pathway; "
            f"initial MARMM due {due:%-d %B %Y}"
        )
        step.changes["marmm_due"] = due
        _tell_consultants(ep, "is now on the Risk Management Pathway")
    else:
        _set(ep, step, status=S.CLOSED, closed_on=ep.care_leavers_meeting_date)
        step.summary = "Care leavers safeguarding meeting: not to follow the pathway. Closed"
    return step
