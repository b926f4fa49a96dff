"""What groups add to a young person's record: the groups they joined and left, on their
timeline, for users who may see groups."""

from __future__ import annotations

from typing import Any

from django.db.models import DateField
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from riskpath.access import policy
from riskpath.governance import retention
from riskpath.governance import sources as sar
from riskpath.governance.enums import HoldScope
from riskpath.groups.models import GroupMembership
from riskpath.people import merge, timeline
from riskpath.people.models import PersonOfInterest, YoungPerson


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    base = GroupMembership.objects.filter(
        young_person=person, group__area_id=person.area_id, group__deleted_at__isnull=True
    ).select_related("group")
    joined = base.annotate(
        day=Coalesce("joined_on", TruncDate("created_at"), output_field=DateField())
    ).order_by("-day", "-created_at")[:limit]
    left = base.filter(left_on__isnull=False).order_by("-left_on", "-updated_at")[:limit]
    entries = []
    for m in joined:
        day = m.day
        entries.append(
            timeline.Entry(
                when=day,
                kind=timeline.GROUP,
                summary=f"Joined {m.group.get_kind_display().lower()} {m.group}",
                url=reverse("groups:detail", args=[m.group_id]),
                sort_key=timeline.key(day, m.created_at),
            )
        )
    for ended in left:
        left_on = ended.left_on or timeline.local_date(ended.updated_at)
        entries.append(
            timeline.Entry(
                when=left_on,
                kind=timeline.GROUP,
                summary=f"Left {ended.group.get_kind_display().lower()} {ended.group}",
                url=reverse("groups:detail", args=[ended.group_id]),
                sort_key=timeline.key(left_on, ended.updated_at),
            )
        )
    return entries


timeline.register_source(
    timeline.GROUP,
    label="Group",
    filter_label="Groups joined and left",
    order=60,
    visible=lambda user, person: policy.check("can_view_group", user, person),
    entries=_entries,
)


def _both_current_members(keep: Any, away: Any) -> str | None:
    end = "young_person" if isinstance(keep, YoungPerson) else "person_of_interest"
    both = (
        GroupMembership.objects.filter(**{end: keep, "left_on__isnull": True})
        .filter(
            group__in=GroupMembership.objects.filter(**{end: away, "left_on__isnull": True}).values(
                "group"
            )
        )
        .select_related("group")
        .first()
    )
    if both is None:
        return None
    return (
        f"Both records are current members of the group {both.group}. Record that one of "
        "them has left the group before merging."
    )


merge.register_check(_both_current_members)
merge.register_check(_both_current_members, model=PersonOfInterest)


def _held(person: YoungPerson) -> list[sar.Held]:
    """The groups the young person was a member of, for a subject access request."""
    out = []
    for m in GroupMembership.objects.filter(young_person=person).select_related("group"):
        left = f" to {m.left_on:%-d %B %Y}" if m.left_on else ""
        out.append(
            sar.Held(
                when=m.joined_on or m.created_at,
                kind="Group membership",
                title=f"Member of {m.group.get_kind_display().lower()} {m.group}{left}",
                ref=f"groups.groupmembership:{m.pk}",
            )
        )
    return out


sar.register_source("groups", label="Groups", order=60, entries=_held)


def _hold_covers(group_id: str) -> set[tuple[str, str]]:
    """A legal hold on a group holds its members' records, past and present."""
    members = GroupMembership.objects.filter(group_id=group_id, young_person__isnull=False)
    return {
        (retention.YOUNG_PERSON_KEY, str(pk))
        for pk in members.values_list("young_person_id", flat=True)
    }


def _hold_label(area_id: Any, group_id: str) -> str | None:
    from riskpath.groups.models import Group

    group = Group.all_objects.filter(area_id=area_id, pk=group_id).first()
    return str(group) if group else None


retention.register_hold_scope(HoldScope.GROUP, _hold_covers)
retention.register_hold_target(HoldScope.GROUP, _hold_label)
