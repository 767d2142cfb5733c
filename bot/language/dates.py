"""Date phrases: find them inside a message and turn them into aware instants.

Rules (DESIGN.md §3, §8):

* Everything is computed in the speaker's time zone ``tz``; ``now`` is a parameter.
* "EOD", "end of week" (Friday of this week) and "end of month" (its last day)
  are mapped by hand, as are "in N minutes/hours/days/weeks/months" and a bare
  clock time ("3pm"), so that they stay correct across DST changes.
* Everything else goes to dateparser with a naive wall-clock RELATIVE_BASE,
  TIMEZONE=tz, RETURN_AS_TIMEZONE_AWARE and PREFER_DATES_FROM='future'.
* A date without a time means the end of that working day (``calendar_day_end``,
  17:00 by default) in the speaker's zone.

dateparser is only ever given the isolated phrase, never a whole sentence: its
search mode is slow and finds dates in ordinary words.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import dateparser
from dateutil.relativedelta import relativedelta

DEFAULT_DAY_END = time(17, 0)
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


# --- vocabulary -------------------------------------------------------------------

WEEKDAYS_FULL = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
WEEKDAYS_ABBR = "mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun"
WEEKDAY = rf"(?:{WEEKDAYS_FULL}|{WEEKDAYS_ABBR})"
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
CLOCK = (
    r"(?:\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|(?:[01]?\d|2[0-3]):[0-5]\d"
    r"|noon|midday|midnight)"
)
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "a couple of": 2,
    "few": 3,
    "a few": 3,
}
AMOUNT = (
    r"(?:\d{1,3}|a couple of|couple of|a few|few|an|a|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve)"
)
UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?)"

_EOD = (
    r"(?:eod|cob|eob|close of (?:business|play)|end of (?:the )?(?:business |working )?day"
    r"|end of (?:play|business))"
)
_EOW = r"(?:eow|end of (?:the |this |next )?(?:working |work )?week)"
_EOM = r"(?:eom|end of (?:the |this |next )?month)"

# A date that may stand on its own in a sentence ("call the bank tomorrow").
_CORE_STRONG = (
    rf"(?:(?:the )?day after tomorrow|today|tomorrow|tmrw|tmr|tonight"
    rf"|{_EOD}(?: (?:today|tomorrow))?|(?:today|tomorrow) {_EOD}|end of (?:today|tomorrow)"
    rf"|{_EOW}|{_EOM}"
    rf"|(?:next|this|coming) (?:{WEEKDAY}|week|month|year)"
    rf"|in {AMOUNT} {UNIT}|{AMOUNT} {UNIT} from (?:now|today)"
    rf"|(?:the )?{ORDINAL} (?:of )?{MONTH}(?:,? \d{{4}})?"
    rf"|{MONTH} {ORDINAL}(?:,? \d{{4}})?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?"
    rf"|(?:{WEEKDAYS_FULL})(?: (?:next )?week)?)"
)
# Only understood after a preposition ("by fri", "by 3pm", "on the 28th").
_CORE_WEAK = rf"(?:{WEEKDAYS_ABBR}|the {ORDINAL})"
_WITH_TIME = rf"(?:(?:at )?{CLOCK} (?:on )?)?@CORE@(?:,? (?:at |by )?{CLOCK})?"

_PREPOSITION = (
    r"(?:due (?:by |on |before |at )?|deadline:? |by |on |until |till |til |before |at "
    r"|no later than )"
)
_BEFORE = r"(?<![\w#@/:.-])"
_AFTER = r"(?![\w'/@#-])"

STRONG_RE = re.compile(
    _BEFORE + "(?P<phrase>" + _WITH_TIME.replace("@CORE@", _CORE_STRONG) + ")" + _AFTER, re.I
)
PREP_RE = re.compile(
    _BEFORE
    + "(?P<prep>"
    + _PREPOSITION
    + ")(?P<phrase>"
    + _WITH_TIME.replace("@CORE@", f"(?:{_CORE_STRONG}|{_CORE_WEAK})")
    + f"|(?:at )?{CLOCK})"
    + _AFTER,
    re.I,
)
CLOCK_RE = re.compile(
    r"(?<![\w:])(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s?(?P<ap>am|pm|a\.m\.|p\.m\.)"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)|(?P<word>noon|midday|midnight))(?![\w:])",
    re.I,
)
_EOD_RE = re.compile(
    rf"^(?:(?P<pre>today|tomorrow) )?{_EOD}(?: (?P<post>today|tomorrow))?$"
    r"|^end of (?P<of>today|tomorrow)$"
)
_EOW_RE = re.compile(rf"^{_EOW}$")
_EOM_RE = re.compile(rf"^{_EOM}$")
_IN_RE = re.compile(
    rf"^(?:in (?P<a1>{AMOUNT}) (?P<u1>{UNIT})|(?P<a2>{AMOUNT}) (?P<u2>{UNIT}) from (?:now|today))"
    rf"(?:,? (?:at )?(?P<clock>{CLOCK}))?$"
)
_CLOCK_ONLY_RE = re.compile(rf"^(?:at )?{CLOCK}$", re.I)
_LEADING_PREP_RE = re.compile(r"^(?:" + _PREPOSITION + r"|to |for )", re.I)
_SPACES_RE = re.compile(r"\s+")
_NUMBER_ONLY_RE = re.compile(r"^\d+$")
_TYPO = {"tmrw": "tomorrow", "tmr": "tomorrow", "tomorow": "tomorrow", "tonight": "today"}
_TYPO_RE = re.compile(r"\b(?:tmrw|tmr|tomorow|tonight)\b")


@dataclass(frozen=True)
class DateMatch:
    """A date phrase found in a text: ``start:end`` covers any preposition too."""

    start: int
    end: int
    phrase: str
    prepositioned: bool


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
    Phrases of more than ``MAX_PHRASE_WORDS`` words are not dates (None).
    """
    zone = zone_for(tz)
    local_now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    text = normalise_phrase(phrase[:MAX_PHRASE_CHARS])
    if not text or _NUMBER_ONLY_RE.match(text) or text.count(" ") >= MAX_PHRASE_WORDS:
        return None
    clock = find_clock(text)

    hand = _by_hand(text, local_now, zone, calendar_day_end, clock)
    if hand is not None:
        return hand
    order = date_order or default_date_order(tz)
    found = _dateparser(text, local_now.replace(tzinfo=None), tz, tuple(languages), order)
    if found is None:
        return None
    found = found.astimezone(zone) if found.tzinfo else found.replace(tzinfo=zone)
    if clock is None:
        return at_local(found.date(), calendar_day_end, zone)
    return at_local(found.date(), time(found.hour, found.minute), zone)


def find_date(text: str) -> DateMatch | None:
    """Find the deadline phrase in a message, without parsing it.

    A phrase after "by", "due", "on", "until", "before" wins over a bare one
    ("tomorrow", "next Monday", "in 3 days", "Friday"); among equals the last
    one wins (deadlines usually come at the end). Abbreviated weekdays and bare
    clock times count only after a preposition.
    """
    best: DateMatch | None = None
    best_rank = -1
    for m in PREP_RE.finditer(text):
        rank = 2 if m.group("prep").lower().startswith(("due", "by", "deadline")) else 1
        if rank >= best_rank:
            best = DateMatch(m.start(), m.end(), m.group("phrase"), True)
            best_rank = rank
    if best is not None:
        # "tomorrow at 9am": the bare phrase around "at 9am" is the whole date.
        phrase_start = best.end - len(best.phrase)
        for m in STRONG_RE.finditer(text):
            if m.start() < phrase_start and m.end() >= best.end:
                return DateMatch(m.start(), m.end(), m.group("phrase"), False)
        return best
    for m in STRONG_RE.finditer(text):
        best = DateMatch(m.start(), m.end(), m.group("phrase"), False)
    return best


def warm_up(languages: Sequence[str] = ("en",), zones: Sequence[str] = ("UTC",)) -> None:
    """Load dateparser's language data (and each zone's rules) once, so that the
    first real message is fast. Pass the workspaces' zones if they are known."""
    for tz in zones:
        base = datetime.now(zone_for(tz)).replace(tzinfo=None, microsecond=0)
        for phrase in ("next monday 3pm", "28 nov", "friday"):
            _dateparser.__wrapped__(phrase, base, tz, tuple(languages), default_date_order(tz))


# --- helpers ----------------------------------------------------------------------


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


def normalise_phrase(phrase: str) -> str:
    """Lower-case, single spaces, no surrounding punctuation or leading preposition."""
    text = _SPACES_RE.sub(" ", phrase.lower()).strip(" \t,.;:!?()[]\"'")
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_PREP_RE.sub("", text).strip()
    text = text.removeprefix("the ") if not text.startswith("the day after") else text
    return _TYPO_RE.sub(lambda m: _TYPO[m.group(0)], text)


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
    hour = hour % 12 + (12 if pm else 0)
    return time(hour, minute)


def _amount(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _by_hand(
    text: str, local_now: datetime, zone: ZoneInfo, day_end: time, clock: time | None
) -> datetime | None:
    today = local_now.date()
    m = _EOD_RE.match(text)
    if m:
        which = m.group("pre") or m.group("post") or m.group("of") or "today"
        return at_local(today + timedelta(days=1 if which == "tomorrow" else 0), day_end, zone)
    if _EOW_RE.match(text):
        friday = today + timedelta(days=4 - today.weekday())
        if today.weekday() > 4 or "next" in text:  # weekend: this week's Friday has gone
            friday += timedelta(days=7)
        return at_local(friday, day_end, zone)
    if _EOM_RE.match(text):
        first = today.replace(day=1) + relativedelta(months=1 if "next" in text else 0)
        last = calendar.monthrange(first.year, first.month)[1]
        return at_local(first.replace(day=last), day_end, zone)
    m = _IN_RE.match(text)
    if m:
        return _in_amount(m, local_now, zone, day_end)
    if _CLOCK_ONLY_RE.match(text) and clock is not None:
        instant = at_local(today, clock, zone)
        return instant if instant > local_now else at_local(today + timedelta(days=1), clock, zone)
    return None


def _in_amount(m: re.Match[str], local_now: datetime, zone: ZoneInfo, day_end: time) -> datetime:
    amount = _amount(m.group("a1") or m.group("a2"))
    unit = (m.group("u1") or m.group("u2"))[:2]
    if unit in ("mi", "ho", "hr"):  # clock time passes: exact instants, DST-proof
        delta = timedelta(minutes=amount) if unit == "mi" else timedelta(hours=amount)
        return (local_now.astimezone(ZoneInfo("UTC")) + delta).astimezone(zone)
    if unit == "da":
        day = local_now.date() + timedelta(days=amount)
    elif unit in ("we", "wk"):
        day = local_now.date() + timedelta(weeks=amount)
    else:
        day = local_now.date() + relativedelta(months=amount)
    clock = find_clock(m.group("clock")) if m.group("clock") else None
    return at_local(day, clock or day_end, zone)


def default_date_order(tz: str) -> str:
    """Numeric dates: month first in the Americas' US-style zones, day first elsewhere."""
    return "MDY" if tz.startswith(("America/", "US/")) else "DMY"


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
    try:
        return dateparser.parse(text, languages=list(languages), settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; it is not a date
        return None
