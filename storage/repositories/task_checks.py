"""Tasks as the evaluation sees them: due checks and claims, the engine's worlds,
graph walks and id lookups (the read-mostly half of ``TaskRepository``; a tick
batch's row locks are ``task_locks``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from engine.world import World
from storage import models as m
from storage.repositories._base import same_workspace
from storage.repositories.graph import Edge, GraphQueries
from storage.repositories.next_checks import due_ids, set_next_check
from storage.repositories.task_locks import TaskLocks
from storage.repositories.world import WorldLoader

_T = m.tasks
TICK_SHARDS = 8


class TaskChecks(TaskLocks):
    """Due work, worlds and graph walks over a workspace's tasks (row locks: ``TaskLocks``)."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self._graph = GraphQueries(session)

    def set_next_check(
        self, workspace_id: int, checks: Mapping[int, datetime | None], read_first: bool = True
    ) -> None:
        """Store ``next_check_at`` for many tasks in one executemany (``read_first``:
        see ``storage.repositories.next_checks.set_next_check``)."""
        set_next_check(self, _T, workspace_id, checks, read_first)

    # -- reading -------------------------------------------------------------

    def due_for_check(
        self, workspace_id: int, now: datetime, limit: int | None = None
    ) -> builtins.list[int]:
        """Ids of tasks whose ``next_check_at`` has come (<= now), longest due first.

        ``limit``: at most that many (a tick's bounded batch).
        """
        return due_ids(self, _T, workspace_id, now, limit)

    def tick_shards(self) -> int:
        """How many slices the tick may split a workspace's due work into.

        PostgreSQL: ``TICK_SHARDS`` (a process claims a shard for one batch with
        an advisory lock; a shard another process holds is skipped); SQLite: 1
        (one writer at a time anyway).
        """
        return TICK_SHARDS if self._dialect == "postgresql" else 1

    def claim_due(
        self, workspace_id: int, now: datetime, limit: int, shard: int, shards: int
    ) -> builtins.list[int]:
        """Due tasks of one shard (owner id modulo ``shards``; ownerless: shard 0).

        Longest due first, at most ``limit``. The shard itself is the claim:
        the tick job holds its advisory lock for the batch, so two processes
        never take the same shard. The rows are locked by the batch itself
        (``lock``), all of one shard's in one statement in id order.
        """
        stmt = (
            select(_T.c.id)
            .where(_T.c.workspace_id == workspace_id, _T.c.next_check_at <= now)
            .order_by(_T.c.next_check_at, _T.c.id)
            .limit(limit)
        )
        if shards > 1:
            stmt = stmt.where(func.coalesce(_T.c.owner_id, 0) % shards == shard)
        return list(self._s.scalars(stmt))

    def any_due(self, now: datetime) -> bool:
        """Whether any task's check has come: one probe of the next-check index
        (``workspaces_due``'s DISTINCT walks the whole (workspace, next check)
        index on SQLite: ~0.1 s at 1M tasks, too much for every tick wake)."""
        stmt = select(_T.c.id).where(_T.c.next_check_at <= now).limit(1)
        return self._s.scalar(stmt) is not None

    def workspaces_due(self, now: datetime) -> set[int]:
        """The workspaces with any of their tasks due at ``now``: one index probe per
        workspace. (``SELECT DISTINCT workspace_id … WHERE next_check_at <= now`` made
        SQLite walk the whole (workspace, next check) index: 59–332 ms at 1M tasks, on
        every tick with due work; the probes take microseconds.)"""
        w = m.workspaces
        due = (select(_T.c.id).where(_T.c.workspace_id == w.c.id, _T.c.next_check_at <= now)
               .exists())
        return set(self._s.scalars(select(w.c.id).where(due)))

    def next_checks(self, workspace_id: int, task_ids: Iterable[int]) -> dict[int, datetime | None]:
        """The stored ``next_check_at`` of each given task."""
        rows = self._s.execute(
            select(_T.c.id, _T.c.next_check_at).where(
                same_workspace(_T.c.workspace_id, workspace_id), self._in(_T.c.id, task_ids)
            )
        )
        return {row.id: row.next_check_at for row in rows}

    # -- worlds for the engine -------------------------------------------------

    def load_world(
        self,
        workspace_id: int,
        task_ids: Iterable[int],
        person_ids: Iterable[int] = (),
        project_ids: Iterable[int] = (),
        stored_verdicts: bool = False,
        cached: World | None = None,
    ) -> World:
        """The neighbourhood the engine needs to evaluate exactly these targets.

        See ``storage.repositories.world.WorldLoader.load`` for what is loaded
        (``cached``: rows read earlier in this transaction, not read again).
        """
        return WorldLoader(self._s).load(
            workspace_id, task_ids, person_ids, project_ids, stored_verdicts, cached
        )

    def load_full_world(self, workspace_id: int) -> World:
        """Every task, person and project of the workspace (bulk selects)."""
        return WorldLoader(self._s).load_full(workspace_id)

    # -- graph ---------------------------------------------------------------

    def parent_ids(self, workspace_id: int, task_ids: Iterable[int]) -> set[int]:
        """Direct parents of the given tasks."""
        return self._graph.walk(workspace_id, task_ids, Edge.PARENTS)

    def ancestor_ids(self, workspace_id: int, task_ids: Iterable[int]) -> set[int]:
        """Parents, grandparents... of the given tasks."""
        return self._graph.walk(workspace_id, task_ids, Edge.PARENTS, transitive=True)

    def children_ids(
        self, workspace_id: int, task_ids: Iterable[int], transitive: bool = False
    ) -> set[int]:
        """Direct subtasks (or, transitive, subtasks at any depth) of the given tasks."""
        return self._graph.walk(workspace_id, task_ids, Edge.CHILDREN, transitive)

    def dependent_ids(
        self, workspace_id: int, task_ids: Iterable[int], transitive: bool = False
    ) -> set[int]:
        """Tasks that wait on the given tasks (directly, or through a chain)."""
        return self._graph.walk(workspace_id, task_ids, Edge.DEPENDENTS, transitive)

    def dependency_ids(
        self, workspace_id: int, task_ids: Iterable[int], transitive: bool = False
    ) -> set[int]:
        """Tasks the given tasks wait on (directly, or through a chain)."""
        return self._graph.walk(workspace_id, task_ids, Edge.DEPENDENCIES, transitive)

    def related_ids(
        self, workspace_id: int, task_ids: Iterable[int], structural: bool = False
    ) -> set[int]:
        """Ancestors, direct children and dependents of the given tasks, in one statement.

        ``structural``: dependents at any distance, and dependencies at any distance.
        """
        walks: tuple[tuple[Edge, bool], ...] = (
            (Edge.PARENTS, True),
            (Edge.CHILDREN, False),
            (Edge.DEPENDENTS, structural),
        )
        if structural:
            walks += ((Edge.DEPENDENCIES, True),)
        return self._graph.walk_many(workspace_id, task_ids, walks)

    def owned_ids(self, workspace_id: int, person_ids: Iterable[int]) -> set[int]:
        """Ids of every task owned by the given people."""
        ids = set(person_ids)
        if not ids:
            return set()
        stmt = select(_T.c.id).where(
            _T.c.workspace_id == workspace_id, self._in(_T.c.owner_id, ids)
        )
        return set(self._s.scalars(stmt))

    def owner_counts(self, workspace_id: int) -> dict[int | None, int]:
        """How many tasks each owner has (None: the ownerless ones), in one GROUP BY."""
        stmt = (
            select(_T.c.owner_id, func.count())
            .where(_T.c.workspace_id == workspace_id)
            .group_by(_T.c.owner_id)
        )
        return {owner: int(n) for owner, n in self._s.execute(stmt)}

    def labels(self, workspace_id: int, task_ids: Iterable[int]) -> dict[int, str]:
        """``id -> "#number title"`` for the given tasks, in one light query."""
        ids = set(task_ids)
        if not ids:
            return {}
        stmt = select(_T.c.id, _T.c.number, _T.c.title).where(
            _T.c.workspace_id == workspace_id, self._in(_T.c.id, ids)
        )
        return {tid: f"#{number} {title}" for tid, number, title in self._s.execute(stmt)}

    def any_checked(self, workspace_id: int) -> bool:
        """True when some task of the workspace has a next check stored (it was evaluated)."""
        stmt = (
            select(_T.c.id)
            .where(_T.c.workspace_id == workspace_id, _T.c.next_check_at.is_not(None))
            .limit(1)
        )
        return self._s.execute(stmt).first() is not None

    def unowned_ids(self, workspace_id: int) -> builtins.list[int]:
        """Ids of the tasks nobody owns, by id."""
        stmt = (
            select(_T.c.id)
            .where(_T.c.workspace_id == workspace_id, _T.c.owner_id.is_(None))
            .order_by(_T.c.id)
        )
        return list(self._s.scalars(stmt))

    def project_task_ids(self, workspace_id: int, project_id: int) -> set[int]:
        """Ids of every task of a project."""
        stmt = select(_T.c.id).where(
            _T.c.workspace_id == workspace_id, _T.c.project_id == project_id
        )
        return set(self._s.scalars(stmt))

    # -- helpers -------------------------------------------------------------

    def dependencies_of(
        self, workspace_id: int, task_ids: Iterable[int] | None
    ) -> dict[int, tuple[int, ...]]:
        """``{task_id: depends_on ids (sorted)}`` for the given tasks (None: the workspace)."""
        return self._graph.dependencies_of(workspace_id, task_ids)

    def owner_ids(self, workspace_id: int, task_ids: Iterable[int]) -> set[int]:
        """The owners of the given tasks (ownerless tasks add nothing)."""
        ids = set(task_ids)
        if not ids:
            return set()
        stmt = self._template(
            "owners_of",
            lambda: select(_T.c.owner_id).where(
                same_workspace(_T.c.workspace_id, bindparam("ws")),
                self._ids(_T.c.id),
                _T.c.owner_id.is_not(None),
            ),
        )
        params = {"ws": workspace_id, "ids": self._ids_value(ids)}
        return set(self._s.scalars(stmt, params))
