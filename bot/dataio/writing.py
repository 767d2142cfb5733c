"""Writing checked rows: new tasks in bulk, changed ones through the task service.

Rows are written in batches, each batch in its own short transaction, so on
SQLite the bot keeps answering while a large file goes in (its writes wait at
most one batch). New tasks are inserted many at a time with their parents,
dependencies, notes and an ``imported`` entry recording the source's id;
their rules are checked by the evaluation that follows (or by the next tick).
A task imported before is updated where the source changed, through the same
service chat changes use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.dataio.convert import Row
from bot.dataio.matching import Existing, People, Projects
from bot.evaluation import Cause
from bot.services.tasks import update_task
from engine.model import Status, Task
from storage.uow import UnitOfWork

BATCH = 1000  # task rows per transaction: about what a chat message may wait for
PEOPLE_BATCH = 100  # people or projects matched (or created) per transaction
IMPORT = Cause(actor_name="import")


@dataclass
class Tally:
    """What the writes did, for the report."""

    created: list[int] = field(default_factory=list)  # task numbers
    updated: list[tuple[int, list[str]]] = field(default_factory=list)  # number, fields
    unchanged: list[int] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # task ids


@dataclass
class Writer:
    """Writes batches of rows into one workspace; remembers ids across batches."""

    ws: int
    source: str
    now: datetime
    people: People
    projects: Projects
    existing: Existing
    tally: Tally = field(default_factory=Tally)

    def load(self, uow: UnitOfWork) -> None:
        self.people.load(uow)
        self.projects.load(uow)
        self.existing.load(uow)

    def names(self, rows: list[Row]) -> list[tuple[str, str, str | None]]:
        """Each project and owner the rows name, once: ("project"|"person", text, email)."""
        seen: dict[tuple[str, str, str | None], None] = {}
        for row in rows:
            if row.project:
                seen[("project", row.project, None)] = None
            if row.owners:
                seen[("person", row.owners[0], row.owner_email)] = None
        return list(seen)

    def prepare(self, uow: UnitOfWork, names: list[tuple[str, str, str | None]]) -> None:
        """Match or create these people and projects (before any task is written)."""
        for kind, text, email in names:
            if kind == "project":
                self.projects.project(uow, text)
            else:
                self.people.person(uow, text, email)

    def write(self, uow: UnitOfWork, rows: list[Row]) -> None:
        """One batch: update the known tasks, insert the new ones, link and annotate them."""
        fresh: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            fields = self._fields(uow, row)
            same = self.existing.find(row.ref, row.title, fields.get("project_id"))
            if same is None:
                fresh.append((row, fields))
                continue
            row.task_id = same.id
            self.tally.touched.add(same.id)
            self._update(uow, row, same, fields)
        if fresh:
            self._insert(uow, fresh)

    def _fields(self, uow: UnitOfWork, row: Row) -> dict[str, Any]:
        fields: dict[str, Any] = {"title": row.title}
        if row.project:
            fields["project_id"] = self.projects.project(uow, row.project)
        if row.owners:
            fields["owner_id"] = self.people.person(uow, row.owners[0], row.owner_email)
        for name in ("due", "start", "progress", "priority"):
            value = getattr(row, name)
            if value is not None:
                fields[name] = value
        status = row.status
        if status is None and row.progress:  # as a chat update would: started, or finished
            status = Status.DONE if row.progress == 100 else Status.IN_PROGRESS
        if status is not None:
            fields["status"] = status.value
            if status is Status.BLOCKED:
                fields["blocked_reason"] = row.blocked_reason or "imported as blocked"
        return fields

    def _insert(self, uow: UnitOfWork, fresh: list[tuple[Row, dict[str, Any]]]) -> None:
        values = []
        for row, fields in fresh:
            created = min(row.created or self.now, self.now)
            moved = min(row.modified or self.now, self.now)
            status = Status(fields.get("status", Status.TODO.value))
            values.append({
                **fields, "created_at": created, "status_since": row.completed or moved,
                "last_progress_at": moved, "last_activity_at": moved,
                "completed_at": (row.completed or moved) if not status.is_active else None,
                "next_check_at": self.now,
            })
        ids = uow.tasks.add_many(self.ws, values)
        for (row, _), (tid, number) in zip(fresh, ids, strict=True):
            row.task_id = tid
            self.tally.created.append(number)
            self.tally.touched.add(tid)
        parents = {r.task_id: r.parent_row.task_id for r, _ in fresh
                   if r.parent_row is not None and r.parent_row.task_id is not None}
        deps = {r.task_id: [d.task_id for d in r.dep_rows if d.task_id is not None]
                for r, _ in fresh if r.dep_rows}
        uow.tasks.link_many(self.ws, parents, deps)  # type: ignore[arg-type]
        entries: list[dict[str, Any]] = []
        for row, _ in fresh:
            entries.append({"task_id": row.task_id, "at": self.now, "kind": "imported",
                            "after": {"source": self.source, "ref": row.ref,
                                      "labels": row.labels or None}})
            if row.description:
                entries.append({"task_id": row.task_id, "at": self.now, "kind": "note",
                                "after": {"note": row.description}})
        uow.activity.add_many(self.ws, entries)

    def _update(self, uow: UnitOfWork, row: Row, task: Task, fields: dict[str, Any]) -> None:
        if row.parent_row is not None and row.parent_row.task_id != task.parent_id:
            fields["parent_id"] = row.parent_row.task_id
        if row.dep_rows:
            deps = tuple(sorted(d.task_id for d in row.dep_rows if d.task_id is not None))
            if deps != tuple(sorted(task.depends_on)):
                fields["depends_on"] = list(deps)
        changes = {k: v for k, v in fields.items() if _differs(task, k, v)}
        if not changes:
            self.tally.unchanged.append(task.number)
            return
        update_task(uow, self.ws, self.now, None, task.id, cause=IMPORT, **changes)
        if row.completed is not None and "status" in changes:
            uow.tasks.update(self.ws, task.id, completed_at=min(row.completed, self.now))
        self.tally.updated.append((task.number, sorted(changes)))


def _differs(task: Task, name: str, value: Any) -> bool:
    current = getattr(task, name)
    if name == "status":
        return bool(current.value != value)
    if name == "depends_on":
        return tuple(sorted(current)) != tuple(sorted(value))
    return bool(current != value)
