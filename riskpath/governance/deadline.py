"""The statutory deadline of a subject access request (UK GDPR article 12(3); the ICO's
guidance on the time limit), counted in **calendar months** with ``dateutil.relativedelta``:

- one calendar month from the day the request was received: received 3 March, due 3 April.
  Where the following month has no such day, the last day of that month: received 31 January,
  due 28 February (29 in a leap year). That is what ``relativedelta(months=1)`` gives.
- extendable, for a complex request, by a further two months: three calendar months from
  receipt, counted the same way (31 January + 3 months = 30 April).
- paused while riskpath waits for the requester's proof of identity or clarification: each
  day of a pause moves the deadline a day later; a pause still running leaves no deadline,
  only the days remaining when it began.
- a deadline that falls on a weekend or a bank holiday of the area's calendar moves to the next
  working day (the ICO's guidance). Area closure days do not move a statutory deadline.

Pure: no database, so the arithmetic is tested by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from riskpath.core import workdays

STATUTORY_MONTHS = 1
EXTENSION_MONTHS = 2


@dataclass(frozen=True)
class Deadline:
    base: dt.date  # the calendar month (or three) from receipt, before pauses
    paused_days: int  # days of pauses that have ended
    due: dt.date | None  # None while a pause runs
    paused_since: dt.date | None
    days_left_at_pause: int | None  # while paused: days from the pause's start to the deadline

    @property
    def paused(self) -> bool:
        return self.paused_since is not None


def months_after(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months; the last day of the month where it has no such day."""
    return day + relativedelta(months=months)


def next_working_day(day: dt.date, calendar: str | None) -> dt.date:
    if calendar is None:
        return day
    while not workdays.is_working_day(day, calendar):
        day += dt.timedelta(days=1)
    return day


def deadline(
    received_on: dt.date,
    *,
    extended: bool = False,
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
    calendar: str | None = None,
) -> Deadline:
    """The deadline of a request received on ``received_on``: one calendar month (three if
    ``extended``), plus the days of every ended pause (start to end), moved to the next
    working day of ``calendar`` (none: not moved)."""
    months = STATUTORY_MONTHS + (EXTENSION_MONTHS if extended else 0)
    base = months_after(received_on, months)
    paused_days = 0
    running: dt.date | None = None
    for start, end in sorted(pauses, key=lambda p: p[0]):
        if end is None:
            running = start if running is None else min(running, start)
            continue
        paused_days += max(0, (end - start).days)
    unmoved = base + dt.timedelta(days=paused_days)
    if running is not None:
        return Deadline(base, paused_days, None, running, max(0, (unmoved - running).days))
    return Deadline(base, paused_days, next_working_day(unmoved, calendar), None, None)
