"""Tasks a meeting's decisions create in partner systems (Mosaic, LiquidLogic, Niche, Flare):
the lead professional carries the decision into the system, using a ready plain-text extract
they copy in. HSB/AIM panel decisions produce case-note text headed ``HSB AIM``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings.actions import owner_label
from riskpath.meetings.models import (
    Action,
    Decision,
    MeetingKind,
    PartnerSystem,
    PartnerTask,
)
from riskpath.people.models import YoungPerson

HSB_AIM_HEADING = "HSB AIM"

# The young person's identifier in each partner system, and how the system names it.
SYSTEM_IDENTIFIER = {
    PartnerSystem.MOSAIC: ("mosaic_id", "Mosaic ID"),
    PartnerSystem.LIQUIDLOGIC: ("liquidlogic_id", "LiquidLogic ID"),
    PartnerSystem.NICHE: ("niche_id", "Niche ID"),
    PartnerSystem.FLARE: ("flare_id", "Flare ID"),
}


def decision_young_person(decision: Decision) -> YoungPerson | None:
    return decision.young_person or decision.item.young_person


def _person_name(user: Any) -> str:
    return str(user.full_name or user.email)


def _date(value: Any) -> str:
    return f"{value:%-d %B %Y}"


def partner_task_extract(decision: Decision, system: str) -> str:
    """The plain text the lead professional copies into ``system``."""
    item = decision.item
    meeting = item.meeting
    meeting_type = meeting.meeting_type
    person = decision_young_person(decision)
    lines: list[str] = []
    if meeting_type.kind == MeetingKind.HSB_AIM:
        lines.append(HSB_AIM_HEADING)
    held = timezone.localtime(meeting.starts_at)
    lines.append(f"Meeting: {meeting_type.name}, {_date(held)}")
    if person is not None:
        lines.append(f"Young person: {person.given_names} {person.family_name}")
        if person.date_of_birth:
            estimated = " (estimated)" if person.date_of_birth_estimated else ""
            lines.append(f"Date of birth: {_date(person.date_of_birth)}{estimated}")
        else:
            lines.append("Date of birth: not known")
        attr, label = SYSTEM_IDENTIFIER[PartnerSystem(system)]
        identifier = getattr(person, attr, "")
        lines.append(f"{label}: {identifier}" if identifier else f"{label}: not recorded")
    lines.append("")
    lines.append(f"Decision ({decision.get_kind_display()}):")
    lines.append(decision.text.strip())
    lines.append("")
    # Not the actions of a confidential slot other than the decision's own: the assignee (the
    # young person's lead professional, by default) may not have been in it.
    actions = (
        Action.objects.filter(meeting=meeting, young_person=person)
        .exclude(Q(item__confidential=True) & ~Q(item_id=item.pk))
        .select_related("owner_user", "owner_user__agency", "owner_agency")
        .order_by("due_on", "created_at")
        if person is not None
        else Action.objects.none()
    )
    if actions:
        lines.append("Actions:")
        for action in actions:
            status = "" if action.is_open else f" (closed: {action.outcome})"
            lines.append(
                f"- {action.description} Owner: {owner_label(action)}. "
                f"Due {_date(action.due_on)}.{status}"
            )
    else:
        lines.append("Actions: none recorded about the young person")
    lines.append("")
    recorder = decision.recorded_by
    agency = f", {recorder.agency}" if recorder.agency_id else ""
    lines.append(f"Recorded in riskpath by {_person_name(recorder)}{agency}")
    return "\n".join(lines)


def partner_task_create(
    *, actor: Any, decision: Decision, system: str, assignee: User | None = None
) -> PartnerTask:
    """Mark that ``decision`` must be carried into ``system``: a task for the young person's
    lead professional (or ``assignee``) with the ready text extract. The meeting's chair or
    business support does this."""
    meeting = decision.item.meeting
    if not policy.check("can_minute_meeting", actor, meeting):
        raise NotPermitted("Only the chair or business support can create partner-system tasks.")
    errors: dict[str, str] = {}
    if system not in PartnerSystem.values:
        errors["system"] = "Choose Mosaic, LiquidLogic, Niche or Flare"
    person = decision_young_person(decision)
    if assignee is None:
        assignee = person.lead_professional if person is not None else None
        if assignee is None:
            errors["assignee"] = (
                "The young person has no lead professional: choose who will carry the "
                "decision into the partner system"
            )
    if assignee is not None and (assignee.area_id != meeting.area_id or not assignee.is_active):
        errors["assignee"] = "Choose an active user in your area"
    if (
        "system" not in errors
        and PartnerTask.objects.filter(decision=decision, system=system).exists()
    ):
        label = PartnerSystem(system).label
        errors["system"] = f"A task to carry this decision into {label} already exists"
    if errors:
        raise FieldErrors(errors)
    assert assignee is not None
    with transaction.atomic():
        task = PartnerTask.objects.create(
            area_id=meeting.area_id,
            decision=decision,
            system=system,
            assignee=assignee,
            extract=partner_task_extract(decision, system),
        )
        audit_record(
            actor=actor,
            verb=Verb.PARTNER_TASK_CREATED,
            target=task,
            subject=person,
            changes={"system": system, "assignee": str(assignee.pk), "decision": str(decision.pk)},
        )
    return task


def partner_task_done(*, actor: Any, task: PartnerTask, expected_version: int) -> PartnerTask:
    """The assignee has carried the decision into the partner system."""
    if not policy.check("can_complete_partner_task", actor, task):
        raise NotPermitted("Only the person the task is assigned to can mark it done.")
    if task.done_at is not None:
        raise FieldErrors({"done": "This task is already done"})
    task.done_at = clock.now()
    task.done_by = actor
    with transaction.atomic():
        save_versioned(
            task, expected_version=expected_version, fields=["done_at", "done_by"], label="task"
        )
        audit_record(
            actor=actor,
            verb=Verb.PARTNER_TASK_DONE,
            target=task,
            subject=decision_young_person(task.decision),
            changes={"system": task.system},
        )
    return task


# ---------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------

RELATED = (
    "decision",
    "decision__young_person",
    "decision__item",
    "decision__item__young_person",
    "decision__item__meeting",
    "decision__item__meeting__meeting_type",
    "assignee",
    "done_by",
)


def _open_first() -> Case:
    return Case(
        When(done_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def partner_tasks_for_user(user: Any, *, mine_only: bool = True) -> QuerySet[PartnerTask]:
    """Tasks assigned to the user (meeting administrators may ask for every task in the
    area), open first, then oldest first."""
    if not policy.check("can_view_partner_tasks", user):
        return PartnerTask.objects.none()
    qs = PartnerTask.objects.filter(area_id=user.area_id)
    if mine_only or not user.has_role(Role.ADMINISTRATOR):
        qs = qs.filter(assignee=user)
    return qs.select_related(*RELATED).order_by(_open_first(), "created_at", "pk")


def tasks_of_meeting(meeting: Any) -> QuerySet[PartnerTask]:
    return (
        PartnerTask.objects.filter(decision__item__meeting=meeting)
        .select_related(*RELATED)
        .order_by("created_at")
    )


def access_partner_task(user: Any, pk: Any, *, rule: str = "can_view_partner_tasks") -> PartnerTask:
    """The task ``pk`` if the user is its assignee, business support, or the meeting's chair;
    Http404 otherwise. NotPermitted if they fail ``rule`` for it. Does not audit."""
    task = PartnerTask.objects.select_related(*RELATED).filter(pk=pk, area_id=user.area_id).first()
    if task is None or not policy.check("can_view_partner_tasks", user):
        raise Http404("No such task")
    if not policy.check("can_see_partner_task", user, task):
        raise Http404("No such task")
    if rule != "can_view_partner_tasks" and not policy.check(rule, user, task):
        raise NotPermitted()
    return task


def partner_task_get_for_user(user: Any, pk: Any) -> PartnerTask:
    with transaction.atomic():
        task = access_partner_task(user, pk)
        audit_record(
            actor=user,
            verb=Verb.PARTNER_TASK_VIEWED,
            target=task,
            subject=decision_young_person(task.decision),
            basis="assignee" if task.assignee_id == user.pk else "meeting",
        )
    return task


def record_task_listing(user: Any, *, count: int) -> None:
    """Record that ``user`` listed their partner-system tasks (names of young people)."""
    audit_record(
        actor=user,
        verb=Verb.PARTNER_TASKS_LISTED,
        basis="assignee",
        changes={"listed": count},
    )


def access_decision(user: Any, pk: Any) -> Decision:
    """A decision of a meeting the user may minute (chair, business support); Http404 if they
    may not see its meeting."""
    decision = (
        Decision.objects.select_related(
            "item", "item__meeting", "item__meeting__meeting_type", "young_person", "recorded_by"
        )
        .filter(pk=pk, item__meeting__area_id=user.area_id)
        .first()
    )
    if decision is None or not policy.check("can_view_meeting", user, decision.item.meeting):
        raise Http404("No such decision")
    if not policy.check("can_minute_meeting", user, decision.item.meeting):
        raise NotPermitted()
    return decision
