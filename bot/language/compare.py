"""Which way of finding dates in a sentence the corpus favours: `python -m bot.language.compare`.

For every corpus case with a due date, each finder gets the whole message and
the case's now; the last date it finds is its answer. Vigil's rule that a date
without a clock time means the end of the working day (17:00) is applied to
every finder alike, so "right day" and "right instant" compare like with like.
Finders not installed are reported as such (ctparse, datefinder and timefhuman
are not dependencies of Vigil: install them to run the comparison).
"""

from __future__ import annotations

import logging
import statistics
import time as clock
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from bot.language import parse
from bot.language.corpus import Case, load
from bot.language.dates import (
    DEFAULT_DAY_END,
    default_date_order,
    find_clock,
    find_date,
    zone_for,
)

Finder = Callable[[str, datetime, str], datetime | None]


def _vigil(text: str, now: datetime, order: str) -> datetime | None:
    try:
        return parse(text, now, str(now.tzinfo), "ana", date_order=order).due
    except ValueError:
        return None


def _dateparser_on_phrase(text: str, now: datetime, order: str) -> datetime | None:
    """Vigil finds the phrase; dateparser alone reads it (what Vigil did before issue #12)."""
    import dateparser

    found = find_date(text)
    phrase = found.phrase if found else text
    naive = now.replace(tzinfo=None)
    result = dateparser.parse(phrase, languages=["en"], settings={
        "RELATIVE_BASE": naive, "DATE_ORDER": order, "PREFER_DATES_FROM": "future"})
    return _day_end(result, phrase)


def _dateparser_search(text: str, now: datetime, order: str) -> datetime | None:
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"], settings={
        "RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
        "DATE_ORDER": order})
    return _day_end(found[-1][1], found[-1][0]) if found else None


def _datefinder(text: str, now: datetime, order: str) -> datetime | None:
    import datefinder

    found = list(datefinder.find_dates(text, base_date=now.replace(tzinfo=None), source=True))
    return _day_end(found[-1][0], found[-1][1]) if found else None


def _ctparse(text: str, now: datetime, order: str) -> datetime | None:
    import ctparse

    logging.getLogger("ctparse").setLevel(logging.ERROR)
    result = ctparse.ctparse(text, ts=now.replace(tzinfo=None), timeout=1.0)
    if result is None or not hasattr(result.resolution, "year"):
        return None
    res: Any = result.resolution
    if res.year is None or res.month is None or res.day is None:
        return None
    when = datetime(res.year, res.month, res.day, res.hour or 0, res.minute or 0)
    return when if res.hour is not None else datetime.combine(when.date(), DEFAULT_DAY_END)


def _timefhuman(text: str, now: datetime, order: str) -> datetime | None:
    from timefhuman import timefhuman
    from timefhuman.utils import tfhConfig

    found: Any = timefhuman(text, config=tfhConfig(now=now.replace(tzinfo=None)))
    while isinstance(found, (list, tuple)) and found:
        found = found[-1]
    if not isinstance(found, datetime):
        return None
    return found if found.time() != time(0) else datetime.combine(found.date(), DEFAULT_DAY_END)


def _day_end(found: datetime | None, phrase: str) -> datetime | None:
    if found is None:
        return None
    found = found.replace(tzinfo=None)
    said = phrase.lower()
    timed = find_clock(said) is not None or any(
        word in said for word in ("hour", "min", "hr", "noon", "midnight", " at ", "morning",
                                  "evening", "afternoon", "tonight", "lunch"))
    return found if timed else datetime.combine(found.date(), DEFAULT_DAY_END)


FINDERS: dict[str, Finder] = {
    "vigil (grammar + dateparser fallback)": _vigil,
    "dateparser alone on the phrase": _dateparser_on_phrase,
    "dateparser.search on the message": _dateparser_search,
    "datefinder": _datefinder,
    "ctparse": _ctparse,
    "timefhuman": _timefhuman,
}


def compare(heldout_only: bool = False) -> list[tuple[str, str]]:
    """One line per finder: right instant, right day, p95 ms; or why it could not run."""
    cases = [c for c in load() if c.expected.get("due") and c.direct
             and (c.heldout or not heldout_only)]
    lines: list[tuple[str, str]] = []
    for name, finder in FINDERS.items():
        try:
            lines.append((name, _score(cases, finder)))
        except ImportError as exc:
            lines.append((name, f"not installed ({exc.name})"))
    return lines


def _score(cases: list[Case], finder: Finder) -> str:
    instant = day = 0
    samples: list[float] = []
    for case in cases:
        zone = zone_for(case.tz)
        expected = datetime.fromisoformat(case.expected["due"]).replace(tzinfo=zone)
        start = clock.perf_counter()
        try:
            got = finder(case.text, case.now, case.date_order or default_date_order(case.tz))
        except Exception:  # a finder crashing on a message is a miss for it, not for the run
            got = None
        samples.append((clock.perf_counter() - start) * 1000)
        if got is None:
            continue
        got_local = got.astimezone(zone) if got.tzinfo else got.replace(tzinfo=zone)
        instant += abs(got_local - expected) < timedelta(minutes=1)
        day += got_local.date() == expected.date()
    p95 = statistics.quantiles(samples, n=100)[94]
    n = len(cases)
    return (f"right instant {instant}/{n} ({100 * instant / n:.0f}%), right day {day}/{n} "
            f"({100 * day / n:.0f}%), p95 {p95:.2f} ms")


def main() -> None:
    """Print the comparison, on the whole corpus and on the cases gathered after the work."""
    for heldout in (False, True):
        print("held-out cases only:" if heldout else "all corpus cases with a due date:")
        for name, line in compare(heldout):
            print(f"  {name:40} {line}")


if __name__ == "__main__":
    main()
