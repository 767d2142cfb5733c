"""Plain sentences of DESIGN.md §8: "remind Sam to send the Acme filing by Friday", …

A fixed table of anchored patterns, tried in order; the first whose handler
returns an intent wins. Patterns are English only and deliberately narrow:
anything they do not cover becomes "unknown" (the caller answers with examples).
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.language.fields import Context, Rule, clean_ref, first_reading, handle, parse_add
from bot.language.model import ParsedIntent
from bot.language.phrases import Reading

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


def _asked_of_the_team(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    parsed = parse_add(m.group("rest").rstrip(" ?"), ctx)
    return replace(parsed, confirm=True) if parsed.title else None


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


def _list(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = (m.groupdict().get("who") or "me").strip()
    who = re.sub(r"'s$", "", who, flags=re.I)
    return ParsedIntent("list_tasks", owner=handle(who, ctx))


def _show(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = clean_ref(m.group("task"))
    return ParsedIntent("show_task", task=task) if task else None


def _view(intent: str) -> Rule:
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
        return ParsedIntent(intent, project=m.groupdict().get("p"))

    return rule


def _fixed(intent: str) -> Rule:
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
        return ParsedIntent(intent)

    return rule


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_PROJECT = (
    r"(?:\s+(?:for|of|in)\s+(?:the\s+)?(?:project\s+)?#?(?P<p>[A-Za-z][\w\-]*)(?:\s+project)?)?"
)
_OPEN = r"^(?:(?:show|open|see|display|view|get)\s+(?:me\s+)?)?(?:the\s+|our\s+)?"
_DONE_WORDS = r"(?:done|finished|complete|completed|shipped|submitted|sent|delivered|closed)"

RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (
        _r(
            r"^(?:help|what\s+can\s+you\s+do|how\s+does\s+(?:this|it|vigil)\s+work|commands"
            r"|examples|\?+|hi|hello|hey|how\s+do\s+i\s+.+)$"
        ),
        _fixed("help"),
    ),
    (
        _r(
            r"^how(?:'s|\s+is|\s+are)\s+(?:the\s+)?(?:team|everyone|everybody|we|things)"
            r"(?:\s+(?:doing|going|getting\s+on|looking))?(?:\s+(?:today|this\s+week))?$"
            r"|^(?:the\s+)?team\s+(?:status|overview|summary|report|portfolio)$"
        ),
        _fixed("team"),
    ),
    (
        _r(
            r"^(?:(?:run|start|do|post|show|give\s+me)\s+)?(?:the\s+|a\s+|my\s+|our\s+|today'?s\s+)?"
            r"(?:daily\s+)?stand-?\s?up(?:\s+(?:now|report|summary))?$"
        ),
        _fixed("standup"),
    ),
    (_r(_OPEN + r"(?:kanban\s+)?(?:board|kanban)" + _PROJECT + "$"), _view("board")),
    (
        _r(_OPEN + r"(?:project\s+)?(?:timeline|gantt(?:\s+chart)?)" + _PROJECT + "$"),
        _view("gantt"),
    ),
    # My Tasks
    (
        _r(
            rf"^what(?:'s|\s+is|\s+are)?\s+(?:on|in)\s+(?P<who>my|{_WHO}'s)\s+"
            r"(?:plate|list|agenda|to-?do(?:\s+list)?|desk|schedule)"
            r"(?:\s+(?:today|this\s+week|right\s+now|now))?$"
        ),
        _list,
    ),
    (
        _r(
            rf"^what(?:'s|\s+is|\s+are)\s+(?P<who>{_WHO})\s+(?:working\s+on|doing|up\s+to|busy\s+with)"
            r"(?:\s+(?:today|this\s+week|right\s+now|now))?$"
        ),
        _list,
    ),
    (
        _r(
            r"^what\s+(?:am\s+i\s+(?:working\s+on|doing|supposed\s+to\s+do)"
            r"|(?:do|should)\s+i\s+(?:have\s+to\s+do|work\s+on|do|have)"
            r"|have\s+i\s+got)(?:\s+(?:today|next|now|this\s+week))?$"
        ),
        _list,
    ),
    (
        _r(
            rf"^(?:(?:what|which)\s+tasks?\s+(?:does|do)\s+(?P<who>{_WHO})\s+have"
            rf"|(?P<who2>my|{_WHO}'s)\s+(?:open\s+)?(?:tasks|plate|to-?dos?|work))$"
        ),
        lambda m, ctx: ParsedIntent(
            "list_tasks",
            owner=handle(
                re.sub(r"'s$", "", m.group("who") or m.group("who2") or "me", flags=re.I), ctx
            ),
        ),
    ),
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
    # a commitment: "I will complete the presentation by the end of today", "I'll send it
    # Friday" (not a state, "I'll be away", nor about a numbered task, "I'll take #14")
    (
        _r(
            r"^(?:i\s+will|i'?ll|i\s+shall|i'?m\s+going\s+to|i\s+am\s+going\s+to"
            r"|i'?m\s+gonna)\s+(?!be\b)(?!.*#\d)(?P<rest>.+)$"
        ),
        _commitment,
    ),
    # a request to the team: "can someone handle the client deck for Thursday?" is work
    # nobody owns yet; Vigil shows the task it would create and asks
    (
        _r(
            r"^(?:can|could|would|will)\s+(?:some\s?one|somebody|anyone|anybody)\s+"
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
    # block
    (
        _r(rf"^(?:{_I}\s+)?(?:still\s+)?(?:blocked|stuck|waiting)\s+(?:on|by|for)\s+(?P<rest>.+)$"),
        _block_on,
    ),
    (
        _r(
            r"^(?P<task>.+?)\s+(?:is|are|'s)\s+(?:still\s+|now\s+)?(?:blocked|stuck|on\s+hold)"
            r"(?:\s*(?::|on|by|because(?:\s+of)?|due\s+to|waiting\s+(?:on|for)|until)\s*(?P<reason>.+))?$"
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
    # show
    (
        _r(
            r"^(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?:status|progress|state|latest)\s+"
            r"(?:of|on|for|with)\s+(?P<task>.+)$"
        ),
        _show,
    ),
    (
        _r(
            r"^(?:where\s+(?:are|is)\s+(?:we|it)\s+(?:on|with)|any\s+(?:news|updates?)\s+(?:on|about)"
            r"|updates?\s+on|details\s+(?:of|on|for|about)|tell\s+me\s+about)\s+(?P<task>.+)$"
        ),
        _show,
    ),
    (
        _r(
            r"^how(?:'s|\s+is|\s+are)\s+(?P<task>.+?)(?:\s+(?:going|doing|coming\s+along|looking))?$"
        ),
        _show,
    ),
    (_r(r"^(?P<task>.+?)\s+status$|^(?P<t2>#\d+)$"), lambda m, ctx: _show_either(m)),
)


def _complete_either(m: re.Match[str]) -> ParsedIntent | None:
    task = clean_ref(m.group("task") or m.group("t2"))
    return ParsedIntent("complete", task=task) if task else None


def _show_either(m: re.Match[str]) -> ParsedIntent | None:
    task = clean_ref(m.group("task") or m.group("t2"))
    return ParsedIntent("show_task", task=task) if task else None


def parse_sentence(text: str, ctx: Context) -> ParsedIntent | None:
    """Match a plain sentence against the rule table; None if no rule understands it."""
    return first_reading(RULES, text, ctx)
