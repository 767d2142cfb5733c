"""Working-time arithmetic on a workspace calendar.

All functions take and return aware UTC datetimes; the arithmetic is done on
local wall-clock time in the calendar's zone so that a DST change never shifts
a deadline by an hour.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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


@lru_cache(maxsize=8192)
def _advance_working_days(cal: WorkCalendar, day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (before it for negative ``n``).

    Done by rank arithmetic on the calendar's day index: constant time in
    ``n``, logarithmic in the number of holidays. Cached: a workspace's tasks
    fall on a few hundred days and ask for the same few shifts (a cache hit
    costs a fifth of the arithmetic).
    """
    _require_workdays(cal)
    if n == 0:
        return day
    index = _index(cal)
    rank = index.rank(day)
    if n > 0:
        if is_working_day(cal, day):
            rank += 1
        return index.select(rank + n - 1)
    return index.select(rank + n)


_EPOCH = date(1900, 1, 1).toordinal()  # a Monday


class _DayIndex:
    """Rank <-> date for the working days of one calendar.

    ``rank(d)`` is the number of working days in [1900-01-01, d); ``select(k)``
    is the working day whose rank is ``k``.
    """

    def __init__(self, cal: WorkCalendar) -> None:
        self.days = sorted(cal.workdays)
        self.per_week = len(self.days)
        self.prefix = [sum(1 for w in self.days if w < r) for r in range(8)]
        self.holidays = sorted(h.toordinal() for h in cal.holidays if h.weekday() in cal.workdays)

    def rank(self, d: date) -> int:
        weeks, rest = divmod(d.toordinal() - _EPOCH, 7)
        return weeks * self.per_week + self.prefix[rest] - bisect_left(self.holidays, d.toordinal())

    def _select_ignoring_holidays(self, j: int) -> int:
        weeks, r = divmod(j, self.per_week)
        return _EPOCH + weeks * 7 + self.days[r]

    def select(self, k: int) -> date:
        j = k + bisect_left(self.holidays, self._select_ignoring_holidays(k))
        while True:
            ordinal = self._select_ignoring_holidays(j)
            shifted = k + bisect_right(self.holidays, ordinal)
            if shifted == j and ordinal not in self.holidays:
                return date.fromordinal(ordinal)
            j = max(j + 1, shifted) if shifted <= j else shifted


@lru_cache(maxsize=64)
def _index(cal: WorkCalendar) -> _DayIndex:
    return _DayIndex(cal)


@lru_cache(maxsize=8192)
def _select(cal: WorkCalendar, rank: int) -> date:
    """The working day of rank ``rank`` (cached: the few hundred days of a workspace)."""
    return _index(cal).select(rank)


@lru_cache(maxsize=65536)
def add_working_days(cal: WorkCalendar, at: datetime, n: int) -> datetime:
    """Move ``n`` working days forward (or back for negative ``n``).

    Keeps the local time of day: Friday 10:00 + 2wd is Tuesday 10:00, also
    across a DST change.
    """
    local = to_local(cal, at)
    day = _advance_working_days(cal, local.date(), n)
    return from_local(cal, datetime.combine(day, local.time()))


@lru_cache(maxsize=65536)
def add_days(cal: WorkCalendar, at: datetime, n: int) -> datetime:
    """Calendar days in local wall-clock time (a day across DST stays a day)."""
    local = to_local(cal, at).replace(tzinfo=None)
    return from_local(cal, local + timedelta(days=n))


@lru_cache(maxsize=8192)
def end_of_working_day(cal: WorkCalendar, day: date) -> datetime:
    """The end of working hours of ``day`` (default 17:00 local), in UTC."""
    return from_local(cal, datetime.combine(day, cal.day_end))


@lru_cache(maxsize=8192)
def _day_window(cal: WorkCalendar, day: date) -> tuple[datetime, datetime] | None:
    if not is_working_day(cal, day):
        return None
    return (
        from_local(cal, datetime.combine(day, cal.day_start)),
        from_local(cal, datetime.combine(day, cal.day_end)),
    )


@lru_cache(maxsize=65536)
def _position(cal: WorkCalendar, at: datetime) -> tuple[int, float]:
    """Where ``at`` sits in working time: (working days before its local day,
    working seconds already used on that day).

    A non-working day or the time before opening counts as 0 used, after
    closing as the whole day. ``(r, o)`` and ``(r + 1, 0)`` with ``o`` a full
    day are the same position.
    """
    local = to_local(cal, at)
    day = local.date()
    rank = _index(cal).rank(day)
    if day.weekday() not in cal.workdays or day in cal.holidays:
        return rank, 0.0
    opening, length = _day_bounds(cal)
    wall = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    used = wall - opening
    return rank, 0.0 if used <= 0 else (length if used >= length else used)


@lru_cache(maxsize=65536)
def working_seconds_between(cal: WorkCalendar, a: datetime, b: datetime) -> float:
    """Seconds of working hours in [a, b); negative when b < a.

    Counted in local wall-clock time: a working day is ``day_end - day_start``
    long (working hours never contain a DST jump in practice).
    """
    if b < a:
        return -working_seconds_between(cal, b, a)
    rank_a, used_a = _position(cal, a)
    rank_b, used_b = _position(cal, b)
    return (rank_b - rank_a) * _working_day_seconds(cal) + (used_b - used_a)


def count_working_days(cal: WorkCalendar, first: date, stop: date) -> int:
    """Working days in [first, stop)."""
    if stop <= first or not cal.workdays:
        return 0
    index = _index(cal)
    return index.rank(stop) - index.rank(first)


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


@lru_cache(maxsize=64)
def _day_bounds(cal: WorkCalendar) -> tuple[float, float]:
    """Opening time as seconds after midnight, and the working day's length."""
    opening = cal.day_start.hour * 3600 + cal.day_start.minute * 60 + cal.day_start.second
    return float(opening), _working_day_seconds(cal)


@lru_cache(maxsize=64)
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
    if seconds == 0:
        return next_working_start(cal, at)
    _require_workdays(cal)
    rank, used = _position(cal, at)
    days, rest = divmod(used + seconds, _working_day_seconds(cal))
    if rest == 0:  # exactly at a closing time: that evening, not the next morning
        days, rest = days - 1, _working_day_seconds(cal)
    day = _select(cal, rank + int(days))
    window = _day_window(cal, day)
    assert window is not None
    return window[0] + timedelta(seconds=rest)
