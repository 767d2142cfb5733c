"""Tasks of a workspace: per-workspace numbers and changes (reads in ``task_reads``;
due checks, worlds and graph walks in ``task_checks``; imports' bulk writes in
``task_bulk``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    update,
)

from engine.model import Task
from storage import models as m
from storage.errors import NotFound
from storage.repositories._base import clean_fields
from storage.repositories.graph import Edge
from storage.repositories.task_bulk import TASK_DEFAULTS, UPDATABLE, normalise
from storage.repositories.task_reads import ACTIVE_STATUSES, TaskReads

__all__ = ["ACTIVE_STATUSES", "TaskRepository"]

_T = m.tasks
_D = m.task_dependencies


class TaskRepository(TaskReads):
    """Tasks as engine ``Task`` values (``depends_on`` filled in)."""

    # -- writing -------------------------------------------------------------

    def add(self, workspace_id: int, title: str, created_at: datetime, **fields: Any) -> Task:
        """Create a task with the next number of the workspace (``#1``, ``#2``...).

        ``fields`` are Task columns (owner_id, due, status...) and ``depends_on``
        (ids). The number comes from an atomic UPDATE ... RETURNING on the
        workspace row, so concurrent writers never get the same number.
        """
        values = clean_fields(
            {**fields, "title": title, "created_at": created_at}, UPDATABLE, "task"
        )
        depends_on = self._dependency_set(values.pop("depends_on", ()), None)
        values = {**TASK_DEFAULTS, **normalise(values)}
        self._check(workspace_id, values, depends_on)
        number = self._allocate_number(workspace_id)
        values.update(workspace_id=workspace_id, number=number)
        task_id = self._s.execute(insert(_T).values(values).returning(_T.c.id)).scalar_one()
        self._write_dependencies(task_id, depends_on)
        return self._require(workspace_id, task_id)

    def update(self, workspace_id: int, task_id: int, **fields: Any) -> Task:
        """Change the given fields; ``depends_on`` replaces the whole set."""
        values = normalise(clean_fields(fields, UPDATABLE, "task"))
        depends_on = None
        if "depends_on" in values:
            depends_on = self._dependency_set(values.pop("depends_on"), task_id)
        self._check(workspace_id, values, depends_on or set())
        parent_id = values.get("parent_id")
        if parent_id is not None and (
            parent_id == task_id
            or task_id in self._graph.walk(workspace_id, {parent_id}, Edge.PARENTS, True)
        ):
            raise ValueError(f"task {task_id} cannot be placed under its own subtask")
        if values:
            # RETURNING tells whether the task exists in this workspace (no extra lookup).
            updated = self._s.execute(
                update(_T)
                .where(_T.c.workspace_id == workspace_id, _T.c.id == task_id)
                .values(values)
                .returning(_T.c.id)
            ).first()
            exists = updated is not None
        else:
            exists = bool(self._graph._existing(_T, workspace_id, {task_id}))
        if not exists:
            raise NotFound(f"no task {task_id} in workspace {workspace_id}")
        if depends_on is not None:
            self._s.execute(delete(_D).where(_D.c.task_id == task_id))
            self._write_dependencies(task_id, depends_on)
        return self._require(workspace_id, task_id)

    def delete(self, workspace_id: int, task_id: int) -> None:
        """Remove a task (its dependencies, history and occurrences go with it by cascade;
        subtasks stay, without a parent). Callers keep an activity record of their own."""
        removed = self._s.execute(
            delete(_T).where(_T.c.workspace_id == workspace_id, _T.c.id == task_id)
            .returning(_T.c.id)
        ).first()
        if removed is None:
            raise NotFound(f"no task {task_id} in workspace {workspace_id}")

    def _allocate_number(self, workspace_id: int) -> int:
        w = m.workspaces
        stmt = (
            update(w)
            .where(w.c.id == workspace_id)
            .values(next_task_number=w.c.next_task_number + 1)
            .returning(w.c.next_task_number)
        )
        allocated = self._s.execute(stmt).scalar_one_or_none()
        if allocated is None:
            raise NotFound(f"no workspace {workspace_id}")
        return int(allocated) - 1

    @staticmethod
    def _dependency_set(ids: Iterable[int] | None, task_id: int | None) -> set[int]:
        deps = {int(i) for i in ids or ()}
        if task_id is not None and task_id in deps:
            raise ValueError(f"task {task_id} cannot depend on itself")
        return deps

    def _check(self, workspace_id: int, values: Mapping[str, Any], depends_on: set[int]) -> None:
        self._check_refs(
            workspace_id,
            people=(values.get("owner_id"), values.get("creator_id"), values.get("backup_id")),
            projects=(values.get("project_id"),),
            tasks=(values.get("parent_id"), values.get("occurrence_of"), *depends_on),
        )

    def _write_dependencies(self, task_id: int, depends_on: set[int]) -> None:
        if depends_on:
            self._s.execute(
                insert(_D), [{"task_id": task_id, "depends_on_id": d} for d in sorted(depends_on)]
            )
