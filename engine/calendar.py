"""Working-time arithmetic on a workspace calendar.

All functions take and return aware UTC datetimes; the arithmetic is done on
local wall-clock time in the calendar's zone so that a DST change never shifts
a deadline by an hour.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from engine.model import WorkCalendar

UTC = timezone.utc


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """A cached ZoneInfo (raises ZoneInfoNotFoundError for unknown names)."""
    return ZoneInfo(name)


def to_local(cal: WorkCalendar, at: datetime) -> datetime:
    return at.astimezone(zone(cal.tz))


def from_local(cal: WorkCalendar, naive_local: datetime) -> datetime:
    """Interpret a naive wall-clock time in the calendar zone; return UTC.

    A wall time skipped by a DST jump resolves forward (fold=0 semantics of
    zoneinfo), an ambiguous one to its first occurrence.
    """
    aware = naive_local.replace(tzinfo=zone(cal.tz))
    return aware.astimezone(UTC)


def is_working_day(cal: WorkCalendar, day: date) -> bool:
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


def add_working_days(cal: WorkCalendar, at: datetime, n: int) -> datetime:
    """Move ``n`` working days forward (or back for negative ``n``).

    Keeps the local time of day: Friday 10:00 + 2wd is Tuesday 10:00.
    """
    local = to_local(cal, at)
    day = local.date()
    step = next_working_day if n >= 0 else previous_working_day
    for _ in range(abs(n)):
        day = step(cal, day)
    return from_local(cal, datetime.combine(day, local.time().replace(tzinfo=None)))


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
    n = 0
    cursor = a
    while True:
        nxt = add_working_days(cal, cursor, 1)
        if nxt > b:
            return n
        n += 1
        cursor = nxt


def is_working_time(cal: WorkCalendar, at: datetime) -> bool:
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


def add_working_seconds(cal: WorkCalendar, at: datetime, seconds: float) -> datetime:
    """The instant after ``seconds`` of working time have elapsed from ``at``."""
    cursor = next_working_start(cal, at)
    remaining = seconds
    while True:
        local_day = to_local(cal, cursor).date()
        window = _day_window(cal, local_day)
        assert window is not None
        available = (window[1] - cursor).total_seconds()
        if remaining <= available:
            return cursor + timedelta(seconds=remaining)
        remaining -= available
        cursor = from_local(cal, datetime.combine(next_working_day(cal, local_day), cal.day_start))
