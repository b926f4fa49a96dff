"""Telling users their work: when something becomes theirs (from the audit events of the work
that made it so) and, daily, what falls due or is late. Each notice goes through
``notifications.notify`` with a key, so it is made once however often it is computed.

Jobs are enqueued by ``on_event``, inside the transaction of the event's work; the jobs read the
domain's state when they run, so a notice always says what is true then. Titles and e-mails
name no one."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django_tasks.base import Task

from riskpath.access.policy import RECORDING_ROLES
from riskpath.accounts.enums import Role
from riskpath.accounts.models import Area, User
from riskpath.audit.models import AuditEvent
from riskpath.audit.services import event_recorded
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.intelligence.models import IntelligenceItem
from riskpath.jobs.runner import job
from riskpath.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    CoreMember,
    Meeting,
    MeetingStatus,
    MeetingType,
    MemberCapacity,
    PartnerTask,
)
from riskpath.notifications.services import notify
from riskpath.pathway.models import Episode
from riskpath.pathway.reminders import remind
from riskpath.pathway.selectors import next_steps, with_detail
from riskpath.people.models import YoungPerson
from riskpath.work.selectors import forget_count
from riskpath.work.sources import PARTNER_TASK_WORKING_DAYS

logger = logging.getLogger("riskpath.work")

# Reminded of from this many working days before the date, and every day it is late.
REMIND_WORKING_DAYS = 3
CHAIRS = (MemberCapacity.CHAIR, MemberCapacity.VICE_CHAIR)


def _tell(
    users: Iterable[User], *, kind: str, title: str, url: str, key: str, due: Any = None
) -> int:
    told = 0
    for user in {u.pk: u for u in users}.values():
        if notify(recipient=user, kind=kind, title=title, url=url, key=key, due_on=due):
            told += 1
        forget_count(user.pk)
    return told


def _agency_members(agency_id: Any) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, roles__role__in=list(RECORDING_ROLES)
        ).distinct()
    )


def _area_users(area_id: Any, *roles: str) -> list[User]:
    return list(
        User.objects.filter(
            agency__area_id=area_id, is_active=True, roles__role__in=list(roles)
        ).distinct()
    )


def _action_owners(action: Action) -> list[User]:
    users = [action.owner_user] if action.owner_user and action.owner_user.is_active else []
    if action.owner_agency_id:
        users += _agency_members(action.owner_agency_id)
    return users


# ---------------------------------------------------------------------------------------------
# When something becomes someone's
# ---------------------------------------------------------------------------------------------


@job
def episode_turn(episode_id: str, actor_id: str = "") -> int:
    """ "Your turn": each owner of each step the episode now waits for is told once (per step
    and due date), except the user whose own step just led to it."""
    episode = with_detail(Episode.objects.filter(pk=episode_id)).first()
    if episode is None or not episode.is_open:
        return 0
    url = reverse("pathway:detail", args=[episode.pk])
    told = 0
    for step in next_steps(episode):
        told += _tell(
            [owner for owner in step.owners if str(owner.pk) != actor_id],
            kind="your_turn",
            title=f"Your turn: {step.label}",
            url=url,
            key=f"turn:{episode.pk}:{step.key}:{step.due or ''}",
            due=step.due,
        )
    return told


@job
def action_created(action_id: str) -> int:
    action = Action.objects.select_related("owner_user").filter(pk=action_id).first()
    if action is None or action.status != ActionStatus.OPEN:
        return 0
    return _tell(
        _action_owners(action),
        kind="action",
        title="A meeting action is yours or your agency's",
        url=reverse("meetings:action_detail", args=[action.pk]),
        key=f"action-new:{action.pk}",
        due=action.due_on,
    )


@job
def partner_task_created(task_id: str) -> int:
    task = PartnerTask.objects.select_related("assignee").filter(pk=task_id).first()
    if task is None or task.assignee is None or task.done_at is not None:
        return 0
    return _tell(
        [task.assignee],
        kind="partner_task",
        title=f"Record a meeting's decision in {task.get_system_display()}",
        url=reverse("meetings:partner_task_detail", args=[task.pk]),
        key=f"partner-task-new:{task.pk}",
    )


@job
def agenda_item_added(item_id: str) -> int:
    item = (
        AgendaItem.objects.select_related("young_person__lead_professional", "meeting")
        .filter(pk=item_id, removed_at__isnull=True)
        .first()
    )
    if item is None or item.young_person is None or item.young_person.lead_professional is None:
        return 0
    return _tell(
        [item.young_person.lead_professional],
        kind="agenda",
        title="A young person you lead is on a meeting's agenda",
        url=reverse("people:detail", args=[item.young_person_id]),
        key=f"agenda:{item.pk}",
        due=item.meeting.starts_at.date(),
    )


@job
def emergency_opening(young_person_id: str, event_seq: int) -> int:
    person = (
        YoungPerson.objects.select_related("lead_professional").filter(pk=young_person_id).first()
    )
    if person is None or person.lead_professional is None:
        return 0
    return _tell(
        [person.lead_professional],
        kind="emergency_access",
        title="Someone used emergency access to see a young person you lead",
        url=reverse("people:record_views", args=[person.pk]),
        key=f"break-glass:{event_seq}",
    )


@job
def papers_published(meeting_id: str) -> int:
    meeting = Meeting.objects.filter(pk=meeting_id, papers_published_at__isnull=False).first()
    if meeting is None:
        return 0
    invited = User.objects.filter(
        pk__in=Attendance.objects.filter(meeting=meeting, user__isnull=False).values("user_id")
    )
    return _tell(
        invited,
        kind="papers",
        title="Papers are published for a meeting you are invited to",
        url=reverse("meetings:detail", args=[meeting.pk]),
        key=f"papers-published:{meeting.pk}",
        due=meeting.starts_at.date(),
    )


@job
def minutes_approved(meeting_id: str) -> int:
    meeting = Meeting.objects.filter(
        pk=meeting_id, approved_at__isnull=False, circulated_at__isnull=True
    ).first()
    if meeting is None:
        return 0
    return _tell(
        _area_users(meeting.area_id, Role.ADMINISTRATOR),
        kind="minutes",
        title="Approved minutes are ready to circulate",
        url=reverse("meetings:detail", args=[meeting.pk]),
        key=f"minutes-approved:{meeting.pk}",
        due=meeting.minutes_due_on,
    )


@job
def disclosure_requested(item_id: str, event_seq: int) -> int:
    item = IntelligenceItem.objects.filter(pk=item_id).first()
    if item is None:
        return 0
    return _tell(
        _agency_members(item.source_agency_id),
        kind="disclosure",
        title="A request to see restricted intelligence of your agency awaits a decision",
        url=reverse("intelligence:disclosure_list"),
        key=f"disclosure:{event_seq}",
    )


def _by_target(task: Task[..., Any]) -> Callable[[AuditEvent], None]:
    """Enqueue ``task`` with the event's target's id."""

    def handle(event: AuditEvent) -> None:
        if event.target_id:
            task.enqueue(event.target_id)

    return handle


def _with_seq(task: Task[..., Any]) -> Callable[[AuditEvent], None]:
    """Enqueue ``task`` with the event's target's id and the event's number (its key)."""

    def handle(event: AuditEvent) -> None:
        if event.target_id:
            task.enqueue(event.target_id, event.seq)

    return handle


def _emergency(event: AuditEvent) -> None:
    if event.target_type == "people.youngperson" and event.target_id:
        emergency_opening.enqueue(event.target_id, event.seq)


def _turn(event: AuditEvent) -> None:
    if event.target_id:
        episode_turn.enqueue(event.target_id, str(event.actor_id or ""))


HANDLERS: dict[str, Callable[[AuditEvent], None]] = {
    Verb.EPISODE_OPENED: _turn,
    Verb.EPISODE_STEP_RECORDED: _turn,
    Verb.FLAG_CONFIRMED: _turn,
    Verb.ACTION_CREATED: _by_target(action_created),
    Verb.PARTNER_TASK_CREATED: _by_target(partner_task_created),
    Verb.AGENDA_ITEM_ADDED: _by_target(agenda_item_added),
    Verb.PAPERS_PUBLISHED: _by_target(papers_published),
    Verb.MINUTES_APPROVED: _by_target(minutes_approved),
    Verb.EMERGENCY_ACCESS_GRANTED: _emergency,
    Verb.DISCLOSURE_REQUESTED: _with_seq(disclosure_requested),
}


@receiver(event_recorded, dispatch_uid="riskpath.work.notices")
def on_event(sender: Any, event: AuditEvent, **kwargs: Any) -> None:
    handler = HANDLERS.get(event.verb)
    if handler is not None:
        handler(event)


# ---------------------------------------------------------------------------------------------
# Every day: what falls due or is late
# ---------------------------------------------------------------------------------------------


def _when(due: dt.date | None, today: dt.date) -> str:
    return "late" if due is not None and due < today else "due"


def remind_area(area: Area, today: dt.date) -> int:
    """Today's reminders for one area: actions due within three working days or overdue,
    minutes and papers due or late, partner-system tasks unconfirmed after five working days,
    terms of reference due for review. Once per thing, recipient and day."""
    calendar = workdays.for_area(area)
    horizon = calendar.add(today, REMIND_WORKING_DAYS)
    told = 0
    actions = Action.objects.filter(
        area=area, status=ActionStatus.OPEN, due_on__lte=horizon
    ).select_related("owner_user")
    for action in actions:
        late = action.due_on < today
        told += _tell(
            _action_owners(action),
            kind="action",
            title=f"A meeting action is {'overdue' if late else 'due soon'}",
            url=reverse("meetings:action_detail", args=[action.pk]),
            key=f"action:{action.pk}:{today}",
            due=action.due_on,
        )
    admins = _area_users(area.pk, Role.ADMINISTRATOR)
    held = Meeting.objects.filter(
        area=area,
        held_at__isnull=False,
        circulated_at__isnull=True,
        minutes_due_on__lte=horizon,
    ).exclude(status=MeetingStatus.CANCELLED)
    for meeting in held:
        told += _tell(
            admins,
            kind="minutes",
            title=f"Minutes are {_when(meeting.minutes_due_on, today)}",
            url=reverse("meetings:detail", args=[meeting.pk]),
            key=f"minutes:{meeting.pk}:{today}",
            due=meeting.minutes_due_on,
        )
    unpublished = Meeting.objects.filter(
        area=area,
        status=MeetingStatus.SCHEDULED,
        papers_published_at__isnull=True,
        papers_due_on__lte=horizon,
        starts_at__date__gte=today,
    )
    for meeting in unpublished:
        told += _tell(
            admins,
            kind="papers",
            title=f"Papers are {_when(meeting.papers_due_on, today)}",
            url=reverse("meetings:detail", args=[meeting.pk]),
            key=f"papers:{meeting.pk}:{today}",
            due=meeting.papers_due_on,
        )
    cutoff = calendar.before(today, PARTNER_TASK_WORKING_DAYS)
    unconfirmed = PartnerTask.objects.filter(
        area=area, done_at__isnull=True, assignee__isnull=False, created_at__date__lte=cutoff
    ).select_related("assignee")
    for task in unconfirmed:
        told += _tell(
            [task.assignee] if task.assignee else [],
            kind="partner_task",
            title="A partner-system task is not yet confirmed done",
            url=reverse("meetings:partner_task_detail", args=[task.pk]),
            key=f"partner-task:{task.pk}:{today}",
        )
    for meeting_type in MeetingType.objects.filter(
        area=area, is_active=True, terms_review_on__lte=horizon
    ):
        chairs = User.objects.filter(
            pk__in=CoreMember.objects.filter(meeting_type=meeting_type, capacity__in=CHAIRS).values(
                "user_id"
            )
        )
        told += _tell(
            [*chairs, *admins],
            kind="terms_of_reference",
            title="Terms of reference are due for review",
            url=reverse("meetings:type_detail", args=[meeting_type.pk]),
            key=f"terms:{meeting_type.pk}:{today}",
            due=meeting_type.terms_review_on,
        )
    return told


@job
def daily_reminders() -> int:
    """Every area's reminders for today (scheduled daily; a rerun tells no one twice)."""
    today = clock.today()
    told = 0
    for area in Area.objects.all().order_by("name"):
        told += remind_area(area, today)
    logger.info("daily reminders", extra={"told": told})
    return told


@job
def pathway_reminders() -> int:
    """The pathway's step reminders (``riskpath remind``), run by the worker."""
    result = remind()
    return result.sent
