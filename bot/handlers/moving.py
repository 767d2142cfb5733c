"""'VAT return due tomorrow' when an open task is called exactly that: its deadline moves.

A sentence that is a task's title and a date, with no verb that asks for new work
("add", "create", "remind me", "new task"), no owner, project, priority or repeat,
names the work people already have: a second "VAT return" is never what they meant.
When several open tasks are called that, Vigil asks which one (a third is not what
they meant either); when none is, it stays a new task as before.
"""

from __future__ import annotations

import re

from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.language import ParsedIntent
from bot.messages import Outgoing, Section
from bot.views.replies import local_when
from engine.model import Task

# Words that ask for new work: then a new task, whatever it is called.
_NEW_RE = re.compile(r"^\s*(?:/|add\b|create\b|new\b|remind\b|reminder\b|todo\b|to-do\b|"
                     r"task\b|make\b|set up\b|please add\b)", re.I)
_LEAD_RE = re.compile(r"^(?:the|my|our)\s+", re.I)


def _plain(title: str) -> str:
    return _LEAD_RE.sub("", " ".join(title.lower().replace("’", "'").split())).strip(" .!")


CHOICES = 5  # same-titled tasks offered as buttons; more would not fit a phone's screen


def existing_tasks(req: Request, p: ParsedIntent) -> list[Task]:
    """The open tasks ``p``'s title names exactly, by number, when the sentence is only
    title + date (none otherwise)."""
    if (p.due is None or p.owner or p.project or p.priority or p.recurrence or p.parent
            or p.depends_on or not p.title or _NEW_RE.match(req.text)):
        return []
    wanted = _plain(p.title)
    return sorted((t for t in req.uow.tasks.search_title(req.ws, wanted.split())
                   if t.status.is_active and t.recurrence is None and _plain(t.title) == wanted),
                  key=lambda t: t.number)


def ask_which_to_move(req: Request, same: list[Task], p: ParsedIntent) -> Outgoing:
    """'2 open tasks are called “VAT return” — which should be due Fri 4 Dec 17:00?'

    Each choice says whose it is and when it is due now: the titles alone are the same.
    """
    assert p.due is not None
    cal = req.workspace.calendar
    when = local_when(cal, req.tz, p.due, req.now)
    shown = same[:CHOICES]
    labels = []
    for t in shown:
        owner = req.uow.people.get(req.ws, t.owner_id) if t.owner_id is not None else None
        due = f"due {local_when(cal, req.tz, t.due, req.now)}" if t.due else "no deadline"
        labels.append(f"#{t.number} {t.title} — {owner.name if owner else 'no owner'}, {due}")
    listing = "\n".join(f"{i}. {label}" for i, label in enumerate(labels, 1))
    more = f"\n(and {len(same) - CHOICES} more — name one by its #number)" \
        if len(same) > CHOICES else ""
    # The buttons drop the shared title: on a phone it would push "whose" off the button.
    choices = [(label.replace(f" {t.title} — ", " — ", 1)[:60], "task.set_due",
                {"task": t.id, "due": p.due.isoformat()})
               for label, t in zip(labels, shown, strict=True)]
    return q.ask(req, "which", {}, f"{len(same)} open tasks are called “{same[0].title}” — "
                 f"which should be due {when}?\n{listing}{more}", choices,
                 hint="(Tap one, or reply with its number in this list or its #number. "
                      "Say “add …” for a new task, or cancel.)")


def create_or_move(req: Request, p: ParsedIntent) -> Outgoing:
    """A new task — or, when the words name open tasks exactly, that task's new deadline
    (several: which one?)."""
    same = existing_tasks(req, p)
    if len(same) > 1:
        return ask_which_to_move(req, same, p)
    if not same:
        return th.create(req, p)
    task = same[0]
    out = th.set_due(req, task, p.due)
    note = Section(f"(Moved the existing #{task.number} rather than add a second "
                   f"“{task.title}” — say “add …” for a new one.)")
    return Outgoing(out.sections[:1] + (note,) + out.sections[1:])
