"""Set-based walks over the task graph (parents, children, dependencies).

Each walk is ONE statement: a recursive CTE with UNION (which also stops on
cycles) on both SQLite and PostgreSQL. Seeds are first restricted to the
workspace; edges never leave it because repositories refuse cross-workspace
references. Statements are templates built once (parameters ``ws``, ``ids``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import Enum
from typing import Any

from sqlalchemy import Select, bindparam, select, union
from sqlalchemy.types import Integer

from storage import models as m
from storage.repositories._base import Repository, same_workspace

_T = m.tasks
_D = m.task_dependencies
_SCOPE = _T.alias("scope")  # built once: aliasing a table is costly
WS = bindparam("ws", type_=Integer)


class Edge(Enum):
    """Direction of a walk: (table, from column, to column)."""

    CHILDREN = ("tasks", "parent_id", "id")
    PARENTS = ("tasks", "id", "parent_id")
    DEPENDENCIES = ("task_dependencies", "task_id", "depends_on_id")
    DEPENDENTS = ("task_dependencies", "depends_on_id", "task_id")

    def columns(self) -> tuple[Any, Any]:
        table = _T if self.value[0] == "tasks" else _D
        return table.c[self.value[1]], table.c[self.value[2]]


class GraphQueries(Repository):
    """Walk the task graph of one workspace with set-based SQL."""

    def walk_stmt(
        self, edge: Edge, transitive: bool, include_seeds: bool = False, name: str = "walk"
    ) -> Select[Any]:
        """A template SELECT of the ids reached from ``:ids`` (in workspace ``:ws``).

        ``name`` names the recursive CTE (distinct names let walks share a UNION).
        """
        src, dst = edge.columns()
        scope = (same_workspace(_SCOPE.c.workspace_id, WS), self._ids(_SCOPE.c.id))
        seeds = select(_SCOPE.c.id).where(*scope)
        # A join, not ``src IN (subquery)``: SQLite plans the join by primary key.
        first = (
            select(dst.label("id"))
            .select_from(_SCOPE.join(src.table, src == _SCOPE.c.id))
            .where(*scope, dst.is_not(None))
        )
        if not transitive:
            return seeds.union(first) if include_seeds else first  # type: ignore[return-value]
        walk = (seeds if include_seeds else first).cte(name, recursive=True)
        step = select(dst).join(walk, src == walk.c.id).where(dst.is_not(None))
        walk = walk.union(step)
        return select(walk.c.id)

    def walk(
        self,
        workspace_id: int,
        ids: Iterable[int],
        edge: Edge,
        transitive: bool = False,
        include_seeds: bool = False,
    ) -> set[int]:
        """The ids reached from ``ids`` along ``edge`` (one hop, or every hop)."""
        ids = set(ids)
        if not ids:
            return set()
        stmt = self._template(
            ("walk", edge, transitive, include_seeds),
            lambda: self.walk_stmt(edge, transitive, include_seeds),
        )
        params = {"ws": workspace_id, "ids": self._ids_value(ids)}
        return set(self._s.scalars(stmt, params))

    def walk_many(
        self, workspace_id: int, ids: Iterable[int], walks: tuple[tuple[Edge, bool], ...]
    ) -> set[int]:
        """The union of several walks (``(edge, transitive)``) from ``ids``, in ONE statement."""
        ids = set(ids)
        if not ids:
            return set()

        def build() -> Any:
            parts = [
                self.walk_stmt(edge, transitive, name=f"walk_{i}")
                for i, (edge, transitive) in enumerate(walks)
            ]
            return union(*parts)

        stmt = self._template(("walk_many", walks), build)
        params = {"ws": workspace_id, "ids": self._ids_value(ids)}
        return set(self._s.scalars(stmt, params))

    def dependencies_of(
        self, workspace_id: int, task_ids: Iterable[int] | None
    ) -> dict[int, tuple[int, ...]]:
        """``{task_id: depends_on ids (sorted)}`` for the given tasks (None: the workspace)."""
        stmt = select(_D.c.task_id, _D.c.depends_on_id)
        params: dict[str, Any] = {"ws": workspace_id}
        if task_ids is None:
            stmt = stmt.join(_T, _T.c.id == _D.c.task_id).where(_T.c.workspace_id == WS)
        else:
            ids = set(task_ids)
            if not ids:
                return {}
            stmt = self._template("dependencies_of", lambda: stmt.where(self._ids(_D.c.task_id)))
            params = {"ids": self._ids_value(ids)}
        deps: dict[int, list[int]] = defaultdict(list)
        for task_id, dep in self._s.execute(stmt, params):
            deps[task_id].append(dep)
        return {k: tuple(sorted(v)) for k, v in deps.items()}
