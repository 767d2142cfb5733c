"""The Gantt chart's layout: which tasks are drawn, in what order, in what colour.

Pure data (``Chart`` of ``Row``s); ``gantt_draw`` turns it into a PNG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.views.my_tasks import TaskHealth, clip, handle_of, shown
from engine.model import Person, Project, Severity, Status, Task

# Category -> (legend label, colour). Order is the legend's order.
PALETTE: dict[str, tuple[str, str]] = {
    "open": ("open", "#9e9e9e"),
    "on_track": ("on track", "#2b7bd6"),
    "review": ("in review", "#f2c200"),
    "blocked": ("blocked", "#8c6bb1"),
    "done": ("done", "#2ca02c"),
    "info": ("at risk (info)", "#f4a3c0"),
    "warning": ("warning", "#e0446a"),
    "critical": ("critical", "#8b0000"),
}
MAX_ROWS = 220  # about 6000 px: still a valid chat photo (width + height under 10000)
DONE_WINDOW = timedelta(days=30)  # finished tasks stay on the chart this long


def category(task: Task, severity: Severity | None) -> str:
    """Which colour a bar gets: done, then the violation severity, then its status."""
    if task.status is Status.DONE:
        return "done"
    if severity is not None:
        return severity.value
    if task.status is Status.IN_REVIEW:
        return "review"
    if task.status is Status.IN_PROGRESS:
        return "on_track"
    if task.status is Status.BLOCKED:
        return "blocked"
    return "open"


@dataclass(frozen=True)
class Row:
    """One line of the chart: a project header (task None) or a task bar."""

    label: str
    task: Task | None = None
    depth: int = 0
    category: str = "open"
    project_due: datetime | None = None


@dataclass
class Chart:
    title: str
    now: datetime
    tz: str
    rows: list[Row] = field(default_factory=list)
    hidden: int = 0  # tasks left out beyond MAX_ROWS

    @property
    def task_rows(self) -> list[Row]:
        return [r for r in self.rows if r.task is not None]


def on_chart(task: Task, now: datetime) -> bool:
    """Drawn: shown, not cancelled, and if done then done within ``DONE_WINDOW``."""
    if not shown(task) or task.status is Status.CANCELLED:
        return False
    if task.status is Status.DONE:
        return (task.completed_at or now) >= now - DONE_WINDOW
    return True


def build_chart(
    title: str,
    tasks: Sequence[Task],
    health: dict[int, TaskHealth],
    projects: dict[int, Project],
    people: dict[int, Person],
    now: datetime,
    tz: str,
    max_rows: int = MAX_ROWS,
) -> Chart:
    """Order the rows: projects by name (no project last), each a parent/subtask tree."""
    chart = Chart(title, now, tz)
    tasks = [t for t in tasks if on_chart(t, now)]
    groups: dict[int | None, list[Task]] = {}
    for t in tasks:
        groups.setdefault(t.project_id, []).append(t)

    def group_key(pid: int | None) -> tuple[int, str]:
        if pid is None:
            return (1, "")
        return (0, projects[pid].name.lower() if pid in projects else "")

    def order(t: Task) -> tuple[datetime, datetime, int]:
        return (t.effective_start, t.due or datetime.max.replace(tzinfo=now.tzinfo), t.number)

    def task_row(t: Task, depth: int) -> Row:
        h = health.get(t.id)
        owner = handle_of(people.get(t.owner_id)) if t.owner_id else "no owner"
        prefix = "   " * depth + ("↳ " if depth else "")
        label = f"{prefix}#{t.number} {clip(t.title, 40 - 3 * depth)} · {owner}"
        return Row(label, t, depth, category(t, h.severity if h else None))

    rows: list[Row] = []
    for pid in sorted(groups, key=group_key):
        members = groups[pid]
        project = projects.get(pid) if pid is not None else None
        rows.append(Row(project.name if project else "No project",
                        project_due=project.due if project else None))
        ids = {t.id for t in members}
        children: dict[int | None, list[Task]] = {}
        for t in members:
            children.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
        # depth-first: each task, then its subtasks (explicit stack, no recursion limit)
        stack: list[tuple[Task, int]] = [(t, 0) for t in sorted(children.get(None, []),
                                                              key=order, reverse=True)]
        seen: set[int] = set()
        while stack:
            t, depth = stack.pop()
            if t.id in seen:
                continue
            seen.add(t.id)
            rows.append(task_row(t, depth))
            stack += [(c, depth + 1) for c in sorted(children.get(t.id, []), key=order,
                                                      reverse=True)]
    if len(rows) > max_rows:
        chart.hidden = sum(1 for r in rows[max_rows:] if r.task is not None)
        rows = rows[:max_rows]
    chart.rows = rows
    return chart
