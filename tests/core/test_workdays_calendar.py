"""The per-area working-day calendar, checked against the ``holidays`` package itself.

Properties, for each of the four calendars and any set of area closure days:

* ``add(d, n)`` lands on a working day: not a weekend, not a public holiday the library
  gives for the calendar, not a closure day; and exactly ``n`` working days (by the library)
  lie after ``d`` up to and including it.
* ``count(d, add(d, n)) == n``.
* ``before(add(d, n), n)`` is the last working day on or before ``d`` (for ``n`` at least 1):
  that is ``d`` itself only when ``d`` is a working day. Adding from a Saturday and counting
  back arrives at the Friday before. Symmetrically, ``add(before(e, n), n)`` is the first
  working day on or after ``e``.

Then worked examples across Christmas and New Year, Easter, the Isle of Man's TT and Tynwald
Day, and closure days between Christmas and New Year."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskpath.core.workdays import CALENDARS, WorkingCalendar

ONE_DAY = dt.timedelta(days=1)
START = dt.date(2020, 1, 1)
END = dt.date(2032, 12, 31)


def library_holidays(calendar: str) -> holidays.HolidayBase:
    """The oracle: the library's holidays for the calendar, built here rather than through
    ``workdays``, so that the properties check riskpath against the library."""
    country, subdiv = CALENDARS[calendar]
    return holidays.country_holidays(country, subdiv=subdiv, years=range(2019, 2035))


ORACLE = {calendar: library_holidays(calendar) for calendar in CALENDARS}


def library_working(day: dt.date, calendar: str, closures: frozenset[dt.date]) -> bool:
    return day.weekday() < 5 and day not in ORACLE[calendar] and day not in closures


def last_working_on_or_before(day: dt.date, calendar: str, closures: frozenset[dt.date]) -> dt.date:
    while not library_working(day, calendar, closures):
        day -= ONE_DAY
    return day


def first_working_on_or_after(day: dt.date, calendar: str, closures: frozenset[dt.date]) -> dt.date:
    while not library_working(day, calendar, closures):
        day += ONE_DAY
    return day


@st.composite
def cases(draw: st.DrawFn) -> tuple[WorkingCalendar, dt.date, int]:
    """A calendar with closure days near the start date (where they matter), a start date
    (any day, weekends and holidays included) and a number of working days."""
    calendar = draw(st.sampled_from(sorted(CALENDARS)))
    start = draw(st.dates(min_value=START, max_value=END))
    offsets = draw(st.sets(st.integers(min_value=-30, max_value=90), max_size=8))
    closures = frozenset(start + dt.timedelta(days=o) for o in offsets)
    days = draw(st.integers(min_value=0, max_value=60))
    return WorkingCalendar(calendar, closures), start, days


@settings(max_examples=400, deadline=None)
@given(cases())
def test_adding_lands_on_a_working_day_after_exactly_n_of_them(
    case: tuple[WorkingCalendar, dt.date, int],
) -> None:
    cal, start, n = case
    end = cal.add(start, n)
    if n == 0:
        assert end == start
        return
    assert end > start
    assert end.weekday() < 5, f"{end} is a weekend"
    assert end not in ORACLE[cal.calendar], f"{end} is {ORACLE[cal.calendar].get(end)}"
    assert end not in cal.closures, f"{end} is a closure day"
    between = [
        start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)
    ]  # after start, up to and including end
    assert sum(library_working(d, cal.calendar, cal.closures) for d in between) == n


@settings(max_examples=400, deadline=None)
@given(cases())
def test_counting_what_was_added_gives_n(case: tuple[WorkingCalendar, dt.date, int]) -> None:
    cal, start, n = case
    assert cal.count(start, cal.add(start, n)) == n


@settings(max_examples=400, deadline=None)
@given(cases())
def test_adding_then_going_back_returns_to_the_last_working_day_on_or_before_the_start(
    case: tuple[WorkingCalendar, dt.date, int],
) -> None:
    cal, start, n = case
    back = cal.before(cal.add(start, n), n)
    if n == 0:
        assert back == start
        return
    assert back == last_working_on_or_before(start, cal.calendar, cal.closures)
    if cal.is_working_day(start):
        assert back == start


@settings(max_examples=400, deadline=None)
@given(cases())
def test_going_back_then_adding_returns_to_the_first_working_day_on_or_after_the_end(
    case: tuple[WorkingCalendar, dt.date, int],
) -> None:
    cal, end, n = case
    forward = cal.add(cal.before(end, n), n)
    if n == 0:
        assert forward == end
        return
    assert forward == first_working_on_or_after(end, cal.calendar, cal.closures)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_is_working_day_agrees_with_the_library(case: tuple[WorkingCalendar, dt.date, int]) -> None:
    cal, start, _ = case
    for offset in range(-7, 35):
        day = start + dt.timedelta(days=offset)
        assert cal.is_working_day(day) == library_working(day, cal.calendar, cal.closures), day


# ---------------------------------------------------------------------------------------------
# Christmas and New Year
# ---------------------------------------------------------------------------------------------


def test_christmas_2026_in_england_and_wales() -> None:
    cal = WorkingCalendar("england-and-wales")
    # Fri 25 Christmas Day, Sat 26 Boxing Day with its substitute on Mon 28.
    assert cal.closure_name(dt.date(2026, 12, 28)) == "Boxing Day (observed)"
    assert cal.add(dt.date(2026, 12, 18), 5) == dt.date(2026, 12, 29)
    assert cal.add(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 29)
    assert cal.count(dt.date(2026, 12, 24), dt.date(2027, 1, 4)) == 4  # 29, 30, 31 Dec, 4 Jan


@pytest.mark.parametrize(
    "calendar,expected",
    [
        ("england-and-wales", dt.date(2025, 1, 2)),
        ("northern-ireland", dt.date(2025, 1, 2)),
        ("isle-of-man", dt.date(2025, 1, 2)),
        ("scotland", dt.date(2025, 1, 3)),  # 2 January is a bank holiday in Scotland
    ],
)
def test_new_year_scotland_has_the_second_of_january(calendar: str, expected: dt.date) -> None:
    assert WorkingCalendar(calendar).add(dt.date(2024, 12, 31), 1) == expected


def test_scotlands_second_of_january_on_a_saturday_moves_to_monday() -> None:
    cal = WorkingCalendar("scotland")
    # 2027: Fri 1 January, Sat 2 January, its substitute on Mon 4 January.
    assert cal.add(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 5)
    assert WorkingCalendar("england-and-wales").add(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)


# ---------------------------------------------------------------------------------------------
# Easter
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "calendar,expected",
    [
        ("england-and-wales", dt.date(2026, 4, 7)),
        ("northern-ireland", dt.date(2026, 4, 7)),
        ("isle-of-man", dt.date(2026, 4, 7)),
        ("scotland", dt.date(2026, 4, 6)),  # no Easter Monday bank holiday in Scotland
    ],
)
def test_easter_2026(calendar: str, expected: dt.date) -> None:
    cal = WorkingCalendar(calendar)
    assert cal.closure_name(dt.date(2026, 4, 3)) == "Good Friday"
    assert cal.add(dt.date(2026, 4, 2), 1) == expected
    assert cal.before(expected, 1) == dt.date(2026, 4, 2)


# ---------------------------------------------------------------------------------------------
# The Isle of Man: TT Senior Race Day and Tynwald Day
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tt_day",
    [dt.date(2024, 6, 7), dt.date(2025, 6, 6), dt.date(2026, 6, 5), dt.date(2027, 6, 4)],
)
def test_the_tt_bank_holiday_is_not_a_working_day_on_the_isle_of_man_only(
    tt_day: dt.date,
) -> None:
    island = WorkingCalendar("isle-of-man")
    assert tt_day.weekday() == 4  # the Friday of Senior Race Day
    assert island.closure_name(tt_day) == "TT Bank Holiday"
    thursday, monday = tt_day - ONE_DAY, tt_day + dt.timedelta(days=3)
    assert island.add(thursday, 1) == monday
    assert WorkingCalendar("england-and-wales").add(thursday, 1) == tt_day


@pytest.mark.parametrize(
    "tynwald_day",
    [
        dt.date(2024, 7, 5),  # Friday 5 July
        dt.date(2025, 7, 7),  # 5 July is a Saturday: Monday 7 July
        dt.date(2026, 7, 6),  # 5 July is a Sunday: Monday 6 July
        dt.date(2027, 7, 5),  # Monday 5 July
    ],
)
def test_tynwald_day_is_the_fifth_of_july_or_the_monday_after(tynwald_day: dt.date) -> None:
    island = WorkingCalendar("isle-of-man")
    assert island.closure_name(tynwald_day) == "Tynwald Day"
    assert [d for d in ORACLE["isle-of-man"] if d.year == tynwald_day.year and d.month == 7] == [
        tynwald_day
    ]
    previous = island.before(tynwald_day, 1)
    following = first_working_on_or_after(tynwald_day + ONE_DAY, "isle-of-man", frozenset())
    assert island.add(previous, 1) == following
    assert island.count(previous, following) == 1
    assert WorkingCalendar("england-and-wales").add(previous, 1) == tynwald_day


# ---------------------------------------------------------------------------------------------
# Area closure days
# ---------------------------------------------------------------------------------------------

BETWEEN_CHRISTMAS_AND_NEW_YEAR = frozenset(
    {dt.date(2026, 12, 29), dt.date(2026, 12, 30), dt.date(2026, 12, 31)}
)


def test_closure_days_between_christmas_and_new_year() -> None:
    closed = WorkingCalendar("england-and-wales", BETWEEN_CHRISTMAS_AND_NEW_YEAR)
    open_ = WorkingCalendar("england-and-wales")
    # Christmas Eve, then nothing until Monday 4 January 2027.
    assert closed.add(dt.date(2026, 12, 24), 1) == dt.date(2027, 1, 4)
    assert closed.count(dt.date(2026, 12, 24), dt.date(2027, 1, 4)) == 1
    # Papers seven working days before a meeting on Monday 11 January 2027.
    assert open_.before(dt.date(2027, 1, 11), 7) == dt.date(2026, 12, 30)
    assert closed.before(dt.date(2027, 1, 11), 7) == dt.date(2026, 12, 23)
    assert closed.closure_name(dt.date(2026, 12, 30)) == "Area closure day"
    assert closed.closure_name(dt.date(2026, 12, 25)) == "Christmas Day"
    assert closed.closure_name(dt.date(2026, 12, 23)) is None


def test_a_closure_day_on_a_weekend_or_holiday_changes_nothing() -> None:
    moot = frozenset({dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2026, 12, 27)})
    closed = WorkingCalendar("england-and-wales", moot)
    open_ = WorkingCalendar("england-and-wales")
    for n in range(15):
        assert closed.add(dt.date(2026, 12, 18), n) == open_.add(dt.date(2026, 12, 18), n)


def test_an_unknown_calendar_is_refused() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar("atlantis")
