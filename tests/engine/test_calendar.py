"""Working-time arithmetic: working days, hours, holidays, zones and DST."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from builders import LONDON, NEW_YORK, SYDNEY, UTC_CAL, at, day
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import calendar as cal_ops
from engine.model import WorkCalendar

HOLIDAY_MON = WorkCalendar(holidays=frozenset({day("2026-03-09")}))


@pytest.mark.parametrize(
    "cal, tz, start, n, expected",
    [
        (UTC_CAL, "UTC", "2026-03-06 10:00", 2, "2026-03-10 10:00"),  # Fri + 2wd = Tue
        (UTC_CAL, "UTC", "2026-03-10 10:00", -2, "2026-03-06 10:00"),
        (UTC_CAL, "UTC", "2026-03-07 12:00", 1, "2026-03-09 12:00"),  # from a Saturday
        (UTC_CAL, "UTC", "2026-03-02 09:00", 3, "2026-03-05 09:00"),
        (UTC_CAL, "UTC", "2026-03-02 09:00", 0, "2026-03-02 09:00"),
        (UTC_CAL, "UTC", "2026-03-02 09:00", 25, "2026-04-06 09:00"),  # whole weeks jumped
        (HOLIDAY_MON, "UTC", "2026-03-06 10:00", 2, "2026-03-11 10:00"),  # holiday skipped
        (HOLIDAY_MON, "UTC", "2026-03-11 10:00", -2, "2026-03-06 10:00"),
        # Europe/London springs forward on Sun 29 Mar 2026: wall-clock time kept.
        (LONDON, "Europe/London", "2026-03-27 10:00", 2, "2026-03-31 10:00"),
        (LONDON, "Europe/London", "2026-03-31 10:00", -2, "2026-03-27 10:00"),
        (NEW_YORK, "America/New_York", "2026-03-06 16:00", 1, "2026-03-09 16:00"),
        (SYDNEY, "Australia/Sydney", "2026-07-03 10:00", 3, "2026-07-08 10:00"),
    ],
)
def test_add_working_days(cal, tz, start, n, expected):
    assert cal_ops.add_working_days(cal, at(start, tz), n) == at(expected, tz)


def test_dst_keeps_wall_clock_but_not_utc_offset():
    got = cal_ops.add_working_days(LONDON, at("2026-03-27 10:00", "Europe/London"), 2)
    assert got.hour == 9  # 10:00 BST is 09:00 UTC
    assert cal_ops.add_days(LONDON, at("2026-03-28 12:00", "Europe/London"), 1) == at(
        "2026-03-29 12:00", "Europe/London"
    )


def test_skipped_wall_time_resolves_forward():
    got = cal_ops.from_local(LONDON, datetime(2026, 3, 29, 1, 30))
    assert got == at("2026-03-29 02:30", "Europe/London")


@pytest.mark.parametrize(
    "cal, tz, a, b, hours",
    [
        (UTC_CAL, "UTC", "2026-03-06 16:00", "2026-03-09 10:00", 2),  # over a weekend
        (UTC_CAL, "UTC", "2026-03-02 09:00", "2026-03-06 17:00", 40),
        (UTC_CAL, "UTC", "2026-03-02 09:00", "2026-03-30 09:00", 160),  # long path
        (HOLIDAY_MON, "UTC", "2026-03-06 16:00", "2026-03-10 10:00", 2),
        (UTC_CAL, "UTC", "2026-03-07 09:00", "2026-03-08 17:00", 0),
        (LONDON, "Europe/London", "2026-03-23 09:00", "2026-04-03 17:00", 80),  # across DST
        (NEW_YORK, "America/New_York", "2026-03-06 09:00", "2026-03-09 17:00", 16),
    ],
)
def test_working_seconds_between(cal, tz, a, b, hours):
    assert cal_ops.working_seconds_between(cal, at(a, tz), at(b, tz)) == hours * 3600
    assert cal_ops.working_seconds_between(cal, at(b, tz), at(a, tz)) == -hours * 3600


@pytest.mark.parametrize(
    "start, hours, expected",
    [
        ("2026-03-06 16:00", 2, "2026-03-09 10:00"),
        ("2026-03-02 09:00", 8, "2026-03-02 17:00"),  # exactly a day: that day's end
        ("2026-03-02 09:00", 16, "2026-03-03 17:00"),
        ("2026-03-02 09:00", 0, "2026-03-02 09:00"),
        ("2026-03-07 12:00", 0, "2026-03-09 09:00"),  # zero from a Saturday: next start
        ("2026-03-02 07:00", 1, "2026-03-02 10:00"),
        ("2026-03-02 09:00", 200, "2026-04-03 17:00"),  # 25 days, whole weeks jumped
    ],
)
def test_add_working_seconds(start, hours, expected):
    assert cal_ops.add_working_seconds(UTC_CAL, at(start), hours * 3600) == at(expected)


@pytest.mark.parametrize(
    "a, b, n",
    [
        ("2026-03-06 10:00", "2026-03-10 10:00", 2),
        ("2026-03-06 10:00", "2026-03-10 09:59", 1),
        ("2026-03-06 10:00", "2026-03-06 09:00", 0),
        ("2026-03-02 09:00", "2026-05-04 09:00", 45),
    ],
)
def test_working_days_between(a, b, n):
    assert cal_ops.working_days_between(UTC_CAL, at(a), at(b)) == n


@pytest.mark.parametrize(
    "when, expected",
    [
        ("2026-03-02 08:00", "2026-03-02 09:00"),
        ("2026-03-02 12:00", "2026-03-02 12:00"),
        ("2026-03-02 17:00", "2026-03-03 09:00"),  # the end is not working time
        ("2026-03-06 18:00", "2026-03-09 09:00"),
    ],
)
def test_next_working_start(when, expected):
    assert cal_ops.next_working_start(UTC_CAL, at(when)) == at(expected)


def test_calendar_without_workdays_is_rejected():
    with pytest.raises(ValueError):
        cal_ops.add_working_days(WorkCalendar(workdays=frozenset()), at("2026-03-02 09:00"), 1)


# --- the fast paths agree with plain day-by-day walking ------------------------------

CALS = st.sampled_from(
    [
        UTC_CAL,
        LONDON,
        WorkCalendar(tz="Asia/Dubai", workdays=frozenset({6, 0, 1, 2, 3})),
        WorkCalendar(
            tz="America/New_York",
            day_start=time(8, 30),
            day_end=time(18, 0),
            holidays=frozenset({day("2026-03-09"), day("2026-04-03"), day("2026-03-14")}),
        ),
    ]
)
INSTANTS = st.integers(0, 200 * 24 * 4).map(
    lambda q: at("2026-01-05 00:00") + timedelta(minutes=15 * q)
)


def _walk_days(cal: WorkCalendar, at_: datetime, n: int) -> datetime:
    local = cal_ops.to_local(cal, at_)
    d = local.date()
    for _ in range(abs(n)):
        d = (cal_ops.next_working_day if n > 0 else cal_ops.previous_working_day)(cal, d)
    return cal_ops.from_local(cal, datetime.combine(d, local.time()))


def _walk_seconds(cal: WorkCalendar, a: datetime, b: datetime) -> float:
    total = 0.0
    d = cal_ops.to_local(cal, a).date() - timedelta(days=1)
    while d <= cal_ops.to_local(cal, b).date() + timedelta(days=1):
        if cal_ops.is_working_day(cal, d):
            lo = max(a, cal_ops.from_local(cal, datetime.combine(d, cal.day_start)))
            hi = min(b, cal_ops.from_local(cal, datetime.combine(d, cal.day_end)))
            total += max(0.0, (hi - lo).total_seconds())
        d += timedelta(days=1)
    return total


@settings(max_examples=200, deadline=None)
@given(cal=CALS, a=INSTANTS, n=st.integers(-60, 60))
def test_add_working_days_matches_walking(cal, a, n):
    assert cal_ops.add_working_days(cal, a, n) == _walk_days(cal, a, n)


@settings(max_examples=200, deadline=None)
@given(cal=CALS, a=INSTANTS, b=INSTANTS)
def test_working_seconds_match_walking_and_invert(cal, a, b):
    a, b = min(a, b), max(a, b)
    seconds = cal_ops.working_seconds_between(cal, a, b)
    assert seconds == _walk_seconds(cal, a, b)
    end = cal_ops.add_working_seconds(cal, a, seconds)
    assert end <= b or seconds == 0  # zero seconds gives the next working start
    assert cal_ops.working_seconds_between(cal, a, end) == seconds
