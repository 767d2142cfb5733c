"""Short answers to questions about work: who owns it, when it is due, what to do first.

"who owns the VAT return?" answers with the owner, not the whole task card;
"when is the bank rec due?" with the date and how far away it is; "what should I
do first?" with the speaker's single most urgent open task (the order My Tasks
uses) and why. Each answer keeps the buttons that act on what was asked.
"""

from __future__ import annotations

from datetime import datetime

from bot.handlers import questions as q
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.messages import Button, Outgoing, Picker, Section
from bot.permissions import can_change_task
from bot.views.concerns import concerns
from bot.views.my_tasks import TaskHealth, assess, health_from, ranked, shown
from bot.views.replies import local_when, problem
from engine import calendar as cal_ops
from engine.model import Status, Task, WorkCalendar


def _label(task: Task) -> str:
    return f"#{task.number} {task.title}"


def _when(req: Request, at: datetime | None) -> str:
    return local_when(req.workspace.calendar, req.tz, at, req.now)


def days_away(req: Request, at: datetime) -> str:
    """'today', 'tomorrow', 'in 3 days', 'yesterday', '2 days ago' — in the reader's zone."""
    zone = WorkCalendar(tz=req.tz)
    days = (cal_ops.to_local(zone, at).date() - cal_ops.to_local(zone, req.now).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def _closed(task: Task) -> str | None:
    """'is done' / 'was cancelled' for work that is no longer open, else None."""
    if task.status is Status.DONE:
        return "is done"
    if task.status is Status.CANCELLED:
        return "was cancelled"
    return None


def who_owns(req: Request, task: Task) -> Outgoing:
    """'Sam owns #2 VAT return (due Fri 4 Dec 17:00).' or 'Nobody owns #2 … yet.'

    The buttons are what the asker may do: anyone may take work nobody owns;
    Assign… only for whoever may change the task."""
    req.about(task)
    args = {"task": task.id}
    due = f"due {_when(req, task.due)}" if task.due else "no deadline"
    closed = _closed(task)
    if closed:
        due = closed.removeprefix("is ").removeprefix("was ")
    may_assign = not closed and can_change_task(req.uow, req.ws, req.person, task).allowed
    reassign = (Button("Assign…", "task.reassign", args),) if may_assign else ()
    owner = req.uow.people.get(req.ws, task.owner_id) if task.owner_id else None
    if owner is None:
        take = (Button("Assign to me", "task.assign_me", args),) if not closed else ()
        return Outgoing((Section(f"Nobody owns {_label(task)} yet ({due}).", take + reassign),))
    who = "You own" if owner.id == req.person.id else f"{owner.name} owns"
    backup = req.uow.people.get(req.ws, task.backup_id) if task.backup_id else None
    cover = f" Backup: {backup.name}." if backup is not None else ""
    return Outgoing((Section(f"{who} {_label(task)} ({due}).{cover}", reassign),))


def when_due(req: Request, task: Task) -> Outgoing:
    """'#3 Bank rec is due Fri 4 Dec 17:00 — tomorrow.' (no deadline: asks for one)."""
    req.about(task)
    closed = _closed(task)
    if closed:
        was = f" (due {_when(req, task.due)})" if task.due else ""
        return Outgoing.say(f"{_label(task)} {closed}{was}.")
    if task.due is None:
        args = {"task": task.id}
        return q.ask(req, "date", {"task": task.id},
                     f"{_label(task)} has no deadline. When should it be done? "
                     "Reply with a date, like Friday or 28 Dec.",
                     [("+1 day", "task.due_plus", {**args, "days": 1}),
                      ("+1 week", "task.due_plus", {**args, "days": 7})],
                     picker=Picker("date", "task.set_date", args, "Pick a date"))
    if task.due <= req.now:
        return Outgoing((Section(f"{_label(task)} was due {_when(req, task.due)} — "
                                 f"{days_away(req, task.due)}, so it is overdue.",
                                 (Button("Move the deadline…", "task.extend",
                                         {"task": task.id}),)),))
    return Outgoing.say(f"{_label(task)} is due {_when(req, task.due)} — "
                        f"{days_away(req, task.due)}.")


def is_done(req: Request, task: Task) -> Outgoing:
    """'Yes — #3 … was done Thu 3 Dec 10:00.' or 'No — #3 … is 40% done, due …'."""
    req.about(task)
    if task.status is Status.DONE:
        when = f" {_when(req, task.completed_at)}" if task.completed_at else ""
        return Outgoing.say(f"Yes — {_label(task)} was done{when}.")
    if task.status is Status.CANCELLED:
        return Outgoing.say(f"No — {_label(task)} was cancelled, not done.")
    return Outgoing((Section(f"No — {_status(req, task)}.", th.quick_buttons(task)),))


def how_far(req: Request, task: Task) -> Outgoing:
    """'#3 Bank rec is 40% done (in progress), due Fri 4 Dec 17:00 — tomorrow.'"""
    req.about(task)
    closed = _closed(task)
    if closed:
        return Outgoing.say(f"{_label(task)} {closed}.")
    sections = [Section(f"{_status(req, task)}.", th.quick_buttons(task))]
    worst = assess(req.uow, req.ws, [task])[task.id]
    if worst.problems:
        sections.append(Section(f"Problem: {worst.summary}."))
    return Outgoing(tuple(sections))


def status_line(req: Request, task: Task) -> Outgoing:
    """'#3 Bank rec: 40% done (in progress) · Sam · due Fri 4 Dec 17:00 — tomorrow.'

    The short answer to "how's the bank rec going?" / "status of the bank rec": progress,
    owner, deadline and, when blocked, why — one line, the quick buttons, and Details
    for the whole card."""
    req.about(task)
    args = {"task": task.id}
    details = Button("Details", "task.show", args)
    closed = _closed(task)
    if closed:
        when = f" {_when(req, task.completed_at)}" if task.completed_at and \
            task.status is Status.DONE else ""
        return Outgoing((Section(f"{_label(task)} {closed}{when}.", (details,)),))
    owner = req.uow.people.get(req.ws, task.owner_id) if task.owner_id else None
    who = "you own it" if owner is not None and owner.id == req.person.id else \
        f"{owner.name} owns it" if owner is not None else "nobody owns it"
    if task.status is Status.BLOCKED:
        why = f": {task.blocked_reason}" if task.blocked_reason else " (no reason given)"
        head = f"{_label(task)} is blocked at {task.progress}%{why} · {who}"
    else:
        head = f"{_label(task)}: {task.progress}% done ({_state(task)}) · {who}"
    line = f"{head} · {_due_words(req, task)}."
    return Outgoing((Section(line, th.quick_buttons(task) + (details,)),))


def why_blocked(req: Request, task: Task) -> Outgoing:
    """'#3 … is blocked: bank statements from the client.' — or that it is not blocked."""
    req.about(task)
    if task.status is Status.BLOCKED:
        reason = f": {task.blocked_reason}" if task.blocked_reason else " (no reason given)"
        return Outgoing((Section(f"{_label(task)} is blocked{reason}.",
                                 th.quick_buttons(task)),))
    closed = _closed(task)
    if closed:
        return Outgoing.say(f"{_label(task)} {closed} — nothing is holding it up.")
    worst = assess(req.uow, req.ws, [task])[task.id]
    trouble = f" Its problem: {worst.summary}." if worst.problems else ""
    return Outgoing((Section(f"{_label(task)} is not blocked ({task.progress}% done, "
                             f"{_state(task)}, {_due_words(req, task)}).{trouble}",
                             th.quick_buttons(task)),))


def _due_words(req: Request, task: Task) -> str:
    """'due Fri 4 Dec 17:00 — tomorrow', 'overdue since Wed 2 Dec 17:00' or 'no deadline'."""
    if task.due is None:
        return "no deadline"
    if task.due <= req.now:
        return f"overdue since {_when(req, task.due)}"
    return f"due {_when(req, task.due)} — {days_away(req, task.due)}"


def _state(task: Task) -> str:
    """'not started', 'in progress', 'in review' — the status as people say it."""
    return "not started" if task.status is Status.TODO else task.status.value.replace("_", " ")


def _status(req: Request, task: Task) -> str:
    return f"{_label(task)} is {task.progress}% done ({_state(task)}), {_due_words(req, task)}"


def what_next(req: Request) -> Outgoing:
    """The speaker's single most urgent open task and why, its buttons, and how many more."""
    mine = [t for t in req.uow.tasks.list(req.ws, owner_id=req.person.id, active_only=True)
            if shown(t)]
    if not mine:
        return _nothing_owned(req)
    order = ranked(assess(req.uow, req.ws, mine).values(), req.now)
    top = order[0]
    req.about(top.task)
    rest = len(order) - 1
    more = (f"{rest} more open — say tasks for the list." if rest > 1 else
            "1 more open — say tasks to see it." if rest == 1 else "Nothing else is open for you.")
    return Outgoing((Section(f"Start with {_label(top.task)} — {_why(req, top)}."),
                     Section(th.describe(req, top.task), th.quick_buttons(top.task)),
                     Section(more)))


def _nothing_owned(req: Request) -> Outgoing:
    """Nothing assigned: the most urgent task that still concerns the speaker — one they
    created that nobody owns, or a problem that needs them — never 🎉 while one exists."""
    found = concerns(req.uow, req.ws, req.person)
    if found.nothing:
        return Outgoing.say("Nothing is open for you, nothing waits for an owner and nothing "
                            "needs you. 🎉")
    waiting = ranked(assess(req.uow, req.ws, found.waiting).values(), req.now)
    needs = ranked(health_from(found.needs_you, found.problems).values(), req.now)
    both = ranked([*waiting, *needs], req.now)
    top = both[0]
    req.about(top.task)
    args = {"task": top.task.id}
    if top in waiting:
        head = (f"Nothing is assigned to you. Most urgent: {_label(top.task)}, which you "
                f"created and nobody owns — {_why(req, top)}.")
        buttons: tuple[Button, ...] = (Button("Take it", "task.assign_me", args),
                   Button("Assign…", "task.reassign", args))
    else:
        head = (f"Nothing is assigned to you. Most urgent among what needs you: "
                f"{_label(top.task)} — {_why(req, top)}.")
        buttons = (Button("Open", "task.show", args),)
    rest = len(both) - 1
    more = (f"{rest} more need you or wait for an owner — say tasks for the list." if rest > 1
            else "1 more needs you or waits for an owner — say tasks to see it." if rest == 1
            else "Nothing else needs you.")
    return Outgoing((Section(head, buttons), Section(more)))


def _why(req: Request, h: TaskHealth) -> str:
    """Why this task comes first, in a few words."""
    t = h.task
    if h.problems:
        sev = f" ({h.severity.value})" if h.severity is not None else ""
        return f"{problem(h.problems[0])}{sev}"
    if t.status is Status.BLOCKED:
        return "it is blocked" + (f": {t.blocked_reason}" if t.blocked_reason else "")
    if t.due is not None:
        return f"due {days_away(req, t.due)} ({_when(req, t.due)})"
    return "no deadline, but nothing else of yours is more urgent" if t.priority >= 3 else \
        f"priority p{t.priority}, no deadline"
