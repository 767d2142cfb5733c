"""Task intents: add, progress, done, block, unblock, assign, due, note, show."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot import limits
from bot.errors import VigilError
from bot.evaluation import Cause, LifecycleEvent
from bot.handlers import asking, someone
from bot.handlers.request import Request
from bot.handlers.title_names import only_a_name
from bot.language import ParsedIntent
from bot.messages import Button, Outgoing, Section
from bot.notify import wording
from bot.permissions import can_change_task
from bot.services import tasks as task_svc
from bot.views.history import history_lines
from bot.views.replies import event_sections, fix_buttons, local_when, problem, task_line
from engine import calendar as cal_ops
from engine.model import Person, Status, Task
from engine.recurrence import RecurrenceError, validate_rrule
from storage.records import ViolationRecord


def quick_buttons(task: Task) -> tuple[Button, ...]:
    """25% · 50% · 75% · Done · Blocked under a task reply."""
    if not task.status.is_active:
        return ()
    args = {"task": task.id}
    if task.status is Status.BLOCKED:
        return (Button("Unblock", "task.unblock", args, style="primary"),
                Button("Done", "task.done", args))
    return (
        Button("25%", "task.progress", {**args, "value": 25}),
        Button("50%", "task.progress", {**args, "value": 50}),
        Button("75%", "task.progress", {**args, "value": 75}),
        Button("Done", "task.done", args, style="primary"),
        Button("Blocked", "task.block", args, style="danger"),
    )


def describe(req: Request, task: Task) -> str:
    owner = req.uow.people.get(req.ws, task.owner_id) if task.owner_id else None
    due = local_when(req.workspace.calendar, req.tz, task.due, req.now)
    return task_line(task, owner.handle or owner.name if owner else None, due)


def reply(req: Request, headline: str, task: Task | None, events: list[LifecycleEvent]) -> Outgoing:
    """The confirmation, what the change caused or cleared, then quick buttons."""
    sections = [Section(headline)]
    sections += event_sections(req.uow, req.ws, events)
    if task is not None:
        req.about(task)
        sections.append(Section(describe(req, task), quick_buttons(task)))
    return Outgoing(tuple(sections))


def change(req: Request, task: Task, cause: Cause | None = None, **fields: Any) -> task_svc.Outcome:
    """Apply a permitted change as the speaker."""
    can_change_task(req.uow, req.ws, req.person, task).enforce()
    return task_svc.update_task(req.uow, req.ws, req.now, req.person.id, task.id,
                                cause=cause or Cause(req.person.id, req.person.name), **fields)


def create_titled(req: Request, args: dict[str, object]) -> Outgoing:
    """The 'Create task “Priya”' button: a task with exactly that title."""
    title = str(args.get("title") or "").strip()
    out = task_svc.create_task(req.uow, req.ws, req.now, req.person.id, title)
    return reply(req, f"Added #{out.task.number} {out.task.title}", out.task, out.events)


def create(req: Request, p: ParsedIntent) -> Outgoing:
    ask = only_a_name(req, p)
    if ask is not None:
        return ask
    owned = someone.named_owner(req, p)  # "Marcus is doing payroll": is Marcus on the team?
    if isinstance(owned, Outgoing):
        return owned
    p = owned
    fields: dict[str, Any] = {}
    if p.owner:
        fields["owner_id"] = req.person_ref(p.owner).id
    if p.project:
        fields["project_id"] = req.project_ref(p.project).id
    if p.parent:
        fields["parent_id"] = req.task(p.parent).id
    if p.depends_on:
        fields["depends_on"] = [req.task(ref).id for ref in p.depends_on]
    if p.due is not None:
        fields["due"] = p.due
    if p.priority is not None:
        fields["priority"] = p.priority
    if p.recurrence:
        fields.update(_obligation(req, p, fields.get("owner_id")))
    if p.proof:
        fields["proof_required"] = p.proof
    if p.progress:  # "I'm working on the budget deck" and it was new: under way already
        fields.update(progress=p.progress, status="in_progress")
    out = task_svc.create_task(req.uow, req.ws, req.now, req.person.id, p.title or "", **fields)
    if out.task.recurrence:
        return _recurring_reply(req, out.task, named_backup=bool(p.backup))
    headline = f"Added #{out.task.number} {out.task.title}"
    if out.task.due is not None and out.task.due <= req.now:  # "due yesterday": said on purpose
        when = local_when(req.workspace.calendar, req.tz, out.task.due, req.now)
        headline += f" — due {when}, so it is already overdue"
    return reply(req, headline, out.task, out.events)


def _obligation(req: Request, p: ParsedIntent, owner_id: int | None) -> dict[str, Any]:
    """Recurring work has one owner (the speaker unless named) and, when possible, a backup.

    The backup is the one named, else the owner's manager (the reply says so and offers
    a button to change it); with neither, the reply asks who it should be.
    """
    owner = req.uow.people.get(req.ws, owner_id) if owner_id else req.person
    assert owner is not None
    backup_id = None
    if p.backup:
        backup = req.person_ref(p.backup)
        if backup.id == owner.id:
            raise VigilError("The backup must be someone other than the owner.")
        backup_id = backup.id
    elif owner.reports_to_id is not None and owner.reports_to_id != owner.id:
        backup_id = owner.reports_to_id
    try:
        recurrence = validate_rrule(p.recurrence or "")
    except RecurrenceError as exc:
        raise VigilError(str(exc)) from None
    return {"recurrence": recurrence, "backup_id": backup_id, "owner_id": owner.id,
            "start": _cycle_anchor(req, recurrence)}


def _cycle_anchor(req: Request, rule: str) -> datetime:
    """Cycles without a time of day start when the working day starts, not at the minute
    the work was set up (02:08 at night); a cadence with a time keeps its own."""
    if "BYHOUR" in rule.upper():
        return req.now
    cal = req.workspace.calendar
    today = cal_ops.to_local(cal, req.now).date()
    return cal_ops.from_local(cal, datetime.combine(today, cal.day_start))


def _recurring_reply(req: Request, task: Task, named_backup: bool) -> Outgoing:
    from bot.views import obligation

    sections = [Section(f"Added #{task.number} {task.title}"), obligation.announce(req, task)]
    owner = req.uow.people.get(req.ws, task.owner_id) if task.owner_id else None
    if task.backup_id is None:
        ask = asking.ask_owner(req, task, role="backup")
        return Outgoing(tuple(sections) + ask.sections)
    if not named_backup:
        backup = req.uow.people.get(req.ws, task.backup_id)
        who = owner.name if owner else "the owner"
        sections.append(Section(
            f"Backup: {backup.name if backup else '?'} ({who}'s manager), so it still "
            f"happens when {who} is away.",
            (Button("Change backup", "task.ask_backup", {"task": task.id}),)))
    return Outgoing(tuple(sections))


_A_NUMBER = re.compile(r"\d\s*(?:%|percent|pct)|\b\d{1,3}\b(?!\s*(?:st|nd|rd|th)\b)")


def progress(req: Request, task: Task, value: int | None) -> Outgoing:
    if value is None:
        return asking.ask_progress(req, task)
    limits.check_progress_change(task.number, task.status.value, value)
    if value < task.progress and req.text.strip() and not _A_NUMBER.search(req.text):
        # "VAT return is in progress", "started X", "nearly done" are words, not a figure:
        # they never take back progress already reported (60% stays 60%)
        return reply(req, f"#{task.number} is already {task.progress}% done, so I left it "
                     "there. To change it, give the figure: like 40%", task, [])
    out = change(req, task, progress=value)
    return reply(req, f"#{task.number} is now {out.task.progress}% done", out.task, out.events)


def complete(req: Request, task: Task, proof: str | None = None) -> Outgoing:
    """Mark done; work that requires proof is refused without it, saying how to send it."""
    if task.proof_required not in (None, "none") and not (proof or task.proof):
        kind = task.proof_required
        raise VigilError(
            f"#{task.number} needs {kind} proof before it can be done: send the {kind} with "
            f"the caption '#{task.number} done' (or reply to the task's message with it), "
            f"or write 'done #{task.number} <link or text>'."
        )
    if task.status is Status.DONE and not proof:  # "close #2" twice: say so, change nothing
        return Outgoing.say(f"#{task.number} {task.title} is already done — nothing changed. "
                            f"To open it again: reopen #{task.number}")
    fields: dict[str, Any] = {"status": "done"}
    if proof:
        fields["proof"] = proof
    out = change(req, task, **fields)
    return reply(req, f"✔ Done: #{task.number} {task.title}", None, out.events)


def block(req: Request, task: Task, reason: str | None, progress: int | None = None) -> Outgoing:
    """Mark blocked with the reason (asked when not given); "Blocker: VAT return 50%" also
    records how far it got."""
    said, events = "", []
    if progress is not None and progress != task.progress:
        limits.check_progress_change(task.number, task.status.value, progress)
        moved = change(req, task, progress=progress)
        task, events = moved.task, moved.events
        said = f"#{task.number} is now {task.progress}% done. "
    if not reason:
        asked = asking.ask_reason(req, task)
        if not said:
            return asked
        head = (Section(said.strip()), *event_sections(req.uow, req.ws, events))
        return replace(asked, sections=head + asked.sections)
    out = change(req, task, status="blocked", blocked_reason=reason)
    return reply(req, f"{said}#{task.number} is blocked: {reason}", out.task, events + out.events)


def unblock(req: Request, task: Task) -> Outgoing:
    status = "in_progress" if task.progress > 0 else "todo"
    out = change(req, task, status=status)
    return reply(req, f"#{task.number} is moving again", out.task, out.events)


def assign(req: Request, task: Task, handle: str | None) -> Outgoing:
    owner = req.person_ref(handle)
    out = change(req, task, owner_id=owner.id)
    return reply(req, f"#{task.number} now belongs to {owner.name}", out.task, out.events)


def set_backup(req: Request, task: Task, backup: Person) -> Outgoing:
    """Who steps in when the owner is away (recurring work)."""
    if backup.id == task.owner_id:
        raise VigilError("The backup must be someone other than the owner.")
    out = change(req, task, backup_id=backup.id)
    return reply(req, f"{backup.name} is now the backup for #{task.number}", out.task, out.events)


def set_due(req: Request, task: Task, due: datetime | None) -> Outgoing:
    if due is not None and task.due == due:  # "push #4 to Friday" when it is due then already
        when = local_when(req.workspace.calendar, req.tz, due, req.now)
        return reply(req, f"#{task.number} is already due {when} — nothing changed.", task, [])
    out = change(req, task, due=due)
    when = local_when(req.workspace.calendar, req.tz, out.task.due, req.now)
    return reply(req, f"#{task.number} is due {when}", out.task, out.events)


def note(req: Request, task: Task, text: str | None) -> Outgoing:
    can_change_task(req.uow, req.ws, req.person, task).enforce()
    out = task_svc.add_note(req.uow, req.ws, req.now, req.person.id, task.id, text or "")
    return reply(req, f"Noted on #{task.number}", None, out.events)


def _muted(req: Request, v: ViolationRecord) -> str:
    """What keeps a firing problem quiet, so "show #14" does not look like Vigil forgot it."""
    if v.snoozed_until is not None and v.snoozed_until > req.now:
        when = local_when(req.workspace.calendar, req.tz, v.snoozed_until, req.now)
        return f"\n   💤 snoozed until {when}"
    if v.acked_at is not None:
        return "\n   ✋ acknowledged: no more escalation"
    return ""


def show(req: Request, task: Task) -> Outgoing:
    """The task, its firing problems with fix buttons, and its recent history.

    For recurring work: its occurrences, on-time rate and streak.
    """
    req.about(task)
    if task.recurrence:
        from bot.views import obligation

        return obligation.history(req, task)
    sections = [Section(describe(req, task), quick_buttons(task))]
    if task.blocked_reason:
        sections.append(Section(f"Blocked: {task.blocked_reason}"))
    firing = req.uow.violations.firing(req.ws, task_ids=[task.id])
    worded = wording.current(req.uow, req.ws, firing, req.now)  # as of the asking
    for v in firing:
        sections.append(Section(
            f"{problem(v.rule_id)} ({v.severity}) — {worded.get(v.id, v.explanation)}"
            + _muted(req, v), fix_buttons(v.fixes)))
    lines = history_lines(req.uow, req.ws, task.id, req.workspace.calendar, req.tz,
                          now=req.now)
    if lines:
        sections.append(Section("History:\n" + "\n".join(f"• {line}" for line in lines)))
    return Outgoing(tuple(sections))
