"""The meeting itself: attendance, confidentiality declarations, minutes per agenda item,
decisions, and the minutes' life after the meeting (held, approved, circulated).

Every write checks the access policy, validates, writes and records its audit event in one
transaction. Writing minutes is refused while a type's confidentiality declaration is
outstanding: every participant present must have signed it and the chair must have recorded
that it was read out.

By part: ``attendance`` (and the declaration), ``minutes`` (minutes, decisions, held,
approved, circulated); ``common``. This module is the package's public face: callers import
from it.
"""

from riskpath.meetings.conduct.attendance import (
    attendance_add,
    attendance_record,
    attendance_rows,
    declaration_read,
    declaration_record_paper,
    declaration_sign,
    declaration_unsigned,
    deputy_candidates,
    minutes_blocker,
)
from riskpath.meetings.conduct.common import (
    MAX_MINUTES_CHARS,
    RECORDABLE,
    THERE,
    MinutesConflict,
    MinutesRefused,
    attendee_name,
)
from riskpath.meetings.conduct.minutes import (
    MinutesEdit,
    decision_record,
    decisions_of,
    items_for_minutes,
    meeting_mark_held,
    minutes_approve,
    minutes_circulate,
    minutes_of,
    minutes_overdue,
    minutes_save,
    minutes_version,
)

__all__ = [
    "MAX_MINUTES_CHARS",
    "RECORDABLE",
    "THERE",
    "MinutesConflict",
    "MinutesEdit",
    "MinutesRefused",
    "attendance_add",
    "attendance_record",
    "attendance_rows",
    "attendee_name",
    "decision_record",
    "decisions_of",
    "declaration_read",
    "declaration_record_paper",
    "declaration_sign",
    "declaration_unsigned",
    "deputy_candidates",
    "items_for_minutes",
    "meeting_mark_held",
    "minutes_approve",
    "minutes_blocker",
    "minutes_circulate",
    "minutes_of",
    "minutes_overdue",
    "minutes_save",
    "minutes_version",
]
