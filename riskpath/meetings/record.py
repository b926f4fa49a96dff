"""What meetings add to a young person's record: the actions agreed about them, on their
timeline, for users who may see actions, leaving out those raised in a confidential slot the
user was not in and does not own."""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator

from riskpath.access import policy
from riskpath.meetings.access import actions_visible_q
from riskpath.meetings.models import Action
from riskpath.people import timeline
from riskpath.people.models import YoungPerson


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    """Actions about the young person agreed at meetings that the user may know exist, dated
    when agreed, with where they stand (open and due, or closed with an outcome)."""
    actions = (
        Action.objects.filter(young_person=person, area_id=person.area_id)
        .filter(actions_visible_q(user))
        .select_related("meeting", "owner_user", "owner_agency")
        .order_by("-created_at")[:limit]
    )
    entries = []
    for action in actions:
        owner = " and ".join(
            str(o)
            for o in (
                action.owner_user.full_name if action.owner_user else None,
                action.owner_agency,
            )
            if o
        )
        if action.is_open:
            state = f"open, due {timeline.long_date(action.due_on)}"
        else:
            state = f"closed: {Truncator(action.outcome).chars(120)}"
        day = timeline.local_date(action.created_at)
        entries.append(
            timeline.Entry(
                when=action.created_at,
                kind=timeline.ACTION,
                summary=(
                    f"Action agreed at {action.meeting}: {Truncator(action.description).chars(160)}"
                    f" ({owner}; {state})"
                ),
                sort_key=timeline.key(day, action.created_at),
            )
        )
    return entries


timeline.register_source(
    timeline.ACTION,
    label="Action",
    filter_label="Meeting actions",
    order=70,
    visible=lambda user, person: policy.check("can_view_actions", user, person),
    entries=_entries,
)
