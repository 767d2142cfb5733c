"""Command verbs of DESIGN.md §7: `add …`, `done #14`, `progress #14 60%`, …

Accepted with or without a leading "/", with a "/task " (or "task ") prefix,
and with a Telegram "@BotName" suffix on the verb. A handler returns None when
the words after the verb do not fit it ("board meeting prep is 60% done"), so
the sentence parser gets its turn. The verbs that change a task are in
bot.language.command_changes, those that show work in bot.language.command_views.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.language import command_changes as change
from bot.language import command_views as view
from bot.language.fields import Context, squash
from bot.language.model import ParsedIntent

Handler = Callable[[str, Context], ParsedIntent | None]

COMMAND_RE = re.compile(
    r"^(?P<slash>/)?(?:task(?:@\w+)?\s+)?(?P<verb>[a-z][a-z\-]*)(?:@\w+)?(?:(?P<colon>:)?\s+(?P<rest>.*))?$",
    re.I | re.S,
)
_SLASH_TASK_RE = re.compile(r"^/?task(?:@\w+)?$", re.I)


def parse_command(text: str, ctx: Context) -> ParsedIntent | None:
    """Parse a §7 command; None if the text does not start with a verb it can use."""
    if _SLASH_TASK_RE.match(text):
        return ParsedIntent("help")
    m = COMMAND_RE.match(text)
    if m is None:
        return None
    handler = VERBS.get(m.group("verb").lower())
    if handler is None or (m.group("colon") and handler is view.tasks):
        return None  # "todo: buy groceries" is a task to add, not a list to show
    return handler(squash(m.group("rest") or ""), ctx)


VERBS: dict[str, Handler] = {
    "add": change.add,
    "new": change.add,
    "newtask": change.add,  # Telegram task bots' "/newtask Monthly report !high @mario 15/04"
    "addtask": change.add,
    "create": change.add,
    "done": change.done,
    "finish": change.finish,
    "finished": change.done,
    "complete": change.finish,
    "completed": change.done,
    "close": change.finish,
    "progress": change.progress,
    "block": change.block,
    "unblock": change.unblock,
    "assign": change.assign,
    "reassign": change.assign,
    "due": change.due,
    "deadline": change.due,
    "note": change.note,
    "comment": change.note,
    "show": view.show,
    "view": view.show,
    "status": view.status,
    "tasks": view.tasks,
    "mytasks": view.tasks,
    "list": view.tasks,
    "todo": view.tasks,
    "board": view.board,
    "kanban": view.board,
    "gantt": view.gantt,
    "timeline": view.gantt,
    "team": view.team,
    "portfolio": view.team,
    "standup": view.standup,
    "stand-up": view.standup,
    "help": view.help_,
    "start": view.help_,
    "commands": view.help_,
}
