"""The Risk Management Pathway's services: open an episode, take a named action on it,
confirm a partner-system flag. Each checks the access policy and the state machine, validates
everything before writing, writes the episode (refusing a stale version), appends the step
to the episode's history and records the audit event, all in one transaction.

Deadlines are counted in the area's working days (``core.workdays.for_area``): the initial
MARMM 15 working days after the strategy discussion (or the care leavers safeguarding
meeting), minutes and plan 2 working days after each MARMM, flags confirmed within 5 working
days. Reviews are at least every 12 calendar weeks from the last MARMM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings import services as meeting_services
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingType,
)
from riskpath.pathway import machine
from riskpath.pathway.models import (
    Episode,
    EpisodeEvent,
    EpisodeKind,
    EpisodeStatus,
    EscalationState,
    Flag,
    FlagPurpose,
    FlagSystem,
    GroundsDecision,
    Marmm,
    MarmmKind,
    PlanAction,
    PlanSection,
    Route,
)
from riskpath.people.models import YoungPerson

S = EpisodeStatus
INITIAL_MARMM_WORKING_DAYS = 15
MINUTES_WORKING_DAYS = 2
FLAG_WORKING_DAYS = 5
REVIEW_WEEKS = 12
TEXT_MAX = 4000
FLAG_TEXT: dict[str, str] = {
    FlagSystem.SOCIAL_CARE: (
        "subject to multi-agency risk management plan \u2013 see documents for plan"
    ),
    FlagSystem.POLICE: "Subject to a multi-agency risk management plan (MARMP).",
    FlagSystem.HEALTH: "Subject to a multi-agency risk management plan (MARMP).",
}
REMOVAL_TEXT = "Multi-agency risk management plan ended: remove the flag."
# Agency kinds whose users confirm each system's flag.
FLAG_AGENCY_KINDS = policy.FLAG_CONFIRMING_AGENCY_KINDS


class StepRefused(DomainError):
    """An action the state machine does not allow now; the message says what must happen
    first. Nothing was changed."""


# ---------------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------------


def calendar(episode: Episode) -> workdays.WorkingCalendar:
    return workdays.for_area(episode.area)


def review_due_after(held_on: dt.date) -> dt.date:
    return held_on + dt.timedelta(weeks=REVIEW_WEEKS)


def minutes_due(episode: Episode) -> dt.date | None:
    """The earliest date minutes and plan are due for a MARMM whose minutes have not been
    circulated, or None."""
    pending = [m.minutes_due for m in episode.marmms.all() if m.minutes_circulated_on is None]
    return min(pending) if pending else None


def is_first_responder(agency: Agency) -> bool:
    return bool(agency.is_first_responder)


# ---------------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------------


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _required_text(
    data: dict[str, Any], key: str, errors: dict[str, str], message: str, *, limit: int = TEXT_MAX
) -> str:
    value = _text(data, key)
    if not value:
        errors[key] = message
    elif len(value) > limit:
        errors[key] = f"{message.removeprefix('Enter ').capitalize()}: {limit} characters or fewer"
    return value


def _date(
    data: dict[str, Any],
    key: str,
    errors: dict[str, str],
    label: str,
    *,
    required: bool = True,
    not_before: dt.date | None = None,
    not_before_label: str = "",
    allow_future: bool = False,
) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            errors[key] = f"Enter the {label}"
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors[key] = f"Enter the {label} as a real date"
        return None
    if not allow_future and value > clock.today():
        errors[key] = f"The {label} cannot be in the future"
        return None
    if not_before is not None and value < not_before:
        errors[key] = f"The {label} cannot be before {not_before_label} ({not_before:%-d %B %Y})"
        return None
    return value


def _boolean(data: dict[str, Any], key: str, errors: dict[str, str], message: str) -> bool | None:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    errors[key] = message
    return None


def _user_in_area(
    value: Any, area_id: Any, key: str, errors: dict[str, str], role: str | None = None
) -> User | None:
    if value is None:
        return None
    if not isinstance(value, User) or value.area_id != area_id or not value.is_active:
        errors[key] = "Choose an active user in your area"
        return None
    if role and not value.has_role(role):
        errors[key] = f"Choose a user who is a {Role(role).label.lower()}"
        return None
    return value


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


@dataclass
class Step:
    """What one action did: the summary for the history, the audit changes, the episode
    fields it changed, and what to do once the transaction commits (e-mails)."""

    summary: str
    changes: dict[str, Any] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    then: list[Callable[[], object]] = field(default_factory=list)


def _set(episode: Episode, step: Step, **values: Any) -> None:
    for name, value in values.items():
        setattr(episode, name, value)
        step.fields.add(name)


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
            for send in step.after_commit:
                # robust: a mail server that is down must not turn a recorded step into an
                # error page; the failure is logged.
                transaction.on_commit(send, robust=True)
    except StepRefused as exc:
        episode.refresh_from_db()
        raise _refuse(actor, episode, action, exc.message) from None
    except DomainError:
        episode.refresh_from_db()
        raise
    return episode


def _history(
    episode: Episode,
    actor: Any,
    action: str,
    before: str,
    after: str,
    summary: str,
    changes: dict[str, Any],
) -> None:
    EpisodeEvent.objects.create(
        episode=episode,
        action=action,
        actor=actor,
        at=clock.now(),
        status_before=before,
        status_after=after,
        summary=summary,
        data={k: _jsonable(v) for k, v in changes.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _not_self(actor: Any, other_id: Any, what: str) -> None:
    if other_id is not None and other_id == actor.pk:
        raise StepRefused(
            f"You {what}, so a different service manager must agree it: nobody approves "
            "their own request."
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
        step.after_commit.append(_tell_consultants(ep, "is now on the Risk Management Pathway"))
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
        step.after_commit.append(_tell_consultants(ep, "is now on the Risk Management Pathway"))
    else:
        _set(ep, step, status=S.CLOSED, closed_on=ep.care_leavers_meeting_date)
        step.summary = "Care leavers safeguarding meeting: not to follow the pathway. Closed"
    return step


# --- MARMMs and the plan ---------------------------------------------------------------------


def _schedule_marmm(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    """Put the MARMM in riskpath's calendar: a meeting of the area's MARMM type about this
    young person (independent chair, family may attend, a confidential slot), with the
    episode's social worker and team manager invited beside the type's standing members.
    Invitations are sent from the meeting's page."""
    starts_at = data.get("starts_at")
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = "Enter the date and time of the MARMM"
    elif starts_at <= clock.now():
        errors["starts_at"] = "The MARMM must be in the future: record one already held instead"
    elif error := meeting_services.meeting_date_error(
        timezone.localdate(starts_at), "the MARMM's date"
    ):
        errors["starts_at"] = error
    place = _text(data, "place")
    if len(place) > 200:
        errors["place"] = "The place must be 200 characters or fewer"
    chair = _user_in_area(
        data.get("chair"), ep.area_id, "chair", errors, role=Role.INDEPENDENT_CHAIR
    )
    meeting_type = MeetingType.objects.filter(
        area_id=ep.area_id, kind=MeetingKind.MARMM, is_active=True
    ).first()
    if meeting_type is None:
        errors["starts_at"] = (
            "The area has no MARMM meeting type: an administrator adds it on the meeting types "
            "page first"
        )
    step = Step("")
    if errors:
        return step
    assert isinstance(starts_at, dt.datetime) and meeting_type is not None

    def schedule() -> None:
        meeting = meeting_services.meeting_schedule(
            actor=actor,
            meeting_type=meeting_type,
            starts_at=starts_at,
            place=place,
            chair=chair,
            young_person=ep.young_person,
        )
        invited = set(meeting.attendance.values_list("user_id", flat=True))
        for user in (ep.social_worker, ep.team_manager):
            if user is not None and user.pk not in invited:
                invited.add(user.pk)
                Attendance.objects.create(
                    meeting=meeting,
                    user=user,
                    agency_id=user.agency_id,
                    status=AttendanceStatus.INVITED,
                )
        step.changes["meeting"] = str(meeting.pk)

    step.then.append(schedule)
    local = timezone.localtime(starts_at)
    step.summary = f"MARMM scheduled for {local:%-d %B %Y at %H:%M}" + (
        f", {place}" if place else ""
    )
    step.changes = {"starts_at": starts_at.isoformat()}
    return step


def _record_marmm(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    earliest = ep.last_marmm_on or ep.started_on
    held_on = _date(
        data,
        "held_on",
        errors,
        "date the MARMM was held",
        not_before=earliest,
        not_before_label="the last step of the pathway",
    )
    if ep.last_marmm_on is not None and held_on is not None and held_on <= ep.last_marmm_on:
        errors["held_on"] = f"The MARMM must be after the last one ({ep.last_marmm_on:%-d %B %Y})"
    chair = _user_in_area(
        data.get("chair"), ep.area_id, "chair", errors, role=Role.INDEPENDENT_CHAIR
    )
    meeting = data.get("meeting")
    if meeting is not None:
        ok = (
            isinstance(meeting, Meeting)
            and meeting.area_id == ep.area_id
            and meeting.meeting_type.kind == MeetingKind.MARMM
            and meeting.young_person_id in (None, ep.young_person_id)
        )
        if not ok:
            errors["meeting"] = "Choose a MARMM meeting for this young person"
        elif held_on is not None and timezone.localdate(meeting.starts_at) != held_on:
            errors["meeting"] = (
                f"That MARMM is in the calendar for "
                f"{timezone.localdate(meeting.starts_at):%-d %B %Y}: choose the meeting held "
                "that day, or none"
            )
    family = bool(data.get("family_attended"))
    step = Step("")
    if errors or held_on is None:
        return step
    kind = MarmmKind.INITIAL if ep.status == S.AWAITING_MARMM else MarmmKind.REVIEW
    due = calendar(ep).add(held_on, MINUTES_WORKING_DAYS)
    review = review_due_after(held_on)
    _set(ep, step, last_marmm_on=held_on, next_review_due=review, early_review_reason="")
    if kind == MarmmKind.INITIAL:
        _set(ep, step, status=S.PLAN_TO_AGREE)
    step.then.append(
        lambda: Marmm.objects.create(
            episode=ep,
            kind=kind,
            held_on=held_on,
            meeting=meeting,
            chair=chair,
            family_attended=family,
            minutes_due=due,
            recorded_by=actor,
        )
    )
    step.summary = (
        f"{MarmmKind(kind).label} held {held_on:%-d %B %Y}; minutes and plan due "
        f"{due:%-d %B %Y}; next review by {review:%-d %B %Y}"
    )
    step.changes = {
        "kind": kind,
        "held_on": held_on,
        "minutes_due": due,
        "next_review_due": review,
        "meeting": str(meeting.pk) if meeting is not None else None,
    }
    return step


def _add_plan_action(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    section = _text(data, "section")
    if section not in PlanSection.values:
        errors["section"] = "Choose support, disruption or investigation"
    description = _required_text(data, "description", errors, "Enter the action")
    agency = data.get("owner_agency")
    if agency is not None and (not isinstance(agency, Agency) or agency.area_id != ep.area_id):
        errors["owner_agency"] = "Choose an agency in your area"
    due_on = _date(data, "due_on", errors, "due date", required=False, allow_future=True)
    step = Step("")
    if errors:
        return step
    step.then.append(
        lambda: PlanAction.objects.create(
            episode=ep,
            section=section,
            description=description,
            owner_agency=agency,
            due_on=due_on,
            recorded_by=actor,
        )
    )
    step.summary = f"Plan action ({PlanSection(section).label.lower()}): {description}"
    step.changes = {"section": section, "due_on": due_on}
    return step


def _answer_plan_questions(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    trigger = _boolean(
        data, "trigger_plan_needed", errors, "Say whether a missing-person trigger plan is needed"
    )
    details = _text(data, "trigger_plan_details")
    if trigger and not details:
        errors["trigger_plan_details"] = (
            "Enter the locating details for the trigger plan: description, places the young "
            "person may go, associates, phone and social media"
        )
    nrm = _boolean(data, "nrm_needed", errors, "Say whether an NRM referral is needed")
    agency = data.get("nrm_referrer_agency")
    reason = _text(data, "nrm_reason")
    if nrm:
        if agency is None:
            errors["nrm_referrer_agency"] = "Choose the first-responder agency making the referral"
        elif not isinstance(agency, Agency) or agency.area_id != ep.area_id:
            errors["nrm_referrer_agency"] = "Choose an agency in your area"
        elif not is_first_responder(agency):
            errors["nrm_referrer_agency"] = (
                f"{agency.name} is not a first responder: only a first-responder agency can "
                "make an NRM referral"
            )
    elif nrm is False and not reason:
        errors["nrm_reason"] = "Enter why no NRM referral is needed"
    step = Step("")
    if errors:
        return step
    _set(
        ep,
        step,
        trigger_plan_needed=trigger,
        trigger_plan_details=details if trigger else "",
        nrm_needed=nrm,
        nrm_referrer_agency=agency if nrm else None,
        nrm_reason="" if nrm else reason,
    )
    step.summary = f"Trigger plan {'needed' if trigger else 'not needed'}; NRM referral " + (
        f"needed, by {agency}" if nrm else "not needed"
    )
    step.changes = {
        "trigger_plan_needed": trigger,
        "nrm_needed": nrm,
        "nrm_referrer_agency": str(agency.pk) if nrm and agency else None,
    }
    return step


def _agree_plan(actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]) -> Step:
    missing = []
    if ep.trigger_plan_needed is None:
        missing.append("whether a missing-person trigger plan is needed")
    if ep.nrm_needed is None:
        missing.append("whether an NRM referral is needed")
    if missing:
        raise StepRefused(
            "The plan cannot be agreed until the MARMM has answered " + " and ".join(missing) + "."
        )
    if not ep.plan_actions.exists():
        raise StepRefused("The plan needs at least one action before it can be agreed.")
    on = _date(
        data,
        "agreed_on",
        errors,
        "date the plan was agreed",
        not_before=ep.last_marmm_on,
        not_before_label="the MARMM",
    )
    step = Step("")
    if errors or on is None:
        return step
    _set(ep, step, status=S.PLAN_IN_PLACE, plan_agreed_on=on, plan_agreed_by=actor)
    due = calendar(ep).add(on, FLAG_WORKING_DAYS)

    def raise_flags() -> None:
        for system in FlagSystem.values:
            Flag.objects.create(
                episode=ep,
                system=system,
                purpose=FlagPurpose.SET,
                text=FLAG_TEXT[system],
                raised_on=on,
                due_on=due,
            )

    step.then.append(raise_flags)
    step.summary = (
        f"Plan agreed {on:%-d %B %Y}; flags to set in social care, police and health systems "
        f"by {due:%-d %B %Y}"
    )
    step.changes = {"agreed_on": on, "flags_due": due}
    return step


def _record_minutes_circulated(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    pending = [m for m in ep.marmms.all() if m.minutes_circulated_on is None]
    if not pending:
        raise StepRefused("Every MARMM's minutes have already been recorded as circulated.")
    marmm = pending[0]
    on = _date(
        data,
        "circulated_on",
        errors,
        "date the minutes and plan were circulated",
        not_before=marmm.held_on,
        not_before_label="the MARMM",
    )
    filed = bool(data.get("filed"))
    if not filed:
        errors["filed"] = "Confirm the minutes and plan are filed on the young person's record"
    step = Step("")
    if errors or on is None:
        return step

    def mark() -> None:
        Marmm.objects.filter(pk=marmm.pk).update(minutes_circulated_on=on, minutes_filed=True)

    step.then.append(mark)
    late = on > marmm.minutes_due
    step.summary = f"Minutes and plan of the {marmm} circulated and filed {on:%-d %B %Y}" + (
        f" (due {marmm.minutes_due:%-d %B %Y})" if late else ""
    )
    step.changes = {"marmm": str(marmm.pk), "circulated_on": on, "late": late}
    return step


def _record_nrm_decision(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    if not ep.nrm_needed:
        raise StepRefused(
            "The MARMM must first decide that an NRM referral is needed, and by which "
            "first-responder agency."
        )
    referral = _date(data, "referral_date", errors, "date of the NRM referral")
    values: dict[str, Any] = {"nrm_referral_date": referral}
    for key, label in (
        ("reasonable_grounds", "reasonable grounds"),
        ("conclusive_grounds", "conclusive grounds"),
    ):
        decision = _text(data, key)
        if decision and decision not in GroundsDecision.values:
            errors[key] = f"Choose positive or negative for the {label} decision"
        when = _date(
            data,
            f"{key}_date",
            errors,
            f"date of the {label} decision",
            required=bool(decision),
            not_before=referral,
            not_before_label="the referral",
        )
        if when is not None and not decision:
            errors[key] = f"Choose the {label} decision"
        values[f"nrm_{key}"] = decision
        values[f"nrm_{key}_date"] = when
    if values["nrm_conclusive_grounds"] and not values["nrm_reasonable_grounds"]:
        errors["conclusive_grounds"] = "Record the reasonable grounds decision first"
    step = Step("")
    if errors:
        return step
    _set(ep, step, **values)
    parts = [f"NRM referral {referral:%-d %B %Y}"] if referral else []
    for key, label in (
        ("reasonable_grounds", "reasonable grounds"),
        ("conclusive_grounds", "conclusive grounds"),
    ):
        if values[f"nrm_{key}"]:
            parts.append(f"{label} {values[f'nrm_{key}']} {values[f'nrm_{key}_date']:%-d %B %Y}")
    step.summary = "; ".join(parts)
    step.changes = {k: v for k, v in values.items()}
    return step


def _call_early_review(
    actor: Any, ep: Episode, data: dict[str, Any], errors: dict[str, str]
) -> Step:
    reason = _required_text(data, "reason", errors, "Enter why an earlier review is needed")
    by = _date(data, "review_by", errors, "date to review by", allow_future=True)
    if by is not None and by < clock.today():
        errors["review_by"] = "The review date cannot be in the past"
    elif by is not None and ep.next_review_due and by >= ep.next_review_due:
        errors["review_by"] = (
            f"An earlier review must be before the review already due "
            f"({ep.next_review_due:%-d %B %Y})"
        )
    step = Step("")
    if errors or by is None:
        return step
    _set(ep, step, next_review_due=by, early_review_reason=reason)
    step.summary = f"Earlier review called, by {by:%-d %B %Y}: {reason}"
    step.changes = {"review_by": by}
    return step


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
    step.after_commit.append(_tell_consultants(ep, "has come off the Risk Management Pathway"))
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


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------


def flag_confirm(*, actor: Any, flag: Flag, expected_version: int, confirmed_on: Any) -> Flag:
    """A user of the system's agency confirms the flag was added (or removed) on a date."""
    episode = flag.episode
    if not (
        policy.check("can_confirm_flag", actor, episode)
        and policy.check("can_confirm_flag_of_system", actor, flag)
    ):
        raise NotPermitted(
            f"Only a user of a {FlagSystem(flag.system).label.lower()} agency can confirm this "
            "flag."
        )
    if flag.confirmed_on is not None:
        raise StepRefused("This flag has already been confirmed.")
    errors: dict[str, str] = {}
    on = _date(
        {"confirmed_on": confirmed_on},
        "confirmed_on",
        errors,
        "date the flag was " + ("added" if flag.purpose == FlagPurpose.SET else "removed"),
        not_before=flag.raised_on,
        not_before_label="the task was raised",
    )
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        flag.confirmed_on = on
        flag.confirmed_by = actor
        save_versioned(
            flag,
            expected_version=expected_version,
            fields=["confirmed_on", "confirmed_by"],
            label="flag",
        )
        verb = "added" if flag.purpose == FlagPurpose.SET else "removed"
        late = on is not None and on > flag.due_on
        _history(
            episode,
            actor,
            "confirm_flag",
            episode.status,
            episode.status,
            f"{FlagSystem(flag.system).label} flag {verb} {on:%-d %B %Y}"
            + (f" (due {flag.due_on:%-d %B %Y})" if late else ""),
            {"flag": str(flag.pk), "system": flag.system, "purpose": flag.purpose},
        )
        audit_record(
            actor=actor,
            verb=Verb.FLAG_CONFIRMED,
            target=flag,
            subject=episode.young_person,
            changes={"system": flag.system, "purpose": flag.purpose, "confirmed_on": on},
        )
    return flag


# ---------------------------------------------------------------------------------------------
# Telling consultant social workers
# ---------------------------------------------------------------------------------------------


def consultants(area_id: Any) -> list[User]:
    return list(
        User.objects.filter(
            agency__area_id=area_id,
            is_active=True,
            roles__role=Role.CONSULTANT_SOCIAL_WORKER,
        ).distinct()
    )


def _tell_consultants(episode: Episode, what: str) -> Callable[[], None]:
    """An e-mail to the area's consultant social workers. It names no one: it carries the
    link to the episode, which they see on their tracker."""
    link = settings.RISKPATH_BASE_URL + reverse("pathway:detail", args=[episode.pk])
    emails = [u.email for u in consultants(episode.area_id) if u.email]
    subject = "[riskpath] Risk Management Pathway: a young person " + what

    def send() -> None:
        for email in emails:
            send_mail(
                subject=subject,
                message=(
                    f"A young person {what}. They are on your tracker.\n\n"
                    f"Open the episode in riskpath: {link}\n"
                ),
                from_email=None,
                recipient_list=[email],
            )

    return send
