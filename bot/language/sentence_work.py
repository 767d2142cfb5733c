"""Plain sentences that ask for new work: "remind Sam to …", "I'll …", "can someone …?".

Part of the sentence table of bot.language.sentences (tried after the views, before
updates). Said in passing without a date ("we need to talk", "I'll do it"), the task
is shown and asked (``confirm``), as for a task captured without a verb.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.language.fields import Context, Rule, clean_ref, handle, parse_add
from bot.language.model import ParsedIntent
from bot.language.sentence_views import WHO as _WHO
from bot.language.sentence_views import r as _r


def _remind(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = m.groupdict().get("who")
    return parse_add(m.group("rest"), ctx, owner=handle(who or "me", ctx))


def _teams(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    return _unsure_without_date(parse_add(m.group("rest"), ctx))


def _commitment(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    return _unsure_without_date(parse_add(m.group("rest"), ctx, owner=handle("me", ctx)))


def _unsure_without_date(parsed: ParsedIntent) -> ParsedIntent | None:
    """Said in passing ("we need to talk", "I'll do it"): without a date or cadence Vigil
    shows the task it would create and asks, as for a task captured without a verb."""
    if not parsed.title:
        return None
    if parsed.due is None and parsed.recurrence is None:
        return replace(parsed, confirm=True)
    return parsed


def _done_by(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task, reading = clean_ref(m.group("task")), ctx.when(m.group("date"))
    if task is None or reading is None:
        return None
    return ParsedIntent("set_deadline", task=task, due=reading.at, confirm=bool(reading.options),
                        due_options=reading.options)


def _asked_of_the_team(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    parsed = parse_add(m.group("rest").rstrip(" ?"), ctx)
    return replace(parsed, confirm=True) if parsed.title else None


NEW_WORK_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    # create
    (
        _r(
            rf"^(?:remind|ask|tell|get|have|(?:i|we)\s+need|(?:i|we)\s+want)\s+(?P<who>{_WHO})\s+to\s+"
            r"(?P<rest>.+)$"
        ),
        _remind,
    ),
    (
        _r(
            r"^(?:remind\s+me|i\s+(?:need|have|must|should|want)|i'?ve\s+got"
            r"|note\s+to\s+self:?|to-?do:?)\s+(?:(?:to|that|about)\s+)?(?P<rest>.+)$"
        ),
        _remind,
    ),
    # "we need to reply to the customer by Friday": the team's work, nobody's yet
    (_r(r"^we\s+(?:(?:need|have|want|ought|got)\s+to|'ve\s+got\s+to|must|should)\s+(?P<rest>.+)$"),
     _teams),
    # "I'll have the VAT return done by Friday": a deadline for that work (the conversation
    # adds it for the speaker when no task is called that)
    (
        _r(
            r"^(?:i'?ll|i\s+will|we'?ll|we\s+will|i\s+can|we\s+can)\s+(?:have|get)\s+(?P<task>.+?)\s+"
            r"(?:done|finished|ready|completed|sorted(?:\s+out)?|wrapped\s+up|out)\s+"
            r"(?:by|before|on|for|until|till)\s+(?P<date>.+)$"
        ),
        _done_by,
    ),
    # a commitment: "I will complete the presentation by the end of today", "I'll send it
    # Friday" (not a state, "I'll be away", nor about a numbered task, "I'll take #14")
    (
        _r(
            r"^(?:i\s+will|i'?ll|i\s+shall|i'?m\s+going\s+to|i\s+am\s+going\s+to"
            r"|i'?m\s+gonna)\s+(?!be\b|miss\b|not\b|never\b)(?!.*#\d)(?P<rest>.+)$"
        ),
        _commitment,
    ),
    # a request to the team: "can someone handle the client deck for Thursday?" is work
    # nobody owns yet; Vigil shows the task it would create and asks
    (
        _r(
            r"^(?:can|could|would|will)\s+(?:some\s?one|somebody|anyone|anybody)\s+"
            # who should do it is no part of the task: "someone with infra access", "anyone
            # who knows Excel"
            r"(?:(?:with\s+(?:\S+\s+){1,3}?(?:access|rights|permissions?|experience|skills?)"
            r"|who\s+(?:knows|has|can\s+use)\s+(?:\S+\s+){0,2}?\S+)\s+)?"
            r"(?:please\s+)?(?P<rest>.+)$"
        ),
        _asked_of_the_team,
    ),
    (
        _r(
            rf"^(?:create|add|make|open|new)\s+(?:a\s+)?(?:new\s+)?task\s+(?:for\s+(?P<who>{_WHO})\s+)?"
            r"(?:to\s+|:\s*)?(?P<rest>.+)$"
        ),
        _remind,
    ),
)
