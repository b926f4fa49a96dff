import datetime as dt

import pytest

from riskpath.core.workdays import WorkingCalendar, holiday_name, is_working_day

ENGLAND = WorkingCalendar("england-and-wales")


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(dt.date(2026, 11, 21), "england-and-wales")  # Saturday
    assert is_working_day(dt.date(2026, 11, 23), "england-and-wales")


def test_fifteen_working_days_skip_weekends_and_christmas() -> None:
    # Strategy discussion on Friday 11 December 2026: Christmas Day (Fri 25) and Boxing Day
    # substitute (Mon 28) are bank holidays in England and Wales.
    assert ENGLAND.add(dt.date(2026, 12, 11), 15) == dt.date(2027, 1, 6)


def test_calendars_differ_by_area() -> None:
    st_andrews_day_substitute = dt.date(2026, 11, 30)
    assert holiday_name(st_andrews_day_substitute, "scotland")
    assert is_working_day(st_andrews_day_substitute, "england-and-wales")
    tynwald_day = dt.date(2026, 7, 6)
    assert not is_working_day(tynwald_day, "isle-of-man")
    assert is_working_day(tynwald_day, "england-and-wales")


def test_two_working_days_after_a_friday_is_tuesday() -> None:
    assert ENGLAND.add(dt.date(2026, 11, 20), 2) == dt.date(2026, 11, 24)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        ENGLAND.add(dt.date(2026, 11, 20), -1)
