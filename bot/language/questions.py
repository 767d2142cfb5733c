"""Questions in everyday words: "what's due this week?", "who is working on #27?", …

Tried before the update sentences, so "what's due today" is a question and not
a deadline for a task called "what's". Each rule is an anchored pattern.
"""

from __future__ import annotations

import re

from bot.language.fields import Context, Rule, clean_ref, first_reading, handle
from bot.language.model import ParsedIntent

_WHO = r"@?[A-Za-z][\w.\-]*"
_WHEN_SCOPES = {
    "today": "due_today",
    "tonight": "due_today",
    "this week": "due_this_week",
    "the week": "due_this_week",
    "next week": "due_next_week",
}
_WHEN = r"(?P<when>today|tonight|this\s+week|the\s+week|next\s+week)"
_NOT_PEOPLE = frozenset({"i", "you", "we", "it", "this", "that", "the", "everyone", "anyone"})


def _scope(m: re.Match[str]) -> str | None:
    when = m.groupdict().get("when")
    return _WHEN_SCOPES[" ".join(when.lower().split())] if when else None


def _owner(m: re.Match[str], ctx: Context) -> str:
    who = (m.groupdict().get("who") or "me").strip()
    return handle(re.sub(r"'s$", "", who, flags=re.I), ctx)


def _due(m: re.Match[str], ctx: Context) -> ParsedIntent:
    return ParsedIntent("list_tasks", owner=_owner(m, ctx), scope=_scope(m))


def _fixed_scope(scope: str) -> Rule:
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent:
        return ParsedIntent("list_tasks", owner=_owner(m, ctx), scope=scope)

    return rule


def _person(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = m.group("who").lower()
    if who in _NOT_PEOPLE:
        return None
    return ParsedIntent("list_tasks", owner=_owner(m, ctx), scope=_scope(m))


def _project_list(m: re.Match[str], ctx: Context) -> ParsedIntent:
    return ParsedIntent("list_tasks", project=m.group("p"))


def _fixed(intent: str) -> Rule:
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent:
        return ParsedIntent(intent)

    return rule


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_MY = rf"(?:(?:for|of)\s+(?P<who>me|{_WHO}))"
RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (_r(r"^(?:good\s+(?:morning|afternoon|evening)|hey\s+there|hi\s+there|hello\s+there)$"),
     _fixed("help")),
    # what's due
    (_r(rf"^what(?:'s|\s+is|\s+are)?\s+(?:(?:my\s+)?tasks?\s+)?(?:are\s+|is\s+)?due\s+{_WHEN}"
        rf"(?:\s+{_MY})?$"), _due),
    (_r(rf"^what\s+(?:do|have)\s+i\s+(?:got\s+|have\s+)?(?:due|on)\s+{_WHEN}$"), _due),
    (_r(rf"^(?:what\s+)?(?:tasks?\s+)?due\s+{_WHEN}$"), _due),
    # overdue / blocked
    (_r(rf"^(?:what(?:'s|\s+is|\s+are)|anything|which\s+tasks?\s+(?:is|are))\s+(?:still\s+)?"
        rf"(?:overdue|late)(?:\s+{_MY})?$"), _fixed_scope("overdue")),
    (_r(rf"^(?:show\s+(?:me\s+)?|list\s+)?(?:my\s+|all\s+|the\s+)?overdue(?:\s+tasks)?"
        rf"(?:\s+{_MY})?$"), _fixed_scope("overdue")),
    (_r(r"^(?:what(?:'s|\s+is|\s+are)\s+blocked|(?:show\s+(?:me\s+)?|list\s+)?(?:my\s+|all\s+|"
        r"the\s+)?blocked\s+tasks|(?:is\s+|are\s+)?(?:anything|anyone|any\s+tasks?)\s+(?:still\s+)?"
        r"(?:blocked|stuck))$"), _fixed_scope("blocked")),
    # what needs me: the same answer as "my tasks" (My Tasks lists what concerns the speaker)
    (_r(r"^(?:what|anything)\s+(?:else\s+)?(?:that\s+)?(?:needs?|requires?)\s+(?:me|my\s+attention"
        r"|my\s+input|my\s+action)(?:\s+today)?$"
        r"|^(?:is\s+there\s+)?anything\s+(?:that\s+)?i\s+(?:need|have)\s+to\s+(?:look\s+at|see|know"
        r"|check|worry\s+about|deal\s+with)(?:\s+today)?$"),
     lambda m, ctx: ParsedIntent("list_tasks", owner=handle("me", ctx))),
    # whose work
    (_r(rf"^what\s+(?:does|do)\s+(?P<who>{_WHO})\s+have(?:\s+on)?(?:\s+(?:due\s+)?{_WHEN})?$"),
     _person),
    (_r(r"^who(?:'s|\s+is)\s+(?:over\s?loaded|overworked|swamped|too\s+busy)$"
        r"|^who\s+has\s+too\s+much(?:\s+(?:work|on))?$"), _fixed("team")),
    (_r(r"^who(?:'s|\s+is)\s+(?:working\s+on|on|doing|handling|responsible\s+for)\s+(?P<task>.+)$"
        r"|^who\s+(?:owns|has)\s+(?P<t2>#\d+|the\s+.+)$"),
     lambda m, ctx: _show_either(m)),
    (_r(r"^(?:(?:more|any)\s+)?details?\s+(?:on|of|for|about)\s+(?P<task>#?\d+|.+)$"
        r"|^(?:tell\s+me\s+)?more\s+(?:on|about)\s+(?P<t2>#?\d+)$"),
     lambda m, ctx: _show_either(m)),
    # a project's work
    (_r(r"^(?:show\s+(?:me\s+)?|list\s+)?(?:everything|all(?:\s+the)?\s+tasks|all)\s+(?:in|for|on)\s+"
        r"(?:the\s+)?(?:project\s+)?#?(?P<p>[A-Za-z][\w\-]*)(?:\s+project)?$"), _project_list),
    # my list
    (_r(r"^(?:show\s+(?:me\s+)?(?:the|my)\s+(?:to-?do\s+)?list|tell\s+me\s+about\s+my\s+list"
        r"|i\s+want\s+to\s+see\s+my\s+list|how(?:'s|\s+is)\s+my\s+list|what(?:'s|\s+is)\s+in\s+my"
        r"\s+list|(?:my\s+)?to-?do\s+list|show\s+(?:me\s+)?my\s+(?:tasks|reminders|to-?dos)|my\s+list)$"),
     lambda m, ctx: ParsedIntent("list_tasks", owner=handle("me", ctx))),
)


def _show_either(m: re.Match[str]) -> ParsedIntent | None:
    ref = (m.groupdict().get("task") or m.groupdict().get("t2") or "").strip()
    if ref.isdigit():
        ref = f"#{ref}"
    task = clean_ref(ref)
    return ParsedIntent("show_task", task=task) if task else None


def parse_question(text: str, ctx: Context) -> ParsedIntent | None:
    """Match a question against the rule table; None if none understands it."""
    return first_reading(RULES, text, ctx)
