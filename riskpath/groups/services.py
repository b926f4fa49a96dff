"""Writes to groups and their members over time: policy check, validation, write and audit
event in one transaction. Memberships are never deleted: a member leaves on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record, field_changes, snapshot
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.groups.models import Group, GroupKind, GroupMembership
from riskpath.people.models import PersonOfInterest, YoungPerson

FIELDS = ["name", "kind", "description"]
BASIS = "recording member of the partnership"


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = {
        "name": (values.get("name") or "").strip(),
        "kind": values.get("kind"),
        "description": (values.get("description") or "").strip(),
    }
    if not out["name"]:
        errors["name"] = "Enter the name of the group"
    elif len(out["name"]) > 160:
        errors["name"] = "Name must be 160 characters or fewer"
    if out["kind"] not in GroupKind.values:
        errors["kind"] = "Select the type of group"
    if errors:
        raise FieldErrors(errors)
    return out


def group_create(*, actor: User, name: str, kind: str, description: str = "") -> Group:
    if not policy.check("can_record_group", actor):
        raise NotPermitted()
    values = _clean({"name": name, "kind": kind, "description": description})
    with transaction.atomic():
        group = Group.objects.create(
            area_id=actor.area_id, recording_agency_id=actor.agency_id, recorded_by=actor, **values
        )
        audit_record(
            actor=actor,
            verb=Verb.GROUP_CREATED,
            target=group,
            basis=BASIS,
            changes=field_changes({}, snapshot(group, FIELDS)),
        )
    return group


def group_update(*, actor: User, group: Group, expected_version: int, **values: Any) -> Group:
    if not policy.check("can_record_group", actor, group):
        raise NotPermitted()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a group: {sorted(unknown)}")
    merged = _clean({name: values.get(name, getattr(group, name)) for name in FIELDS})
    before = snapshot(group, FIELDS)
    for name, value in merged.items():
        setattr(group, name, value)
    with transaction.atomic():
        save_versioned(group, expected_version=expected_version, fields=FIELDS, label="group")
        audit_record(
            actor=actor,
            verb=Verb.GROUP_UPDATED,
            target=group,
            basis=BASIS,
            changes=field_changes(before, snapshot(group, FIELDS)),
        )
    return group


def _member_label(membership: GroupMembership) -> str:
    if membership.young_person_id:
        return f"young person {membership.young_person} ({membership.young_person_id})"
    poi = membership.person_of_interest
    return f"person of interest {poi} ({membership.person_of_interest_id})"


def group_member_add(
    *,
    actor: User,
    group: Group,
    joined_on: dt.date | None,
    young_person: YoungPerson | None = None,
    person_of_interest: PersonOfInterest | None = None,
) -> GroupMembership:
    """Add a young person or a person of interest (of the group's area) from ``joined_on``.
    A person cannot be an open member of the same group twice."""
    if not policy.check("can_record_group", actor, group):
        raise NotPermitted()
    errors: dict[str, str] = {}
    if (young_person is None) == (person_of_interest is None):
        errors["member"] = "Select one young person or one person of interest"
    elif young_person is not None:
        if young_person.area_id != group.area_id or young_person.is_deleted:
            errors["member"] = "Select a young person in your area"
        elif not policy.check("can_view_young_person", actor, young_person):
            errors["member"] = "Select a young person you are involved with"
    elif person_of_interest is not None and (
        person_of_interest.area_id != group.area_id or person_of_interest.is_deleted
    ):
        errors["member"] = "Select a person of interest in your area"
    if joined_on is None:
        errors["joined_on"] = "Enter the date they joined the group"
    elif joined_on > clock.today():
        errors["joined_on"] = "The date they joined must be today or in the past"
    if errors:
        raise FieldErrors(errors)
    assert joined_on is not None
    person_filter: dict[str, Any] = (
        {"young_person": young_person}
        if young_person is not None
        else {"person_of_interest": person_of_interest}
    )
    duplicate = FieldErrors({"member": "They are already a member of this group"})
    try:
        with transaction.atomic():
            if group.memberships.filter(left_on__isnull=True, **person_filter).exists():
                raise duplicate
            membership = GroupMembership.objects.create(
                group=group, joined_on=joined_on, **person_filter
            )
            audit_record(
                actor=actor,
                verb=Verb.GROUP_MEMBERSHIP_CHANGED,
                target=group,
                subject=young_person,
                basis=BASIS,
                changes={
                    "member": {"before": None, "after": _member_label(membership)},
                    "joined_on": {"before": None, "after": joined_on.isoformat()},
                },
            )
    except IntegrityError as exc:  # a concurrent add got there first
        raise duplicate from exc
    return membership


def group_member_end(
    *, actor: User, membership: GroupMembership, left_on: dt.date | None
) -> GroupMembership:
    """The member left the group on ``left_on``. The membership is kept as history."""
    group = membership.group
    if not policy.check("can_record_group", actor, group):
        raise NotPermitted()
    if membership.left_on is not None:
        raise DomainError("This membership has already ended.")
    if left_on is None:
        raise FieldErrors({"left_on": "Enter the date they left the group"})
    if left_on > clock.today():
        raise FieldErrors({"left_on": "The date they left must be today or in the past"})
    if membership.joined_on is not None and left_on < membership.joined_on:
        raise FieldErrors(
            {"left_on": "The date they left must be the same as or after the date they joined"}
        )
    with transaction.atomic():
        updated = GroupMembership.objects.filter(pk=membership.pk, left_on__isnull=True).update(
            left_on=left_on, updated_at=clock.now()
        )
        if updated != 1:
            raise DomainError("This membership has already ended.")
        membership.left_on = left_on
        audit_record(
            actor=actor,
            verb=Verb.GROUP_MEMBERSHIP_CHANGED,
            target=group,
            subject=membership.young_person,
            basis=BASIS,
            changes={
                "member": {"before": _member_label(membership), "after": None},
                "left_on": {"before": None, "after": left_on.isoformat()},
            },
        )
    return membership
