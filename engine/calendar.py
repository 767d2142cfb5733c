"""Working-time arithmetic on a workspace calendar.

All functions take and return aware UTC datetimes; the arithmetic is done on
local wall-clock time in the calendar's zone so that a DST change never shifts
a deadline by an hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from engine.model import WorkCalendar


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """A cached ZoneInfo (raises ZoneInfoNotFoundError for unknown names)."""
    return ZoneInfo(name)


def to_local(cal: WorkCalendar, at: datetime) -> datetime:
    """``at`` as an aware datetime in the calendar's zone."""
    return at.astimezone(zone(cal.tz))


def from_local(cal: WorkCalendar, naive_local: datetime) -> datetime:
    """Interpret a naive wall-clock time in the calendar zone; return UTC.

    A wall time skipped by a DST jump resolves forward (fold=0 semantics of
    zoneinfo), an ambiguous one to its first occurrence.
    """
    aware = naive_local.replace(tzinfo=zone(cal.tz))
    return aware.astimezone(UTC)


def is_working_day(cal: WorkCalendar, day: date) -> bool:
    """A working weekday that is not a holiday."""
    return day.weekday() in cal.workdays and day not in cal.holidays


def _require_workdays(cal: WorkCalendar) -> None:
    if not cal.workdays:
        raise ValueError("the calendar has no working weekdays")


def next_working_day(cal: WorkCalendar, day: date) -> date:
    """The first working day strictly after ``day``."""
    _require_workdays(cal)
    d = day + timedelta(days=1)
    while not is_working_day(cal, d):
        d += timedelta(days=1)
    return d


def previous_working_day(cal: WorkCalendar, day: date) -> date:
    """The last working day strictly before ``day``."""
    _require_workdays(cal)
    d = day - timedelta(days=1)
    while not is_working_day(cal, d):
        d -= timedelta(days=1)
    return d


def _advance_working_days(cal: WorkCalendar, day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it for negative ``n``).

    Whole weeks are jumped and counted, so the cost grows with the number of
    holidays, not with ``n``.
    """
    _require_workdays(cal)
    per_week = len(cal.workdays)
    sign = 1 if n >= 0 else -1
    left = abs(n)
    while left > 0:
        weeks = (left - 1) // per_week
        if weeks:
            target = day + timedelta(days=sign * 7 * weeks)
            if sign > 0:
                after_day = day + timedelta(days=1)
                counted = count_working_days(cal, after_day, target + timedelta(days=1))
            else:
                counted = count_working_days(cal, target, day)
            left -= counted
            day = target
        else:
            day = next_working_day(cal, day) if sign > 0 else previous_working_day(cal, day)
            left -= 1
    return day


def add_working_days(cal: WorkCalendar, at: datetime, n: int) -> datetime:
    """Move ``n`` working days forward (or back for negative ``n``).

    Keeps the local time of day: Friday 10:00 + 2wd is Tuesday 10:00, also
    across a DST change.
    """
    local = to_local(cal, at)
    day = _advance_working_days(cal, local.date(), n)
    return from_local(cal, datetime.combine(day, local.time()))


def add_days(cal: WorkCalendar, at: datetime, n: int) -> datetime:
    """Calendar days in local wall-clock time (a day across DST stays a day)."""
    local = to_local(cal, at).replace(tzinfo=None)
    return from_local(cal, local + timedelta(days=n))


def end_of_working_day(cal: WorkCalendar, day: date) -> datetime:
    """The end of working hours of ``day`` (default 17:00 local), in UTC."""
    return from_local(cal, datetime.combine(day, cal.day_end))


def _day_window(cal: WorkCalendar, day: date) -> tuple[datetime, datetime] | None:
    if not is_working_day(cal, day):
        return None
    return (
        from_local(cal, datetime.combine(day, cal.day_start)),
        from_local(cal, datetime.combine(day, cal.day_end)),
    )


def working_seconds_between(cal: WorkCalendar, a: datetime, b: datetime) -> float:
    """Seconds of working hours in [a, b); negative when b < a."""
    if b < a:
        return -working_seconds_between(cal, b, a)
    total = 0.0
    day = to_local(cal, a).date()
    last = to_local(cal, b).date()
    days = (last - day).days
    if days > 7:
        # Whole weeks in the middle are counted, not walked: long windows stay cheap.
        return _working_seconds_long(cal, a, b)
    while day <= last:
        window = _day_window(cal, day)
        if window is not None:
            lo, hi = max(window[0], a), min(window[1], b)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def _working_seconds_long(cal: WorkCalendar, a: datetime, b: datetime) -> float:
    first = to_local(cal, a).date()
    last = to_local(cal, b).date()
    head_end = end_of_working_day(cal, first)
    total = working_seconds_between(cal, a, max(a, min(b, head_end)))
    tail_start = from_local(cal, datetime.combine(last, cal.day_start))
    total += working_seconds_between(cal, max(a, tail_start), b)
    per_day = (
        datetime.combine(first, cal.day_end) - datetime.combine(first, cal.day_start)
    ).total_seconds()
    return total + per_day * count_working_days(cal, first + timedelta(days=1), last)


def count_working_days(cal: WorkCalendar, first: date, stop: date) -> int:
    """Working days in [first, stop), counted by whole weeks (O(holidays))."""
    if stop <= first:
        return 0
    days = (stop - first).days
    weeks, rest = divmod(days, 7)
    count = weeks * len(cal.workdays)
    for i in range(rest):
        if (first + timedelta(days=weeks * 7 + i)).weekday() in cal.workdays:
            count += 1
    count -= sum(1 for h in cal.holidays if first <= h < stop and h.weekday() in cal.workdays)
    return count


def working_days_between(cal: WorkCalendar, a: datetime, b: datetime) -> int:
    """Whole working days from ``a`` to ``b``: the largest n with a + n wd <= b."""
    if b <= a:
        return 0
    _require_workdays(cal)
    first = to_local(cal, a).date()
    last = to_local(cal, b).date()
    # An estimate from whole-day counting, corrected by stepping (a few steps at most).
    n = max(0, count_working_days(cal, first + timedelta(days=1), last + timedelta(days=1)) - 1)
    while n > 0 and add_working_days(cal, a, n) > b:
        n -= 1
    while add_working_days(cal, a, n + 1) <= b:
        n += 1
    return n


def is_working_time(cal: WorkCalendar, at: datetime) -> bool:
    """Inside working hours (start inclusive, end exclusive) of a working day."""
    local = to_local(cal, at)
    if not is_working_day(cal, local.date()):
        return False
    return cal.day_start <= local.time().replace(tzinfo=None) < cal.day_end


def next_working_start(cal: WorkCalendar, at: datetime) -> datetime:
    """``at`` itself if it is working time, else the start of the next working period."""
    if is_working_time(cal, at):
        return at
    local = to_local(cal, at)
    day = local.date()
    if is_working_day(cal, day) and local.time().replace(tzinfo=None) < cal.day_start:
        return from_local(cal, datetime.combine(day, cal.day_start))
    return from_local(cal, datetime.combine(next_working_day(cal, day), cal.day_start))


def _working_day_seconds(cal: WorkCalendar) -> float:
    """Length of a working day in seconds (wall-clock hours)."""
    ref = date(2000, 1, 3)
    seconds = (
        datetime.combine(ref, cal.day_end) - datetime.combine(ref, cal.day_start)
    ).total_seconds()
    if seconds <= 0:
        raise ValueError("the working day must end after it starts")
    return seconds


def add_working_seconds(cal: WorkCalendar, at: datetime, seconds: float) -> datetime:
    """The instant after ``seconds`` of working time have elapsed from ``at``.

    Zero seconds gives the start of the next working period (``at`` itself in
    working time). A total that ends exactly at a day's end gives that end,
    not the next morning.
    """
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    cursor = next_working_start(cal, at)
    day = to_local(cal, cursor).date()
    window = _day_window(cal, day)
    assert window is not None
    available = (window[1] - cursor).total_seconds()
    if seconds <= available:
        return cursor + timedelta(seconds=seconds)
    remaining = seconds - available
    per_day = _working_day_seconds(cal)
    skip = int(remaining // per_day)
    if skip and skip * per_day >= remaining:
        skip -= 1  # land on the end of a day rather than the next morning
    remaining -= skip * per_day
    day = _advance_working_days(cal, day, skip + 1)
    return from_local(cal, datetime.combine(day, cal.day_start)) + timedelta(seconds=remaining)
