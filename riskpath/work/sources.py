"""Where work comes from: one source per kind of record, each reading only what the user may
know of (the access policy's rules and the owning app's scoped querysets), each a few queries
however large the area. Registered at import; ``selectors.work_for_user`` asks them all."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from riskpath.access import policy
from riskpath.access.models import EmergencyAccessGrant
from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import workdays
from riskpath.governance.enums import RequestStatus
from riskpath.governance.models import SubjectAccessRequest
from riskpath.governance.services import request_deadline
from riskpath.intelligence.enums import DisclosureStatus
from riskpath.intelligence.models import DisclosureRequest
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
from riskpath.pathway.models import EpisodeStatus, EscalationState, Flag, FlagSystem, Marmm
from riskpath.pathway.selectors import (
    DueStep,
    Owners,
    earliest_due,
    episode_queryset_for_user,
    next_steps,
    with_detail,
    with_urgency,
)
from riskpath.people.models import YoungPerson
from riskpath.work.items import MINE, TEAM, WAITING, Context, WorkItem, register_source

# Consultant social workers and managers see their team's and area's work as well as theirs.
OVERSIGHT_ROLES = frozenset(
    {Role.CONSULTANT_SOCIAL_WORKER, Role.SERVICE_MANAGER, Role.TEAM_MANAGER}
)
# Partner-system tasks are chased when not done after this many working days.
PARTNER_TASK_WORKING_DAYS = 5
# Terms of reference appear this many days before their review date.
TERMS_NOTICE_DAYS = 28
EMERGENCY_ACCESS_DAYS = 30
CHAIR_CAPACITIES = (MemberCapacity.CHAIR, MemberCapacity.VICE_CHAIR)


def _roles(user: Any) -> set[str]:
    return set(user.role_set())


# ---------------------------------------------------------------------------------------------
# The pathway: steps awaiting the user by role, team and episode; flags; MARMM reviews
# ---------------------------------------------------------------------------------------------


def _step_kind(step: DueStep) -> str:
    if step.key.startswith("flag:"):
        return "partner_task"
    if step.key == "review":
        return "review"
    return "pathway_step"


def _may_be_mine(user: Any) -> Q:
    """Episodes with a step that may be the user's (a superset: ``next_steps`` decides): their
    own cases, and those waiting for a role they hold (a service manager's agreement, a team
    manager's route, business support's minutes, a partner agency's flag)."""
    roles = _roles(user)
    q = Q(social_worker_id=user.pk) | Q(team_manager_id=user.pk)
    if Role.SERVICE_MANAGER in roles:
        q |= Q(status__in=[EpisodeStatus.AWAITING_AGREEMENT, EpisodeStatus.ENDING_PROPOSED])
        q |= Q(escalation=EscalationState.REQUESTED)
    unconfirmed = Flag.objects.filter(episode=OuterRef("pk"), confirmed_on__isnull=True)
    if Role.TEAM_MANAGER in roles:
        q |= Q(team_manager__isnull=True) & Q(
            status__in=[EpisodeStatus.AWAITING_ROUTE, EpisodeStatus.AWAITING_CARE_LEAVERS_DECISION]
        )
        q |= Q(social_worker__isnull=True) & Q(
            Exists(unconfirmed.filter(system=FlagSystem.SOCIAL_CARE))
        )
    if Role.ADMINISTRATOR in roles:
        q |= Q(
            Exists(Marmm.objects.filter(episode=OuterRef("pk"), minutes_circulated_on__isnull=True))
        )
    kind = getattr(getattr(user, "agency", None), "kind", None)
    systems = [
        system
        for system, kinds in policy.FLAG_CONFIRMING_AGENCY_KINDS.items()
        if kind in kinds and system != FlagSystem.SOCIAL_CARE
    ]
    if Role.PARTNER_REPRESENTATIVE in roles and systems:
        q |= Q(Exists(unconfirmed.filter(system__in=systems)))
    return q


def pathway_steps(ctx: Context) -> list[WorkItem]:
    """The steps of the open episodes the user may see, by whose they are: theirs (they are
    among its owners); waiting on others (their case, someone else's step); and, for
    consultant social workers and managers, their team's and area's: one row per other episode
    whose next step is overdue or due soon (read from the episode's dates in one query, so a
    large area's caseload costs no more than a page of it)."""
    user = ctx.user
    if not policy.check("can_view_episode", user):
        return []
    visible = episode_queryset_for_user(user).exclude(
        status__in=[EpisodeStatus.ENDED, EpisodeStatus.CLOSED]
    )
    mine = _may_be_mine(user)
    owners = Owners()
    items: list[WorkItem] = []
    for episode in with_detail(visible.filter(mine)).order_by("created_at"):
        url = reverse("pathway:detail", args=[episode.pk])
        own_case = user.pk in (episode.social_worker_id, episode.team_manager_id)
        for step in next_steps(episode, owners):
            if any(o.pk == user.pk for o in step.owners):
                whose = MINE
            elif own_case:
                whose = WAITING
            else:
                continue
            items.append(
                WorkItem(
                    kind=_step_kind(step),
                    title=step.label,
                    due=step.due,
                    url=url,
                    object_type="pathway.episode",
                    object_id=str(episode.pk),
                    whose=whose,
                    about=str(episode.young_person),
                )
            )
    if _roles(user) & OVERSIGHT_ROLES:
        items.extend(_oversight(visible.exclude(mine), ctx))
    return items


# What ``earliest_due`` reads of an episode (``with_urgency`` annotates the last three), and
# the name shown.
URGENCY_FIELDS: tuple[str, ...] = (
    "pk",
    "status",
    "marmm_due",
    "next_review_due",
    "initial_minutes_due",
    "pending_minutes_due",
    "pending_flag_due",
    "young_person__given_names",
    "young_person__family_name",
)


def _oversight(episodes: Any, ctx: Context) -> list[WorkItem]:
    rows = with_urgency(episodes).values(*URGENCY_FIELDS)
    items = []
    for row in rows:
        due = earliest_due(SimpleNamespace(**row))
        if due is None or due > ctx.soon:
            continue
        status = row["status"]
        items.append(
            WorkItem(
                kind="review" if status == EpisodeStatus.PLAN_IN_PLACE else "pathway_step",
                title=f"Next step: {EpisodeStatus(status).label}",
                due=due,
                url=reverse("pathway:detail", args=[row["pk"]]),
                object_type="pathway.episode",
                object_id=str(row["pk"]),
                whose=TEAM,
                about=f"{row['young_person__given_names']} {row['young_person__family_name']}",
            )
        )
    return items


# ---------------------------------------------------------------------------------------------
# Meetings: actions, partner-system tasks, minutes, papers, agenda items, terms of reference
# ---------------------------------------------------------------------------------------------


def meeting_actions(ctx: Context) -> list[WorkItem]:
    """Open actions the user owns, or their agency owns (each member of it sees them)."""
    user = ctx.user
    if not policy.check("can_view_actions", user):
        return []
    owned = Q(owner_user_id=user.pk)
    if user.agency_id is not None:
        owned |= Q(owner_agency_id=user.agency_id)
    actions = (
        Action.objects.filter(area_id=user.area_id, status=ActionStatus.OPEN)
        .filter(owned)
        .only("pk", "description", "due_on")
        .order_by("due_on")
    )
    return [
        WorkItem(
            kind="action",
            title=_short(action.description),
            due=action.due_on,
            url=reverse("meetings:action_detail", args=[action.pk]),
            object_type="meetings.action",
            object_id=str(action.pk),
        )
        for action in actions
    ]


def partner_tasks(ctx: Context) -> list[WorkItem]:
    """Decisions the user must carry into a partner system, due five working days after
    they were made."""
    user = ctx.user
    if not policy.check("can_view_partner_tasks", user):
        return []
    tasks = PartnerTask.objects.filter(
        area_id=user.area_id, assignee_id=user.pk, done_at__isnull=True
    ).select_related("area")
    calendar = None
    items = []
    for task in tasks:
        calendar = calendar or workdays.for_area(task.area)
        due = calendar.add(task.created_at.date(), PARTNER_TASK_WORKING_DAYS)
        items.append(
            WorkItem(
                kind="partner_task",
                title=f"Record a meeting's decision in {task.get_system_display()}",
                due=due,
                url=reverse("meetings:partner_task_detail", args=[task.pk]),
                object_type="meetings.partnertask",
                object_id=str(task.pk),
            )
        )
    return items


def _chaired_types(user: Any) -> set[Any]:
    return set(
        CoreMember.objects.filter(capacity__in=CHAIR_CAPACITIES)
        .filter(Q(user_id=user.pk) | Q(deputy_id=user.pk))
        .values_list("meeting_type_id", flat=True)
    )


def minutes(ctx: Context) -> list[WorkItem]:
    """Minutes to write and circulate (business support), and to approve (the chair)."""
    user = ctx.user
    if not policy.check("can_list_meetings", user):
        return []
    roles = _roles(user)
    items: list[WorkItem] = []
    held = Meeting.objects.filter(
        area_id=user.area_id, held_at__isnull=False, circulated_at__isnull=True
    ).exclude(status=MeetingStatus.CANCELLED)
    if Role.ADMINISTRATOR in roles:
        for meeting in held.only("pk", "title", "minutes_due_on", "approved_at"):
            if meeting.approved_at is None:
                title, url = "Write the minutes", reverse("meetings:minuting", args=[meeting.pk])
            else:
                title, url = "Circulate the minutes", reverse("meetings:detail", args=[meeting.pk])
            items.append(_meeting_item("minutes", title, meeting, meeting.minutes_due_on, url))
    chaired = _chaired_types(user)
    to_approve = held.filter(approved_at__isnull=True).filter(
        Q(chair_id=user.pk) | Q(chair__isnull=True, meeting_type_id__in=chaired)
    )
    for meeting in to_approve.only("pk", "title", "minutes_due_on"):
        items.append(
            _meeting_item(
                "minutes",
                "Approve the minutes",
                meeting,
                meeting.minutes_due_on,
                reverse("meetings:detail", args=[meeting.pk]),
            )
        )
    return items


def papers(ctx: Context) -> list[WorkItem]:
    """Papers to publish (business support) and, once published, to read before a meeting the
    user is invited to (until they have opened them)."""
    user = ctx.user
    if not policy.check("can_list_meetings", user):
        return []
    items: list[WorkItem] = []
    upcoming = Meeting.objects.filter(
        area_id=user.area_id, status=MeetingStatus.SCHEDULED, starts_at__date__gte=ctx.today
    )
    if Role.ADMINISTRATOR in _roles(user):
        unpublished = upcoming.filter(papers_due_on__isnull=False, papers_published_at__isnull=True)
        for meeting in unpublished.only("pk", "title", "papers_due_on"):
            items.append(
                _meeting_item(
                    "papers",
                    "Publish the papers",
                    meeting,
                    meeting.papers_due_on,
                    reverse("meetings:detail", args=[meeting.pk]),
                )
            )
    invited = Attendance.objects.filter(user_id=user.pk).values("meeting_id")
    published = list(
        upcoming.filter(pk__in=invited, papers_published_at__isnull=False).only(
            "pk", "title", "starts_at"
        )
    )
    opened = set(
        AuditEvent.objects.filter(
            actor_id=user.pk,
            verb=Verb.PAPERS_OPENED,
            target_id__in=[str(m.pk) for m in published],
        ).values_list("target_id", flat=True)
    )
    for meeting in published:
        if str(meeting.pk) in opened:
            continue
        items.append(
            _meeting_item(
                "papers",
                "Read the papers before the meeting",
                meeting,
                meeting.starts_at.date(),
                reverse("meetings:detail", args=[meeting.pk]),
            )
        )
    return items


def agenda_items(ctx: Context) -> list[WorkItem]:
    """Young people the user leads who are on the agenda of a coming meeting."""
    user = ctx.user
    if not policy.check("can_list_young_people", user):
        return []
    found = (
        AgendaItem.objects.filter(
            meeting__area_id=user.area_id,
            young_person__lead_professional_id=user.pk,
            removed_at__isnull=True,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__date__gte=ctx.today,
        )
        .select_related("young_person", "meeting__meeting_type")
        .order_by("meeting__starts_at")
    )
    return [
        WorkItem(
            kind="agenda",
            title=f"Prepare for the {item.meeting.meeting_type.name}: a young person you lead "
            "is on its agenda",
            due=item.meeting.starts_at.date(),
            url=reverse("people:detail", args=[item.young_person_id]),
            object_type="meetings.agendaitem",
            object_id=str(item.pk),
            about=str(item.young_person),
        )
        for item in found
    ]


def terms_of_reference(ctx: Context) -> list[WorkItem]:
    """Meeting types whose terms of reference fall due for review, for those who configure
    meetings and the types' chairs."""
    user = ctx.user
    horizon = ctx.today + dt.timedelta(days=TERMS_NOTICE_DAYS)
    types = MeetingType.objects.filter(
        area_id=user.area_id, is_active=True, terms_review_on__lte=horizon
    )
    if not policy.check("can_configure_meetings", user):
        types = types.filter(pk__in=_chaired_types(user))
    return [
        WorkItem(
            kind="terms_of_reference",
            title=f"Review the terms of reference of the {meeting_type.name}",
            due=meeting_type.terms_review_on,
            url=reverse("meetings:type_detail", args=[meeting_type.pk]),
            object_type="meetings.meetingtype",
            object_id=str(meeting_type.pk),
        )
        for meeting_type in types.only("pk", "name", "terms_review_on")
    ]


def _meeting_item(kind: str, title: str, meeting: Meeting, due: Any, url: str) -> WorkItem:
    return WorkItem(
        kind=kind,
        title=title,
        due=due,
        url=url,
        object_type="meetings.meeting",
        object_id=str(meeting.pk),
        about=meeting.title,
    )


# ---------------------------------------------------------------------------------------------
# Intelligence and access
# ---------------------------------------------------------------------------------------------


def disclosure_requests(ctx: Context) -> list[WorkItem]:
    """Requests to see restricted intelligence of the user's agency, to decide."""
    user = ctx.user
    if not policy.check("can_decide_disclosure", user) or user.agency_id is None:
        return []
    requests = DisclosureRequest.objects.filter(
        status=DisclosureStatus.REQUESTED,
        item__source_agency_id=user.agency_id,
        item__area_id=user.area_id,
    ).only("pk", "created_at")
    return [
        WorkItem(
            kind="disclosure",
            title="Decide a request to see restricted intelligence",
            due=None,
            url=reverse("intelligence:disclosure_decide", args=[request.pk]),
            object_type="intelligence.disclosurerequest",
            object_id=str(request.pk),
        )
        for request in requests
    ]


def emergency_access(ctx: Context) -> list[WorkItem]:
    """Emergency openings, in the last 30 days, of young people the user leads: to check."""
    user = ctx.user
    if not policy.check("can_list_young_people", user):
        return []
    led = {
        str(pk): name
        for pk, name in YoungPerson.objects.filter(lead_professional_id=user.pk).values_list(
            "pk", "family_name"
        )
    }
    if not led:
        return []
    grants = EmergencyAccessGrant.objects.filter(
        target_type="people.youngperson",
        target_id__in=list(led),
        created_at__gte=ctx.today - dt.timedelta(days=EMERGENCY_ACCESS_DAYS),
    ).only("pk", "target_id", "target_label")
    return [
        WorkItem(
            kind="emergency_access",
            title="Check an emergency opening of a young person you lead",
            due=None,
            url=reverse("people:record_views", args=[grant.target_id]),
            object_type="access.emergencyaccessgrant",
            object_id=str(grant.pk),
            about=grant.target_label,
        )
        for grant in grants
    ]


def subject_access_requests(ctx: Context) -> list[WorkItem]:
    """The information-governance officer's open subject access requests, due on their
    statutory deadline (none while it is paused)."""
    user = ctx.user
    if not policy.check("can_record_subject_access_request", user):
        return []
    requests = (
        SubjectAccessRequest.objects.filter(area_id=user.area_id)
        .exclude(status=RequestStatus.PRODUCED)
        .select_related("young_person", "area")
        .prefetch_related("pauses")
    )
    titles: dict[str, str] = {
        RequestStatus.RECEIVED: "Compile a subject access request",
        RequestStatus.COMPILED: "Review the redactions of a subject access request",
        RequestStatus.APPROVED: "Check a subject access request's disclosure was produced",
    }
    return [
        WorkItem(
            kind="subject_access",
            title=titles.get(r.status, "Answer a subject access request"),
            due=request_deadline(r).due,
            url=reverse("governance:request_detail", args=[r.pk]),
            object_type="governance.subjectaccessrequest",
            object_id=str(r.pk),
            about=str(r.young_person),
        )
        for r in requests
    ]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


for _name, _source in {
    "pathway": pathway_steps,
    "actions": meeting_actions,
    "partner_tasks": partner_tasks,
    "minutes": minutes,
    "papers": papers,
    "agenda": agenda_items,
    "terms_of_reference": terms_of_reference,
    "disclosure": disclosure_requests,
    "emergency_access": emergency_access,
    "subject_access": subject_access_requests,
}.items():
    register_source(_name, _source)
