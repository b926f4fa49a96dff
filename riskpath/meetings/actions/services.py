"""Recording an action at a meeting, editing it, adding an update and closing it with an
outcome; whom an action may be about and owned by."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.models import Agency, User
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import PersonOfInterest, YoungPerson
from riskpath.people.selectors import young_person_queryset_for_user

HIDDEN_YOUNG_PERSON = "a young person you are not involved with"
DESCRIPTION_MAX = 2000
TEXT_MAX = 4000

# ---------------------------------------------------------------------------------------------
# Who may be chosen
# ---------------------------------------------------------------------------------------------


def young_people_for_meeting(actor: Any, meeting: Meeting | None) -> QuerySet[YoungPerson]:
    """Young people an action or a referral may be about: those the actor is involved with,
    and those already on the meeting's agenda (or the young person the meeting is about)."""
    visible = young_person_queryset_for_user(actor).values("pk")
    condition = Q(pk__in=visible)
    if meeting is not None:
        on_agenda = AgendaItem.objects.filter(
            meeting=meeting, removed_at__isnull=True, young_person__isnull=False
        ).values("young_person_id")
        condition |= Q(pk__in=on_agenda)
        if meeting.young_person_id:
            condition |= Q(pk=meeting.young_person_id)
    return YoungPerson.objects.filter(area_id=meeting.area_id if meeting else actor.area_id).filter(
        condition
    )


def owners_for(area_id: Any) -> QuerySet[User]:
    return (
        User.objects.filter(agency__area_id=area_id, is_active=True)
        .select_related("agency")
        .order_by("full_name", "email")
    )


def agencies_for(area_id: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(area_id=area_id).order_by("name")


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


def _clean_text(value: Any) -> str:
    return str(value or "").strip()


def _validate_owner(
    area_id: Any, owner_user: User | None, owner_agency: Agency | None, errors: dict[str, str]
) -> None:
    if owner_user is None and owner_agency is None:
        errors["owner"] = "Choose who owns the action: a person, an agency, or both"
        return
    if owner_user is not None and (owner_user.area_id != area_id or not owner_user.is_active):
        errors["owner_user"] = "Choose an owner who is an active user in your area"
    if owner_agency is not None and owner_agency.area_id != area_id:
        errors["owner_agency"] = "Choose an agency in your area"


def _validate_due(meeting: Meeting, due_on: Any, errors: dict[str, str]) -> None:
    if not isinstance(due_on, dt.date):
        errors["due_on"] = "Enter the date the action is due"
        return
    held_on = timezone.localdate(meeting.starts_at)
    if due_on < held_on:
        errors["due_on"] = (
            f"The due date must be on or after the meeting's date ({held_on:%-d %B %Y})"
        )


def action_create(
    *,
    actor: Any,
    meeting: Meeting,
    description: str,
    due_on: Any,
    owner_user: User | None = None,
    owner_agency: Agency | None = None,
    item: AgendaItem | None = None,
    young_person: YoungPerson | None = None,
    person_of_interest: PersonOfInterest | None = None,
    location: Location | None = None,
    group: Group | None = None,
) -> Action:
    """Record an action at ``meeting`` (optionally against one of its agenda items). Those
    who minute the meeting (its chair, business support) record actions."""
    if not policy.check("can_minute_meeting", actor, meeting):
        raise NotPermitted("Only the chair or business support can record actions.")
    errors: dict[str, str] = {}
    description = _clean_text(description)
    if not description:
        errors["description"] = "Enter what the action is"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"The action must be {DESCRIPTION_MAX} characters or fewer"
    if meeting.status == MeetingStatus.CANCELLED:
        errors["meeting"] = "The meeting was cancelled: record the action at another meeting"
    if item is not None and (item.meeting_id != meeting.pk or item.is_removed):
        errors["item"] = "Choose an item on this meeting's agenda"
    _validate_owner(meeting.area_id, owner_user, owner_agency, errors)
    _validate_due(meeting, due_on, errors)
    for name, value in (
        ("young_person", young_person),
        ("person_of_interest", person_of_interest),
        ("location", location),
        ("group", group),
    ):
        if value is not None and value.area_id != meeting.area_id:
            errors[name] = "Choose a record in your area"
    if young_person is not None and "young_person" not in errors:
        allowed = young_people_for_meeting(actor, meeting).filter(pk=young_person.pk).exists()
        if not allowed:
            errors["young_person"] = (
                "Choose a young person on this meeting's agenda or one you are involved with"
            )
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        action = Action.objects.create(
            area_id=meeting.area_id,
            meeting=meeting,
            item=item,
            description=description,
            owner_user=owner_user,
            owner_agency=owner_agency,
            young_person=young_person,
            person_of_interest=person_of_interest,
            location=location,
            group=group,
            due_on=due_on,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb=Verb.ACTION_CREATED,
            target=action,
            subject=young_person,
            changes={
                "meeting": str(meeting.pk),
                "due_on": due_on.isoformat(),
                "owner_user": str(owner_user.pk) if owner_user else None,
                "owner_agency": str(owner_agency.pk) if owner_agency else None,
            },
        )
    return action


def _check_update(actor: Any, action: Action) -> None:
    if not policy.check("can_update_action", actor, action):
        raise NotPermitted(
            "Only the action's owner, their agency, business support or the meeting's chair "
            "can change this action."
        )


EDIT_FIELDS = ["description", "due_on", "owner_user", "owner_agency"]


def action_edit(*, actor: Any, action: Action, expected_version: int, **changes: Any) -> Action:
    """Change an open action's description, due date or owner. ``changes`` holds only the
    fields to change (any of ``EDIT_FIELDS``)."""
    _check_update(actor, action)
    unknown = set(changes) - set(EDIT_FIELDS)
    if unknown:
        raise FieldErrors({name: "This cannot be changed" for name in sorted(unknown)})
    if not action.is_open:
        raise FieldErrors({"status": "This action is closed and can no longer be changed"})
    errors: dict[str, str] = {}
    if "description" in changes:
        changes["description"] = _clean_text(changes["description"])
        if not changes["description"]:
            errors["description"] = "Enter what the action is"
        elif len(changes["description"]) > DESCRIPTION_MAX:
            errors["description"] = f"The action must be {DESCRIPTION_MAX} characters or fewer"
    owner_user = changes.get("owner_user", action.owner_user)
    owner_agency = changes.get("owner_agency", action.owner_agency)
    _validate_owner(action.area_id, owner_user, owner_agency, errors)
    if "due_on" in changes:
        _validate_due(action.meeting, changes["due_on"], errors)
    if errors:
        raise FieldErrors(errors)
    before = snapshot(action, EDIT_FIELDS)
    for name, value in changes.items():
        setattr(action, name, value)
    with transaction.atomic():
        save_versioned(
            action, expected_version=expected_version, fields=EDIT_FIELDS, label="action"
        )
        audit_record(
            actor=actor,
            verb=Verb.ACTION_UPDATED,
            target=action,
            subject=action.young_person,
            changes=field_changes(before, snapshot(action, EDIT_FIELDS)),
        )
    return action


def action_add_update(*, actor: Any, action: Action, text: str) -> ActionUpdate:
    """A dated note of progress on the action. Notes are appended, never edited, so two
    people adding notes at once both keep theirs."""
    _check_update(actor, action)
    text = _clean_text(text)
    if not text:
        raise FieldErrors({"text": "Enter the update"})
    if len(text) > TEXT_MAX:
        raise FieldErrors({"text": f"The update must be {TEXT_MAX} characters or fewer"})
    if not action.is_open:
        raise FieldErrors({"text": "This action is closed: it cannot be updated"})
    with transaction.atomic():
        update = ActionUpdate.objects.create(
            action=action, text=text, recorded_by=actor, recorded_at=clock.now()
        )
        audit_record(
            actor=actor,
            verb=Verb.ACTION_UPDATED,
            target=action,
            subject=action.young_person,
            changes={"update": str(update.pk)},
        )
    return update


def action_close(*, actor: Any, action: Action, outcome: str, expected_version: int) -> Action:
    """Close the action with its outcome. An action is never closed without one."""
    _check_update(actor, action)
    outcome = _clean_text(outcome)
    if not outcome:
        raise FieldErrors({"outcome": "Enter the outcome of the action"})
    if len(outcome) > TEXT_MAX:
        raise FieldErrors({"outcome": f"The outcome must be {TEXT_MAX} characters or fewer"})
    if not action.is_open:
        raise FieldErrors({"outcome": "This action is already closed"})
    action.status = ActionStatus.CLOSED
    action.outcome = outcome
    action.closed_at = clock.now()
    action.closed_by = actor
    with transaction.atomic():
        save_versioned(
            action,
            expected_version=expected_version,
            fields=["status", "outcome", "closed_at", "closed_by"],
            label="action",
        )
        audit_record(
            actor=actor,
            verb=Verb.ACTION_CLOSED,
            target=action,
            subject=action.young_person,
            changes={"outcome": outcome},
        )
    return action
