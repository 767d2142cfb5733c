"""Days named by words: weekdays, ordinals, months without a year, numeric dates.

The year rule (issue #12): a month and day without a year is the nearest such
date, unless that is far in the past. Up to JUST_PAST_DAYS back it stays in the
past (the work is overdue); next year's date is taken without asking only when
it is less than SILENT_AHEAD_DAYS away; otherwise both readings are returned
and the caller asks which.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from bot.language.vocabulary import (
    DAY_WORDS,
    MONTH_NUMBERS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    WEEKDAY_NUMBERS,
)

JUST_PAST_DAYS = 31
SILENT_AHEAD_DAYS = 270


def count(word: str) -> int:
    """A written amount: "3", "three", "a couple of"."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _ordinal(word: str) -> int:
    return ORDINAL_WORDS[word] if word in ORDINAL_WORDS else int(re.sub(r"\D", "", word))


def _weekday_from(today: date, weekday: int, strictly_after: bool = True) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    return today + timedelta(days=ahead)


def _monday_next_week(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def day_for(name: str, m: re.Match[str], today: date, order: str) -> tuple[date, ...] | None:
    """The day(s) a matched day pattern of bot.language.phrases names; two when the year is
    in doubt (nearest first), None when it names no real day."""
    groups = m.groupdict()
    wd = WEEKDAY_NUMBERS.get(groups.get("wd") or "")
    if name == "word":
        return (today + timedelta(days=DAY_WORDS[m.group("word")]),)
    if name == "eod":
        which = groups.get("pre") or groups.get("post") or groups.get("of") or "today"
        if which in WEEKDAY_NUMBERS:
            return (_weekday_from(today, WEEKDAY_NUMBERS[which], strictly_after=False),)
        return (today + timedelta(days=1 if which == "tomorrow" else 0),)
    if name in ("eow", "next_eow"):
        friday = today + timedelta(days=4 - today.weekday())
        if today.weekday() > 4:
            friday += timedelta(days=7)
        return (friday + timedelta(days=7 if name == "next_eow" else 0),)
    if name in ("eom", "next_eom"):
        first = today.replace(day=1) + relativedelta(months=1 if name == "next_eom" else 0)
        return (first.replace(day=calendar.monthrange(first.year, first.month)[1]),)
    if name == "next_week":
        return (_monday_next_week(today),)
    if name in ("weekend", "next_weekend"):
        # "this weekend" is its Saturday; "next weekend" said on a weekday is the one after
        # it, as people mean it. During a weekend: today, and next Saturday.
        if today.weekday() >= 5:
            return (today if name == "weekend" else _weekday_from(today, 5),)
        saturday = _weekday_from(today, 5)
        return (saturday + timedelta(days=7 if name == "next_weekend" else 0),)
    if name == "next_month":
        return (today.replace(day=1) + relativedelta(months=1),)
    if name == "next_year":
        return (date(today.year + 1, 1, 1),)
    if name in ("weekday", "week_weekday"):
        assert wd is not None
        return (_weekday(today, wd, groups.get("which"), groups.get("tail"), groups.get("wn"),
                         name == "week_weekday"),)
    if name == "last_weekday":  # "due last Friday": the latest one before today (overdue)
        assert wd is not None
        return (today - timedelta(days=(today.weekday() - wd - 1) % 7 + 1),)
    if name == "nth_weekday":
        assert wd is not None
        first = _weekday_from(today, wd)
        return (first + timedelta(weeks=count(m.group("count")) - 1),)
    if name == "ordinal":
        return _next_monthday(today, _ordinal(m.group("ord")))
    if name == "ordinal_month":
        ahead = 1 if m.group("rel").endswith("next") else 0
        base = today.replace(day=1) + relativedelta(months=ahead)
        return _safe_date(base.year, base.month, _ordinal(m.group("ord")))
    if name in ("month_day", "day_month", "mid_month"):
        month = MONTH_NUMBERS[m.group("mon")]
        day = 15 if name == "mid_month" else _ordinal(m.group("ord"))
        if groups.get("year"):
            return _safe_date(int(m.group("year")), month, day)
        return _without_year(today, month, day)
    if name == "numeric":
        return _numeric(m, today, order)
    return None


def _weekday(today: date, wd: int, which: str | None, tail: str | None, weeks: str | None,
             next_week_first: bool) -> date:
    which, tail = (which or "").strip(), (tail or "").strip()
    if next_week_first or which == "next" or tail in ("next week", "of next week"):
        return _monday_next_week(today) + timedelta(days=wd)
    if which == "this" or tail in ("this week", "of this week"):
        this_week = today + timedelta(days=wd - today.weekday())
        return this_week if this_week >= today else this_week + timedelta(days=7)
    if tail == "after next":
        return _weekday_from(today, wd) + timedelta(days=7)
    if weeks:
        this_week = today + timedelta(days=wd - today.weekday())
        return this_week + timedelta(weeks=count(weeks))
    return _weekday_from(today, wd)


def _safe_date(year: int, month: int, day: int) -> tuple[date, ...] | None:
    try:
        return (date(year, month, day),)
    except ValueError:
        return None


def _next_monthday(today: date, day: int) -> tuple[date, ...] | None:
    if not 1 <= day <= 31:
        return None
    first = today.replace(day=1)
    for months in range(0, 3):
        month = first + relativedelta(months=months)
        if day <= calendar.monthrange(month.year, month.month)[1]:
            candidate = month.replace(day=day)
            if candidate >= today:
                return (candidate,)
    return None


def _without_year(today: date, month: int, day: int) -> tuple[date, ...] | None:
    readings = []
    for year in (today.year - 1, today.year, today.year + 1):
        found = _safe_date(year, month, day)
        if found:
            readings.append(found[0])
    if not readings:
        return None
    past = [d for d in readings if d < today]
    ahead = [d for d in readings if d >= today]
    last, upcoming = (past[-1] if past else None), (ahead[0] if ahead else None)
    if last is not None and (today - last).days <= JUST_PAST_DAYS:
        return (last,)
    if upcoming is None:
        return (last,) if last else None
    if (upcoming - today).days < SILENT_AHEAD_DAYS or last is None:
        return (upcoming,)
    return (last, upcoming)  # far either way: the caller asks


def _numeric(m: re.Match[str], today: date, order: str) -> tuple[date, ...] | None:
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    if len(a) == 4:  # 2026-11-30 is year first whatever the workspace's order
        return _safe_date(int(a), int(b), int(c)) if c else None
    if c is None:
        first, second = int(a), int(b)
        month, day = (first, second) if order == "MDY" else (second, first)
        if order == "YMD":
            month, day = first, second
        return _without_year(today, month, day) if 1 <= month <= 12 else None
    year = int(c) + (2000 if len(c) == 2 else 0)
    first, second = int(a), int(b)
    month, day = (first, second) if order == "MDY" else (second, first)
    return _safe_date(year, month, day) if 1 <= month <= 12 else None


