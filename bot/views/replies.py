"""What a change caused or cleared, as reply sections with fix buttons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.lifecycle import ChangeKind, LifecycleEvent
from bot.messages import Button, Section
from bot.notify import reliability, render
from bot.notify.render import problem
from engine import calendar as cal_ops
from engine.model import Severity, SubjectKind, Task, WorkCalendar
from storage.uow import UnitOfWork

# One wording for problems and severities across replies and alerts.
ICON = {sev: render.ICON[sev.value] for sev in Severity}


def subject_label(uow: UnitOfWork, ws: int, kind: SubjectKind, subject_id: int) -> str:
    if kind is SubjectKind.TASK:
        task = uow.tasks.get(ws, subject_id)
        return f"#{task.number} {task.title}" if task else f"task {subject_id}"
    if kind is SubjectKind.PERSON:
        person = uow.people.get(ws, subject_id)
        return person.name if person else f"person {subject_id}"
    project = uow.projects.get(ws, subject_id)
    return f"project {project.name}" if project else f"project {subject_id}"


def fix_buttons(fixes: Iterable[dict[str, object]]) -> tuple[Button, ...]:
    """Each fix as a button: action id plus compact id arguments."""
    out = []
    for fix in fixes:
        args = fix.get("args")
        out.append(
            Button(
                str(fix["label"]), str(fix["action"]), dict(args) if isinstance(args, dict) else {}
            )
        )
    return tuple(out)


def event_sections(uow: UnitOfWork, ws: int, events: list[LifecycleEvent]) -> list[Section]:
    """'⚠ #14 Payroll: no deadline — …' with buttons; '✅ cleared: #9 …'."""
    sections: list[Section] = []
    table = reliability.workspace_scores(
        uow, ws, {e.rule_id for e in events if e.kind is not ChangeKind.RESOLVED}
    )
    rank = {ChangeKind.FIRED: 0, ChangeKind.SEVERITY: 1, ChangeKind.RESOLVED: 2}
    ordered = sorted(events, key=lambda e: (rank.get(e.kind, 3), -e.severity.rank, e.fingerprint))
    for e in ordered:
        label = subject_label(uow, ws, e.subject_kind, e.subject_id)
        if e.kind is ChangeKind.RESOLVED:
            sections.append(Section(f"✅ cleared: {label} — no longer {problem(e.rule_id)}"))
        elif e.kind is ChangeKind.SEVERITY:
            sections.append(
                Section(
                    f"{ICON[e.severity]} {label}: {problem(e.rule_id)} is now {e.severity.value} — "
                    f"{e.explanation}",
                    fix_buttons(reliability.labelled(e.rule_id, e.fixes, table)),
                )
            )
        else:
            sections.append(
                Section(
                    f"{ICON[e.severity]} {label}: {problem(e.rule_id)} — {e.explanation}",
                    fix_buttons(reliability.labelled(e.rule_id, e.fixes, table)),
                )
            )
    return sections


FAR = timedelta(days=300)  # further from now than this, a date says its year


def local_when(cal: WorkCalendar, tz: str, at: datetime | None,
               now: datetime | None = None) -> str:
    """'Fri 28 Nov 17:00' in the reader's zone ('no deadline' for None).

    Given ``now``, a date more than about ten months away says its year
    ('Mon 1 Dec 2036 17:00'), so a far date is not read as this year's."""
    if at is None:
        return "no deadline"
    local = cal_ops.to_local(WorkCalendar(tz=tz), at) if tz else cal_ops.to_local(cal, at)
    year = f" {local.year}" if now is not None and abs(at - now) > FAR else ""
    return f"{local:%a} {local.day} {local:%b}{year} {local:%H:%M}"


def task_line(task: Task, owner: str | None, due_text: str) -> str:
    """'#14 Send the Acme filing — @priya · 40% · in progress · due Fri 28 Nov 17:00'."""
    who = f"@{owner}" if owner else "no owner"
    status = task.status.value.replace("_", " ")
    prio = "" if task.priority == 3 else f" · p{task.priority}"  # p3 is normal
    due = "no deadline" if task.due is None else f"due {due_text}"
    return f"#{task.number} {task.title} — {who}{prio} · {task.progress}% · {status} · {due}"
