"""Date phrases: find them inside a message and turn them into aware instants.

Rules (DESIGN.md §3, §8):

* Everything is computed in the speaker's time zone ``tz``; ``now`` is a parameter.
* The grammar people use (bot.language.phrases) is read by hand: it stays right
  across DST changes and year ends, and it was measured against dateparser,
  dateparser.search, datefinder, ctparse and timefhuman on the corpus
  (``python -m bot.language.compare``). What it does not know goes to dateparser
  with a naive wall-clock RELATIVE_BASE, TIMEZONE=tz, PREFER_DATES_FROM='future'.
* A date without a time means the end of that working day (``calendar_day_end``,
  17:00 by default) in the speaker's zone.

dateparser is only ever given the isolated phrase, never a whole sentence: its
search mode is slow and finds dates in ordinary words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from bot.language.date_finder import DateMatch, find_date, normalise_phrase
from bot.language.phrases import Reading, read
from bot.language.times import (
    CLOCK,
    CLOCK_RE,
    DEFAULT_DAY_END,
    at_local,
    default_date_order,
    find_clock,
    zone_for,
)
from bot.limits import YEAR_MAX, YEAR_MIN

# The module is split by concern: finding a phrase in a message (date_finder), clock
# times and zones (times), reading a phrase into an instant (here). Callers keep
# importing from here.
__all__ = [
    "CLOCK", "CLOCK_RE", "DATE_EXAMPLES", "DEFAULT_DAY_END", "DateMatch", "DateNotUnderstood",
    "DateOutOfRange", "at_local", "default_date_order", "find_clock", "find_date",
    "normalise_phrase", "parse_date", "read_date", "warm_up", "zone_for",
]

_NUMBER_ONLY_RE = re.compile(r"^\d+$")
_AT_HOUR_ONLY_RE = re.compile(r"^(?:at|@)\s*\d{1,4}$", re.I)
_NUMERIC_RE = re.compile(r"\d[/.\-]\d")
DATE_ORDERS = ("DMY", "MDY", "YMD")
# A date phrase is short ("at 3pm on the 28th of November 2026"); longer text is not one.
MAX_PHRASE_WORDS = 10
MAX_PHRASE_CHARS = 80

DATE_EXAMPLES = "'Friday', 'tomorrow 3pm', '28 Nov', 'in 3 days', 'EOD', 'end of week'"


class DateNotUnderstood(ValueError):
    """A verb that needs a date was given a phrase that is not a date."""

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        shown = phrase.strip() or "(nothing)"
        if len(shown) > 40:
            shown = shown[:40].rstrip() + "…"
        super().__init__(
            f"I could not understand the date '{shown}'. Try for example {DATE_EXAMPLES}."
        )


class DateOutOfRange(DateNotUnderstood):
    """A date phrase whose year falls outside 1900–2200 (``bot.limits``)."""

    def __init__(self, phrase: str, year: int) -> None:
        super().__init__(phrase)
        shown = " ".join(phrase.split())[:40]
        self.args = (f"The date '{shown}' is in the year {year}; I take dates from "
                     f"{YEAR_MIN} to {YEAR_MAX}.",)

    def __str__(self) -> str:
        return str(self.args[0])


# --- public API -------------------------------------------------------------------


def parse_date(
    phrase: str,
    now: datetime,
    tz: str,
    calendar_day_end: time = DEFAULT_DAY_END,
    languages: Sequence[str] = ("en",),
    date_order: str | None = None,
) -> datetime | None:
    """Turn a date phrase into an aware datetime in ``tz``, or None if it is not a date.

    ``now`` should be aware; a naive ``now`` is read as wall-clock time in ``tz``.
    A phrase without a clock time means ``calendar_day_end`` of that day. The
    result's tzinfo is ``ZoneInfo(tz)``; an unknown zone raises ValueError.
    Phrases of more than ``MAX_PHRASE_WORDS`` words are not dates (None). When
    the year of a date is in doubt this is the nearest reading (see read_date).
    """
    reading = read_date(phrase, now, tz, calendar_day_end, languages, date_order)
    return reading.at if reading else None


def read_date(
    phrase: str,
    now: datetime,
    tz: str,
    calendar_day_end: time = DEFAULT_DAY_END,
    languages: Sequence[str] = ("en",),
    date_order: str | None = None,
) -> Reading | None:
    """Like parse_date, with the readings to choose between when the year is in doubt."""
    zone = zone_for(tz)
    local_now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    text = normalise_phrase(phrase[:MAX_PHRASE_CHARS])
    if _AT_HOUR_ONLY_RE.match(phrase.strip()):
        text = f"at {text}"  # "at 11" is an hour; a bare "11" is no date
    elif not text or _NUMBER_ONLY_RE.match(text) or text.count(" ") >= MAX_PHRASE_WORDS:
        return None
    order = date_order or default_date_order(tz)
    hand = read(text, local_now, calendar_day_end, order)
    if hand is not None:
        # the range is checked here, in the parser: a year such as 9999 or 0001 is an
        # error with its reason, not an instant that breaks charts and calendars later
        for at in (hand.at, *hand.options):
            if not YEAR_MIN <= at.year <= YEAR_MAX:
                raise DateOutOfRange(phrase, at.year)
        return hand
    if _NUMERIC_RE.search(text) or not re.search(r"[a-z]{3}", text):
        return None  # numbers the grammar refused (15/13): never a guess such as the year 2115
    found = _dateparser(text, local_now.replace(tzinfo=None), tz, tuple(languages), order)
    if found is None:
        return None
    found = found.astimezone(zone) if found.tzinfo else found.replace(tzinfo=zone)
    if abs(found.year - local_now.year) > 2:
        return None
    if find_clock(text) is None:
        return Reading(at_local(found.date(), calendar_day_end, zone))
    return Reading(at_local(found.date(), time(found.hour, found.minute), zone))


def warm_up(languages: Sequence[str] = ("en",), zones: Sequence[str] = ("UTC",)) -> None:
    """Load dateparser's language data (and each zone's rules) once, so that the
    first real message is fast. Pass the workspaces' zones if they are known."""
    for tz in zones:
        base = datetime.now(zone_for(tz)).replace(tzinfo=None, microsecond=0)
        for phrase in ("next monday 3pm", "28 nov", "friday"):
            _dateparser.__wrapped__(phrase, base, tz, tuple(languages), default_date_order(tz))


@lru_cache(maxsize=512)
def _dateparser(
    text: str, base: datetime, tz: str, languages: tuple[str, ...], order: str
) -> datetime | None:
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "TIMEZONE": tz,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": order,
    }
    import dateparser  # loaded on first use: most phrases never need it (warm_up loads it early)

    try:
        return dateparser.parse(text, languages=list(languages), settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; it is not a date
        return None
