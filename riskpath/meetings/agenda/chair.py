"""The chair's edits to an agenda: adding, changing, removing (with a reason), restoring and
reordering items. A confidential slot's title and detail reach the audit log only as digests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from riskpath.access import policy
from riskpath.audit.restricted import restricted
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings.agenda.sections import display_key
from riskpath.meetings.models import (
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson

# ---------------------------------------------------------------------------------------------
# The chair's edits
# ---------------------------------------------------------------------------------------------


def _editable(actor: Any, meeting: Meeting) -> None:
    if not policy.check("can_edit_agenda", actor, meeting):
        raise NotPermitted()
    if meeting.status in (MeetingStatus.APPROVED, MeetingStatus.CANCELLED):
        raise DomainError("The agenda of an approved or cancelled meeting cannot change.")


def _minutes(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise FieldErrors(
            {"minutes_allowed": "Enter the time allowed as a whole number of minutes"}
        ) from None
    if not 1 <= minutes <= 240:
        raise FieldErrors({"minutes_allowed": "Time allowed must be between 1 and 240 minutes"})
    return minutes


def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    detail: str = "",
    young_person: YoungPerson | None = None,
    minutes_allowed: Any = None,
    confidential: bool = False,
) -> AgendaItem:
    """The chair adds an item (any other business, or a young person not put there by the
    record). It goes to the end of the agenda."""
    _editable(actor, meeting)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a title for the agenda item"
    elif len(title.strip()) > 300:
        errors["title"] = "Title must be 300 characters or fewer"
    if young_person is not None and young_person.area_id != meeting.area_id:
        errors["young_person"] = "Choose a young person in your area"
    try:
        allowed = _minutes(minutes_allowed)
    except FieldErrors as exc:
        errors.update(exc.errors)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=last + 1,
            kind=ItemKind.OTHER,
            title=title.strip(),
            detail=detail.strip(),
            young_person=young_person,
            minutes_allowed=allowed,
            confidential=confidential,
        )
        audit_record(
            actor=actor,
            verb=Verb.AGENDA_ITEM_ADDED,
            target=item,
            target_label=_audit_label(item),
            subject=young_person,
            changes=_restricted_if_confidential(
                {"meeting": str(meeting.pk), "title": item.title}, item.confidential
            ),
        )
    return item


_UNSET: Any = object()

# A confidential slot's title and detail are restricted text: the audit log keeps digests.
RESTRICTED_ITEM_FIELDS = ("title", "detail")
CONFIDENTIAL_ITEM_LABEL = "Confidential agenda item"


def _audit_label(item: AgendaItem, was_confidential: bool = False) -> str:
    """What the audit log calls an item: never a confidential slot's title."""
    return CONFIDENTIAL_ITEM_LABEL if item.confidential or was_confidential else str(item)[:200]


def _restricted_if_confidential(changes: dict[str, Any], confidential: bool) -> dict[str, Any]:
    return restricted(changes, RESTRICTED_ITEM_FIELDS) if confidential else changes


def agenda_item_change(
    *,
    actor: Any,
    item: AgendaItem,
    expected_version: int,
    title: Any = _UNSET,
    detail: Any = _UNSET,
    minutes_allowed: Any = _UNSET,
    confidential: Any = _UNSET,
) -> AgendaItem:
    """Change an item's title, detail, time allowed or whether it is a confidential slot."""
    meeting = item.meeting
    if not policy.check("can_edit_agenda", actor, meeting) and not (
        confidential is not _UNSET
        and {title, detail, minutes_allowed} == {_UNSET}
        and policy.check("can_minute_meeting", actor, meeting)
    ):
        raise NotPermitted()
    if meeting.status in (MeetingStatus.APPROVED, MeetingStatus.CANCELLED):
        raise DomainError("The agenda of an approved or cancelled meeting cannot change.")
    changed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if title is not _UNSET:
        value = (title or "").strip()
        if not value:
            errors["title"] = "Enter a title for the agenda item"
        elif len(value) > 300:
            errors["title"] = "Title must be 300 characters or fewer"
        changed["title"] = value
    if detail is not _UNSET:
        changed["detail"] = (detail or "").strip()
    if minutes_allowed is not _UNSET:
        try:
            changed["minutes_allowed"] = _minutes(minutes_allowed)
        except FieldErrors as exc:
            errors.update(exc.errors)
    if confidential is not _UNSET:
        changed["confidential"] = bool(confidential)
    if errors:
        raise FieldErrors(errors)
    changed = {k: v for k, v in changed.items() if getattr(item, k) != v}
    was_confidential = item.confidential
    with transaction.atomic():
        before = {k: getattr(item, k) for k in changed}
        for name, value in changed.items():
            setattr(item, name, value)
        save_versioned(
            item, expected_version=expected_version, fields=list(changed), label="agenda item"
        )
        audit_record(
            actor=actor,
            verb=Verb.AGENDA_ITEM_CHANGED,
            target=item,
            target_label=_audit_label(item, was_confidential),
            subject=item.young_person,
            changes=_restricted_if_confidential(
                {k: {"before": str(before[k]), "after": str(v)} for k, v in changed.items()},
                item.confidential or was_confidential,
            ),
        )
    return item


def agenda_item_remove(
    *, actor: Any, item: AgendaItem, expected_version: int, reason: str
) -> AgendaItem:
    """Take an item off the agenda, saying why. Nobody silently drops off: the item keeps the
    reason and who removed it, stays listed as removed, and can be put back."""
    _editable(actor, item.meeting)
    if item.is_removed:
        raise DomainError("This item has already been removed from the agenda.")
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "Enter why this item is coming off the agenda"})
    with transaction.atomic():
        item.removed_at = clock.now()
        item.removed_by = actor
        item.removal_reason = reason
        save_versioned(
            item,
            expected_version=expected_version,
            fields=["removed_at", "removed_by", "removal_reason"],
            label="agenda item",
        )
        audit_record(
            actor=actor,
            verb=Verb.AGENDA_ITEM_REMOVED,
            target=item,
            target_label=_audit_label(item),
            subject=item.young_person,
            reason=reason,
            changes={"meeting": str(item.meeting_id), "kind": item.kind},
        )
    return item


def agenda_item_restore(*, actor: Any, item: AgendaItem, expected_version: int) -> AgendaItem:
    """Put a removed item back, at the end of the agenda."""
    _editable(actor, item.meeting)
    if not item.is_removed:
        raise DomainError("This item is on the agenda.")
    with transaction.atomic():
        last = (
            AgendaItem.objects.filter(meeting_id=item.meeting_id).aggregate(m=Max("position"))["m"]
            or 0
        )
        item.removed_at = None
        item.removed_by = None
        item.removal_reason = ""
        item.position = last + 1
        save_versioned(
            item,
            expected_version=expected_version,
            fields=["removed_at", "removed_by", "removal_reason", "position"],
            label="agenda item",
        )
        audit_record(
            actor=actor,
            verb=Verb.AGENDA_ITEM_RESTORED,
            target=item,
            target_label=_audit_label(item),
            subject=item.young_person,
        )
    return item


def agenda_reorder(*, actor: Any, meeting: Meeting, order: Sequence[Any]) -> list[AgendaItem]:
    """Put the agenda's items (those not removed) in the given order: ``order`` must name each
    of them exactly once. Removed items keep their place after them."""
    _editable(actor, meeting)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        live = list(
            AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True).order_by("position")
        )
        by_id = {str(i.pk): i for i in live}
        wanted = [str(pk) for pk in order]
        if len(wanted) != len(set(wanted)) or set(wanted) != set(by_id):
            raise FieldErrors(
                {"order": "The new order must list every item on the agenda exactly once"}
            )
        items = [by_id[pk] for pk in wanted]
        _renumber(meeting, items)
        audit_record(
            actor=actor,
            verb=Verb.AGENDA_REORDERED,
            target=meeting,
            changes={"order": wanted},
        )
    return items


def agenda_item_move(*, actor: Any, item: AgendaItem, up: bool) -> None:
    """Move an item one place up or down within its section (the keyboard- and script-free
    way to reorder). The whole agenda is renumbered in the order of business."""
    meeting = item.meeting
    live = sorted(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True).values_list(
            "pk", "section", "position"
        ),
        key=lambda row: display_key(row[1], row[2]),
    )
    order = [str(pk) for pk, _, _ in live]
    here = order.index(str(item.pk)) if str(item.pk) in order else -1
    there = here - 1 if up else here + 1
    if here < 0 or not 0 <= there < len(live) or live[there][1] != live[here][1]:
        return  # the first or last of its section
    order[here], order[there] = order[there], order[here]
    agenda_reorder(actor=actor, meeting=meeting, order=order)


def agenda_items_remove(
    *, actor: Any, meeting: Meeting, item_ids: Sequence[Any], reason: str
) -> list[AgendaItem]:
    """Take several items off the agenda at once with one reason: all of them or, if any
    cannot come off, none."""
    _editable(actor, meeting)
    errors: dict[str, str] = {}
    wanted = list(dict.fromkeys(str(pk) for pk in item_ids))
    if not wanted:
        errors["items"] = "Select the items to take off the agenda"
    if not (reason or "").strip():
        errors["reason"] = "Enter why these items are coming off the agenda"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        items = list(
            AgendaItem.objects.select_related("meeting", "young_person").filter(
                meeting=meeting, pk__in=wanted
            )
        )
        if len(items) != len(wanted):
            raise FieldErrors({"items": "Select items of this meeting's agenda"})
        if any(i.is_removed for i in items):
            raise FieldErrors({"items": "Some of these items have already come off the agenda"})
        for item in items:
            agenda_item_remove(actor=actor, item=item, expected_version=item.version, reason=reason)
    return items


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    removed = list(
        AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=False).order_by("position")
    )
    changed = []
    for position, item in enumerate([*items, *removed], start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    # Position is layout, not content: it does not bump the item's version, so reordering
    # never makes someone's edit of the item's wording look stale.
    AgendaItem.objects.bulk_update(changed, ["position"], batch_size=500)
