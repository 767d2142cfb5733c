"""The rest of a task's life: cancel, reopen, delete, take, rename; projects; bare verbs.

``cancel #14 client withdrew`` · ``reopen #14`` · ``delete #14`` (creator or
admin, after a confirmation button) · ``take #14`` · ``rename #14 Send the Q4
filing`` · ``projects`` · ``backup #14 @leo``. A verb with only a task (``due #14``, ``assign #14``,
``progress #14``) asks the missing part as a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.errors import NotFound, VigilError
from bot.evaluation import Cause
from bot.handlers import asking, questions, snoozing
from bot.handlers import tasks as th
from bot.handlers.request import Request
from bot.messages import Button, Outgoing, Section
from bot.permissions import Refused
from bot.services import tasks as task_svc
from bot.views.my_tasks import AMBER, DOT, GREEN, RED, assess, handle_of
from bot.views.replies import event_sections, local_when, problem
from engine.model import Role, Status, SubjectKind, Task

_REF = r"(?P<ref>#\d+|[^#:]+?)"
_LEAD = r"^/?(?:task(?:@\w+)?\s+)?"
SNOOZE_RE = re.compile(_LEAD + r"snooze\b", re.I)
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(_LEAD + r"cancel\s+(?P<ref>#\d+)(?:\s*[:\-—]?\s*(?P<reason>.+))?$", re.I),
     "cancel"),
    (re.compile(_LEAD + r"cancel\s+" + _REF + r"(?:\s*:\s*(?P<reason>.+))?$", re.I), "cancel"),
    (re.compile(_LEAD + r"(?:reopen|re-open|undo\s+done)\s+" + _REF + "$", re.I), "reopen"),
    (re.compile(_LEAD + r"(?:delete|remove)\s+(?:task\s+)?" + _REF + "$", re.I), "delete"),
    (re.compile(_LEAD + r"(?:take|claim)\s+" + _REF + "$", re.I), "take"),
    (re.compile(_LEAD + r"rename\s+(?P<ref>#\d+)\s+(?:to\s+|as\s+|:\s*)?(?P<title>.+)$", re.I),
     "rename"),
    (re.compile(_LEAD + r"projects$", re.I), "projects"),
    (re.compile(_LEAD + r"(?:delete|remove)$", re.I), "which_delete"),
    (re.compile(_LEAD + r"snooze$", re.I), "which_snooze"),
    (re.compile(_LEAD + r"(?:snooze|mute|silence)\s+(?:(?:the\s+)?(?:alerts?|reminders?|"
                r"notifications?|problems?|pings?)\s+(?:on|for|about|of)\s+)?" + _REF
                + r"(?:\s+(?P<when>(?:for|until|till|til|to|through|thru)\s+.+|\d+\s*\w+))?$",
                re.I), "snooze"),
    (re.compile(_LEAD + r"cancel$", re.I), "nothing_to_cancel"),
    (re.compile(_LEAD + r"(?:due|deadline)\s+(?P<ref>#\d+)$", re.I), "ask_due"),
    (re.compile(_LEAD + r"(?:assign|reassign)\s+(?P<ref>#\d+)$", re.I), "ask_owner"),
    (re.compile(_LEAD + r"progress\s+(?P<ref>#\d+)$", re.I), "ask_progress"),
    (re.compile(_LEAD + r"(?:block|blocked)\s+(?P<ref>#\d+)$", re.I), "ask_reason"),
    (re.compile(_LEAD + r"backup\s+(?:for\s+)?(?P<ref>#\d+)\s*(?:is\s+|to\s+|:\s*)?"
                r"@?(?P<who>[\w.\-]+)$", re.I), "backup"),
    (re.compile(_LEAD + r"backup\s+(?:for\s+)?(?P<ref>#\d+)$", re.I), "ask_backup"),
)


def handle(req: Request, text: str) -> Outgoing | None:
    """Answer one of these verbs, or None when ``text`` is none of them."""
    text = text.strip().rstrip(".!")
    for pattern, verb in PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        req.heard = verb.removeprefix("which_")  # how `vigil parse` reports the words
        if verb == "projects":
            return projects(req)
        if verb in ("which_delete", "which_snooze"):
            from bot.handlers import picking  # picking asks questions: imported late, no cycle

            what = verb.removeprefix("which_")
            return picking.ask_task(req, what, (f"task.ask_{what}", {}))
        if verb == "nothing_to_cancel":
            return Outgoing.say("There is no question of mine to cancel. To cancel a task: "
                                "cancel #14 (and a reason if you like).")
        ref = m.group("ref").strip()
        if verb in ("take", "snooze") and not ref.startswith("#") and not ref.isdigit() \
                and not SNOOZE_RE.match(text):
            # "take out the trash" is new work; "take the payroll run" claims that task;
            # "mute the projector" is no task of ours either (a "snooze ..." always is).
            try:
                task = req.task(ref)
            except NotFound:
                return None
        else:
            task = req.task(ref)
        groups = m.groupdict()
        return VERBS[verb](req, task, groups)
    return None


def cancel(req: Request, task: Task, reason: str | None = None) -> Outgoing:
    """Work nobody needs any more: closed, its problems cleared, reopenable."""
    if not task.status.is_active:
        raise VigilError(f"#{task.number} is already {task.status.value.replace('_', ' ')}. "
                         f"To bring it back: reopen #{task.number}")
    cause = Cause(req.person.id, req.person.name, description="cancelled")
    out = th.change(req, task, cause, status="cancelled")
    if reason:
        req.uow.activity.add(req.ws, task.id, req.person.id, req.now, "note", None,
                             {"note": f"cancelled: {reason}"})
    why = f" ({reason})" if reason else ""
    sections = [Section(f"✖ Cancelled #{task.number} {task.title}{why}.",
                        (Button("Reopen", "task.reopen", {"task": task.id}),))]
    return Outgoing(tuple(sections + event_sections(req.uow, req.ws, out.events)))


def reopen(req: Request, task: Task) -> Outgoing:
    """Done or cancelled work back on the list (a done task starts again from 0%)."""
    if task.status.is_active:
        raise VigilError(f"#{task.number} is still open ({task.status.value.replace('_', ' ')}).")
    was_done = task.status is Status.DONE
    fields: dict[str, object] = {"status": "todo"}
    if was_done:
        fields["progress"] = 0
    elif task.progress > 0:
        fields["status"] = "in_progress"
    out = th.change(req, task, Cause(req.person.id, req.person.name, description="reopened"),
                    **fields)
    note = " (it was done: progress is back to 0%)" if was_done else ""
    return th.reply(req, f"↺ Reopened #{task.number} {task.title}{note}", out.task, out.events)


def confirm_delete(req: Request, task: Task) -> Outgoing:
    _may_delete(req, task)
    return questions.ask(
        req, "confirm", {"task": task.id},
        f"Delete #{task.number} {task.title} for good? It leaves every list (I keep a note "
        f"that it existed). To close it but keep it reopenable: cancel #{task.number}",
        [(f"Delete #{task.number}", "task.delete", {"task": task.id}),
         ("Keep it", "task.keep", {"task": task.id})],
        hint="(Tap one, or reply yes or no.)")


def delete(req: Request, task: Task) -> Outgoing:
    _may_delete(req, task)
    out = task_svc.delete_task(req.uow, req.ws, req.now, req.person.id, task.id)
    head = Section(f"🗑 Deleted #{task.number} {task.title}.")
    # Its own problems went with it; what it did to other work (dependents) is still news.
    others = [e for e in out.events
              if not (e.subject_kind is SubjectKind.TASK and e.subject_id == task.id)]
    return Outgoing(tuple([head] + event_sections(req.uow, req.ws, others)))


def _may_delete(req: Request, task: Task) -> None:
    if req.person.role is not Role.ADMIN and req.person.id != task.creator_id:
        raise Refused(f"Only whoever created #{task.number} or an admin can delete it. "
                      f"Cancel it instead: cancel #{task.number}")


def take(req: Request, task: Task) -> Outgoing:
    """Anyone may take work that belongs to nobody."""
    if task.owner_id == req.person.id:
        return Outgoing.say(f"#{task.number} is already yours.")
    cause = Cause(req.person.id, req.person.name, fix="task.assign_me", description="taken")
    if task.owner_id is None:
        out = task_svc.update_task(req.uow, req.ws, req.now, req.person.id, task.id,
                                   cause=cause, owner_id=req.person.id)
    else:
        out = th.change(req, task, cause, owner_id=req.person.id)
    return th.reply(req, f"#{task.number} is yours now", out.task, out.events)


def rename(req: Request, task: Task, title: str) -> Outgoing:
    old = task.title
    out = th.change(req, task, title=title.strip())
    return th.reply(req, f"Renamed #{task.number}: “{old}” → “{out.task.title}”",
                    out.task, out.events)


def projects(req: Request) -> Outgoing:
    """Every active project with its health: manager, deadline, open work by colour, problems."""
    items = req.uow.projects.list(req.ws, active_only=True)
    if not items:
        return Outgoing.say("No projects yet. Create one: project add Acme @marcus due 31 Dec")
    managers = {p.id: p for p in req.uow.people.get_many(
        req.ws, {p.manager_id for p in items if p.manager_id})}
    own = req.uow.violations.firing(req.ws, project_ids=[p.id for p in items])
    sections = [Section(f"{len(items)} project{'' if len(items) == 1 else 's'}:")]
    for project in items:
        tasks = [t for t in req.uow.tasks.list(req.ws, project_id=project.id, active_only=True)
                 if t.recurrence is None]
        healths = assess(req.uow, req.ws, tasks).values()
        tally = {c: sum(1 for h in healths if h.colour == c) for c in (RED, AMBER, GREEN)}
        problems = [problem(v.rule_id) for v in own if v.subject_id == project.id]
        worst = RED if tally[RED] else AMBER if tally[AMBER] or problems else GREEN
        manager = handle_of(managers.get(project.manager_id or -1)) if project.manager_id \
            else "no manager"
        due = f"due {local_when(req.workspace.calendar, req.tz, project.due)}" if project.due \
            else "no deadline"
        counts = " ".join(f"{DOT[c]}{tally[c]}" for c in (RED, AMBER, GREEN) if tally[c])
        open_work = f"{len(tasks)} open {counts}" if tasks else "nothing open"
        extra = f" — {', '.join(problems)}" if problems else ""
        sections.append(Section(f"{DOT[worst]} {project.name} · {manager} · {due} · "
                                f"{open_work}{extra}"))
    return Outgoing(tuple(sections))


VERBS: dict[str, Callable[[Request, Task, dict[str, str | None]], Outgoing]] = {
    "cancel": lambda req, t, g: cancel(req, t, g.get("reason")),
    "reopen": lambda req, t, g: reopen(req, t),
    "delete": lambda req, t, g: confirm_delete(req, t),
    "take": lambda req, t, g: take(req, t),
    "snooze": lambda req, t, g: snoozing.snooze(req, t, g.get("when")),
    "rename": lambda req, t, g: rename(req, t, g.get("title") or ""),
    "ask_due": lambda req, t, g: asking.ask_date(req, t),
    "ask_owner": lambda req, t, g: asking.ask_owner(req, t),
    "ask_progress": lambda req, t, g: asking.ask_progress(req, t),
    "ask_reason": lambda req, t, g: asking.ask_reason(req, t),
    "backup": lambda req, t, g: th.set_backup(req, t, req.person_ref(g.get("who") or "")),
    "ask_backup": lambda req, t, g: asking.ask_owner(req, t, role="backup"),
}
