"""Cadences in people's words ("every other Wednesday", "at 5pm on Fridays") <-> RRULE strings.

The rule is wall-clock in the workspace's zone (engine.recurrence expands it
that way), so no zone appears here. Part order is fixed:
FREQ;INTERVAL;BYMONTH;BYDAY;BYMONTHDAY;BYHOUR;BYMINUTE. ``describe`` turns a
rule back into words ("every Monday at 09:00"; ``bot.language.cadence_words``,
importable from here): people never see a raw RRULE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.cadence_words import describe
from bot.language.vocabulary import (
    MONTH_NUMBERS,
    ORDINAL_WORDS,
    PARTS_OF_DAY,
    WEEKDAY_CODES,
    WEEKDAY_NUMBERS,
)

__all__ = ["CadenceMatch", "cadence_to_rrule", "describe", "find_cadence", "with_clock",
           "with_day"]

_WD_ALT = "|".join(sorted(WEEKDAY_NUMBERS, key=len, reverse=True))
_WD1 = rf"(?:{_WD_ALT})s?\.?"
_WD_LIST = rf"{_WD1}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+){_WD1})*"
_MON_ALT = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))
_ORD_ALT = r"\d{1,2}(?:st|nd|rd|th)|" + "|".join(w for w in ORDINAL_WORDS)
_CLOCK = (
    r"(?:\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|(?:[01]?\d|2[0-3]):[0-5]\d"
    r"|noon|midday|midnight"
    # a bare hour counts only after "at": "every weekday at 8: open the office"
    r"|(?<=\bat\s)(?:1[0-2]|[1-9])(?![\w%]|[:.]\d))"
)


def _at(name: str) -> str:
    return rf"(?:(?:at|@)\s+)?(?P<{name}>{_CLOCK})"



_PART_ALT = "|".join(PARTS_OF_DAY)

_BODY = (
    r"(?:"
    rf"(?P<nth>{_ORD_ALT})\s+(?P<nthday>{_WD_ALT})(?:\s+of\s+(?:the|each|every)\s+month)?"
    rf"|(?:(?P<n>\d{{1,2}}|other)\s+)?(?P<unit>working\s+days?|business\s+days?|work\s?days?"
    r"|weekdays?|weekends?|days?|weeks?|months?|years?)"
    rf"|(?P<part>{_PART_ALT})"
    rf"|(?P<ymon>{_MON_ALT})\.?\s+(?P<yday>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?:the\s+)?(?P<yday0>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<ymon0>{_MON_ALT})\.?"
    rf"|(?:(?P<n2>\d{{1,2}}|other)\s+)?(?P<days>{_WD_LIST})"
    rf"|(?:the\s+)?(?P<md1>last(?:\s+day)?|{_ORD_ALT}|\d{{1,2}})(?:\s+(?:day\s+)?of\s+"
    r"(?:the\s+|each\s+|every\s+)?month)?"
    r")"
)


def _on(n: int) -> str:
    # a date of the year ("every year on 1 March") is tried before a day of the month,
    # which would otherwise take the "1" and leave "March" in the title
    return (
        rf"(?:\s+on\s+(?:(?P<days{n}>{_WD_LIST})"
        rf"|(?:the\s+)?(?P<yd{n}>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<ym{n}>{_MON_ALT})\.?"
        rf"|(?P<ymb{n}>{_MON_ALT})\.?\s+(?:the\s+)?(?P<ydb{n}>\d{{1,2}})(?:st|nd|rd|th)?"
        rf"|(?:the\s+)?(?P<md{n}>last(?:\s+day)?|{_ORD_ALT})(?:\s+day)?))?"
    )


EVERY_RE = re.compile(
    r"(?<![\w#@])(?:" + _at("clock0") + r"\s+)?"
    r"(?:(?:repeat(?:ing|s)?\s+)?(?:every|each|ev)\s+" + _BODY + _on(2)
    + r"|(?:repeat(?:ing|s)?\s+)?(?P<adverb>daily|weekly|monthly|yearly|annually|everyday)"
    + _on(3)
    + rf"|on\s+(?P<plural>(?:{_WD_ALT})s(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:{_WD_ALT})s)*)"
    + rf"|(?P<bare_nth>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?P<bare_day>{_WD_ALT})"
    r"\s+of\s+(?:the|each|every)\s+month"
    r")"
    r"(?:,?\s+" + _at("clock") + r")?"
    r"(?![\w'])",
    re.I,
)
_WD_ITEM_RE = re.compile(rf"(?<![a-z])(?:{_WD_ALT})(?=s?\.?(?![a-z]))", re.I)
# "weekly"/"monthly" name a cadence only where no "every …" does and not inside a title
# ("Create monthly report"): at the end, or before a time, "to …" or "on …".
_ADVERB_END_RE = re.compile(r"^(?:[\W_]*$|\s+(?:at\s|@|to\s|on\s)|,)", re.I)
_ON_MONTHDAY_RE = re.compile(
    rf"(?<![\w])(?:on\s+)?the\s+(?P<md>last(?:\s+day)?|{_ORD_ALT})(?:\s+of\s+the\s+month)?"
    r"(?![\w])", re.I)
_ON_WEEKDAY_RE = re.compile(rf"(?<![\w])on\s+(?P<days>{_WD_LIST})(?![\w])", re.I)
_CLOCK_PARSE_RE = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s?(?P<ap>am|pm|a\.m\.|p\.m\.)?|(?P<w>noon|midday|midnight)",
    re.I,
)
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class CadenceMatch:
    """A cadence phrase found in a text and its RRULE (``has_clock``: a time of day is set)."""

    start: int
    end: int
    rrule: str
    has_clock: bool


def find_cadence(text: str) -> CadenceMatch | None:
    """Find the first cadence phrase in ``text`` and build its RRULE."""
    adverbs: list[CadenceMatch] = []
    for m in EVERY_RE.finditer(text):
        rule = _rule(m)
        if rule is None:
            continue
        found = CadenceMatch(m.start(), m.end(), rule, "BYHOUR" in rule)
        if not m.group("adverb"):
            return found
        if _ADVERB_END_RE.match(text[m.end() :]):
            adverbs.append(found)
    return adverbs[0] if adverbs else None


def cadence_to_rrule(phrase: str) -> str | None:
    """RRULE for a whole cadence phrase ("every weekday at 7am", "at 5pm on Fridays"), or None."""
    text = phrase.strip().lower()
    for candidate in (text, "every " + text):
        m = EVERY_RE.fullmatch(candidate)
        if m is not None:
            return _rule(m)
    return None


def _days(text: str) -> list[str]:
    codes = [WEEKDAY_CODES[WEEKDAY_NUMBERS[w.lower()]] for w in _WD_ITEM_RE.findall(text)]
    return list(dict.fromkeys(codes))


def _ordinal(text: str) -> int | None:
    word = text.lower().strip()
    if word.startswith("last"):
        return -1
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    digits = re.sub(r"\D", "", word)
    return int(digits) if digits else None


def _clock(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    m = _CLOCK_PARSE_RE.search(text)
    if m is None:
        return None
    if m.group("w"):
        return (0, 0) if m.group("w").lower() == "midnight" else (12, 0)
    hour, minute = int(m.group("h")), int(m.group("m") or 0)
    ap = (m.group("ap") or "").lower()
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
    elif m.group("m") is None and 1 <= hour <= 6:
        hour += 12  # a bare "at 5" in office talk is the afternoon, as for due dates
    return (hour, minute) if hour < 24 and minute < 60 else None


def _rule(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    freq, interval, month, weekdays, monthday = "", 1, None, [], None
    clock = _clock(g.get("clock") or g.get("clock0"))
    unit = (g.get("unit") or "").lower()
    adverb = (g.get("adverb") or "").lower()
    if g.get("nth") or g.get("bare_nth"):
        count = _ordinal(g.get("nth") or g["bare_nth"])
        day = g.get("nthday") or g["bare_day"]
        if count is None or not (count == -1 or 1 <= count <= 5):
            return None
        freq, weekdays = "MONTHLY", [f"{count}{WEEKDAY_CODES[WEEKDAY_NUMBERS[day.lower()]]}"]
    elif g.get("part"):
        freq = "DAILY"
        if clock is None:
            at = PARTS_OF_DAY[g["part"].lower()]
            clock = (at.hour, at.minute)
    elif g.get("ymon") or g.get("ymon0"):
        freq = "YEARLY"
        month = MONTH_NUMBERS[(g.get("ymon") or g["ymon0"]).lower()]
        monthday = int(g.get("yday") or g["yday0"])
    elif g.get("days") or g.get("plural"):
        freq, weekdays = "WEEKLY", _days(g.get("days") or g["plural"])
    elif g.get("md1"):
        freq, monthday = "MONTHLY", _ordinal(g["md1"])
    elif unit.startswith(("weekday", "working", "business", "work")):
        freq, weekdays = "WEEKLY", list(WEEKDAY_CODES[:5])
    elif unit.startswith("weekend"):
        freq, weekdays = "WEEKLY", ["SA"]  # Todoist: "every weekend" is every Saturday
    elif unit.startswith("day") or adverb in ("daily", "everyday"):
        freq = "DAILY"
    elif unit.startswith("week") or adverb == "weekly":
        freq = "WEEKLY"
    elif unit.startswith("month") or adverb == "monthly":
        freq = "MONTHLY"
    elif unit.startswith("year") or adverb in ("yearly", "annually"):
        freq = "YEARLY"
    else:
        return None
    every_n = g.get("n") or g.get("n2")
    if every_n:
        interval = 2 if every_n.lower() == "other" else int(every_n)
        if interval < 1:
            return None
    on_days, on_monthday = g.get("days2") or g.get("days3"), g.get("md2") or g.get("md3")
    if on_days:
        if freq not in ("WEEKLY", "MONTHLY"):
            return None
        freq, weekdays = "WEEKLY", _days(on_days)
    if on_monthday:
        if freq != "MONTHLY":
            return None
        monthday = _ordinal(on_monthday)
    on_month = next((g[k] for k in ("ym2", "ymb2", "ym3", "ymb3") if g.get(k)), None)
    if on_month:
        if freq != "YEARLY":
            return None  # "every week on 1 March" says two different things
        month = MONTH_NUMBERS[on_month.lower()]
        monthday = int(next(g[k] for k in ("yd2", "ydb2", "yd3", "ydb3") if g.get(k)))
    if monthday is not None and not (monthday == -1 or 1 <= monthday <= 31):
        return None
    if month is not None and monthday is not None and monthday > _MONTH_DAYS[month - 1]:
        return None  # 31 April is no day of any year
    parts = [f"FREQ={freq}"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if month is not None:
        parts.append(f"BYMONTH={month}")
    if weekdays:
        parts.append("BYDAY=" + ",".join(weekdays))
    if monthday is not None:
        parts.append(f"BYMONTHDAY={monthday}")
    if clock is not None:
        parts.append(f"BYHOUR={clock[0]};BYMINUTE={clock[1]}")
    return ";".join(parts)


def with_day(rule: str, text: str) -> tuple[str, tuple[int, int] | None]:
    """A day said apart from the cadence ("pay rent on the 1st, repeat monthly"): the rule
    with it, and where it was in ``text``; the rule unchanged when there is none."""
    if "BYDAY" in rule or "BYMONTHDAY" in rule:
        return rule, None
    head, _, tail = rule.partition(";BYHOUR")
    tail = f";BYHOUR{tail}" if tail else ""
    if head.startswith("FREQ=MONTHLY") and (m := _ON_MONTHDAY_RE.search(text)):
        day = _ordinal(m.group("md"))
        if day is not None and (day == -1 or 1 <= day <= 31):
            return f"{head};BYMONTHDAY={day}{tail}", (m.start(), m.end())
    if head.startswith("FREQ=WEEKLY") and (m := _ON_WEEKDAY_RE.search(text)):
        return f"{head};BYDAY={','.join(_days(m.group('days')))}{tail}", (m.start(), m.end())
    return rule, None


def with_clock(rule: str, hour: int, minute: int) -> str:
    """The rule with a time of day ("daily" + "at 9am" said apart)."""
    return f"{rule};BYHOUR={hour};BYMINUTE={minute}"
