"""The statutory deadline of a subject access request: calendar months (relativedelta),
month ends, the extension for a complex request, pauses, and the move to a working day."""

from __future__ import annotations

import datetime as dt

import pytest

from riskpath.governance.deadline import deadline, months_after

D = dt.date


@pytest.mark.parametrize(
    "received,months,due",
    [
        (D(2026, 3, 3), 1, D(2026, 4, 3)),  # the corresponding day of the next month
        (D(2027, 1, 31), 1, D(2027, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # a leap year
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),  # across the year's end
        (D(2027, 1, 31), 3, D(2027, 4, 30)),  # extended: three calendar months
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
    ],
)
def test_calendar_months(received: dt.date, months: int, due: dt.date) -> None:
    assert months_after(received, months) == due


def test_one_month_without_pauses() -> None:
    d = deadline(D(2027, 1, 31))
    assert d.due == D(2027, 2, 28) and d.base == D(2027, 2, 28)
    assert not d.paused and d.paused_days == 0


def test_extension_adds_two_more_months() -> None:
    assert deadline(D(2027, 1, 31), extended=True).due == D(2027, 4, 30)


def test_an_ended_pause_moves_the_deadline_by_its_days() -> None:
    d = deadline(D(2026, 3, 3), pauses=[(D(2026, 3, 5), D(2026, 3, 15))])
    assert d.paused_days == 10
    assert d.due == D(2026, 4, 13)


def test_pauses_add_up() -> None:
    pauses = [(D(2026, 3, 5), D(2026, 3, 8)), (D(2026, 3, 10), D(2026, 3, 12))]
    assert deadline(D(2026, 3, 3), pauses=pauses).due == D(2026, 4, 8)


def test_a_running_pause_leaves_no_deadline_and_counts_what_is_left() -> None:
    d = deadline(D(2026, 3, 3), pauses=[(D(2026, 3, 24), None)])
    assert d.paused and d.due is None
    assert d.paused_since == D(2026, 3, 24)
    assert d.days_left_at_pause == 10  # 24 March to 3 April


def test_pause_and_extension_together() -> None:
    d = deadline(D(2027, 1, 31), extended=True, pauses=[(D(2027, 2, 1), D(2027, 2, 8))])
    assert d.due == D(2027, 5, 7)


def test_a_deadline_on_a_weekend_or_bank_holiday_moves_to_the_next_working_day() -> None:
    # 4 April 2026 is a Saturday; Monday 6 April 2026 is Easter Monday (England and Wales).
    assert deadline(D(2026, 3, 4)).due == D(2026, 4, 4)  # no calendar: not moved
    assert deadline(D(2026, 3, 4), calendar="england-and-wales").due == D(2026, 4, 7)
    # Scotland has no Easter Monday holiday.
    assert deadline(D(2026, 3, 4), calendar="scotland").due == D(2026, 4, 6)
