"""What groups add to a young person's record: the groups they joined and left, on their
timeline, for users who may see groups."""

from __future__ import annotations

from typing import Any

from django.db.models import DateField
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse

from riskpath.access import policy
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
