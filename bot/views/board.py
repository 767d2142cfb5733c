"""Kanban board as chat text (``board [#project]``): readable on a phone.

One section per status column with its count; red and amber cards first in
each column; each card two short lines. Columns are capped; done shows only
what was finished in the last week.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.handlers.request import Request
from bot.messages import Button, Outgoing, Section
from bot.views.my_tasks import TaskHealth, assess, clip, handle_of, ranked, shown
from bot.views.replies import local_when
from engine.model import Person, Status, Task, WorkCalendar

COLUMNS = (
    (Status.TODO, "TO DO"),
    (Status.IN_PROGRESS, "IN PROGRESS"),
    (Status.BLOCKED, "BLOCKED"),
    (Status.IN_REVIEW, "IN REVIEW"),
    (Status.DONE, "DONE (last 7 days)"),
)
CARDS_PER_COLUMN = 8
TITLE_WIDTH = 34  # a phone shows about 40 characters per line
DONE_WINDOW = timedelta(days=7)


def _card(h: TaskHealth, owner: str, cal: WorkCalendar, tz: str) -> str:
    t = h.task
    due = local_when(cal, tz, t.due) if t.due else "no due"
    if t.status is Status.DONE:
        return f"✅ #{t.number} {clip(t.title, TITLE_WIDTH)}\n     {owner}"
    what = f" · {h.summary}" if h.summary else ""
    return (f"{h.dot} #{t.number} {clip(t.title, TITLE_WIDTH)}\n"
            f"     {owner} · {t.progress}% · {due}{what}")


def render_board(
    title: str,
    tasks: Sequence[Task],
    health: dict[int, TaskHealth],
    people: dict[int, Person],
    now: datetime,
    cal: WorkCalendar,
    tz: str,
    cap: int = CARDS_PER_COLUMN,
) -> Outgoing:
    """The board from plain data (no database): one section per column."""
    recent = now - DONE_WINDOW
    visible = [
        t for t in tasks
        if shown(t) and (t.status.is_active
                         or (t.status is Status.DONE and (t.completed_at or now) >= recent))
    ]
    open_count = sum(1 for t in visible if t.status.is_active)
    if not visible:
        return Outgoing.say(f"📋 {title}: nothing on the board yet. 'add …' creates a task.")
    red = sum(1 for t in visible if t.status.is_active and health[t.id].colour == "red")
    amber = sum(1 for t in visible if t.status.is_active and health[t.id].colour == "amber")
    risk = f" · 🔴{red} 🟠{amber}" if red or amber else " · all on track"
    sections = [Section(f"📋 {title} — {open_count} open{risk}")]
    for status, label in COLUMNS:
        column = [health[t.id] for t in visible if t.status is status]
        if status is Status.DONE:
            column.sort(key=lambda h: h.task.completed_at or now, reverse=True)
        else:
            column = ranked(column, now)
        if not column:
            sections.append(Section(f"── {label} (0) ──"))
            continue
        lines = [f"── {label} ({len(column)}) ──"]
        for h in column[:cap]:
            owner = handle_of(people.get(h.task.owner_id or -1))
            lines.append(_card(h, owner, cal, tz))
        if len(column) > cap:
            lines.append(f"   …and {len(column) - cap} more")
        buttons: tuple[Button, ...] = ()
        worst = column[0]
        if status is not Status.DONE and worst.colour != "green":
            buttons = (Button(f"Open #{worst.task.number}", "task.show", {"task": worst.task.id}),)
        sections.append(Section("\n".join(lines), buttons))
    return Outgoing(tuple(sections))


def board(req: Request, project: str | None = None) -> Outgoing:
    """``board [#project]``: the Kanban board of a project, or of the whole workspace."""
    if project:
        proj = req.project_ref(project)
        tasks = req.uow.tasks.list(req.ws, project_id=proj.id)
        title = f"Board — {proj.name}"
    else:
        tasks = req.uow.tasks.list(req.ws)
        title = "Board — everyone"
    recent = req.now - DONE_WINDOW
    tasks = [t for t in tasks
             if t.status.is_active or (t.status is Status.DONE
                                       and (t.completed_at or req.now) >= recent)]
    health = assess(req.uow, req.ws, tasks)
    owner_ids = {t.owner_id for t in tasks if t.owner_id is not None}
    people = {p.id: p for p in req.uow.people.get_many(req.ws, owner_ids)}
    return render_board(title, tasks, health, people, req.now, req.workspace.calendar, req.tz)
