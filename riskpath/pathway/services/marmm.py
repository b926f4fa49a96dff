"""MARMMs and the plan: scheduling a MARMM as a meeting, recording one held, the plan's actions
and questions, agreeing the plan, its minutes circulated, the NRM referral, an earlier review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency
from riskpath.core import clock
from riskpath.meetings import services as meeting_services
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingType,
)
from riskpath.pathway.models import (
    Episode,
    Flag,
    FlagPurpose,
    FlagSystem,
    GroundsDecision,
    Marmm,
    MarmmKind,
    PlanAction,
    PlanSection,
)
from riskpath.pathway.services.common import (
    FLAG_TEXT,
    FLAG_WORKING_DAYS,
    MINUTES_WORKING_DAYS,
    S,
    Step,
    StepRefused,
    _boolean,
    _date,
    _required_text,
    _set,
    _text,
    _user_in_area,
    calendar,
    is_first_responder,
    review_due_after,
)

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
