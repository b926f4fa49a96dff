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


def add_working_days(start: dt.date, days: int, calendar: str) -> dt.date:
    """The date ``days`` working days after ``start`` (the start day itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current, calendar):
            remaining -= 1
    return current


def working_days_before(end: dt.date, days: int, calendar: str) -> dt.date:
    """The date ``days`` working days before ``end`` (``end`` itself not counted): papers
    due 7 working days before a meeting."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = end
    remaining = days
    while remaining:
        current -= dt.timedelta(days=1)
        if is_working_day(current, calendar):
            remaining -= 1
    return current


def holiday_name(day: dt.date, calendar: str) -> str | None:
    return _holidays(calendar, day.year).get(day)
