"""The questions Vigil asks about a task: when, who, why, how far (see bot.handlers.questions).

Each stores the question (so the next message answers it) and words it with
buttons and, where the platform has one, a native picker.
"""

from __future__ import annotations

from bot.handlers import questions as q
from bot.handlers.request import Request
from bot.messages import Outgoing, Picker
from bot.views.replies import local_when
from engine.model import Task

PEOPLE_BUTTONS = 5  # teammates offered as buttons when asking "who?"


def ask_date(req: Request, task: Task) -> Outgoing:
    """'When is #3 due?' — Slack shows a datepicker, Telegram a reply field."""
    now = local_when(req.workspace.calendar, req.tz, task.due, req.now)
    return q.ask(req, "date", {"task": task.id},
                 f"When should #{task.number} {task.title} be done? (now: {now}) "
                 "Reply with a date, like Friday, 28 Dec or next Monday 3pm.",
                 picker=Picker("date", "task.set_date", {"task": task.id}, "Pick a date"))


def ask_owner(req: Request, task: Task, role: str = "owner") -> Outgoing:
    """'Who should own #3?' with teammates as buttons and a people picker."""
    skip = {task.owner_id, task.backup_id if role == "backup" else None}
    people = [p for p in req.uow.people.list(req.ws, active_only=True) if p.id not in skip]
    action = "task.set_backup" if role == "backup" else "task.assign"
    choices = [(p.name, action, {"task": task.id, "owner": p.id})
               for p in people[:PEOPLE_BUTTONS]]
    wanted = "be the backup for" if role == "backup" else "own"
    return q.ask(req, "person", {"task": task.id, "role": role},
                 f"Who should {wanted} #{task.number} {task.title}? "
                 "Tap a name or reply with a name or @handle.", choices,
                 picker=Picker("person", action, {"task": task.id}, "Pick a person"))


def ask_reason(req: Request, task: Task) -> Outgoing:
    return q.ask(req, "reason", {"task": task.id},
                 f"What is #{task.number} {task.title} waiting for? "
                 "Reply in a few words, like: bank statements from the client.")


def ask_note(req: Request, task: Task, prompt: str) -> Outgoing:
    return q.ask(req, "note", {"task": task.id}, f"{prompt} (#{task.number} {task.title})")


def ask_progress(req: Request, task: Task) -> Outgoing:
    choices = [(f"{v}%", "task.progress", {"task": task.id, "value": v}) for v in (25, 50, 75)]
    choices.append(("Done", "task.done", {"task": task.id}))
    return q.ask(req, "progress", {"task": task.id},
                 f"How far is #{task.number} {task.title}? Tap or reply with a percentage.",
                 choices)


