"""A verb without a task ("done", "snooze", "assign"): which task? (numbered buttons).

The choices are the speaker's likely tasks — their own open work, most urgent
first (the order My Tasks uses), then work they created that nobody owns. The
question is stored like Vigil's others, so a typed "2", "#14" or words of a
title answer it (``bot.handlers.answers.which_answer``).
"""

from __future__ import annotations

from datetime import datetime

from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers.request import Ambiguous, Request
from bot.language import ParsedIntent
from bot.messages import Outgoing
from bot.views.my_tasks import assess, clip, ranked, shown
from engine.model import Task

CHOICES = 5  # tasks offered; more would not fit a phone's screen as buttons
BARE = frozenset({"complete", "block", "unblock", "assign", "update_progress", "set_deadline",
                  "add_note", "show_task"})
VERB = {"complete": "mark done", "block": "mark blocked", "unblock": "unblock",
        "assign": "assign", "update_progress": "update", "set_deadline": "give a deadline",
        "add_note": "add a note to", "show_task": "see", "snooze": "snooze",
        "delete": "delete"}


def likely_tasks(req: Request) -> list[Task]:
    """The speaker's open tasks, most urgent first, then unowned work they created."""
    mine = [t for t in req.uow.tasks.list(req.ws, owner_id=req.person.id, active_only=True)
            if shown(t)]
    order = [h.task for h in ranked(assess(req.uow, req.ws, mine).values(), req.now)]
    if len(order) < CHOICES:
        created = [t for t in req.uow.tasks.list(req.ws, active_only=True)
                   if shown(t) and t.owner_id is None and t.creator_id == req.person.id]
        order += [h.task for h in ranked(assess(req.uow, req.ws, created).values(), req.now)]
    return order[:CHOICES]


def ask_task(req: Request, verb: str, pick: tuple[str, dict[str, object]]) -> Outgoing:
    """'Which task should I mark done?' with the likely tasks as numbered buttons."""
    action, extra = pick
    tasks = likely_tasks(req)
    doing = VERB.get(verb, "use")
    if action == "task.set_due":  # the date said waits in the choices: say it back
        when = th.local_when(req.workspace.calendar, req.tz,
                             datetime.fromisoformat(str(extra["due"])), req.now)
        doing = f"make due {when}"
    if not tasks:
        return Outgoing.say(f"Which task should I {doing}? You have no open tasks — name it "
                            "by its number, like #14, or words of its title.")
    listing = "\n".join(f"{i}. #{t.number} {clip(t.title, 40)}" for i, t in enumerate(tasks, 1))
    choices = [(f"{i}. #{t.number} {clip(t.title, 30)}", action, {"task": t.id, **extra})
               for i, t in enumerate(tasks, 1)]
    return q.ask(req, "which", {}, f"Which task should I {doing}?\n{listing}", choices,
                 hint="(Tap one, or reply with its number or words of its title. "
                      "Or say cancel.)")


def pick_action(req: Request, p: ParsedIntent) -> tuple[str, dict[str, object]]:
    """The button action that finishes the request once the task is picked (ids only)."""
    if p.intent == "complete" and not p.proof:
        return "task.done", {}
    if p.intent == "update_progress" and p.progress is not None:
        return "task.progress", {"value": p.progress}
    if p.intent == "unblock":
        return "task.unblock", {}
    if p.intent == "assign" and p.owner:
        return "task.assign", {"owner": req.person_ref(p.owner).id}
    if p.intent == "assign":
        return "task.reassign", {}
    if p.intent == "set_deadline" and p.due is not None:  # "I'll have it done by Friday"
        return "task.set_due", {"due": p.due.isoformat()}
    if p.intent == "block":  # the reason, if said, waits in the stored question
        return "task.block", {"reason": p.reason} if p.reason else {}
    return "task.show", {}


def ask_which(req: Request, amb: Ambiguous, pick: tuple[str, dict[str, object]]) -> Outgoing:
    """'Which one?' as a question: tap a task, or reply 1, 2, … or its #number."""
    action, extra = pick
    choices = [(f"#{t.number} {t.title}"[:60], action, {"task": t.id, **extra})
               for t in amb.candidates]
    listing = "\n".join(f"{i}. #{t.number} {t.title}" for i, t in enumerate(amb.candidates, 1))
    return q.ask(req, "which", {}, f"'{amb.reference}' matches several tasks — which "
                         f"one?\n{listing}", choices,
                         hint="(Tap one, or reply with its number in this list.)")
