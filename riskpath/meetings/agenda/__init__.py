"""Agendas: built from the record, then shaped by the chair.

``agenda_build`` puts on a meeting's agenda what the record says the meeting must discuss:

* new intelligence in the window (since the previous meeting of the type, or the type's
  intelligence window before the first), one item per young person, person of interest and
  location it concerns;
* cohort members due: every tier-1 young person at every meeting; tier 2 and tier 3 on the
  type's cadence (every ``tier_2_every`` / ``tier_3_every`` meetings), or when their review
  date has come;
* the tier each of them is suggested (``cohort.selectors.suggestions_for_many``) where it
  differs from their tier now;
* young people and persons of interest newly reported by two or more agencies;
* young people flagged for re-entry to the cohort;
* escalations decided at other meetings since the previous one;
* what other apps register as agenda sources (``agenda_sources``): for the strategic panel,
  the pathway's agreed escalations;
* every open action from earlier meetings of the type, until it is closed with an outcome.

Building again adds what is new and never takes anything away. Nothing leaves an agenda
silently: ``agenda_item_remove`` needs a reason, which the item keeps and the audit log holds.

Young people appear once each, with every reason they are on the agenda in the item's detail.

By part: ``build`` (from the record), ``chair`` (the chair's edits), ``reading``. This module
is the package's public face: callers import from it.
"""

from riskpath.meetings.agenda.build import (
    BUILT_FROM_RECORD,
    agenda_build,
    intelligence_window,
    previous_meetings,
)
from riskpath.meetings.agenda.chair import (
    CONFIDENTIAL_ITEM_LABEL,
    agenda_item_add,
    agenda_item_change,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_restore,
    agenda_items_remove,
    agenda_reorder,
)
from riskpath.meetings.agenda.reading import (
    AgendaRow,
    access_agenda_item,
    agenda_for_user,
    agenda_page_for_user,
    agenda_section_for_user,
)

__all__ = [
    "BUILT_FROM_RECORD",
    "CONFIDENTIAL_ITEM_LABEL",
    "AgendaRow",
    "access_agenda_item",
    "agenda_build",
    "agenda_for_user",
    "agenda_item_add",
    "agenda_item_change",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_restore",
    "agenda_items_remove",
    "agenda_page_for_user",
    "agenda_reorder",
    "agenda_section_for_user",
    "intelligence_window",
    "previous_meetings",
]
