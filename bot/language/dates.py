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
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.language.phrases import Reading, read
from bot.language.vocabulary import (
    DAY_WORDS,
    MONTH_NUMBERS,
    WEEKDAY_NUMBERS,
    fix_typos,
)
from bot.language.zones import order_for_zone
from bot.limits import YEAR_MAX, YEAR_MIN

DEFAULT_DAY_END = time(17, 0)
DATE_ORDERS = ("DMY", "MDY", "YMD")
# A date phrase is short ("at 3pm on the 28th of November 2026"); longer text is not one.
MAX_PHRASE_WORDS = 10
MAX_PHRASE_CHARS = 80
_MAX_SPAN_TOKENS = 7

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
_LEADING_PREP_RE = re.compile(
    r"^(?:(?:due|deadline:?|by|on|until|till|til|before|no later than|at|for|to|from)\s+)+",
    re.I,
)
_SPACES_RE = re.compile(r"\s+")
_NUMBER_ONLY_RE = re.compile(r"^\d+$")
_AT_HOUR_ONLY_RE = re.compile(r"^(?:at|@)\s*\d{1,4}$", re.I)
_NUMERIC_RE = re.compile(r"\d[/.\-]\d")
_TOKEN_RE = re.compile(r"\S+")
_TOKEN_EDGE = "\"'()[],.;:!?"
_TIMEISH_RE = re.compile(
    r"^(?:\+?\d{1,4}(?:st|nd|rd|th|am|pm|a|p|h|d|w|m|mo|hrs?|mins?)?|\d{1,2}:\d{2}(?:am|pm)?"
    r"|\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?|a\.m\.|p\.m\.)$"
)
_STRONG_WORDS = frozenset(
    {"today", "tomorrow", "tonight", "eod", "cob", "eob", "eow", "eom", "next", "noon",
     "midnight", "yesterday"}
    | {w for w in WEEKDAY_NUMBERS if len(w) > 4}
    | {"tommorow", "tomorow", "tmrw", "tmr"}
)
_START_WORDS = frozenset(
    set(DAY_WORDS) - {"tom", "tod"}
    | set(WEEKDAY_NUMBERS)
    | set(MONTH_NUMBERS) - {"may", "march", "mar"}
    | {"the", "this", "next", "coming", "in", "end", "eod", "cob", "eob", "eow", "eom",
       "close", "mid", "later", "noon", "midday", "midnight", "lunch", "tonight", "a", "an",
       "last", "past", "previous",
       "first", "second", "third", "fourth", "fifth", "day", "middle", "weekend"}
    | {"tommorow", "tomorow", "tmrw", "tmr", "wensday"}
)
_PREPOSITIONS = {"due": 2, "by": 2, "deadline": 2, "deadline:": 2, "before": 2, "until": 1,
                 "till": 1, "til": 1, "on": 1, "at": 1, "@": 1}


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


def find_date(text: str) -> DateMatch | None:
    """Find the deadline phrase in a message, without parsing it.

    A phrase after "by", "due", "before" wins over one after "on"/"at"/"until",
    which wins over a bare one ("tomorrow", "next Monday", "in 3 days"); among
    equals the last one wins (deadlines usually come at the end). Abbreviated
    weekdays, ordinals, numeric dates and bare durations or clock times count
    only after a preposition. A phrase inside a longer one is not a candidate.
    """
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]
    words = [_word(t[2]) for t in tokens]
    ends = [_can_end(w) for w in words]
    # a #ref or @handle ends any phrase: the first one at or after each token
    next_ref = [len(tokens)] * (len(tokens) + 1)
    for k in range(len(tokens) - 1, -1, -1):
        next_ref[k] = k if _is_ref(tokens[k][2]) else next_ref[k + 1]
    candidates: list[tuple[int, int, int, str, bool]] = []  # rank, start, end, phrase, prep
    for i, word in enumerate(words):
        if not _can_start(word, tokens[i][2]):
            continue
        prep_rank, prep_start = _preposition_before(words, tokens, i)
        for j in range(min(len(tokens), i + _MAX_SPAN_TOKENS, next_ref[i]), i, -1):
            if not (ends[j - 1] or _month_after_day(words, i, j)):
                continue
            phrase = text[tokens[i][0] : tokens[j - 1][1]].strip(_TOKEN_EDGE)
            normal = normalise_phrase(phrase)
            if _NUMBER_ONLY_RE.match(normal):
                if i == 0 or words[i - 1] not in ("at", "@"):
                    continue
                normal, phrase = f"at {normal}", f"at {phrase}"  # an hour, not the 11th
            if not _is_date(normal):
                continue
            strong = (any(w in _STRONG_WORDS for w in words[i:j]) or _strong_shape(words[i:j])
                      or (j == len(tokens) and _numeric_tail(words[i:j])))
            if prep_rank == 0 and not strong:
                break
            start = prep_start if prep_rank else tokens[i][0]
            candidates.append((prep_rank, start, tokens[j - 1][1], phrase, prep_rank > 0))
            break
    kept = [c for c in candidates
            if not any(o is not c and o[1] <= c[1] and c[2] <= o[2] for o in candidates)]
    if not kept:
        return None
    rank, start, end, phrase, prep = max(kept, key=lambda c: (c[0], c[1]))
    return DateMatch(start, end, phrase, prep)


_ANY_INSTANT = datetime(2026, 6, 15, 12, 0, tzinfo=ZoneInfo("UTC"))


@lru_cache(maxsize=8192)
def _is_date(normal: str) -> bool:
    """Whether the grammar reads the phrase in either numeric order (whatever the instant)."""
    return any(read(normal, _ANY_INSTANT, DEFAULT_DAY_END, order) for order in ("DMY", "MDY"))


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


@lru_cache(maxsize=8192)
def normalise_phrase(phrase: str) -> str:
    """Lower-case, single spaces, typos fixed, no surrounding punctuation or leading preposition."""
    # "Friday, March 15th": a comma inside a date phrase separates its parts.
    text = _SPACES_RE.sub(" ", phrase.lower().replace(",", " ")).strip(" \t.;:!?()[]\"'")
    text = _LEADING_PREP_RE.sub("", text).strip()
    return fix_typos(text.replace("o'clock", "oclock").replace("o’clock", "oclock"))


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


@lru_cache(maxsize=8192)
def _word(token: str) -> str:
    return fix_typos(token.lower().strip(_TOKEN_EDGE))


def _is_ref(token: str) -> bool:
    return token.startswith("#") or (token.startswith("@") and len(token) > 1)


def _can_start(word: str, token: str) -> bool:
    if _is_ref(token) or not word:
        return False
    return word in _START_WORDS or word == "@" or bool(_TIMEISH_RE.match(word))


def _can_end(word: str) -> bool:
    return bool(word) and (
        word in _START_WORDS or word in _STRONG_WORDS or bool(_TIMEISH_RE.match(word))
        or word in ("oclock", "o'clock", "morning", "afternoon", "evening", "night", "week",
                    "weeks", "month", "months", "year", "days", "day", "hours", "hour",
                    "minutes", "minute", "mins", "min", "hrs", "hr", "wk", "wks", "yr", "yrs",
                    "now", "fortnight", "lunch",
                    "lunchtime", "am", "pm", "after", "tomorrow", "play", "business")
    )


_VERB_MONTHS = frozenset({"may", "march", "mar"})  # never start a phrase: "I may", "march on"
_DAY_NUMBER_RE = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?$")


def _month_after_day(words: list[str], i: int, j: int) -> bool:
    """ "15 March", "Fri 3rd May": a month that is also a verb may END a phrase after a day."""
    return j - 2 >= i and words[j - 1] in _VERB_MONTHS and bool(_DAY_NUMBER_RE.match(words[j - 2]))


def _strong_shape(words: list[str]) -> bool:
    """Unambiguous without a preposition: "in 3 days", "Dec 10", "11am", "2026-12-01"."""
    if words and words[0] in ("in", "end", "close", "mid", "later", "middle"):
        return True
    if words[-2:] in (["this", "weekend"], ["coming", "weekend"], ["this", "week"],
                      ["this", "morning"], ["this", "afternoon"], ["this", "evening"]):
        return True  # "wash clothes this weekend"; a bare "weekend" may be a title's word
    if any(re.match(r"^\d{1,2}(?::\d{2})?(?:am|pm)$", w) for w in words):
        return True
    if any(w in ("am", "pm") for w in words):
        return True
    if any(re.match(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$", w) for w in words):
        return True
    has_month = any(w.rstrip(".") in MONTH_NUMBERS for w in words)
    has_number = any(re.match(r"^\d{1,2}(?:st|nd|rd|th)?,?$", w) for w in words)
    return has_month and has_number


_NUMERIC_TAIL_RE = re.compile(r"^(?:\d{1,2}[/.]\d{1,2}|\d{1,2}:\d{2})$")


def _numeric_tail(words: list[str]) -> bool:
    """ "Monthly report 15/04", "Close report 18:30", "Bills 05.09 10:00": a short numeric
    date or a 24-hour time ends the message (a quick-add habit), so it is the deadline."""
    return all(_NUMERIC_TAIL_RE.match(w) for w in words)


def _preposition_before(words: list[str], tokens: list[tuple[int, int, str]], i: int
                        ) -> tuple[int, int]:
    """(rank, start offset) of a preposition just before token ``i``; (0, -1) when none."""
    if words[i] in _PREPOSITIONS:
        return _PREPOSITIONS[words[i]], tokens[i][0]
    if i == 0:
        return 0, -1
    rank = _PREPOSITIONS.get(words[i - 1], 0)
    if rank == 0 and i >= 3 and words[i - 3 : i] == ["no", "later", "than"]:
        return 2, tokens[i - 3][0]
    if rank == 0:
        return 0, -1
    start = tokens[i - 1][0]
    if i >= 2 and words[i - 2] == "due":  # "due by Friday", "due on the 3rd"
        start, rank = tokens[i - 2][0], 2
    return rank, start


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
