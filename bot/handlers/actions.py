"""Button presses: each action id applies its fix as the person who pressed it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot import limits
from bot.errors import NotFound, VigilError
from bot.evaluation import Cause
from bot.handlers import (
    answers,
    asking,
    away,
    capture,
    handover,
    lifecycle,
    questions,
    snoozing,
    someone,
)
from bot.handlers import people as team_handlers
from bot.handlers import tasks as th
from bot.handlers.lists import list_tasks
from bot.handlers.request import Request
from bot.messages import Action, Outgoing, Section
from bot.notify import wording
from bot.permissions import can_manage
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from bot.services import violations as violation_svc
from bot.views.replies import fix_buttons, problem, subject_label
from engine import calendar as cal_ops
from engine.model import SubjectKind, Task


def _int(args: dict[str, object], key: str) -> int:
    value = args.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise VigilError("That button is out of date; try the command instead.")
    try:
        number = int(value)
    except ValueError:
        raise VigilError("That button is out of date; try the command instead.") from None
    return limits.button_arg(key, number)  # forged ids above 2^63, a 10-year snooze


def _task(req: Request, args: dict[str, object]) -> Task:
    task = req.uow.tasks.get(req.ws, _int(args, "task"))
    if task is None:
        raise NotFound("That task no longer exists here.")
    return req.about(task)


def _fix(req: Request, action: str, description: str) -> Cause:
    return Cause(req.person.id, req.person.name, fix=action, description=description)


def _end_of_day_after(req: Request, base: datetime, days: int) -> datetime:
    cal = req.workspace.calendar
    day = cal_ops.to_local(cal, base).date() + timedelta(days=days)
    while not cal_ops.is_working_day(cal, day):
        day += timedelta(days=1)
    return cal_ops.end_of_working_day(cal, day)


def due_plus(req: Request, args: dict[str, object]) -> Outgoing:
    task, days = _task(req, args), _int(args, "days")
    base = max(task.due or req.now, req.now)
    due = _end_of_day_after(req, base, days)
    when = th.local_when(req.workspace.calendar, req.tz, due, req.now)
    out = th.change(req, task, _fix(req, "task.due_plus", f"deadline moved to {when}"), due=due)
    return th.reply(req, f"#{task.number} is due {when}", out.task, out.events)


def extend(req: Request, args: dict[str, object]) -> Outgoing:
    """'Move the deadline by…' — a date question: a button, its place ("2") or a typed date."""
    task = _task(req, args)
    choices = [(label, "task.due_plus", {"task": task.id, "days": days})
               for label, days in (("+1 day", 1), ("+3 days", 3), ("+1 week", 7))]
    return questions.ask(req, "date", {"task": task.id},
                         f"Move the deadline of #{task.number} by…", choices,
                         hint="(Tap one, or reply with a new date, like Friday or 28 Dec.)")


def set_progress(req: Request, args: dict[str, object]) -> Outgoing:
    task = _task(req, args)
    value = _int(args, "value") if "value" in args else None
    return th.progress(req, task, value)


def _set_due_from(req: Request, args: dict[str, object], source: str) -> Outgoing:
    task = _task(req, args)
    if source == "parent":
        parent = req.uow.tasks.get(req.ws, task.parent_id) if task.parent_id else None
        due = parent.due if parent else None
    elif source == "project":
        project = req.uow.projects.get(req.ws, task.project_id) if task.project_id else None
        due = project.due if project else None
    else:
        deps = req.uow.tasks.get_many(req.ws, list(task.depends_on))
        dues = [d.due for d in deps if d.due is not None]
        due = _end_of_day_after(req, max(dues), 1) if dues else None
    if due is None:
        raise VigilError("There is no date to move it to any more.")
    when = th.local_when(req.workspace.calendar, req.tz, due, req.now)
    out = th.change(req, task, _fix(req, f"task.move_to_{source}", f"deadline moved to {when}"),
                    due=due)
    return th.reply(req, f"#{task.number} is due {when}", out.task, out.events)


def move_parent(req: Request, args: dict[str, object]) -> Outgoing:
    task = _task(req, args)
    parent = req.uow.tasks.get(req.ws, task.parent_id) if task.parent_id else None
    if parent is None or task.due is None:
        raise VigilError("There is no parent date to move any more.")
    out = th.change(req, parent, _fix(req, "task.move_parent", "parent deadline moved"),
                    due=task.due)
    return th.reply(req, f"#{parent.number} now ends with #{task.number}", out.task, out.events)


def remove_dependency(req: Request, args: dict[str, object]) -> Outgoing:
    task = _task(req, args)
    deps = req.uow.tasks.get_many(req.ws, list(task.depends_on))
    keep = [d.id for d in deps if task.due is None or d.due is None or d.due <= task.due]
    out = th.change(req, task, _fix(req, "task.remove_dependency", "dependency removed"),
                    depends_on=keep)
    return th.reply(req, f"#{task.number} no longer waits on the later tasks", out.task, out.events)


def assign_me(req: Request, args: dict[str, object]) -> Outgoing:
    """Anyone may take work that belongs to nobody; owned work follows the usual rules."""
    task = _task(req, args)
    cause = _fix(req, "task.assign_me", "taken")
    if task.owner_id is None:
        out = task_svc.update_task(req.uow, req.ws, req.now, req.person.id, task.id,
                                   cause=cause, owner_id=req.person.id)
    else:
        out = th.change(req, task, cause, owner_id=req.person.id)
    return th.reply(req, f"#{task.number} is yours now", out.task, out.events)


def set_backup(req: Request, args: dict[str, object]) -> Outgoing:
    task = _task(req, args)
    backup = req.uow.people.get(req.ws, _int(args, "owner"))
    if backup is None:
        raise NotFound("That person is not in this workspace.")
    return th.set_backup(req, task, backup)


def assign_to(req: Request, args: dict[str, object]) -> Outgoing:
    task = _task(req, args)
    owner = req.uow.people.get(req.ws, _int(args, "owner"))
    if owner is None:
        raise NotFound("That person is not in this workspace.")
    out = th.change(req, task, _fix(req, "task.assign", "reassigned"), owner_id=owner.id)
    return th.reply(req, f"#{task.number} now belongs to {owner.name}", out.task, out.events)


def reassign_backup(req: Request, args: dict[str, object]) -> Outgoing:
    task = _task(req, args)
    owner = req.uow.people.get(req.ws, task.owner_id) if task.owner_id else None
    backup = task.backup_id or (owner.backup_id if owner else None)
    if backup is None:
        raise VigilError(f"No backup is set. Reply: assign #{task.number} @person")
    out = th.change(req, task, _fix(req, "task.reassign_backup", "reassigned to the backup"),
                    owner_id=backup)
    return th.reply(req, f"#{task.number} moved to the backup", out.task, out.events)


def make_me_manager(req: Request, args: dict[str, object]) -> Outgoing:
    can_manage(req.person).enforce()
    project_id = _int(args, "project")
    project, events = people_svc.update_project(
        req.uow, req.ws, req.now, project_id,
        cause=_fix(req, "project.make_me_manager", "manager set"), manager_id=req.person.id)
    return Outgoing((Section(f"You now manage {project.name}"),))


def ack(req: Request, args: dict[str, object]) -> Outgoing:
    violation_svc.acknowledge(req.uow, req.ws, _int(args, "violation"), req.person.id, req.now)
    return Outgoing.say("Acknowledged — I will stop escalating it. It stays open until fixed.")


def snooze(req: Request, args: dict[str, object]) -> Outgoing:
    hours = _int(args, "hours") if "hours" in args else 24
    until = req.now + timedelta(hours=hours)
    violation_svc.snooze(req.uow, req.ws, _int(args, "violation"), until, req.now)
    return Outgoing.say(f"Snoozed for {hours} hours. It stays open until fixed.")


def show_all(req: Request) -> Outgoing:
    """Every firing problem on the presser's own tasks, worst first, with fixes."""
    owned = req.uow.tasks.owned_ids(req.ws, [req.person.id])
    rows = req.uow.violations.firing(req.ws, task_ids=owned, person_ids=[req.person.id])
    if not rows:
        return Outgoing.say("Nothing is wrong with your work right now. ✅")
    rank = {"critical": 0, "warning": 1, "info": 2}
    rows.sort(key=lambda r: (rank.get(r.severity, 3), r.fired_at or req.now))
    worded = wording.current(req.uow, req.ws, rows[:20], req.now)  # as of the press
    sections = [
        Section(f"{subject_label(req.uow, req.ws, SubjectKind(r.subject_kind), r.subject_id)}: "
                f"{problem(r.rule_id)} ({r.severity}) — {worded.get(r.id, r.explanation)}",
                fix_buttons(r.fixes))
        for r in rows[:20]
    ]
    return Outgoing(tuple([Section(f"{len(rows)} open problem(s):")] + sections))


def _say(text: str) -> Callable[[Request, dict[str, object]], Outgoing]:
    def answer(req: Request, args: dict[str, object]) -> Outgoing:
        task = _task(req, args) if "task" in args else None
        return Outgoing.say(text.format(n=task.number if task else "N"))
    return answer


HANDLERS: dict[str, Callable[[Request, dict[str, object]], Outgoing]] = {
    "task.done": lambda req, a: th.complete(req, _task(req, a)),
    "task.approve": lambda req, a: th.complete(req, _task(req, a)),
    "task.send_back": lambda req, a: th.unblock(req, _task(req, a)),
    "task.unblock": lambda req, a: th.unblock(req, _task(req, a)),
    "task.block": lambda req, a: th.block(req, _task(req, a),
                                          str(a["reason"]) if a.get("reason") else None),
    "task.show": lambda req, a: th.show(req, _task(req, a)),
    "task.show_chain": lambda req, a: th.show(req, _task(req, a)),
    "task.show_subtasks": lambda req, a: th.show(req, _task(req, a)),
    "task.progress": set_progress,
    "task.due_plus": due_plus,
    "task.extend": extend,
    "task.pick_date": lambda req, a: asking.ask_date(req, _task(req, a)),
    "task.set_date": lambda req, a: answers.set_date(req, _task(req, a), str(a.get("date"))),
    "task.set_due": lambda req, a: answers.set_due_at(req, _task(req, a), str(a.get("due"))),
    "task.assign_me": assign_me,
    "task.reassign": lambda req, a: asking.ask_owner(req, _task(req, a)),
    "task.set_backup": set_backup,
    "person.set_my_backup": lambda req, a: away.set_my_backup(req, _int(a, "owner")),
    "task.ask_backup": lambda req, a: asking.ask_owner(req, _task(req, a), role="backup"),
    "task.reassign_backup": reassign_backup,
    "task.help": lambda req, a: asking.ask_note(req, _task(req, a),
                                                "What do you need help with? Reply in a few "
                                                "words and I'll note it on the task."),
    "task.escalate": lambda req, a: asking.ask_note(req, _task(req, a),
                                                    "What is blocking it? Reply in a few words "
                                                    "and I'll note it on the task."),
    "task.move_to_parent_date": lambda req, a: _set_due_from(req, a, "parent"),
    "task.move_to_project_deadline": lambda req, a: _set_due_from(req, a, "project"),
    "task.shift_after_dependency": lambda req, a: _set_due_from(req, a, "dependency"),
    "task.move_parent": move_parent,
    "task.remove_dependency": remove_dependency,
    "project.make_me_manager": make_me_manager,
    "project.pick_manager": _say("A manager or admin can take the project with the "
                                 "'Make me manager' button."),
    "task.assign": assign_to,
    handover.GIVE: handover.give,
    handover.KEEP: handover.keep,
    "person.invite": team_handlers.invite_button,
    "task.create_titled": th.create_titled,
    "task.reopen": lambda req, a: lifecycle.reopen(req, _task(req, a)),
    "task.cancel": lambda req, a: lifecycle.cancel(req, _task(req, a)),
    "task.delete": lambda req, a: lifecycle.delete(req, _task(req, a)),
    "task.keep": lambda req, a: Outgoing.say(f"OK, #{_task(req, a).number} stays. "
                                             "Nothing was changed."),
    "task.take": lambda req, a: lifecycle.take(req, _task(req, a)),
    "task.ask_delete": lambda req, a: lifecycle.confirm_delete(req, _task(req, a)),
    "task.ask_snooze": lambda req, a: snoozing.snooze(req, _task(req, a)),
    "person.portfolio": lambda req, a: list_tasks(
        req, (req.uow.people.get(req.ws, _int(a, "person")) or req.person).handle, None),
    "recurring.done": lambda req, a: th.complete(req, _task(req, a)),
    "recurring.add_proof": _say("Send the proof with: done #{n} <link or text>"),
    "recurring.history": lambda req, a: th.show(req, _task(req, a)),
    "alerts.show_all": lambda req, a: show_all(req),
    "violation.ack": ack,
    "violation.snooze": snooze,
    someone.INVITE: someone.invite_owner,
    someone.OWNERLESS: someone.create_ownerless,
    capture.CREATE: capture.create,
    capture.CANCEL: capture.cancel,
    capture.PICK: capture.pick_date,
}


HANDLERS["question.pick"] = lambda req, a: questions.pick(req, a, HANDLERS)


def handle(req: Request, action: Action) -> Outgoing:
    """Run a button's action; unknown ids get a clear answer, not a crash."""
    handler = HANDLERS.get(action.action)
    if handler is None:
        return Outgoing.say("That button is not something I know any more.")
    return handler(req, dict(action.args))
