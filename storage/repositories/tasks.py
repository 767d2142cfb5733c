"""Tasks of a workspace: per-workspace numbers, changes and reads (due checks, worlds
and graph walks in ``task_checks``; imports' bulk writes in ``task_bulk``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from engine.model import Status, Task
from storage import models as m
from storage.errors import NotFound
from storage.repositories._base import clean_fields, same_workspace
from storage.repositories._convert import (
    task_from_joined,
    task_select_with_deps,
)
from storage.repositories.graph import Edge
from storage.repositories.task_bulk import TASK_DEFAULTS, UPDATABLE, TaskBulkWrites, normalise

_T = m.tasks
_D = m.task_dependencies
ACTIVE_STATUSES = tuple(s.value for s in Status if s.is_active)
def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class TaskRepository(TaskBulkWrites):
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

    def waiting_for_owner(self, workspace_id: int, creator_id: int) -> builtins.list[Task]:
        """Open tasks ``creator_id`` created that nobody owns (My Tasks shows them)."""
        return self._fetch(workspace_id, _T.c.owner_id.is_(None), _T.c.creator_id == creator_id,
                           _T.c.status.in_(ACTIVE_STATUSES), _T.c.recurrence.is_(None))

    def open_in(self, workspace_id: int, project_ids: Iterable[int] = (),
                owner_ids: Iterable[int] = ()) -> builtins.list[Task]:
        """Open tasks in these projects or owned by these people."""
        projects, owners = set(project_ids), set(owner_ids)
        if not projects and not owners:
            return []
        scope = []
        if projects:
            scope.append(self._in(_T.c.project_id, projects))
        if owners:
            scope.append(self._in(_T.c.owner_id, owners))
        return self._fetch(workspace_id, or_(*scope), _T.c.status.in_(ACTIVE_STATUSES),
                           _T.c.recurrence.is_(None))

    def needing_attention(
        self, workspace_id: int, project_ids: Iterable[int], owner_ids: Iterable[int],
        severities: Iterable[str],
    ) -> dict[int, int]:
        """``id -> number`` of the open tasks in these projects or owned by these people
        that are blocked or have a firing violation of one of ``severities`` (a manager's
        "needs you"), decided in SQL: only ids and numbers come back, not every task."""
        projects, owners, levels = set(project_ids), set(owner_ids), sorted(set(severities))
        v = m.violations
        alerting = (
            select(v.c.id)
            .where(
                v.c.workspace_id == _T.c.workspace_id,
                v.c.subject_kind == "task",
                v.c.subject_id == _T.c.id,
                v.c.state == "firing",
                v.c.severity.in_(levels),
            )
            .exists()
        )
        found: dict[int, int] = {}
        # One statement per scope, not "project IN … OR owner IN …" (see tasks.open_in's
        # caller): each uses its own (workspace, project) / (workspace, owner) index.
        for column, ids in ((_T.c.project_id, projects), (_T.c.owner_id, owners)):
            if not ids:
                continue
            stmt = select(_T.c.id, _T.c.number).where(
                _T.c.workspace_id == workspace_id,
                self._in(column, ids),
                _T.c.status.in_(ACTIVE_STATUSES),
                _T.c.recurrence.is_(None),
                or_(_T.c.status == Status.BLOCKED.value, alerting),
            )
            found.update((row.id, row.number) for row in self._s.execute(stmt))
        return found

    def delete(self, workspace_id: int, task_id: int) -> None:
        """Remove a task (its dependencies, history and occurrences go with it by cascade;
        subtasks stay, without a parent). Callers keep an activity record of their own."""
        removed = self._s.execute(
            delete(_T).where(_T.c.workspace_id == workspace_id, _T.c.id == task_id)
            .returning(_T.c.id)
        ).first()
        if removed is None:
            raise NotFound(f"no task {task_id} in workspace {workspace_id}")

    def get(self, workspace_id: int, task_id: int) -> Task | None:
        """The task with this id in the workspace, or None."""
        stmt = self._template(
            "task",
            lambda: select(*task_select_with_deps(self._dialect)).where(
                same_workspace(_T.c.workspace_id, bindparam("ws")), _T.c.id == bindparam("id")
            ),
        )
        row = self._s.execute(stmt, {"ws": workspace_id, "id": task_id}).first()
        return task_from_joined(row) if row is not None else None

    def get_many(self, workspace_id: int, task_ids: Iterable[int]) -> builtins.list[Task]:
        """The tasks with these ids, by number (unknown ids and other workspaces' are left out)."""
        ids = set(task_ids)
        if not ids:
            return []
        stmt = self._template(
            "tasks_by_id",
            lambda: select(*task_select_with_deps(self._dialect))
            .where(same_workspace(_T.c.workspace_id, bindparam("ws")), self._ids(_T.c.id))
            .order_by(_T.c.number),
        )
        rows = self._s.execute(stmt, {"ws": workspace_id, "ids": self._ids_value(ids)})
        return [task_from_joined(row) for row in rows]

    def workspaces_with_obligations(self) -> set[int]:
        """The workspaces that have recurring work (the partial index of obligations)."""
        stmt = select(_T.c.workspace_id).where(_T.c.recurrence.is_not(None)).distinct()
        return set(self._s.scalars(stmt))

    def obligations(self, workspace_id: int) -> builtins.list[Task]:
        """Every recurring task (a task with a recurrence rule), by number."""
        return self._fetch(workspace_id, _T.c.recurrence.is_not(None))

    def occurrence_ids(self, workspace_id: int, obligation_id: int) -> set[int]:
        """Ids of every occurrence of an obligation."""
        stmt = select(_T.c.id).where(
            _T.c.workspace_id == workspace_id, _T.c.occurrence_of == obligation_id
        )
        return set(self._s.scalars(stmt))

    def by_number(self, workspace_id: int, number: int) -> Task | None:
        """The task ``#number`` of the workspace, or None."""
        found = self._fetch(workspace_id, _T.c.number == number)
        return found[0] if found else None

    def list(
        self,
        workspace_id: int,
        owner_id: int | None = None,
        project_id: int | None = None,
        active_only: bool = False,
    ) -> builtins.list[Task]:
        """Tasks by number, optionally of one owner / project / still open."""
        where: builtins.list[ColumnElement[bool]] = []
        if owner_id is not None:
            where.append(_T.c.owner_id == owner_id)
        if project_id is not None:
            where.append(_T.c.project_id == project_id)
        if active_only:
            where.append(_T.c.status.in_(ACTIVE_STATUSES))
        return self._fetch(workspace_id, *where)

    def search_title(
        self, workspace_id: int, words: Sequence[str] | str, limit: int | None = None
    ) -> builtins.list[Task]:
        """Tasks whose title holds every word (any case); open tasks first, then by number."""
        if isinstance(words, str):
            words = words.split()
        needles = [w.lower() for w in words if w.strip()]
        if not needles:
            return []
        title = func.lower(_T.c.title)
        where = [title.like(f"%{_escape_like(w)}%", escape="\\") for w in needles]
        active_first = case((_T.c.status.in_(ACTIVE_STATUSES), 0), else_=1)
        return self._fetch(workspace_id, *where, order_by=(active_first, _T.c.number), limit=limit)

    def count(self, workspace_id: int) -> int:
        """How many tasks the workspace has."""
        stmt = select(func.count()).select_from(_T).where(_T.c.workspace_id == workspace_id)
        return int(self._s.scalar(stmt) or 0)

    def _fetch(
        self,
        workspace_id: int,
        *where: ColumnElement[bool],
        order_by: Sequence[Any] | None = None,
        limit: int | None = None,
        by_id: bool = False,
    ) -> builtins.list[Task]:
        if order_by is None:
            # By number. With a filter ("the tasks of one owner"), SQLite would walk the
            # (workspace, number) index to skip the sort and read every task of the workspace;
            # sorting the few matching rows is far cheaper (45 ms -> 0.3 ms at 100k tasks).
            # "number + 0" orders the same and keeps that index out of the ordering.
            order_by = (_T.c.number + 0,) if where else (_T.c.number,)
        scope = (
            same_workspace(_T.c.workspace_id, workspace_id)
            if by_id
            else _T.c.workspace_id == workspace_id
        )
        stmt = select(*task_select_with_deps(self._dialect)).where(scope, *where)
        stmt = stmt.order_by(*order_by).limit(limit)
        return [task_from_joined(r) for r in self._s.execute(stmt)]

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

    def _require(self, workspace_id: int, task_id: int) -> Task:
        task = self.get(workspace_id, task_id)
        if task is None:
            raise NotFound(f"no task {task_id} in workspace {workspace_id}")
        return task
