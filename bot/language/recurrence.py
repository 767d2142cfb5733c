"""Cadences in plain words ("every monday 9am") turned into RRULE strings.

The rule is wall-clock in the workspace's zone (engine.recurrence expands it
that way), so no zone appears here. Part order is fixed:
FREQ;INTERVAL;BYDAY;BYMONTHDAY;BYHOUR;BYMINUTE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.dates import CLOCK, WEEKDAY, find_clock

_DAY_CODES = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
_WD_LIST = rf"{WEEKDAY}s?(?:\s*(?:,|and|&|,\s*and)\s*{WEEKDAY}s?)*"
_MONTHDAY = r"(?:the\s+)?(?P<{name}>\d{{1,2}}(?:st|nd|rd|th)?|last(?:\s+day)?)"

EVERY_RE = re.compile(
    r"(?<![\w#@])(?:repeat(?:ing|s)?\s+)?every\s+"
    r"(?:"
    # every 2 weeks / every other month / every weekday / every day
    r"(?:(?P<n>\d{1,2}|other)\s+)?"
    r"(?P<unit>working\s+days?|business\s+days?|weekdays?|days?|weeks?|months?|years?)"
    r"|(?P<days>" + _WD_LIST + r")"
    r"|" + _MONTHDAY.format(name="md1") + r"\s+(?:day\s+)?of\s+(?:the\s+|each\s+)?month"
    r")"
    r"(?:\s+on\s+(?:(?P<days2>" + _WD_LIST + r")|" + _MONTHDAY.format(name="md2") + r"))?"
    r"(?:,?\s+(?:at\s+)?(?P<clock>" + CLOCK + r"))?"
    r"(?![\w'])",
    re.I,
)
_WD_ITEM_RE = re.compile(WEEKDAY, re.I)


@dataclass(frozen=True)
class CadenceMatch:
    """An "every …" phrase found in a text and its RRULE."""

    start: int
    end: int
    rrule: str


def find_cadence(text: str) -> CadenceMatch | None:
    """Find the first "every <cadence>" phrase in ``text`` and build its RRULE."""
    for m in EVERY_RE.finditer(text):
        rule = _rule(m)
        if rule is not None:
            return CadenceMatch(m.start(), m.end(), rule)
    return None


def cadence_to_rrule(phrase: str) -> str | None:
    """RRULE for a whole cadence phrase ("every weekday at 7am"), or None."""
    text = phrase.strip()
    if not text.lower().startswith(("every", "repeat")):
        text = "every " + text
    m = EVERY_RE.fullmatch(text)
    return _rule(m) if m else None


def _days(text: str) -> list[str]:
    codes = [_DAY_CODES[w.lower()[:3]] for w in _WD_ITEM_RE.findall(text)]
    return list(dict.fromkeys(codes))


def _monthday(text: str | None) -> int | None:
    if text is None:
        return None
    if text.lower().startswith("last"):
        return -1
    day = int(re.sub(r"\D", "", text))
    return day if 1 <= day <= 31 else None


def _rule(m: re.Match[str]) -> str | None:
    parts: list[str] = []
    unit = (m.group("unit") or "").lower()
    interval = m.group("n")
    weekdays: list[str] = []
    if m.group("days"):
        freq = "WEEKLY"
        weekdays = _days(m.group("days"))
    elif m.group("md1"):
        freq = "MONTHLY"
    elif unit.startswith(("weekday", "working", "business")):
        freq, weekdays = "WEEKLY", list(_WEEKDAYS)
    elif unit.startswith("day"):
        freq = "DAILY"
    elif unit.startswith("week"):
        freq = "WEEKLY"
    elif unit.startswith("month"):
        freq = "MONTHLY"
    else:
        freq = "YEARLY"
    parts.append(f"FREQ={freq}")
    if interval:
        count = 2 if interval.lower() == "other" else int(interval)
        if count < 1:
            return None
        if count > 1:
            parts.append(f"INTERVAL={count}")
    if m.group("days2"):
        if freq not in ("WEEKLY", "MONTHLY"):
            return None
        weekdays = _days(m.group("days2"))
    if weekdays:
        parts.append("BYDAY=" + ",".join(weekdays))
    monthday = _monthday(m.group("md1") or m.group("md2"))
    if (m.group("md1") or m.group("md2")) and monthday is None:
        return None
    if monthday is not None:
        if freq != "MONTHLY":
            return None
        parts.append(f"BYMONTHDAY={monthday}")
    clock = find_clock(m.group("clock")) if m.group("clock") else None
    if clock is not None:
        parts.append(f"BYHOUR={clock.hour};BYMINUTE={clock.minute}")
    return ";".join(parts)
