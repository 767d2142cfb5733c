"""Plain sentences of DESIGN.md §8: "remind Sam to send the Acme filing by Friday", …

A fixed table of anchored patterns, tried in order; the first whose handler
returns an intent wins. Patterns are English only and deliberately narrow:
anything they do not cover becomes "unknown" (the caller answers with examples).
The table is views (bot.language.sentence_views), new work
(bot.language.sentence_work), the updates here, then questions about one task.
"""

from __future__ import annotations

import re

from bot.language.fields import Context, Rule, clean_ref, first_reading, handle
from bot.language.model import ParsedIntent
from bot.language.phrases import Reading
from bot.language.sentence_views import STATUS_RULES, VIEW_RULES
from bot.language.sentence_views import r as _r
from bot.language.sentence_work import NEW_WORK_RULES

_WHO = r"@?[A-Za-z][\w.\-]*"
_I = r"(?:i'?m|i\s+am|we'?re|we\s+are)"
_DATE_CUT_RE = re.compile(
    r"\s+(?:back\s+to|out\s+to|to|until|till|til|for|by|due|on|:)\s+|\s*:\s*", re.I
)
_BLOCK_SPLIT_RE = re.compile(r"^(?P<reason>.+)\s+(?:for|on|with|in)\s+(?P<task>.+)$", re.I)
_NUMBERED_RE = re.compile(
    r"^(?P<task>#\d+)(?:\s*(?::|-|–|—|because(?:\s+of)?|by|on|waiting(?:\s+(?:on|for))?)?\s*"
    r"(?P<reason>.*))?$",
    re.I,
)


def _progress(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    return ParsedIntent(
        "update_progress", task=clean_ref(m.group("task")), progress=int(m.group("n"))
    )


def _complete(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = clean_ref(m.group("task"))
    return ParsedIntent("complete", task=task) if task else None


def _block_on(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    rest = m.group("rest").strip()
    numbered = _NUMBERED_RE.match(rest)
    if numbered:
        return ParsedIntent(
            "block", task=numbered.group("task"), reason=numbered.group("reason").strip() or None
        )
    split = _BLOCK_SPLIT_RE.match(rest)
    if split:
        return ParsedIntent(
            "block",
            task=clean_ref(split.group("task")),
            reason=split.group("reason").strip() or None,
        )
    return ParsedIntent("block", reason=rest or None)


def _blocked(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    reason = (m.groupdict().get("reason") or "").strip()
    return ParsedIntent("block", task=clean_ref(m.group("task")), reason=reason or None)


_NO_BLOCKER = frozenset({"none", "nothing", "no", "n/a", "na", "nope", "-", "none so far"})


def _blocker(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    reason = m.group("reason").strip(" .")
    return None if reason.lower() in _NO_BLOCKER else ParsedIntent("block", reason=reason)


def _unblock(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    return ParsedIntent("unblock", task=clean_ref(m.groupdict().get("task")))


def _deadline(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    body = m.group("body")
    for cut in reversed(list(_DATE_CUT_RE.finditer(body))):
        reading = ctx.when(body[cut.end() :])
        if reading is not None:
            return _set_deadline(body[: cut.start()], reading)
    return None


def _due_is(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    reading = ctx.when(m.group("date"))
    return _set_deadline(m.group("task"), reading) if reading is not None else None


def _set_deadline(task: str, reading: Reading) -> ParsedIntent:
    return ParsedIntent("set_deadline", task=clean_ref(task), due=reading.at,
                        confirm=bool(reading.options), due_options=reading.options)


def _assign(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = clean_ref(m.group("task"))
    if task is None:
        return None
    return ParsedIntent("assign", task=task, owner=handle(m.group("who"), ctx))



_DONE_WORDS = r"(?:done|finished|complete|completed|shipped|submitted|sent|delivered|closed)"

UPDATE_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    # progress
    (
        _r(
            r"^(?P<task>.+?)\s+(?:is|are|'s)\s+(?:now\s+)?(?:at\s+|about\s+|around\s+)?"
            r"(?P<n>\d{1,3})\s*(?:%|percent)(?:\s+(?:done|complete|completed|finished|there))?$"
        ),
        _progress,
    ),
    (_r(r"^(?P<task>.+?)\s*(?::|-|at)\s*(?P<n>\d{1,3})\s*(?:%|percent)$"), _progress),
    (
        _r(
            r"^(?:set|update|put|move|bump)\s+(?:the\s+)?(?:progress\s+(?:of|on|for)\s+)?(?P<task>.+?)"
            r"\s+to\s+(?P<n>\d{1,3})\s*(?:%|percent)$"
        ),
        _progress,
    ),
    (
        _r(
            rf"^(?:{_I}\s+)?(?P<n>\d{{1,3}})\s*(?:%|percent)\s+(?:done\s+|through\s+)?"
            r"(?:with|on|for|of)\s+(?P<task>.+)$"
        ),
        _progress,
    ),
    # unblock (before block: "no longer blocked")
    (
        _r(
            r"^(?P<task>.+?)\s+(?:is|are|'s)\s+(?:no\s+longer\s+blocked|not\s+blocked\s+any\s?more"
            r"|unblocked|unstuck|moving\s+again)$"
        ),
        _unblock,
    ),
    (
        _r(
            rf"^(?:{_I}\s+)?(?:no\s+longer\s+blocked|unblocked|unstuck)"
            r"(?:\s+(?:(?:on|for|with)\s+)?(?P<task>.+))?$"
        ),
        _unblock,
    ),
    # block; a stand-up's "Blocker: waiting on API docs from backend" names no task (asked)
    (_r(r"^blockers?\s*[:\-–—]\s*(?:still\s+)?(?:waiting\s+(?:on|for)\s+|need(?:ing|s)?\s+)?"
        r"(?P<reason>.+)$"), _blocker),
    (
        _r(rf"^(?:{_I}\s+)?(?:still\s+)?(?:blocked|stuck|waiting)\s+(?:on|by|for)\s+(?P<rest>.+)$"),
        _block_on,
    ),
    (
        _r(
            r"^(?P<task>.+?)\s+(?:is|are|'s)\s+(?:still\s+|now\s+)?(?:blocked|stuck|on\s+hold)"
            r"(?:\s*[,;]?\s*(?::|on|by|because(?:\s+of)?|due\s+to|waiting\s+(?:on|for)|until)\s*"
            r"(?P<reason>.+))?$"
        ),
        _blocked,
    ),
    (_r(r"^(?P<task>.+?)\s+(?:is|are)\s+waiting\s+(?:on|for)\s+(?P<reason>.+)$"), _blocked),
    (
        _r(
            r"^(?:i|we)\s+can'?t\s+(?:do|finish|continue|progress|start|move\s+on)\s+(?:with\s+)?"
            r"(?P<task>.+?)\s+(?:because(?:\s+of)?|until|without)\s+(?P<reason>.+)$"
        ),
        _blocked,
    ),
    # complete
    (
        _r(
            r"^(?:(?:i|we)\s+)?(?:(?:have|'ve|just|also|finally)\s+)*(?:finished|completed|done\s+with"
            r"|wrapped\s+up|shipped|submitted|closed\s+out)\s+(?P<task>.+)$"
        ),
        _complete,
    ),
    (_r(rf"^{_I}\s+(?:all\s+)?(?:done|finished)\s+with\s+(?P<task>.+)$"), _complete),
    (_r(r"^mark\s+(?P<task>.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)$"), _complete),
    (
        _r(
            rf"^(?P<task>.+?)\s+(?:(?:is|are|'s|has\s+been|have\s+been)\s+)(?:now\s+|all\s+)?"
            rf"{_DONE_WORDS}$|^(?P<t2>#\d+)\s+{_DONE_WORDS}$"
        ),
        lambda m, ctx: _complete_either(m),
    ),
    # deadline
    (
        _r(
            r"^(?:push|move|postpone|delay|reschedule|bump|shift|extend|change|set|make)\s+"
            r"(?:back\s+|out\s+)?(?:the\s+(?:deadline|due\s+date)\s+(?:of|for|on)\s+)?(?P<body>.+)$"
        ),
        _deadline,
    ),
    (
        _r(
            r"^(?:the\s+)?(?:deadline|due\s+date)\s+(?:of|for|on)\s+(?P<task>.+?)\s+"
            r"(?:is\s+(?:now\s+)?|to\s+|:\s*)(?P<date>.+)$"
        ),
        _due_is,
    ),
    # "the payroll run got pushed to next week", "X has been moved to Monday": said of X
    (_r(r"^(?P<task>.+?)\s+(?:(?:has|have)\s+been\s+|was\s+|were\s+|got\s+|is\s+(?:being\s+)?"
        r"|are\s+|'s\s+)?(?:pushed|moved|postponed|delayed|rescheduled|bumped|shifted|slipped"
        r"|put\s+off)\s+(?:back\s+|out\s+)?(?:to|till|until|for)\s+(?P<date>.+)$"), _due_is),
    # "X is due Friday" moves a deadline; "X due Friday" (no verb) is a new task (capture).
    (_r(r"^(?P<task>.+?)\s+(?:(?:is|are)\s+(?:now\s+)?|now\s+)due\s+(?P<date>.+)$"), _due_is),
    # assign
    (
        _r(
            rf"^(?:give|hand|pass|assign|reassign|hand\s+over|transfer|delegate)\s+(?P<task>.+?)\s+"
            rf"(?:over\s+)?to\s+(?P<who>{_WHO})$"
        ),
        _assign,
    ),
    (_r(rf"^(?:give|assign|hand)\s+(?P<who>{_WHO})\s+(?P<task>#\d+|the\s+.+)$"), _assign),
    (
        _r(
            rf"^(?P<who>{_WHO}?)(?:\s+will|'ll|\s+can|\s+could)\s+(?:take|own|handle|pick\s+up"
            r"|take\s+over)\s+(?P<task>.+)$"
        ),
        _assign,
    ),
    (_r(r"^let\s+(?P<who>me)\s+(?:take|own|handle|pick\s+up)\s+(?P<task>.+)$"), _assign),
)
RULES = VIEW_RULES + NEW_WORK_RULES + UPDATE_RULES + STATUS_RULES



def _complete_either(m: re.Match[str]) -> ParsedIntent | None:
    task = clean_ref(m.group("task") or m.group("t2"))
    return ParsedIntent("complete", task=task) if task else None


def parse_sentence(text: str, ctx: Context) -> ParsedIntent | None:
    """Match a plain sentence against the rule table; None if no rule understands it."""
    return first_reading(RULES, text, ctx)
