"""The entry point: one message in, one intent out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time

from bot.language.capture import capture, parse_remind
from bot.language.commands import parse_command
from bot.language.dates import DEFAULT_DAY_END, zone_for
from bot.language.everyday import parse_update
from bot.language.fields import Context, parse_add, squash
from bot.language.model import UNKNOWN, ParsedIntent
from bot.language.phrases import AMOUNT_ALT, UNIT_ALT
from bot.language.questions import parse_question
from bot.language.recurrence import find_cadence
from bot.language.sentences import parse_sentence
from bot.language.someone import parse_addressed, parse_someone

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
_LEAD_REMIND_RE = re.compile(r"\s+(?=(?:remind|ask|tell)\s)", re.I)


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
    text_in = text
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
    text = cleaned.lstrip("/") if not cleaned.startswith("/task") else cleaned
    text = _REM_RE.sub("remind me ", text) if cleaned.startswith("/") else text
    result = parse_question(text, ctx) or parse_command(cleaned, ctx)
    if result is None and _CADENCE_LEAD_RE.match(cleaned):
        result = _cadence_first(cleaned, ctx)
    if result is None:
        text = _reminder_order(text, ctx)
    if result is None:
        result = parse_addressed(text, ctx)  # "Sam: VAT return 50%": the colon form wins
        if result is not None and result.intent == "create_task" and not direct:
            # "Sam: draft the letter" said in a channel: shown and asked, never created
            result = replace(result, confirm=True)
    if result is None:
        result = parse_update(text, ctx)
    if result is None:
        result = parse_someone(text, ctx)
        if result is not None and result.intent == "create_task" and not direct:
            # "Sam will send it tomorrow" said in a channel: shown and asked, never created
            result = replace(result, confirm=True)
    for step in (parse_sentence, parse_remind):
        if result is None:
            result = step(text, ctx)
    if result is None and direct and not text_is_question(raw=text_in):
        result = capture(text, ctx)
    return result or UNKNOWN


def _cadence_first(text: str, ctx: Context) -> ParsedIntent | None:
    """"every weekday at 7am: opening check @ana" or "Every Friday remind me to review PRs"."""
    cadence = find_cadence(text)
    if cadence is not None and cadence.start == 0:
        tail = text[cadence.end :]
        m = _LEAD_REMIND_RE.match(tail)
        if m:  # say the reminder first, the cadence after it
            moved = parse_remind(f"{tail[m.end():]} {text[: cadence.end]}", ctx) or parse_sentence(
                f"{tail[m.end():]} {text[: cadence.end]}", ctx
            )
            if moved is not None and moved.recurrence:
                return moved
    result = parse_add(text, ctx)
    return result if result.recurrence and result.title else None


_REM_RE = re.compile(r"^rem\s+(?!me\b)", re.I)  # "/rem Close report 18:30" (a Telegram bot's)
_REMINDER_NOUN_RE = re.compile(r"^reminder\s*:?\s+(?!me\b)", re.I)
_BARE_SPAN_RE = re.compile(
    rf"^remind(?:\s+me)?\s+(?P<span>(?:{AMOUNT_ALT}) ?(?:{UNIT_ALT}))(?=\s)", re.I
)
_DATE_FIRST_RE = re.compile(r"^(?P<when>[^,]{2,40}?)[\s,]+(?P<rest>remind\s+me\s.+)$", re.I)


def _reminder_order(text: str, ctx: Context) -> str:
    """Reminders as people type them, in the order the sentence table reads.

    "reminder 30 min buy milk" and "remind 4w ping Talia" -> "remind me in …" (a bare
    span right after the verb is when, not what); "Tomorrow remind me to apply to 10
    jobs" -> "remind me to apply to 10 jobs Tomorrow" (a date said first).
    """
    text = _REMINDER_NOUN_RE.sub("remind me ", text)
    m = _BARE_SPAN_RE.match(text)
    if m:
        return f"remind me in {m.group('span')}{text[m.end():]}"
    m = _DATE_FIRST_RE.match(text)
    if m and ctx.when(m.group("when")) is not None:
        return f"{m.group('rest')} {m.group('when')}"
    return text


def text_is_question(raw: str) -> bool:
    """A message ending in "?" asks something: it is never captured as a task."""
    return raw.rstrip(" \t\n.!").endswith("?")


def _clean(text: str) -> str:
    cleaned = squash(text[:MAX_LENGTH].translate(_QUOTES))
    cleaned = _POLITE_TAIL_RE.sub("", cleaned)
    cleaned = _TRAILING_PUNCT_RE.sub("", cleaned)
    if cleaned in ("?", ""):
        return cleaned or ""
    stripped = _POLITE_LEAD_RE.sub("", cleaned)
    if stripped.lower() in ("there", "all", "everyone", "team", "folks", "vigil"):
        return cleaned  # "hey there" is a greeting, not a message about "there"
    return stripped if stripped else cleaned
