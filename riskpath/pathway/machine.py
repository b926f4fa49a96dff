"""The episode's state machine, stated once: which named actions may happen in which status,
who may take them (the access policy's ``EPISODE_STEP_ROLES``), and — when an action is
refused — what must happen first.

Services (``riskpath.pathway.services``) apply an action only after ``refusal`` has found
nothing wrong; the pages offer only the actions ``available`` names; the API documents the
same names. A property test drives random sequences of actions through the services and
checks that no sequence reaches a status outside this table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.pathway.models import Episode, EpisodeKind, EpisodeStatus, EscalationState

S = EpisodeStatus
UNDER_18 = frozenset({EpisodeKind.UNDER_18})
CARE_LEAVER = frozenset({EpisodeKind.CARE_LEAVER})
BOTH = frozenset({EpisodeKind.UNDER_18, EpisodeKind.CARE_LEAVER})
ON_PLAN = frozenset({S.PLAN_TO_AGREE, S.PLAN_IN_PLACE})
OPEN_ON_PATHWAY = frozenset({S.AWAITING_MARMM, S.PLAN_TO_AGREE, S.PLAN_IN_PLACE})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    kinds: frozenset[str]
    first: str  # what must happen first, when the episode is not in a source status

    @property
    def roles(self) -> frozenset[str]:
        """Who takes the step: a role set of the access policy."""
        return policy.EPISODE_STEP_ROLES[self.name]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "record_s47_outcome",
        "Record the section 47 outcome",
        frozenset({S.AWAITING_S47_OUTCOME}),
        UNDER_18,
        "The section 47 outcome is recorded once, straight after the strategy discussion.",
    ),
    Transition(
        "record_route",
        "Record the route",
        frozenset({S.AWAITING_ROUTE}),
        UNDER_18,
        "The social worker must record whether threshold is met before the team manager "
        "records the route.",
    ),
    Transition(
        "agree_route",
        "Agree the route",
        frozenset({S.AWAITING_AGREEMENT}),
        UNDER_18,
        "The team manager must record the route before the service manager agrees it.",
    ),
    Transition(
        "decline_route",
        "Send the route back",
        frozenset({S.AWAITING_AGREEMENT}),
        UNDER_18,
        "Only a route awaiting the service manager's agreement can be sent back.",
    ),
    Transition(
        "record_care_leavers_decisions",
        "Record the care leavers safeguarding meeting's decisions",
        frozenset({S.AWAITING_CARE_LEAVERS_DECISION}),
        CARE_LEAVER,
        "The care leavers safeguarding meeting's decisions are recorded once.",
    ),
    Transition(
        "schedule_marmm",
        "Schedule a MARMM",
        OPEN_ON_PATHWAY,
        BOTH,
        "A MARMM can be scheduled only once the route is the Risk Management Pathway and the "
        "service manager has agreed it (for a care leaver: once the care leavers safeguarding "
        "meeting decided to follow the pathway).",
    ),
    Transition(
        "record_marmm",
        "Record a MARMM held",
        OPEN_ON_PATHWAY,
        BOTH,
        "A MARMM can be recorded only once the route is the Risk Management Pathway and the "
        "service manager has agreed it (for a care leaver: once the care leavers safeguarding "
        "meeting decided to follow the pathway).",
    ),
    Transition(
        "add_plan_action",
        "Add a plan action",
        ON_PLAN,
        BOTH,
        "Plan actions are agreed at a MARMM: record the initial MARMM first.",
    ),
    Transition(
        "answer_plan_questions",
        "Answer the trigger-plan and NRM questions",
        ON_PLAN,
        BOTH,
        "The plan's questions are answered at a MARMM: record the initial MARMM first.",
    ),
    Transition(
        "agree_plan",
        "Agree the plan",
        frozenset({S.PLAN_TO_AGREE}),
        BOTH,
        "The plan is agreed at the initial MARMM: record the MARMM first.",
    ),
    Transition(
        "record_minutes_circulated",
        "Record the minutes and plan circulated",
        frozenset({S.PLAN_TO_AGREE, S.PLAN_IN_PLACE, S.ENDING_PROPOSED, S.ENDED}),
        BOTH,
        "Minutes can be circulated only after a MARMM has been held.",
    ),
    Transition(
        "record_nrm_decision",
        "Record the NRM referral and decisions",
        frozenset({S.PLAN_TO_AGREE, S.PLAN_IN_PLACE, S.ENDING_PROPOSED}),
        BOTH,
        "The NRM referral is tracked once the plan's NRM question has been answered.",
    ),
    Transition(
        "call_early_review",
        "Call an earlier review",
        frozenset({S.PLAN_IN_PLACE}),
        BOTH,
        "An earlier review can be called only while a plan is in place.",
    ),
    Transition(
        "request_escalation",
        "Ask to escalate to the strategic panel",
        frozenset({S.PLAN_IN_PLACE}),
        BOTH,
        "A young person is escalated to the strategic panel only while a plan is in place.",
    ),
    Transition(
        "agree_escalation",
        "Agree the escalation",
        frozenset({S.PLAN_IN_PLACE}),
        BOTH,
        "An escalation can be agreed only while a plan is in place.",
    ),
    Transition(
        "propose_ending",
        "Propose ending the plan (at a MARMM)",
        frozenset({S.PLAN_IN_PLACE}),
        BOTH,
        "A plan can be ended only once it has been agreed, and only at a MARMM.",
    ),
    Transition(
        "agree_ending",
        "Agree the ending",
        frozenset({S.ENDING_PROPOSED}),
        BOTH,
        "The team manager must propose the ending at a MARMM before the service manager agrees it.",
    ),
    Transition(
        "decline_ending",
        "Keep the plan in place",
        frozenset({S.ENDING_PROPOSED}),
        BOTH,
        "Only an ending awaiting the service manager's agreement can be declined.",
    ),
)
BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}
ACTION_NAMES: tuple[str, ...] = tuple(BY_NAME)
assert set(policy.EPISODE_STEP_ROLES) == set(ACTION_NAMES)

# Statuses an episode can be in, by kind (the stateful test checks none other is reached).
REACHABLE: dict[str, frozenset[str]] = {
    EpisodeKind.UNDER_18: frozenset(set(S.values) - {S.AWAITING_CARE_LEAVERS_DECISION}),
    EpisodeKind.CARE_LEAVER: frozenset(
        set(S.values) - {S.AWAITING_S47_OUTCOME, S.AWAITING_ROUTE, S.AWAITING_AGREEMENT}
    ),
}


def role_names(roles: frozenset[str]) -> str:
    labels = sorted(Role(r).label.lower() for r in roles)
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def refusal(episode: Episode, name: str, actor: Any | None = None) -> str | None:
    """Why ``actor`` may not take action ``name`` on ``episode`` now, or None. Only the
    status, kind and role are checked here; the services check the details (who agreed,
    which answers are missing)."""
    transition = BY_NAME.get(name)
    if transition is None:
        return f"There is no pathway action called {name!r}."
    if episode.kind not in transition.kinds:
        kind = EpisodeKind(episode.kind).label.lower()
        return f"'{transition.label}' is not a step of the pathway for a {kind}."
    if episode.status not in transition.sources:
        return transition.first
    if name == "record_nrm_decision" and not episode.nrm_needed:
        return (
            "The MARMM must first decide that an NRM referral is needed, and by which "
            "first-responder agency."
        )
    if name == "record_minutes_circulated" and not _minutes_pending(episode):
        return "Every MARMM's minutes have already been recorded as circulated."
    if name == "request_escalation" and episode.escalation:
        return "The young person's escalation has already been asked for."
    if name == "agree_escalation" and episode.escalation != EscalationState.REQUESTED:
        return "An escalation must be asked for before the service manager agrees it."
    if actor is not None and not (actor.role_set() & transition.roles):
        who = role_names(transition.roles)
        article = "an" if who[:1] in "aeiou" else "a"
        return f"Only {article} {who} can {transition.label[:1].lower()}{transition.label[1:]}."
    return None


def _minutes_pending(episode: Episode) -> bool:
    return any(m.minutes_circulated_on is None for m in episode.marmms.all())


# The step each status waits for; with a plan to agree, its parts in order.
PRINCIPAL: dict[str, str] = {
    S.AWAITING_S47_OUTCOME: "record_s47_outcome",
    S.AWAITING_ROUTE: "record_route",
    S.AWAITING_AGREEMENT: "agree_route",
    S.AWAITING_CARE_LEAVERS_DECISION: "record_care_leavers_decisions",
    S.AWAITING_MARMM: "record_marmm",
    S.PLAN_IN_PLACE: "record_marmm",
    S.ENDING_PROPOSED: "agree_ending",
}


def principal(episode: Episode) -> str | None:
    """The step the pathway expects next (the episode page shows its form first and open)."""
    if episode.status == S.PLAN_TO_AGREE:
        if not episode.plan_actions.exists():
            return "add_plan_action"
        if episode.trigger_plan_needed is None or episode.nrm_needed is None:
            return "answer_plan_questions"
        return "agree_plan"
    return PRINCIPAL.get(episode.status)


def available(episode: Episode, actor: Any) -> list[Transition]:
    """The actions ``actor`` may take on ``episode`` now (for the page's buttons)."""
    return [t for t in TRANSITIONS if refusal(episode, t.name, actor) is None]
