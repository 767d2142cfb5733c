"""Plain sentences that ask to see something: help, the team, stand-up, board, lists, a task.

"what's on my plate?", "board for Acme", "how's the payroll run going?" (a one-line
answer, ``task_status``), "tell me about the payroll run" (the whole card). Part of
the sentence table of bot.language.sentences: VIEW_RULES are tried first, STATUS_RULES
last.
"""

from __future__ import annotations

import re

from bot.language.fields import Context, Rule, clean_ref, handle
from bot.language.model import ParsedIntent
from bot.language.names import reads_like_a_name

WHO = r"@?[A-Za-z][\w.\-]*"  # a person as the sentences name them
_WHO = WHO


def _list(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = (m.groupdict().get("who") or "me").strip()
    who = re.sub(r"'s$", "", who, flags=re.I)
    return ParsedIntent("list_tasks", owner=handle(who, ctx))


def _person_list(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    who = m.group("who")
    if not (who.startswith("@") or reads_like_a_name(who)):
        return None
    return ParsedIntent("list_tasks", owner=handle(who, ctx))


def _show(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = clean_ref(m.group("task"))
    return ParsedIntent("show_task", task=task) if task else None


def _status(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
    task = clean_ref(m.group("task"))
    return ParsedIntent("task_status", task=task) if task else None


def _view(intent: str) -> Rule:
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
        return ParsedIntent(intent, project=m.groupdict().get("p"))

    return rule


def _fixed(intent: str) -> Rule:
    def rule(m: re.Match[str], ctx: Context) -> ParsedIntent | None:
        return ParsedIntent(intent)

    return rule


def r(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern of the sentence table."""
    return re.compile(pattern, re.I)


_r = r
_PROJECT = (
    r"(?:\s+(?:for|of|in)\s+(?:the\s+)?(?:project\s+)?#?(?P<p>[A-Za-z][\w\-]*)(?:\s+project)?)?"
)
_OPEN = r"^(?:(?:show|open|see|display|view|get)\s+(?:me\s+)?)?(?:the\s+|our\s+)?"

VIEW_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (
        _r(
            r"^(?:help|what\s+can\s+you\s+do|how\s+does\s+(?:this|it|vigil)\s+work|commands"
            r"|examples|\?+|(?:hi+|hello+|hey+|hiya|howdy|heya)(?:\s+(?:there|all|vigil|@vigil))?"
            r"|how\s+do\s+i\s+.+)$"
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
            # "what did I miss?", "anything new?", "catch me up": the person's standup
            r"|^(?:so\s+|ok\s+|and\s+)?(?:what\s+(?:did|have)\s+i\s+miss(?:ed)?"
            r"|what'?s\s+new|anything\s+new|any\s+news|any\s+updates?"
            r"|catch\s+me\s+up|fill\s+me\s+in|bring\s+me\s+up\s+to\s+speed)"
            r"(?:\s+(?:today|this\s+morning|since\s+yesterday|for\s+me))?$"
        ),
        _fixed("standup"),
    ),
    (_r(_OPEN + r"(?:kanban\s+)?(?:board|kanban)" + _PROJECT + "$"), _view("board")),
    (
        _r(_OPEN + r"(?:project\s+)?(?:timeline|gantt(?:\s+chart)?)" + _PROJECT + "$"),
        _view("gantt"),
    ),
    # "how is Tom doing?", "how's Priya getting on?": that person's tasks (a given name or
    # @handle; "how's the payroll going?" is a task's status, below)
    (
        _r(
            rf"^how(?:'s|\s+is|\s+are)\s+(?P<who>{_WHO})\s+(?:doing|getting\s+on|getting\s+along"
            r"|coming\s+along|keeping\s+up|holding\s+up|going)"
            r"(?:\s+(?:today|this\s+week|with\s+(?:their|his|her)\s+(?:work|tasks)))?$"
        ),
        _person_list,
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
)

STATUS_RULES: tuple[tuple[re.Pattern[str], Rule], ...] = (
    # "how's X going?", "status of X", "where are we on X?": a one-line answer (task_status);
    # "details of X", "tell me about X", "#14": the whole card (show_task)
    (
        _r(
            r"^(?:what(?:'s|\s+is)\s+)?(?:the\s+)?(?:status|progress|state|latest)\s+"
            r"(?:of|on|for|with)\s+(?P<task>.+)$"
        ),
        _status,
    ),
    (
        _r(
            r"^(?:where\s+(?:are|is)\s+(?:we|it)\s+(?:on|with)|any\s+(?:news|updates?)\s+(?:on|about)"
            r"|updates?\s+on)\s+(?P<task>.+)$"
        ),
        _status,
    ),
    (_r(r"^(?:details\s+(?:of|on|for|about)|tell\s+me\s+about)\s+(?P<task>.+)$"), _show),
    (
        _r(
            r"^how(?:'s|\s+is|\s+are)\s+(?P<task>.+?)(?:\s+(?:going|doing|coming\s+along|looking))?$"
        ),
        _status,
    ),
    (_r(r"^(?P<task>.+?)\s+status$"), _status),
    (_r(r"^(?P<task>#\d+)$"), _show),
)
