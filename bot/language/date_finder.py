"""Finding the deadline phrase inside a message ("... by Friday 3pm"), without parsing it.

Split out of bot.language.dates: find_date decides WHERE a date phrase is and
whether it is strong enough to be one without a preposition; bot.language.dates
turns the phrase into an instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.language.phrases import read
from bot.language.times import DEFAULT_DAY_END
from bot.language.vocabulary import (
    DAY_WORDS,
    MONTH_NUMBERS,
    WEEKDAY_NUMBERS,
    fix_typos,
)

_MAX_SPAN_TOKENS = 7

_LEADING_PREP_RE = re.compile(
    r"^(?:(?:due|deadline:?|by|on|until|till|til|before|no later than|at|for|to|from)\s+)+",
    re.I,
)
_SPACES_RE = re.compile(r"\s+")
_NUMBER_ONLY_RE = re.compile(r"^\d+$")
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
                      or (j == len(tokens) and _numeric_tail(words[i:j]))
                      or (i == 0 and j < len(tokens) and _numeric_head(words, j)))
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


@lru_cache(maxsize=8192)
def normalise_phrase(phrase: str) -> str:
    """Lower-case, single spaces, typos fixed, no surrounding punctuation or leading preposition."""
    # "Friday, March 15th": a comma inside a date phrase separates its parts.
    text = _SPACES_RE.sub(" ", phrase.lower().replace(",", " ")).strip(" \t.;:!?()[]\"'")
    text = _LEADING_PREP_RE.sub("", text).strip()
    return fix_typos(text.replace("o'clock", "oclock").replace("o’clock", "oclock"))


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


_HEAD_DATE_RE = re.compile(r"^(?:\d{1,2}/\d{1,2}|\d{2}\.\d{2}|(?:[01]\d|2[0-3]):[0-5]\d)$")
# "1/2 day offsite", "3/4 of the audit": a fraction, not the 1st of February
_FRACTION_NEXT = frozenset({"of", "day", "days", "hour", "hours", "hr", "hrs", "week", "weeks",
                            "month", "months", "year", "years", "time", "price", "off", "done"})
# "9/11 memorial", "7/7 anniversary service": the date names an event, it is no deadline
_EVENT_NEXT = frozenset({"memorial", "memorials", "anniversary", "tribute", "tributes",
                         "remembrance", "commemoration", "museum", "victims", "attacks",
                         "commission", "ceremony", "vigil", "truthers", "attack"})


def _numeric_head(words: list[str], j: int) -> bool:
    """ "15/04 report prep", "05.09 18:30 bills", "14:00 call with Acme": a short numeric
    date (a slash, or two digits each side of a dot, so "2.1 release notes" stays a title)
    or a two-digit 24-hour time that opens the message and is followed by the title is the
    deadline; "2024 budget", "Q3 letter", "1:1 with Sam" and "9/11 memorial" are no date."""
    return (bool(_HEAD_DATE_RE.match(words[0])) and words[0] != "24/7"  # "24/7 support rota"
            and _numeric_tail(words[:j]) and words[j] not in _FRACTION_NEXT
            and words[j] not in _EVENT_NEXT)


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
