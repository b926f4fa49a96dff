"""Opening an episode, and taking a named action on it: the state machine's refusal, the
action's service (``_ACTIONS``), the versioned write, the history and the audit event in one
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.pathway import machine
from riskpath.pathway.models import (
    Episode,
    EpisodeKind,
)
from riskpath.pathway.services.common import S, Step, StepRefused, _date, _history, _user_in_area
from riskpath.pathway.services.ending import (
    _agree_ending,
    _agree_escalation,
    _decline_ending,
    _propose_ending,
    _request_escalation,
)
from riskpath.pathway.services.marmm import (
    _add_plan_action,
    _agree_plan,
    _answer_plan_questions,
    _call_early_review,
    _record_marmm,
    _record_minutes_circulated,
    _record_nrm_decision,
    _schedule_marmm,
)
from riskpath.pathway.services.steps import (
    _agree_route,
    _decline_route,
    _record_care_leavers_decisions,
    _record_route,
    _record_s47_outcome,
)
from riskpath.people.models import YoungPerson

# ---------------------------------------------------------------------------------------------
# Opening an episode
# ---------------------------------------------------------------------------------------------


def _age_on(person: YoungPerson, day: dt.date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def episode_open(
    *,
    actor: Any,
    young_person: YoungPerson,
    kind: str,
    strategy_discussion_date: Any = None,
    care_leavers_meeting_date: Any = None,
    social_worker: Any = None,
    team_manager: Any = None,
    team: str = "",
    strategy_participants: str = "",
    agencies_invited: list[Agency] | None = None,
) -> Episode:
    """Start the pathway for ``young_person``: under 18 from a strategy discussion, a care
    leaver (18 to 25) from a care leavers safeguarding meeting."""
    if not policy.check("can_start_episode", actor):
        raise NotPermitted(
            "Only a social worker, team manager, service manager or consultant social worker "
            "can start the pathway for a young person."
        )
    if not policy.check("can_view_young_person", actor, young_person):
        raise NotPermitted("You are not involved with this young person.")
    errors: dict[str, str] = {}
    data = {
        "strategy_discussion_date": strategy_discussion_date,
        "care_leavers_meeting_date": care_leavers_meeting_date,
    }
    started: dt.date | None = None
    if kind == EpisodeKind.UNDER_18:
        started = _date(data, "strategy_discussion_date", errors, "date of the strategy discussion")
        if care_leavers_meeting_date:
            errors["care_leavers_meeting_date"] = (
                "A young person under 18 starts from a strategy discussion, not a care leavers "
                "safeguarding meeting"
            )
    elif kind == EpisodeKind.CARE_LEAVER:
        started = _date(
            data,
            "care_leavers_meeting_date",
            errors,
            "date of the care leavers safeguarding meeting",
        )
        if strategy_discussion_date:
            errors["strategy_discussion_date"] = (
                "A care leaver starts from a care leavers safeguarding meeting, not a strategy "
                "discussion"
            )
    else:
        errors["kind"] = "Choose under 18 or care leaver"
    if started is not None and young_person.date_of_birth is not None:
        age = _age_on(young_person, started)
        if age is not None and kind == EpisodeKind.UNDER_18 and age >= 18:
            errors["kind"] = f"The young person was {age} on that date: use the care leaver pathway"
        if age is not None and kind == EpisodeKind.CARE_LEAVER and not 18 <= age < 25:
            errors["kind"] = (
                f"The care leaver pathway is for ages 18 to 25; the young person was {age}"
            )
    area_id = young_person.area_id
    social_worker = _user_in_area(social_worker, area_id, "social_worker", errors)
    team_manager = _user_in_area(
        team_manager, area_id, "team_manager", errors, role=Role.TEAM_MANAGER
    )
    team = (team or "").strip()
    if len(team) > 120:
        errors["team"] = "The team must be 120 characters or fewer"
    invited = list(agencies_invited or [])
    if any(a.area_id != area_id for a in invited):
        errors["agencies_invited"] = "Choose agencies in your area"
    if young_person.area_id != actor.area_id:
        errors["young_person"] = "Choose a young person in your area"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        # One open episode per young person: checked under a lock on the young person.
        YoungPerson.objects.select_for_update().filter(pk=young_person.pk).first()
        current = Episode.objects.filter(young_person=young_person).exclude(
            status__in=[S.ENDED, S.CLOSED]
        )
        if current.exists():
            raise FieldErrors(
                {"young_person": "This young person already has an open pathway episode"}
            )
        status = (
            S.AWAITING_S47_OUTCOME
            if kind == EpisodeKind.UNDER_18
            else S.AWAITING_CARE_LEAVERS_DECISION
        )
        episode = Episode.objects.create(
            area_id=area_id,
            young_person=young_person,
            kind=kind,
            status=status,
            opened_by=actor,
            social_worker=social_worker or (actor if actor.has_role(Role.SOCIAL_WORKER) else None),
            team_manager=team_manager or (actor if actor.has_role(Role.TEAM_MANAGER) else None),
            team=team,
            strategy_discussion_date=started if kind == EpisodeKind.UNDER_18 else None,
            strategy_participants=(strategy_participants or "").strip(),
            care_leavers_meeting_date=started if kind == EpisodeKind.CARE_LEAVER else None,
        )
        if invited:
            episode.agencies_invited.set(invited)
        what = (
            "Strategy discussion recorded"
            if kind == EpisodeKind.UNDER_18
            else "Care leavers safeguarding meeting recorded"
        )
        assert started is not None
        _history(episode, actor, "open", "", status, f"{what} ({started:%-d %B %Y})", {})
        audit_record(
            actor=actor,
            verb=Verb.EPISODE_OPENED,
            target=episode,
            subject=young_person,
            changes={"kind": kind, "started": started.isoformat(), "status": status},
        )
    return episode


# ---------------------------------------------------------------------------------------------
# Taking an action
# ---------------------------------------------------------------------------------------------


def _refuse(actor: Any, episode: Episode, action: str, message: str) -> StepRefused:
    """The refusal of an illegal step is itself an audit event (written outside the step's
    transaction, which wrote nothing)."""
    audit_record(
        actor=actor,
        verb=Verb.EPISODE_STEP_REFUSED,
        target=episode,
        subject=episode.young_person,
        changes={"action": action, "status": episode.status},
        reason=message[:500],
    )
    return StepRefused(message)


def episode_act(
    *, actor: Any, episode: Episode, action: str, expected_version: int, data: dict[str, Any]
) -> Episode:
    """Take the named ``action`` on ``episode`` with ``data`` (already parsed: dates are
    ``date``s, users ``User``s, agencies ``Agency``s). Refused with ``StepRefused`` when the
    state machine does not allow it, ``FieldErrors`` on bad input, ``ConcurrentEditError``
    when the episode has moved on since ``expected_version``."""
    if not policy.check("can_record_episode_step", actor, episode):
        raise NotPermitted("You are not involved with this young person's pathway.")
    message = machine.refusal(episode, action, actor)
    if message is not None:
        raise _refuse(actor, episode, action, message)
    apply = _ACTIONS[action]
    errors: dict[str, str] = {}
    status_before = episode.status
    try:
        with transaction.atomic():
            step = apply(actor, episode, data, errors)
            if errors:
                raise FieldErrors(errors)
            save_versioned(
                episode,
                expected_version=expected_version,
                fields=sorted(step.fields | {"status"}),
                label="pathway episode",
            )
            for later in step.then:
                later()
            _history(
                episode, actor, action, status_before, episode.status, step.summary, step.changes
            )
            audit_record(
                actor=actor,
                verb=Verb.EPISODE_STEP_RECORDED,
                target=episode,
                subject=episode.young_person,
                changes={
                    "action": action,
                    "status_before": status_before,
                    "status_after": episode.status,
                    **step.changes,
                },
            )
    except StepRefused as exc:
        episode.refresh_from_db()
        raise _refuse(actor, episode, action, exc.message) from None
    except DomainError:
        episode.refresh_from_db()
        raise
    return episode


_ACTIONS: dict[str, Callable[[Any, Episode, dict[str, Any], dict[str, str]], Step]] = {
    "record_s47_outcome": _record_s47_outcome,
    "record_route": _record_route,
    "agree_route": _agree_route,
    "decline_route": _decline_route,
    "record_care_leavers_decisions": _record_care_leavers_decisions,
    "schedule_marmm": _schedule_marmm,
    "record_marmm": _record_marmm,
    "add_plan_action": _add_plan_action,
    "answer_plan_questions": _answer_plan_questions,
    "agree_plan": _agree_plan,
    "record_minutes_circulated": _record_minutes_circulated,
    "record_nrm_decision": _record_nrm_decision,
    "call_early_review": _call_early_review,
    "request_escalation": _request_escalation,
    "agree_escalation": _agree_escalation,
    "propose_ending": _propose_ending,
    "agree_ending": _agree_ending,
    "decline_ending": _decline_ending,
}
assert set(_ACTIONS) == set(machine.ACTION_NAMES)
