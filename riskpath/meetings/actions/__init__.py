"""Actions from meetings: recorded at a meeting, owned by a user or an agency, updated with
dated notes, and closed only with an outcome. One register across every meeting of the area;
every open action is carried into each later meeting of the same type until it is closed.

An action raised in a confidential slot exists only for those who were in the slot and for
its owner (``access.actions_visible_q``, the rule ``meeting_sight`` uses for a meeting's
actions): it is left out of the register, its count and the API for anyone else, and the
owner who was not in the slot sees the action but nothing of the slot (not its title).

Services (``action_*``) check the access policy, validate, write and audit in one
transaction. Selectors read, scoped to the area; the pages and the API audit the listing.

By part: ``services`` (writes) and ``selectors`` (reads, and what a reader may be shown).
This module is the package's public face: callers import from it.
"""

from riskpath.meetings.actions.selectors import (
    CARRIED_FIELDS,
    CONFIDENTIAL_SLOT,
    HIDDEN_ITEM,
    RELATED,
    STATUS_FILTERS,
    ActionFilter,
    ActionRow,
    about_label,
    about_young_person_visible,
    access_action,
    action_get_for_user,
    action_register_for_user,
    is_overdue,
    my_actions_for_user,
    open_actions_carried_into,
    owner_label,
    record_action_listing,
    rows_for,
    updates_of,
)
from riskpath.meetings.actions.services import (
    DESCRIPTION_MAX,
    EDIT_FIELDS,
    HIDDEN_YOUNG_PERSON,
    TEXT_MAX,
    action_add_update,
    action_close,
    action_create,
    action_edit,
    agencies_for,
    owners_for,
    young_people_for_meeting,
)

__all__ = [
    "CARRIED_FIELDS",
    "CONFIDENTIAL_SLOT",
    "DESCRIPTION_MAX",
    "EDIT_FIELDS",
    "HIDDEN_ITEM",
    "HIDDEN_YOUNG_PERSON",
    "RELATED",
    "STATUS_FILTERS",
    "TEXT_MAX",
    "ActionFilter",
    "ActionRow",
    "about_label",
    "about_young_person_visible",
    "access_action",
    "action_add_update",
    "action_close",
    "action_create",
    "action_edit",
    "action_get_for_user",
    "action_register_for_user",
    "agencies_for",
    "is_overdue",
    "my_actions_for_user",
    "open_actions_carried_into",
    "owner_label",
    "owners_for",
    "record_action_listing",
    "rows_for",
    "updates_of",
    "young_people_for_meeting",
]
