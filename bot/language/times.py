"""Clock times and zones for date phrases: "3pm", "15:30", "noon"; the speaker's zone.

Split out of bot.language.dates (which reads whole phrases) and used by it, by
bot.language.date_finder and by the fields reader.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.language.zones import order_for_zone

DEFAULT_DAY_END = time(17, 0)

# Clock-time pattern for cadences ("every monday 9am", "at 5pm on Fridays").
CLOCK = (
    r"(?:\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|(?:[01]?\d|2[0-3]):[0-5]\d"
    r"|noon|midday|midnight)"
)
CLOCK_RE = re.compile(
    r"(?<![\w:])(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s?(?P<ap>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)|(?P<word>noon|midday|midnight))(?![\w:])",
    re.I,
)


@lru_cache(maxsize=64)
def zone_for(tz: str) -> ZoneInfo:
    """The ZoneInfo for a zone name, cached; ValueError for an unknown zone."""
    try:
        return ZoneInfo(tz)
    except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"Unknown time zone '{tz}'.") from exc


def at_local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The aware instant at wall-clock ``clock`` on ``day`` in ``zone``."""
    return datetime.combine(day, clock, tzinfo=zone)


def find_clock(text: str) -> time | None:
    """The clock time written in a phrase ("3pm", "15:30", "noon"), if any."""
    m = CLOCK_RE.search(text)
    if m is None:
        return None
    if m.group("word"):
        return time(0, 0) if m.group("word").lower() == "midnight" else time(12, 0)
    if m.group("h24") is not None:
        return time(int(m.group("h24")), int(m.group("m24")))
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    pm = m.group("ap").lower().startswith("p")
    return time(hour % 12 + (12 if pm else 0), minute)


def default_date_order(tz: str) -> str:
    """Numeric dates in the order of the zone's country (bot.language.zones)."""
    return order_for_zone(tz)
