"""My Tasks: one person's (or one project's) open work, most urgent first.

Also the health helpers the other views share: the worst firing problem of
each task and its colour (DESIGN.md §4: red if any critical violation, amber
if any warning, green otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.handlers.request import Request
from bot.messages import Button, Outgoing, Section
from bot.permissions import can_manage
from bot.views.concerns import concerns
from bot.views.replies import local_when, problem
from engine.model import Person, Severity, Status, Task
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

RED, AMBER, GREEN = "red", "amber", "green"
DOT = {RED: "🔴", AMBER: "🟠", GREEN: "🟢"}
BLOCKED_DOT = "⛔"
DEFAULT_PRIORITY = 3  # p3 is "normal": lists show p1, p2 and p4 only
COLOUR_RANK = {RED: 0, AMBER: 1, GREEN: 2}
LIST_CAP = 15  # lines in one chat message before "…and N more"
BUTTON_ROWS = 5  # tasks that get quick buttons


@dataclass(frozen=True)
class TaskHealth:
    """A task with its firing problems, worst first."""

    task: Task
    severity: Severity | None = None  # the worst firing severity (info included)
    problems: tuple[str, ...] = ()  # rule ids, worst first
    fired_at: datetime | None = None  # when the oldest firing problem fired

    @property
    def colour(self) -> str:
        if self.severity is Severity.CRITICAL:
            return RED
        if self.severity is Severity.WARNING:
            return AMBER
        return GREEN

    @property
    def dot(self) -> str:
        """The health colour; blocked work with no worse problem shows as blocked, not green."""
        if self.colour == GREEN and self.task.status is Status.BLOCKED:
            return BLOCKED_DOT
        return DOT[self.colour]

    @property
    def summary(self) -> str:
        """'overdue', 'overdue, stalled', 'overdue and 2 more problems' or '' — in a few words.

        Two problems are both named; "+1 more" read on a phone as one more task."""
        if not self.problems:
            return ""
        if len(self.problems) == 2:
            return ", ".join(problem(p) for p in self.problems)
        more = f" and {len(self.problems) - 1} more problems" if len(self.problems) > 2 else ""
        return problem(self.problems[0]) + more


def assess(uow: UnitOfWork, ws: int, tasks: Iterable[Task]) -> dict[int, TaskHealth]:
    """Each task's health from its firing violations (one query per call)."""
    tasks = list(tasks)
    records = uow.violations.firing(ws, task_ids=[t.id for t in tasks]) if tasks else []
    return health_from(tasks, records)


def health_from(tasks: Iterable[Task], records: Iterable[ViolationRecord]) -> dict[int, TaskHealth]:
    """Each task's health from firing violation records (other subjects are ignored)."""
    by_id = {t.id: t for t in tasks}
    found: dict[int, list[tuple[Severity, str, datetime | None]]] = {}
    for v in records:
        if v.subject_kind == "task" and v.subject_id in by_id and v.is_firing:
            found.setdefault(v.subject_id, []).append((Severity(v.severity), v.rule_id, v.fired_at))
    out: dict[int, TaskHealth] = {}
    for task_id, task in by_id.items():
        rows = sorted(found.get(task_id, []), key=lambda r: (-r[0].rank, r[1]))
        if not rows:
            out[task_id] = TaskHealth(task)
            continue
        fired = [r[2] for r in rows if r[2] is not None]
        out[task_id] = TaskHealth(
            task,
            rows[0][0],
            tuple(dict.fromkeys(r[1] for r in rows)),
            min(fired) if fired else None,
        )
    return out


def urgency(h: TaskHealth, now: datetime) -> tuple[int, int, float, int, int]:
    """Sort key: red, amber, green; then overdue, then soonest due; priority; number."""
    due = h.task.due
    overdue = 0 if due is not None and due <= now else 1
    seconds = (due - now).total_seconds() if due is not None else float("inf")
    return (COLOUR_RANK[h.colour], overdue, seconds, h.task.priority, h.task.number)


def ranked(healths: Iterable[TaskHealth], now: datetime) -> list[TaskHealth]:
    return sorted(healths, key=lambda h: urgency(h, now))


def shown(task: Task) -> bool:
    """Views list real work: not recurring templates (their occurrences are tasks)."""
    return task.recurrence is None


def handle_of(person: Person | None) -> str:
    if person is None:
        return "no owner"
    return f"@{person.handle}" if person.handle else person.name


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _line(req: Request, h: TaskHealth, owner: str | None) -> str:
    t = h.task
    cal = req.workspace.calendar
    due = f"due {local_when(cal, req.tz, t.due, req.now)}" if t.due else "no deadline"
    quiet = t.status.value in ("todo", "in_progress")
    status = "" if quiet else f" · {t.status.value.replace('_', ' ')}"
    if t.status is Status.BLOCKED and t.blocked_reason:
        status += f": {clip(t.blocked_reason, 40)}"
    who = f" · {owner}" if owner else ""
    what = f" — {h.summary}" if h.summary else ""
    prio = "" if t.priority == DEFAULT_PRIORITY else f" · p{t.priority}"
    return (f"{h.dot} #{t.number} {clip(t.title, 60)}{prio}{who} · {t.progress}%"
            f"{status} · {due}{what}")


def _buttons(t: Task) -> tuple[Button, ...]:
    args = {"task": t.id}
    buttons = [Button("Open", "task.show", args)]
    if t.status is Status.BLOCKED:
        return (*buttons, Button("Unblock", "task.unblock", args, style="primary"))
    if t.progress < 100:
        buttons.append(Button(f"{min(100, (t.progress // 25 + 1) * 25)}%", "task.progress",
                              {**args, "value": min(100, (t.progress // 25 + 1) * 25)}))
    buttons.append(Button("Done", "task.done", args, style="primary"))
    return tuple(buttons)


def render(
    req: Request,
    title: str,
    tasks: Sequence[Task],
    show_owner: bool = False,
    cap: int = LIST_CAP,
    empty: str | None = None,
) -> Outgoing:
    """The list itself: a headline with counts, one section per task, a tail.

    ``empty``: the answer when nothing is left (a scoped list names its scope).
    """
    tasks = [t for t in tasks if shown(t) and t.status.is_active]
    if not tasks:
        return Outgoing.say(empty or f"{title}: nothing open. 🎉")
    healths = ranked(assess(req.uow, req.ws, tasks).values(), req.now)
    # Counted by the dot each line shows: blocked work is ⛔, not green, in the headline too.
    dots = (DOT[RED], DOT[AMBER], BLOCKED_DOT, DOT[GREEN])
    counts = {d: sum(1 for h in healths if h.dot == d) for d in dots}
    tally = " ".join(f"{d}{counts[d]}" for d in dots if counts[d])
    owners = {}
    if show_owner:
        ids = {t.owner_id for t in tasks if t.owner_id is not None}
        owners = {p.id: handle_of(p) for p in req.uow.people.get_many(req.ws, ids)}
    sections = [Section(f"{title} ({len(tasks)}): {tally}")]
    for i, h in enumerate(healths[:cap]):
        owner = owners.get(h.task.owner_id or -1, "no owner") if show_owner else None
        buttons = _buttons(h.task) if i < BUTTON_ROWS else ()
        sections.append(Section(_line(req, h, owner), buttons))
    if len(healths) > cap:
        sections.append(Section(f"…and {len(healths) - cap} more, less urgent."))
    return Outgoing(tuple(sections))


def my_tasks(req: Request, owner: str | None = None, project: str | None = None,
             where: Callable[[Task], bool] | None = None, label: str = "",
             scope: str = "") -> Outgoing:
    """``tasks`` / ``tasks @person`` / ``tasks #project``.

    A person's open tasks across projects (or a project's), most urgent first:
    health colour, due date in the reader's zone, progress, the firing problem
    in a few words, and quick buttons on the most urgent ones. Another
    person's list and a project's list are for managers and admins. ``where``
    keeps only some tasks ("what is overdue?"), ``label`` says which in the
    headline and ``scope`` names them in an empty answer ("Nothing overdue …").
    """
    if project:
        proj = req.project_ref(project)
        if proj.manager_id != req.person.id:
            can_manage(req.person).enforce()
        tasks = req.uow.tasks.list(req.ws, project_id=proj.id, active_only=True)
        tasks = [t for t in tasks if where is None or where(t)]
        empty = f"Nothing {scope} in {proj.name}." if where is not None and scope else None
        return render(req, f"Open tasks in {proj.name}{label}", tasks, show_owner=True,
                      empty=empty)
    person = req.person_ref(owner) if owner else req.person
    if person.id != req.person.id:
        can_manage(req.person).enforce()
        tasks = req.uow.tasks.list(req.ws, owner_id=person.id, active_only=True)
        tasks = [t for t in tasks if where is None or where(t)]
        empty = f"{person.name} has nothing {scope}." if where is not None and scope else None
        return render(req, f"{person.name}'s open tasks{label}", tasks, empty=empty)
    return mine(req, where, label, scope)


def _tag(scope: str, count: int) -> str:
    """'(3)' or, for a scoped question, '(3, overdue)'."""
    return f"({count}, {scope})" if scope else f"({count})"


def mine(req: Request, where: Callable[[Task], bool] | None = None, label: str = "",
         scope: str = "") -> Outgoing:
    """The speaker's own list: their open tasks, work they created that waits for an owner,
    and (for managers) the problems that need them. 🎉 only when all three are empty.

    A scoped question ("what is overdue?") narrows all three sections alike, and its
    empty answer names the scope: "Nothing overdue that concerns you."
    """
    found = concerns(req.uow, req.ws, req.person)
    if where is not None:
        found = found.narrowed(where)
    if found.nothing:
        if where is not None:
            # A manager's list holds their team's problems only: say where the rest is.
            team = " (For your team's work that is on track, say team.)" if found.leads else ""
            return Outgoing.say(f"Nothing {scope or 'of that kind'} that concerns you.{team}")
        return Outgoing.say("Your open tasks: nothing open, nothing waiting for an owner, "
                            "nothing that needs you. 🎉")
    sections: list[Section] = []
    if found.own:
        sections += render(req, "Your open tasks" + label, found.own).sections
    else:
        sections.append(Section(f"Your open tasks{label}: none."))
    if found.waiting:
        sections.append(Section(f"Waiting for an owner {_tag(scope, len(found.waiting))} — "
                                "you created these and nobody owns them yet:"))
        for h in ranked(assess(req.uow, req.ws, found.waiting).values(), req.now)[:BUTTON_ROWS]:
            args = {"task": h.task.id}
            buttons = (Button("Assign…", "task.reassign", args),
                       Button("Take it", "task.assign_me", args))
            sections.append(Section(_line(req, h, None), buttons))
        if len(found.waiting) > BUTTON_ROWS:
            sections.append(Section(f"…and {len(found.waiting) - BUTTON_ROWS} more."))
    if found.needs_you:
        healths = ranked(health_from(found.needs_you, found.problems).values(), req.now)
        # Only the owners of the lines shown: a lead's "needs you" holds ~100 tasks at 100k.
        owners = {p.id: handle_of(p) for p in req.uow.people.get_many(
            req.ws, {h.task.owner_id for h in healths[:BUTTON_ROWS]
                     if h.task.owner_id is not None})}
        sections.append(Section(f"Needs you {_tag(scope, len(healths))} — problems in your "
                                "projects and your team's work:"))
        for h in healths[:BUTTON_ROWS]:
            owner = owners.get(h.task.owner_id or -1, "no owner")
            sections.append(Section(_line(req, h, owner),
                                    (Button("Open", "task.show", {"task": h.task.id}),)))
        if len(healths) > BUTTON_ROWS:
            sections.append(Section(f"…and {len(healths) - BUTTON_ROWS} more."))
    return Outgoing(tuple(sections))
