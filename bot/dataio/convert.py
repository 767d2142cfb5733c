"""Checking a source's tasks and turning their text into Vigil values.

Every problem of every row is collected (line and reason); nothing is written
while there is one. A task completed in the source is done here too (with its
completion date), so it never shows as overdue. Checklist items become
subtasks of their card. Parents and dependencies are found by the source's
id, else by a unique title, and ordered so that they are created first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.dataio import values as v
from bot.dataio.reading import RowError
from bot.dataio.record import SourceTask
from bot.limits import text_problem
from engine.model import Status, WorkCalendar


@dataclass(eq=False)
class Row:
    """One task to import, checked and typed."""

    line: int
    title: str
    owners: list[str] = field(default_factory=list)
    owner_email: str | None = None
    project: str | None = None
    due: datetime | None = None
    start: datetime | None = None
    created: datetime | None = None
    completed: datetime | None = None
    modified: datetime | None = None
    status: Status | None = None
    progress: int | None = None
    priority: int | None = None
    ref: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    depends_on: tuple[str, ...] = ()
    description: str | None = None
    labels: list[str] = field(default_factory=list)
    blocked_reason: str | None = None
    # resolved while linking and writing
    parent_row: Row | None = None
    dep_rows: list[Row] = field(default_factory=list)
    task_id: int | None = None


def convert(tasks: list[SourceTask], cal: WorkCalendar, now: datetime,
            errors: list[RowError]) -> list[Row]:
    """Typed rows for the source's tasks (checklist items added as subtasks)."""
    rows: list[Row] = []
    for task in tasks:
        row, reasons = _row(task, cal, now)
        errors.extend(RowError(task.line, reason) for reason in reasons)
        if row is None:
            continue
        rows.append(row)
        for n, (text, done) in enumerate(task.subtasks, start=1):
            title = " ".join(text.split())
            too_long = text_problem("title", title)
            if too_long is not None:  # reported like any row's title, never cut
                errors.append(RowError(task.line, f"checklist item {n}: {too_long}"))
                continue
            sub = Row(task.line, title, list(row.owners),
                      project=row.project, due=row.due, created=row.created,
                      ref=f"{row.ref or row.title}/checklist/{n}",
                      status=Status.DONE if done else None)
            sub.parent_row = row
            if done:
                sub.completed = row.modified or now
            rows.append(sub)
    return rows


def _row(task: SourceTask, cal: WorkCalendar, now: datetime) -> tuple[Row | None, list[str]]:
    reasons: list[str] = []
    title = " ".join(task.get("title").split())
    if not title:
        reasons.append("missing title")
    row = Row(task.line, title, owners=list(task.owners), labels=list(task.labels))
    if not row.owners and task.get("owner"):
        row.owners = [task.get("owner")]
    row.owner_email = task.get("owner_email") or None

    def when(end_of_day: bool) -> Callable[[str], datetime]:
        return lambda text: v.parse_when(text, cal, end_of_day)

    checks: list[tuple[str, Callable[[str], object]]] = [
        ("due", when(True)), ("start", when(False)), ("created", when(False)),
        ("completed", when(False)), ("modified", when(False)), ("status", v.status),
        ("progress", v.progress), ("priority", v.priority),
    ]
    for name, check in checks:
        text = task.get(name)
        if not text:
            continue
        try:
            setattr(row, name, check(text))
        except v.Bad as exc:
            reasons.append(f"{name}: {exc}")
    if "→" in task.get("due") and not task.get("start") and row.due is not None:
        row.start = v.parse_when(task.get("due"), cal, end_of_day=False)  # a date range
    if task.get("when"):  # Todoist: a date in words, as of today
        found = v.parse_words(task.get("when"), cal, now, True, task.get("language") or "en")
        if found is None:
            task.cells["description"] = "\n\n".join(
                x for x in (task.get("description"), f"repeats: {task.get('when')}") if x)
        else:
            row.due = found
    _settle_status(row, task)
    if row.start and row.due and row.start > row.due:
        reasons.append("start is after due")
    row.description = task.get("description").strip() or None
    row.project = " ".join(task.get("project").lstrip("#").split()) or None
    row.ref = task.get("ref").lstrip("#") or None
    row.aliases = tuple(a for a in (task.get("aliases"),) if a)
    row.parent = task.get("parent").lstrip("#") or None
    row.depends_on = v.refs(task.get("depends_on"))
    row.blocked_reason = task.get("blocked_reason").strip() or None
    reasons += _too_long(row)
    return (row if not reasons else None), reasons


def _too_long(row: Row) -> list[str]:
    """The limits of ``bot.limits``, as chat changes have them: each an error, never a cut."""
    fields = [("title", row.title), ("note", row.description or ""),
              ("project", row.project or ""), ("reason", row.blocked_reason or "")]
    # the name a new person would get: a handle without its @, an address without its domain
    fields += [("person", name.strip().lstrip("@").split("@", 1)[0]) for name in row.owners[:1]]
    found = (text_problem(field, text) for field, text in fields)
    return [problem for problem in found if problem is not None]


def _settle_status(row: Row, task: SourceTask) -> None:
    """Completion in the source wins; a section named like a status is one; else a label."""
    section = task.get("section")
    hint = v.status_hint(section) if section else None
    if row.status is None and hint is not None:
        row.status = hint
    elif section and section not in row.labels:
        row.labels.append(section)
    if row.completed is not None and (row.status is None or row.status.is_active):
        row.status = Status.DONE
    if row.status in (Status.DONE, Status.CANCELLED) and row.completed is None:
        row.completed = row.modified
    if row.status is Status.DONE:
        row.progress = 100
