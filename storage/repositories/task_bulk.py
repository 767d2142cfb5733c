"""Bulk writes of imported tasks: many rows in a few statements, numbers reserved
as one block (part of ``TaskRepository``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from engine.model import Status
from storage import models as m
from storage.errors import NotFound
from storage.repositories._base import clean_fields, enum_value
from storage.repositories.task_checks import TaskChecks

_T = m.tasks
_D = m.task_dependencies

UPDATABLE = (
    "title",
    "project_id",
    "parent_id",
    "owner_id",
    "creator_id",
    "created_at",
    "start",
    "due",
    "progress",
    "status",
    "status_since",
    "blocked_reason",
    "priority",
    "last_progress_at",
    "last_activity_at",
    "completed_at",
    "recurrence",
    "proof_required",
    "proof",
    "occurrence_of",
    "backup_id",
    "window",
    "depends_on",
)
TASK_DEFAULTS = {"progress": 0, "status": "todo", "priority": 3, "proof_required": "none"}


def normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Status as its value, title stripped (a blank title is an error)."""
    if "status" in values:
        values["status"] = Status(enum_value(values["status"])).value
    if "title" in values:
        values["title"] = str(values["title"]).strip()
        if not values["title"]:
            raise ValueError("a task needs a title")
    return values


class TaskBulkWrites(TaskChecks):
    """Imports' inserts and links."""

    def add_many(
        self, workspace_id: int, rows: Sequence[Mapping[str, Any]]
    ) -> builtins.list[tuple[int, int]]:
        """Insert many tasks in one statement (bulk import); returns (id, number) in order.

        Each row holds Task columns (``title`` and ``created_at`` required, plus
        ``next_check_at``); parents and dependencies are set afterwards with
        ``link_many``. Numbers are reserved as one block of the workspace counter.
        """
        if not rows:
            return []
        values = []
        for row in rows:
            fields = dict(row)
            next_check = fields.pop("next_check_at", None)
            clean = {**TASK_DEFAULTS, **normalise(clean_fields(fields, UPDATABLE, "task"))}
            clean.update(workspace_id=workspace_id, next_check_at=next_check)
            values.append(clean)
        self._check_refs(
            workspace_id,
            people={v.get("owner_id") for v in values} | {v.get("creator_id") for v in values},
            projects={v.get("project_id") for v in values},
        )
        first = self._reserve_numbers(workspace_id, len(values))
        for i, value in enumerate(values):
            value["number"] = first + i
        keys = sorted({k for v in values for k in v})
        values = [{k: v.get(k) for k in keys} for v in values]
        # A plain executemany (RETURNING in parameter order would go row by row on
        # SQLite); the reserved block of numbers then finds the new ids.
        self._s.execute(insert(_T), values)
        found = self._s.execute(
            select(_T.c.number, _T.c.id).where(
                _T.c.workspace_id == workspace_id,
                _T.c.number.between(first, first + len(values) - 1),
            )
        ).all()
        ids = {int(n): int(i) for n, i in found}
        return [(ids[v["number"]], v["number"]) for v in values]

    def link_many(
        self,
        workspace_id: int,
        parents: Mapping[int, int],
        depends_on: Mapping[int, Iterable[int]],
    ) -> None:
        """Set parents and add dependencies of freshly imported tasks (ids of this workspace)."""
        ids = set(parents) | set(parents.values()) | set(depends_on)
        ids |= {d for deps in depends_on.values() for d in deps}
        if ids:
            self._check_refs(workspace_id, tasks=ids)
        if parents:
            stmt = (
                update(_T)
                .where(_T.c.workspace_id == workspace_id, _T.c.id == bindparam("tid"))
                .values(parent_id=bindparam("pid"))
            )
            self._s.execute(stmt, [{"tid": t, "pid": p} for t, p in parents.items()])
        rows = [{"task_id": t, "depends_on_id": d}
                for t, deps in depends_on.items() for d in sorted(set(deps)) if d != t]
        if rows:
            self._s.execute(insert(_D), rows)

    def _reserve_numbers(self, workspace_id: int, count: int) -> int:
        w = m.workspaces
        stmt = (
            update(w)
            .where(w.c.id == workspace_id)
            .values(next_task_number=w.c.next_task_number + count)
            .returning(w.c.next_task_number)
        )
        last = self._s.execute(stmt).scalar_one_or_none()
        if last is None:
            raise NotFound(f"no workspace {workspace_id}")
        return int(last) - count
