"""Reads of groups and their members, scoped to the user's area and the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from riskpath.access import policy
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound, NotPermitted
from riskpath.groups.ends import Shown, show, visible_young_person_ids
from riskpath.groups.models import Group, GroupKind, GroupMembership
from riskpath.groups.services import BASIS

LIST_LIMIT = 500


def group_search_for_user(user: Any, *, search: str = "", kind: str = "") -> QuerySet[Group]:
    """The area's groups matching ``search`` (name) and ``kind``, each with ``current_members``
    (open memberships), in a stable order. Not audited (names no one)."""
    if not policy.check("can_view_group", user):
        return Group.objects.none()
    qs = Group.objects.filter(area_id=user.area_id).annotate(
        current_members=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )
    if kind in GroupKind.values:
        qs = qs.filter(kind=kind)
    for term in search.split():
        qs = qs.filter(name__icontains=term)
    return qs.order_by("name", "pk")


def group_list_for_user(user: Any, *, search: str = "", kind: str = "") -> list[Group]:
    """The groups the list page shows, the listing recorded (fails closed)."""
    groups = list(group_search_for_user(user, search=search, kind=kind)[:LIST_LIMIT])
    record_group_listing(user, count=len(groups), searched=bool(search), kind=kind)
    return groups


def record_group_listing(user: Any, *, count: int, searched: bool = False, kind: str = "") -> None:
    audit_listing(user, Verb.GROUPS_LISTED, count=count, basis=BASIS, searched=searched, kind=kind)


def access_group(user: Any, pk: Any, *, rule: str = "can_view_group") -> Group:
    """The group ``pk`` if ``user`` passes ``rule`` for it; another area's is a 404."""
    group = (
        Group.objects.select_related("recording_agency").filter(pk=pk, area_id=user.area_id).first()
    )
    if group is None:
        raise NotFound("No such group")
    if not policy.check(rule, user, group):
        raise NotPermitted()
    return group


def membership_get_for_user(
    user: Any, pk: Any, membership_pk: Any, *, rule: str = "can_view_group"
) -> tuple[Group, GroupMembership]:
    """A group and one of its memberships, the read recorded (fails closed)."""
    with transaction.atomic():
        group = access_group(user, pk, rule=rule)
        membership = access_membership(user, group, membership_pk)
        audit_record(
            actor=user,
            verb=Verb.GROUP_VIEWED,
            target=group,
            subject=membership.young_person,
            basis=BASIS,
            changes={"membership": str(membership.pk)},
        )
    return group, membership


def group_get_for_user(user: Any, pk: Any, *, rule: str = "can_view_group") -> Group:
    """Look up (passing ``rule``) and record the read in one step (fails closed)."""
    with transaction.atomic():
        group = access_group(user, pk, rule=rule)
        audit_record(actor=user, verb=Verb.GROUP_VIEWED, target=group, basis=BASIS)
    return group


@dataclass(frozen=True)
class MemberRow:
    membership: GroupMembership
    person: Shown


@dataclass(frozen=True)
class Members:
    current: list[MemberRow]
    past: list[MemberRow]


def group_members_for_user(user: Any, group: Group) -> Members:
    """Current and past members, each shown as the user may see them (a young person they
    are not involved with is not named)."""
    memberships = list(
        group.memberships.select_related(
            "young_person", "person_of_interest__young_person"
        ).order_by("-joined_on", "-created_at")
    )
    visible = visible_young_person_ids(user, (m.young_person_id for m in memberships))
    current: list[MemberRow] = []
    past: list[MemberRow] = []
    for m in memberships:
        row = MemberRow(membership=m, person=show(m.young_person or m.person_of_interest, visible))
        (current if m.left_on is None else past).append(row)
    past.sort(key=lambda r: (r.membership.left_on, r.membership.created_at), reverse=True)
    return Members(current=current, past=past)


def access_membership(user: Any, group: Group, pk: Any) -> GroupMembership:
    membership = (
        GroupMembership.objects.select_related("group", "young_person", "person_of_interest")
        .filter(pk=pk, group=group)
        .first()
    )
    if membership is None:
        raise NotFound("No such membership")
    return membership
