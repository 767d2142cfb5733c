"""The entry point: one message in, one intent out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time

from bot.language.commands import parse_command
from bot.language.dates import DEFAULT_DAY_END, zone_for
from bot.language.fields import Context, parse_add, squash
from bot.language.model import UNKNOWN, ParsedIntent
from bot.language.sentences import parse_sentence

MAX_LENGTH = 2000

_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_POLITE_LEAD_RE = re.compile(
    r"^(?:(?:@?vigil\b[,:]?|hey|hi|hello|ok(?:ay)?|so|please|pls|plz|kindly|can\s+you"
    r"|could\s+you|would\s+you|will\s+you)[\s,:]*)+",
    re.I,
)
_POLITE_TAIL_RE = re.compile(
    r"(?:[\s,]+(?:please|pls|plz|thanks|thank\s+you|thx|ty|cheers))+[\s.!?]*$", re.I
)
_TRAILING_PUNCT_RE = re.compile(r"[\s.!?,;]+$")
_CADENCE_LEAD_RE = re.compile(r"^(?:every|each)\s+\S", re.I)


def parse(
    text: str,
    now: datetime,
    tz: str,
    speaker: str,
    languages: Sequence[str] = ("en",),
    calendar_day_end: time = DEFAULT_DAY_END,
    date_order: str | None = None,
    direct: bool = True,
) -> ParsedIntent:
    """Understand one message as a §7 command or a §8 sentence.

    ``now`` is the current instant (aware; naive means wall-clock in ``tz``),
    ``tz`` the speaker's IANA zone, ``speaker`` their handle ("me"/"I" resolve to
    it). ``date_order`` ("DMY", "MDY" or "YMD") is how the workspace writes numeric
    dates (None: from the zone's country). ``direct`` is a direct message, where
    text that is no command, update or question is a new task (DESIGN.md §8).
    Returns ``unknown`` for anything not understood. Raises only
    :class:`~bot.language.dates.DateNotUnderstood` (a ValueError) when a verb
    that needs a date gets something that is not one (``due #14 blorp``), and
    ValueError for an unknown zone name.
    """
    zone_for(tz)  # fail fast on a bad zone: that is a caller bug, not user input
    if not isinstance(text, str):
        return UNKNOWN
    cleaned = _clean(text)
    if not cleaned:
        return UNKNOWN
    ctx = Context(
        now=now,
        tz=tz,
        speaker=speaker.strip().lstrip("@"),
        languages=tuple(languages),
        day_end=calendar_day_end,
        date_order=date_order,
    )
    result = parse_command(cleaned, ctx)
    if result is None and _CADENCE_LEAD_RE.match(cleaned):
        # "every weekday at 7am: opening safety check @ana backup @leo" defines recurring work.
        result = parse_add(cleaned, ctx)
        result = result if result.recurrence and result.title else None
    if result is None:
        result = parse_sentence(cleaned.lstrip("/"), ctx)
    return result or UNKNOWN


def _clean(text: str) -> str:
    cleaned = squash(text[:MAX_LENGTH].translate(_QUOTES))
    cleaned = _POLITE_TAIL_RE.sub("", cleaned)
    cleaned = _TRAILING_PUNCT_RE.sub("", cleaned)
    if cleaned in ("?", ""):
        return cleaned or ""
    stripped = _POLITE_LEAD_RE.sub("", cleaned)
    return stripped if stripped else cleaned
