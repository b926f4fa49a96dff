"""Reading actions: the register, "My actions", the open actions carried into a meeting, one
action; and what a reader may be shown of each (the young person and the confidential slot,
on a need-to-know basis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import NotPermitted
from riskpath.meetings.access import (
    actions_visible_q,
    in_slot_q,
    openable_young_people,
    owner_q,
)
from riskpath.meetings.actions.services import HIDDEN_YOUNG_PERSON
from riskpath.meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Meeting,
)
from riskpath.people.models import PersonOfInterest

# ---------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------

RELATED = (
    "meeting",
    "meeting__meeting_type",
    "owner_user",
    "owner_user__agency",
    "owner_agency",
    "young_person",
    "person_of_interest",
    "person_of_interest__young_person",
    "location",
    "group",
    "item",
)


# What an agenda shows of a carried action, loaded in the one query (other fields load on
# access). Kept narrow: 2,000 open actions with every column of every related row is some
# 25 MB from the database, most of it text the agenda never shows.
CARRIED_FIELDS = (
    *(f.attname for f in Action._meta.concrete_fields),
    "meeting__id",
    "meeting__area_id",
    "meeting__meeting_type_id",
    "meeting__chair_id",
    "meeting__title",
    "meeting__starts_at",
    "meeting__status",
    "meeting__meeting_type__id",
    "meeting__meeting_type__name",
    "meeting__meeting_type__kind",
    "owner_user__id",
    "owner_user__full_name",
    "owner_user__email",
    "owner_user__is_active",
    "owner_user__agency_id",
    "owner_user__agency__id",
    "owner_user__agency__name",
    "owner_user__agency__area_id",
    "owner_agency__id",
    "owner_agency__name",
    "owner_agency__area_id",
    *(
        f"{prefix}__{name}"
        for prefix in ("young_person", "person_of_interest__young_person")
        for name in (
            "id",
            "area_id",
            "given_names",
            "family_name",
            "date_of_birth",
            "lead_professional_id",
            "recording_agency_id",
            "deleted_at",
        )
    ),
    "person_of_interest__id",
    "person_of_interest__area_id",
    "person_of_interest__given_names",
    "person_of_interest__family_name",
    "person_of_interest__young_person_id",
    "location__id",
    "location__area_id",
    "location__name",
    "group__id",
    "group__area_id",
    "group__name",
    "item__id",
    "item__title",
    "item__meeting_id",
)


def open_actions_carried_into(meeting: Meeting) -> QuerySet[Action]:
    """Every open action from earlier meetings of the same meeting type (those that started
    before this one), oldest due first. One query: the filter on area, status and due date
    runs on the action index (area, status, due_on), and the join to the meeting is by key.
    The related rows (meeting, owners, whom or what it is about, agenda item) come with it,
    narrowed to what an agenda shows (``CARRIED_FIELDS``)."""
    return (
        Action.objects.filter(
            area_id=meeting.area_id,
            status=ActionStatus.OPEN,
            meeting__meeting_type_id=meeting.meeting_type_id,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related(*RELATED)
        .only(*CARRIED_FIELDS)
        .order_by("due_on", "created_at", "pk")
    )


STATUS_FILTERS = ("open", "closed", "all")


@dataclass(frozen=True)
class ActionFilter:
    status: str = "open"
    owner_agency: Any = None
    overdue: bool = False
    meeting_type: Any = None
    due_before: dt.date | None = None

    def as_audit(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status}
        if self.owner_agency:
            out["owner_agency"] = str(self.owner_agency)
        if self.overdue:
            out["overdue"] = True
        if self.meeting_type:
            out["meeting_type"] = str(self.meeting_type)
        if self.due_before:
            out["due_before"] = self.due_before.isoformat()
        return out


def action_register_for_user(user: Any, criteria: ActionFilter) -> QuerySet[Action]:
    """Actions across every meeting of the user's area that match ``criteria``, soonest due
    first. Not audited: the caller records what it shows with ``record_action_listing``."""
    if not policy.check("can_view_actions", user):
        return Action.objects.none()
    qs = Action.objects.filter(area_id=user.area_id).filter(actions_visible_q(user))
    if criteria.status in ("open", "closed"):
        qs = qs.filter(status=criteria.status)
    if criteria.owner_agency:
        qs = qs.filter(
            Q(owner_agency_id=criteria.owner_agency)
            | Q(owner_user__agency_id=criteria.owner_agency)
        )
    if criteria.overdue:
        qs = qs.filter(status=ActionStatus.OPEN, due_on__lt=clock.today())
    if criteria.meeting_type:
        qs = qs.filter(meeting__meeting_type_id=criteria.meeting_type)
    if criteria.due_before:
        qs = qs.filter(due_on__lt=criteria.due_before)
    return qs.select_related(*RELATED).order_by("due_on", "created_at", "pk")


def my_actions_for_user(user: Any) -> QuerySet[Action]:
    """The actions the user owns or their agency owns: open first, then soonest due. (An
    owner may always know of their action, wherever it was raised.)"""
    if not policy.check("can_view_actions", user):
        return Action.objects.none()
    open_first = Case(
        When(status=ActionStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Action.objects.filter(area_id=user.area_id)
        .filter(owner_q(user))
        .select_related(*RELATED)
        .order_by(open_first, "due_on", "created_at", "pk")
    )


def record_action_listing(user: Any, *, count: int, filters: dict[str, Any]) -> None:
    audit_record(
        actor=user,
        verb=Verb.ACTIONS_LISTED,
        changes={"filters": filters, "count": count},
        basis="action register",
    )


def access_action(user: Any, pk: Any, *, rule: str = "can_view_actions") -> Action:
    """The action ``pk`` in the user's area (Http404 otherwise, and for an action raised in a
    confidential slot the user was not in and does not own: ``can_view_actions``); NotPermitted
    if the user fails ``rule`` for it. Does not audit."""
    action = Action.objects.select_related(*RELATED).filter(pk=pk, area_id=user.area_id).first()
    if action is None or not policy.check("can_view_actions", user, action):
        raise Http404("No such action")
    if rule != "can_view_actions" and not policy.check(rule, user, action):
        raise NotPermitted()
    return action


def action_get_for_user(user: Any, pk: Any, *, rule: str = "can_view_actions") -> Action:
    """Look up one action (passing ``rule``) and record the read (with the young person it is
    about, if any). Pages that show the action to change it read it through here too."""
    with transaction.atomic():
        action = access_action(user, pk, rule=rule)
        shown = about_young_person_visible(user, action)
        audit_record(
            actor=user,
            verb=Verb.ACTIONS_LISTED,
            target=action,
            subject=action.young_person if shown else None,
            changes={"action": str(action.pk), "count": 1},
            basis="action register",
        )
    return action


def updates_of(action: Action) -> list[ActionUpdate]:
    return list(action.updates.select_related("recorded_by", "recorded_by__agency"))


# ---------------------------------------------------------------------------------------------
# Showing an action: need-to-know about the young person and the confidential slot
# ---------------------------------------------------------------------------------------------


def about_young_person_visible(
    user: Any, action: Action, cache: dict[Any, bool] | None = None
) -> bool:
    """May ``user`` see the name of the young person the action is about?"""
    if action.young_person_id is None:
        return True
    if cache is not None and action.young_person_id in cache:
        return cache[action.young_person_id]
    seen = policy.check("can_view_young_person", user, action.young_person)
    if cache is not None:
        cache[action.young_person_id] = seen
    return seen


def about_label(user: Any, action: Action, cache: dict[Any, bool] | None = None) -> str:
    """Whom or what the action is about, in words; a young person the user may not see is
    not named. ``cache`` maps young people's ids to whether the user may open them (filled
    one by one when not given: ``rows_for`` fills it for a page at once)."""
    cache = cache if cache is not None else {}
    parts: list[str] = []
    if action.young_person_id is not None:
        if about_young_person_visible(user, action, cache):
            parts.append(str(action.young_person))
        else:
            parts.append(HIDDEN_YOUNG_PERSON)
    poi = action.person_of_interest
    if poi is not None:
        if poi.young_person_id is not None and not _visible(user, poi.young_person, cache):
            parts.append("a person of interest you are not involved with")
        else:
            parts.append(f"{poi} (person of interest)")
    if action.location is not None:
        parts.append(str(action.location))
    if action.group is not None:
        parts.append(f"{action.group} (group)")
    return "; ".join(parts)


def _visible(user: Any, person: Any, cache: dict[Any, bool]) -> bool:
    if person.pk not in cache:
        cache[person.pk] = policy.check("can_view_young_person", user, person)
    return cache[person.pk]


def owner_label(action: Action) -> str:
    parts = []
    if action.owner_user is not None:
        name = action.owner_user.full_name or action.owner_user.email
        parts.append(name)
    if action.owner_agency is not None:
        parts.append(str(action.owner_agency))
    elif action.owner_user is not None and action.owner_user.agency is not None:
        parts[-1] = f"{parts[-1]}, {action.owner_user.agency}"
    return ", ".join(parts)


def is_overdue(action: Action, today: dt.date | None = None) -> bool:
    return action.is_open and action.due_on < (today or clock.today())


CONFIDENTIAL_SLOT = "a confidential slot"
HIDDEN_ITEM = "an item about a young person you are not involved with"


@dataclass
class ActionRow:
    """An action as a page or the API shows it to one user."""

    action: Action
    about: str
    young_person_visible: bool
    owner: str
    overdue: bool
    # The agenda item it was raised against, as the user may know it: its title, or "a
    # confidential slot" for an owner who was not in the slot; '' when raised outside an item.
    item_title: str = ""
    in_slot: bool = True  # False: raised in a confidential slot the user was not in
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def item_id(self) -> Any:
        """The item's id, for those who may know of the item (None otherwise)."""
        return self.action.item_id if self.in_slot else None


def rows_for(user: Any, actions: Any) -> list[ActionRow]:
    """The actions (which the user may know exist) as rows for ``user``: in a fixed number of
    queries whatever their number — which young people the user may open, and which
    confidential slots they were in, are each asked once for the lot."""
    actions = list(actions)
    items = [a.item for a in actions if a.item_id is not None and a.item is not None]
    poi_people = (
        dict(
            PersonOfInterest.objects.filter(
                pk__in={i.person_of_interest_id for i in items if i.person_of_interest_id}
            ).values_list("pk", "young_person_id")
        )
        if any(i.person_of_interest_id for i in items)
        else {}
    )
    people = (
        {a.young_person_id for a in actions}
        | {a.person_of_interest.young_person_id for a in actions if a.person_of_interest}
        | {i.young_person_id for i in items}
        | set(poi_people.values())
    )
    people.discard(None)
    openable = openable_young_people(user, people)
    cache = {pk: pk in openable for pk in people}
    confidential = [a.pk for a in actions if a.item_id and a.item and a.item.confidential]
    in_slot = (
        set(
            Action.objects.filter(pk__in=confidential)
            .filter(in_slot_q(user))
            .values_list("pk", flat=True)
        )
        if confidential
        else set()
    )
    today = clock.today()
    rows = []
    for action in actions:
        was_in = action.pk not in confidential or action.pk in in_slot
        title = ""
        item = action.item if action.item_id is not None else None
        if item is not None:
            about = {item.young_person_id, poi_people.get(item.person_of_interest_id)}
            if not was_in:
                title = CONFIDENTIAL_SLOT
            elif about - {None} - openable:
                title = HIDDEN_ITEM
            else:
                title = item.title
        rows.append(
            ActionRow(
                action=action,
                about=about_label(user, action, cache),
                young_person_visible=about_young_person_visible(user, action, cache),
                owner=owner_label(action),
                overdue=is_overdue(action, today),
                item_title=title,
                in_slot=was_in,
            )
        )
    return rows
