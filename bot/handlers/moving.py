"""'VAT return due tomorrow' when an open task is called exactly that: its deadline moves.

A sentence that is a task's title and a date, with no verb that asks for new work
("add", "create", "remind me", "new task"), no owner, project, priority or repeat,
names the work people already have: a second "VAT return" is never what they meant.
When no open task is called that, or several are, it stays a new task as before.
"""

from __future__ import annotations

import re

from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.language import ParsedIntent
from bot.messages import Outgoing, Section
from engine.model import Task

# Words that ask for new work: then a new task, whatever it is called.
_NEW_RE = re.compile(r"^\s*(?:/|add\b|create\b|new\b|remind\b|reminder\b|todo\b|to-do\b|"
                     r"task\b|make\b|set up\b|please add\b)", re.I)
_LEAD_RE = re.compile(r"^(?:the|my|our)\s+", re.I)


def _plain(title: str) -> str:
    return _LEAD_RE.sub("", " ".join(title.lower().replace("’", "'").split())).strip(" .!")


def existing_task(req: Request, p: ParsedIntent) -> Task | None:
    """The one open task ``p``'s title names exactly, when the sentence is only title + date."""
    if (p.due is None or p.owner or p.project or p.priority or p.recurrence or p.parent
            or p.depends_on or not p.title or _NEW_RE.match(req.text)):
        return None
    wanted = _plain(p.title)
    same = [t for t in req.uow.tasks.search_title(req.ws, wanted.split())
            if t.status.is_active and t.recurrence is None and _plain(t.title) == wanted]
    return same[0] if len(same) == 1 else None


def create_or_move(req: Request, p: ParsedIntent) -> Outgoing:
    """A new task — or, when the words name one open task exactly, that task's new deadline."""
    task = existing_task(req, p)
    if task is None:
        return th.create(req, p)
    out = th.set_due(req, task, p.due)
    note = Section(f"(Moved the existing #{task.number} rather than add a second "
                   f"“{task.title}” — say “add …” for a new one.)")
    return Outgoing(out.sections[:1] + (note,) + out.sections[1:])
