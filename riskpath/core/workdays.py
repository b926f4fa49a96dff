"""Working days for an area's calendar, with bank holidays from the ``holidays`` package."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# An area's calendar: which public holidays are not working days there.
CALENDARS: dict[str, tuple[str, str | None]] = {
    "england-and-wales": ("GB", "ENG"),
    "scotland": ("GB", "SCT"),
    "northern-ireland": ("GB", "NIR"),
    "isle-of-man": ("IM", None),
}
CALENDAR_CHOICES = [
    ("england-and-wales", "England and Wales"),
    ("scotland", "Scotland"),
    ("northern-ireland", "Northern Ireland"),
    ("isle-of-man", "Isle of Man"),
]


@lru_cache(maxsize=64)
def _holidays(calendar: str, year: int) -> holidays.HolidayBase:
    country, subdiv = CALENDARS[calendar]
    return holidays.country_holidays(country, subdiv=subdiv, years=year)


def is_working_day(day: dt.date, calendar: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(calendar, day.year)


def holiday_name(day: dt.date, calendar: str) -> str | None:
    return _holidays(calendar, day.year).get(day)


class WorkingCalendar:
    """One area's working days: weekdays that are neither a public holiday of the area's
    calendar nor one of the area's own closure days. Every deadline stated in working days
    is counted with one of these (``for_area``)."""

    def __init__(self, calendar: str, closures: frozenset[dt.date] = frozenset()) -> None:
        if calendar not in CALENDARS:
            raise ValueError(f"Unknown calendar {calendar!r}")
        self.calendar = calendar
        self.closures = closures

    def is_working_day(self, day: dt.date) -> bool:
        return day not in self.closures and is_working_day(day, self.calendar)

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, remaining = start, days
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def before(self, end: dt.date, days: int) -> dt.date:
        """The date ``days`` working days before ``end`` (``end`` itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, remaining = end, days
        while remaining:
            current -= dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not
        after ``start``): ``count(d, add(d, n)) == n``."""
        days = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                days += 1
        return days

    def closure_name(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day (a holiday's name, "Area closure day"), or None."""
        if day in self.closures:
            return "Area closure day"
        return holiday_name(day, self.calendar)


def for_area(area: object) -> WorkingCalendar:
    """The working-day calendar of ``area``: its bank holidays and its closure days, read in
    one query. Every deadline counted in working days for an area is counted with this.

    ``core`` knows no models, so the closure days are read through the area's
    ``closure_days`` relation rather than by importing ``accounts``."""
    calendar = getattr(area, "calendar", "england-and-wales")
    related = getattr(area, "closure_days", None)
    closures: frozenset[dt.date] = frozenset()
    if related is not None and getattr(area, "pk", None) is not None:
        closures = frozenset(related.values_list("date", flat=True))
    return WorkingCalendar(calendar, closures)
