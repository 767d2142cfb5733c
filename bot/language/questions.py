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


def _about(intent: str) -> Rule:
    """A question about one task ("who owns the VAT return?"): the task as written."""
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
        # Each alternative names its task group task, t2, t3…: the one that matched.
        ref = next((v for k, v in m.groupdict().items() if k[0] == "t" and v), "").strip()
        task = clean_ref(f"#{ref}" if ref.isdigit() else ref)
        return ParsedIntent(intent, task=task) if task else None

    return rule




def _t(n: int) -> str:
    """The task of a question's n-th alternative (a pattern may name a group only once)."""
    return rf"(?P<t{n}>.+?)"


_DONE_WORDS = r"(?:done|finished|complete|completed|sent|filed|submitted)"
# Asked of a bot or a colleague about one piece of work; phrasings gathered from
# status-update guides and team chats (see tests/bot/handlers/test_task_questions.py).
ABOUT_A_TASK: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (_r(rf"^who(?:'s|\s+is)\s+(?:working\s+on|on|doing|handling|responsible\s+for|the\s+owner\s+"
        rf"of|in\s+charge\s+of|assigned\s+(?:to|on))\s+{_t(1)}$"
        rf"|^who\s+(?:owns|took|has\s+got|got)\s+{_t(2)}$|^who\s+has\s+(?P<t6>#\d+|the\s+.+|it)$"
        rf"|^whose\s+(?:task\s+|job\s+)?is\s+{_t(3)}$"
        rf"|^who(?:'s|\s+is)\s+{_t(4)}\s+(?:assigned\s+to|with)$"
        rf"|^(?:who(?:'s|\s+is)\s+the\s+)?owner\s+of\s+{_t(5)}$"),
     _about("who_owns")),
    (_r(rf"^when(?:'s|\s+is|\s+are|\s+was)\s+{_t(1)}\s+(?:due|needed|expected)(?:\s+by)?$"
        rf"|^what(?:'s|\s+is)\s+the\s+(?:deadline|due\s+date|cut-?off)\s+(?:for|of|on)\s+"
        rf"{_t(2)}$"
        rf"|^when\s+(?:do|does|should|must|will)\s+(?:i|we|you|\S+)\s+(?:have\s+to\s+|need\s+to\s+)?"
        rf"(?:finish|submit|file|send|do|deliver|complete|hand\s+in)\s+{_t(4)}"
        rf"(?:\s+by)?$"
        rf"|^when\s+(?:is|was)\s+{_t(5)}\s+(?:due\s+)?by$"),
     _about("when_due")),
    (_r(rf"^(?:is|was|are)\s+{_t(1)}\s+(?:already\s+|all\s+)?{_DONE_WORDS}(?:\s+yet)?$"
        rf"|^(?:did|has|have)\s+(?:[\w@.\-]+\s+)?(?:finish(?:ed)?|complete(?:d)?|done|sent|filed|"
        rf"submitted)\s+{_t(2)}(?:\s+yet)?$"),
     _about("is_done")),
    (_r(rf"^how\s+far\s+(?:along\s+)?(?:is|are)\s+{_t(1)}(?:\s+along)?$"
        rf"|^(?:is|are)\s+{_t(2)}\s+(?:still\s+)?on\s+track$"
        rf"|^how\s+(?:much|many\s+percent)\s+of\s+{_t(3)}\s+is\s+done$"),
     _about("how_far")),
    (_r(rf"^what(?:'s|\s+is|\s+are)\s+{_t(1)}\s+(?:still\s+)?(?:waiting\s+(?:for|on)|blocked\s+"
        rf"(?:by|on)|stuck\s+on|held\s+up\s+by)$"
        rf"|^why\s+(?:is|are)\s+{_t(2)}\s+(?:still\s+)?(?:blocked|stuck|held\s+"
        rf"up|on\s+hold|late|overdue|not\s+done)$"
        rf"|^what(?:'s|\s+is)\s+(?:blocking|holding\s+up)\s+{_t(3)}$"
        rf"|^(?:is|are)\s+{_t(4)}\s+(?:still\s+)?(?:blocked|stuck)$"),
     _about("why_blocked")),
    (_r(r"^what\s+(?:should|shall|do|can|must)\s+i\s+(?:do|work\s+on|start\s+(?:on|with)|tackle|"
        r"focus\s+on|pick\s+up|look\s+at|get\s+on\s+with)(?:\s+(?:first|next|now|today|right\s+now"
        r"|this\s+morning|this\s+afternoon))*$"
        r"|^what(?:'s|\s+is)\s+(?:next|up\s+next|my\s+next\s+task|first|most\s+urgent|the\s+most"
        r"\s+urgent(?:\s+thing|\s+task)?|my\s+(?:top\s+)?priority|top\s+priority)(?:\s+for\s+me)?"
        r"(?:\s+today)?$"
        r"|^(?:what\s+)?(?:now|next)$|^where\s+(?:do|should)\s+i\s+start$"
        r"|^what\s+to\s+do\s+(?:first|next|now)$"),
     _fixed("what_next")),
)


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
    *ABOUT_A_TASK,
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
