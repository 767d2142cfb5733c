"""The date grammar people use, read by hand: days, clock times, parts of the day, durations.

``read(phrase, ...)`` takes one isolated phrase ("tomorrow morning", "EOD friday",
"on the 3rd", "in 2h 15m", "12/15") and returns a :class:`Reading`, or None when
the phrase is not in this grammar (the caller then asks dateparser). Rules:

* A weekday means the next one after today; "next Friday" is Friday of next
  week and "Friday after next" the second Friday from today (duckling, Todoist).
* An ordinal alone ("the 3rd") is the next such day of a month, today included.
* A month and day without a year is the nearest such date, unless that is far in
  the past: just past (within 31 days) stays in the past (the work is overdue);
  next year's date is taken silently only when it is under 9 months away, and
  otherwise the reading carries both dates for the caller to ask which.
* Numeric dates follow the workspace's order (DMY, MDY or YMD); an impossible
  one is no date (never read as a year such as 2115).
* A bare hour ("at 3", "3:15", "10 o'clock") today is the next such time of day
  (03:15 before then, else 15:15); on another day 7-11 are morning hours and
  1-6 afternoon ones; "morning", "afternoon", "tonight" decide when said.
* Minutes and hours from now are exact instants; days, weeks and months land on
  the end of that working day unless a clock time is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from bot.language.days import count, day_for
from bot.language.vocabulary import (
    DAY_WORDS,
    MONTH_NUMBERS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PARTS_OF_DAY,
    WEEKDAY_NUMBERS,
)


@dataclass(frozen=True)
class Reading:
    """A phrase read: an instant, and when a year is in doubt the dates to choose between."""

    at: datetime
    options: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    ambiguous: bool  # written without am/pm and could be either


_WD = r"(?P<wd>" + "|".join(sorted(WEEKDAY_NUMBERS, key=len, reverse=True)) + r")"
_MON = r"(?P<mon>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_ORD_WORDS = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_ORD = rf"(?P<ord>\d{{1,2}}(?:st|nd|rd|th)?|{_ORD_WORDS})"
_YEAR = r"(?:,?\s*(?P<year>\d{4}))?"
_AMOUNT_ALT = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT_ALT = (
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|fortnights?|months?|mos?|years?|yrs?"
    r"|m|h|d|w|y"
)

_CLOCK_AMPM_RE = re.compile(
    r"(?<![\w:])(?P<h>\d{1,2})(?::?(?P<m>[0-5]\d))?\s?(?P<ap>a\.m\.|p\.m\.|am|pm|a|p)(?![\w])"
)
_CLOCK_24_RE = re.compile(r"(?<![\w:])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?![\w:])")
_CLOCK_WORD_RE = re.compile(r"(?<![\w])(?P<w>noon|midday|midnight|lunchtime|lunch)(?![\w])")
_OCLOCK_RE = re.compile(r"(?<![\w:])(?P<h>\d{1,2}|[a-z]+)\s?o'?clock(?![\w])")
_AT_HOUR_RE = re.compile(r"(?:^|(?<=\s))at\s+(?P<h>\d{1,4}|[a-z]+)$")
_PART_RE = re.compile(
    r"(?<![\w])(?:in\s+the\s+)?(?P<part>" + "|".join(PARTS_OF_DAY) + r")(?![\w])"
)
_EOD = r"(?:eod|cob|eob|close of (?:business|play)|end of (?:the )?(?:business |working )?day" \
       r"|end of (?:play|business))"
_EDGE_FILLER_RE = re.compile(
    r"^(?:(?:at|on|by|the)(?:\s+|$)|[,@]\s*)+|(?:(?:^|\s+)(?:at|on|by)|\s*[,@])+$"
)

_DAY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"^(?:{pattern})$"))
    for name, pattern in (
        ("word", r"(?P<word>" + "|".join(DAY_WORDS) + r")"),
        ("eod", rf"(?:(?P<pre>today|tomorrow|{_WD[7:-1]}) )?{_EOD}(?: (?P<post>today|tomorrow|"
                rf"{_WD[7:-1]}))?|end of (?P<of>today|tomorrow)"),
        ("eow", r"(?:eow|end of (?:the |this )?(?:working |work )?week|later this week|this week)"),
        ("next_eow", r"end of next (?:working |work )?week"),
        ("eom", r"(?:eom|end of (?:the |this )?month)"),
        ("next_eom", r"end of next month"),
        ("next_week", r"(?:next|(?:the )?following) week"),
        ("weekend", r"(?:this |the |coming |this coming )?weekend"),  # Todoist: its Saturday
        ("next_weekend", r"next weekend"),
        ("next_month", r"next month"),
        ("next_year", r"next year"),
        ("weekday", rf"(?P<which>this |coming |next )?{_WD}(?P<tail> next week| of next week"
                    rf"| this week| of this week| after next"
                    rf"| in (?P<wn>\d|two|three|four) weeks?)?"),
        ("week_weekday", rf"next week {_WD}"),
        ("last_weekday", rf"(?:last|previous|this past|past) {_WD}"),
        ("nth_weekday", rf"(?P<count>\d|two|three|four) {_WD}s from (?:now|today)"),
        ("ordinal", rf"(?:{_WD} )?(?:the )?{_ORD}"),
        ("ordinal_month", rf"(?:the )?{_ORD} (?:day )?of "
                          rf"(?P<rel>next|this|the next|the current) month"),
        ("month_day", rf"(?:{_WD} )?{_MON} (?:the )?{_ORD}{_YEAR}"),
        ("day_month", rf"(?:{_WD} )?(?:the )?{_ORD} (?:of )?{_MON}{_YEAR}"),
        ("mid_month", rf"mid(?:dle of)?[ -]?{_MON}{_YEAR}"),
        ("numeric", r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?:(?P=sep)(?P<c>\d{2,4}))?"),
        ("duration", rf"(?:in |\+)?(?P<parts>(?:{_AMOUNT_ALT}) ?(?:{_UNIT_ALT})"
                     rf"(?: ?(?:and )?\d{{1,3}} ?(?:{_UNIT_ALT}))?)(?: from (?:now|today))?"),
    )
)
AMOUNT_ALT, UNIT_ALT = _AMOUNT_ALT, _UNIT_ALT  # for the reminder forms of bot.language.parser
_DURATION_PART_RE = re.compile(rf"(?P<n>{_AMOUNT_ALT}) ?(?P<unit>{_UNIT_ALT})(?![a-z])")


def read(
    phrase: str, local_now: datetime, day_end: time, order: str
) -> Reading | None:
    """Read a normalised phrase at ``local_now`` (aware, the speaker's zone); None if unknown."""
    zone = local_now.tzinfo
    assert isinstance(zone, ZoneInfo)
    text, clock, part = _take_time_of_day(phrase)
    text = _EDGE_FILLER_RE.sub("", " ".join(text.split())).strip()
    if text == "this" and part is not None:  # "this afternoon at 3:20"
        text = "today"
    if not text:
        if clock is None and part is None:
            return None
        return _time_only(local_now, clock, part, day_end)
    for name, pattern in _DAY_PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        if name == "duration":
            return _duration(m, local_now, clock, part, day_end)
        days = day_for(name, m, local_now.date(), order)
        if days is None:
            return None
        instants = tuple(_at(d, clock, part, local_now, day_end) for d in days)
        return Reading(instants[0], instants if len(instants) > 1 else ())
    return None


def _take_time_of_day(text: str) -> tuple[str, _Clock | None, str | None]:
    clock: _Clock | None = None
    m = _CLOCK_AMPM_RE.search(text)
    if m:
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if 1 <= hour <= 12:
            pm = m.group("ap").startswith("p")
            clock = _Clock(hour % 12 + (12 if pm else 0), minute, False)
            text = text[: m.start()] + " " + text[m.end() :]
    if clock is None and (m := _CLOCK_24_RE.search(text)):
        hour = int(m.group("h"))
        ambiguous = 1 <= hour <= 12 and not m.group("h").startswith("0")
        clock = _Clock(hour, int(m.group("m")), ambiguous)
        text = text[: m.start()] + " " + text[m.end() :]
    if clock is None and (m := _CLOCK_WORD_RE.search(text)):
        clock = _Clock(0, 0, False) if m.group("w") == "midnight" else _Clock(12, 0, False)
        text = text[: m.start()] + " " + text[m.end() :]
    if clock is None and (m := _OCLOCK_RE.search(text)):
        said = _hour_word(m.group("h"))
        if said is not None:
            clock = _Clock(said, 0, said != 12)
            text = text[: m.start()] + " " + text[m.end() :]
    part = None
    m = _PART_RE.search(text)
    if m:
        part = m.group("part")
        text = text[: m.start()] + " " + text[m.end() :]
    if clock is None and (m := _AT_HOUR_RE.search(text.strip())):
        clock = _at_hour(m.group("h"))
        if clock is not None:
            stripped = text.strip()
            text = stripped[: m.start()]
    return text.strip(), clock, part


def _hour_word(word: str) -> int | None:
    hour = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
    return hour if hour is not None and 1 <= hour <= 12 else None


def _at_hour(word: str) -> _Clock | None:
    if word.isdigit() and len(word) in (3, 4):  # "at 1400", "at 930": military style
        hour, minute = int(word[:-2]), int(word[-2:])
        if hour > 23 or minute > 59:
            return None
        return _Clock(hour, minute, 1 <= hour <= 12 and len(word) == 3)
    said = _hour_word(word)
    return _Clock(said, 0, said != 12) if said is not None else None


def _resolve_clock(clock: _Clock, part: str | None, day: date, local_now: datetime) -> time:
    hour = clock.hour
    if clock.ambiguous and hour < 12:
        if part is not None:
            hour += 12 if PARTS_OF_DAY[part].hour >= 12 else 0
        elif day == local_now.date():
            morning = datetime.combine(day, time(hour, clock.minute), tzinfo=local_now.tzinfo)
            hour += 0 if morning > local_now else 12
        elif hour <= 6:
            hour += 12
    return time(hour, clock.minute)


def _at(d: date, clock: _Clock | None, part: str | None, local_now: datetime, day_end: time
        ) -> datetime:
    zone = local_now.tzinfo
    if clock is not None:
        if clock.hour == 0 and clock.minute == 0 and not clock.ambiguous:
            d += timedelta(days=1)  # "Friday midnight": the midnight that ends Friday
        return datetime.combine(d, _resolve_clock(clock, part, d, local_now), tzinfo=zone)
    if part is not None:
        return datetime.combine(d, PARTS_OF_DAY[part], tzinfo=zone)
    return datetime.combine(d, day_end, tzinfo=zone)


def _time_only(local_now: datetime, clock: _Clock | None, part: str | None, day_end: time
               ) -> Reading:
    today = local_now.date()
    if clock is not None and clock.hour == 0 and clock.minute == 0 and not clock.ambiguous:
        tomorrow = today + timedelta(days=1)
        return Reading(datetime.combine(tomorrow, time(0), tzinfo=local_now.tzinfo))
    at = _at(today, clock, part, local_now, day_end)
    if at <= local_now:
        at = _at(today + timedelta(days=1), clock, part, local_now, day_end)
    return Reading(at)


def _duration(m: re.Match[str], local_now: datetime, clock: _Clock | None, part: str | None,
              day_end: time) -> Reading | None:
    exact = timedelta()
    days = 0
    months = 0
    for piece in _DURATION_PART_RE.finditer(m.group("parts")):
        amount, unit = count(piece.group("n")), piece.group("unit")
        if unit.startswith(("mi", "m")) and not unit.startswith("mo"):
            exact += timedelta(minutes=amount)
        elif unit.startswith("h"):
            exact += timedelta(hours=amount)
        elif unit.startswith("d"):
            days += amount
        elif unit.startswith("f"):
            days += 14 * amount
        elif unit.startswith("w"):
            days += 7 * amount
        elif unit.startswith("mo"):
            months += amount
        else:
            months += 12 * amount
    if exact and (days or months):
        return None
    if exact:
        utc = local_now.astimezone(ZoneInfo("UTC"))
        return Reading((utc + exact).astimezone(local_now.tzinfo))
    day = local_now.date() + timedelta(days=days) + relativedelta(months=months)
    return Reading(_at(day, clock, part, local_now, day_end))
