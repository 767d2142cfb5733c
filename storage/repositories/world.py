"""Load an engine ``World``: a target's neighbourhood, or the whole workspace.

``load`` gathers exactly the support ``engine.evaluate`` needs to decide the
targets as it would on the whole workspace (see ``WorldLoader.load``), with a
handful of set-based statements whatever the workspace's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import or_, select

from engine.world import World
from storage import models as m
from storage.errors import NotFound
from storage.repositories._base import Repository, same_workspace
from storage.repositories._convert import (
    PERSON_SELECT,
    PROJECT_SELECT,
    TASK_SELECT,
    person_from,
    project_from,
    task_from,
    task_from_joined,
    task_select_with_deps,
)
from storage.repositories.graph import WS, Edge, GraphQueries
from storage.repositories.portfolios import PortfolioReader
from storage.repositories.violations import ViolationRepository
from storage.repositories.workspaces import WorkspaceRepository

_T = m.tasks
_P = m.people
_PR = m.projects
_REFERENCED = _P.alias("referenced")  # built once: aliasing a table is costly
R = TypeVar("R")


class WorldLoader(Repository):
    """Build ``engine.world.World`` values from the database."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self._graph = GraphQueries(session)
        self._workspaces = WorkspaceRepository(session)

    def load(
        self,
        workspace_id: int,
        task_ids: Iterable[int],
        person_ids: Iterable[int] = (),
        project_ids: Iterable[int] = (),
        stored_verdicts: bool = False,
        cached: World | None = None,
    ) -> World:
        """The neighbourhood of the targets, enough to evaluate exactly them.

        ``stored_verdicts``: the tasks the targets' rules look at but that are not
        targets themselves (descendants, dependencies) are loaded without their
        support, and their firing violations as stored are handed to the engine
        instead (``World.known``); a target person's other tasks are not loaded
        at all but summarised (``World.portfolios``). That is what the
        incremental path wants: the stored state is the truth for tasks whose
        next check has not come, and a subtask's own change makes it a target.

        Tasks: the targets and all their descendants; (without stored verdicts)
        every task owned by a target person; the direct dependencies of the targets (with stored
        verdicts) or of all the descendants (without); for every task whose
        base rules may be computed, its parent and its transitive dependencies;
        then occurrences of every such obligation and the obligation of every
        such occurrence.
        People: everyone a loaded task (other than those counted by stored
        verdicts) or project references (owner, creator, backup, manager), the
        target persons, and the backups of all of them.
        Projects: those referenced the same way, and the target projects.

        ``cached``: task, person and project rows (and the workspace's calendar
        and settings) read earlier in this transaction and still current — a
        tick's earlier round, which moved verdicts, not fields. They are taken
        as they are and only the others are read; the graph walks still run.
        """
        graph, ws = self._graph, workspace_id
        targets = set(task_ids)
        persons = set(person_ids)
        rest: set[int] = set()
        if stored_verdicts:
            # Only the targets are decided; the tasks their rules look at (their
            # descendants and dependencies) count with their stored verdicts.
            computed = set(targets)
            walks = ((Edge.CHILDREN, True), (Edge.DEPENDENCIES, False))
            rest = graph.walk_many(ws, targets, walks) - computed
        else:
            subtree = graph.walk(ws, targets, Edge.CHILDREN, transitive=True, include_seeds=True)
            computed = subtree | graph.walk(ws, subtree, Edge.DEPENDENCIES)
        if persons and not stored_verdicts:
            owned = self._template(
                "owned",
                lambda: select(_T.c.id).where(_T.c.workspace_id == WS, self._ids(_T.c.owner_id)),
            )
            computed |= set(self._s.scalars(owned, self._params(ws, persons)))
        support = computed | self._support(ws, computed)
        tasks = _take(cached.tasks if cached else None, support | rest, self._task_rows, ws)
        # Tasks counted by their stored verdicts are never evaluated: the people,
        # projects and recurring family they reference are not needed.
        referencing = {tid: t for tid, t in tasks.items() if tid not in rest}
        family = self._recurring_family(ws, referencing)
        tasks.update(family)
        referencing.update(family)
        world = self._world(ws, tasks, referencing, persons, set(project_ids), cached)
        if not stored_verdicts:
            return world
        verdicts = ViolationRepository(self._s).firing_verdicts(ws, rest) if rest else {}
        # The target persons' other tasks are summarised, not loaded (the person
        # rules read a few facts of each): see storage.repositories.portfolios.
        portfolios = PortfolioReader(self._s).read(ws, persons, world.tasks) if persons else {}
        return replace(
            world, known={tid: verdicts.get(tid, ()) for tid in rest}, portfolios=portfolios
        )

    def load_full(self, workspace_id: int) -> World:
        """Every task, person and project of the workspace (bulk selects, no ORM)."""
        workspace = self._workspaces.get(workspace_id)
        if workspace is None:
            raise NotFound(f"no workspace {workspace_id}")
        deps = self._graph.dependencies_of(workspace_id, None)
        # .all(): fetching in one go is markedly cheaper than row by row.
        rows = self._s.execute(select(*TASK_SELECT).where(_T.c.workspace_id == workspace_id))
        tasks = [task_from(row, deps.get(row[0], ())) for row in rows.all()]
        people = self._s.execute(
            select(*PERSON_SELECT).where(_P.c.workspace_id == workspace_id)
        ).all()
        projects = self._s.execute(
            select(*PROJECT_SELECT).where(_PR.c.workspace_id == workspace_id)
        ).all()
        return World.build(
            workspace.calendar,
            tasks,
            map(person_from, people),
            map(project_from, projects),
            workspace.settings,
        )

    # -- pieces ----------------------------------------------------------------

    def _params(self, ws: int, ids: Iterable[int]) -> dict[str, Any]:
        return {"ws": ws, "ids": self._ids_value(ids)}

    def _support(self, ws: int, computed: set[int]) -> set[int]:
        """Parents and transitive dependencies of ``computed``, in one statement."""
        if not computed:
            return set()

        def build() -> Any:
            parents = self._graph.walk_stmt(Edge.PARENTS, transitive=False)
            return parents.union(self._graph.walk_stmt(Edge.DEPENDENCIES, transitive=True))

        stmt = self._template("support", build)
        return set(self._s.scalars(stmt, self._params(ws, computed)))

    def _task_rows(self, ws: int, ids: set[int], family: bool = False) -> dict[int, Any]:
        """Tasks by id (``family``: also every task whose ``occurrence_of`` is in ids)."""
        if not ids:
            return {}

        def build() -> Any:
            where = self._ids(_T.c.id)
            if family:
                where = or_(where, self._ids(_T.c.occurrence_of))
            columns = task_select_with_deps(self._dialect)
            return select(*columns).where(same_workspace(_T.c.workspace_id, WS), where)

        stmt = self._template(("task_rows", family), build)
        tasks = map(task_from_joined, self._s.execute(stmt, self._params(ws, ids)))
        return {task.id: task for task in tasks}

    def _recurring_family(self, ws: int, tasks: dict[int, Any]) -> dict[int, Any]:
        """Obligations of loaded occurrences, and every occurrence of those obligations."""
        obligations = {t.occurrence_of for t in tasks.values() if t.occurrence_of is not None}
        obligations |= {t.id for t in tasks.values() if t.recurrence is not None}
        family = self._task_rows(ws, obligations, family=True)
        return {tid: t for tid, t in family.items() if tid not in tasks}

    def _world(
        self,
        ws: int,
        tasks: dict[int, Any],
        referencing: dict[int, Any],
        persons: set[int],
        project_ids: set[int],
        cached: World | None = None,
    ) -> World:
        """The world of ``tasks``, with the people and projects ``referencing`` names
        (those in ``cached`` taken from there, see ``load``)."""
        if cached is not None:
            calendar, settings = cached.calendar, cached.settings
        else:
            workspace = self._workspaces.get(ws)
            if workspace is None:
                raise NotFound(f"no workspace {ws}")
            calendar, settings = workspace.calendar, workspace.settings
        project_ids = project_ids | {t.project_id for t in referencing.values() if t.project_id}
        projects = list(_take(cached.projects if cached else None, project_ids,
                              partial(self._rows, kind="projects", build=project_from), ws)
                        .values())
        named: set[int | None] = set(persons)
        for t in referencing.values():
            named.update((t.owner_id, t.creator_id, t.backup_id))
        named.update(p.manager_id for p in projects)
        if cached is not None:
            # The statement brings the backups of the people it reads; the backups
            # of the cached ones are added here (the same people either way).
            known = cached.people
            named.update([known[p].backup_id for p in named if p is not None and p in known])
        people_ids = {p for p in named if p is not None}
        people = _take(cached.people if cached else None, people_ids,
                       partial(self._rows, kind="people", build=person_from), ws)
        return World.build(calendar, tasks.values(), people.values(), projects, settings)

    def _rows(self, ws: int, ids: set[int], kind: str, build: Any) -> dict[int, Any]:
        """Projects, or people plus their backups, by id."""
        if not ids:
            return {}

        def template() -> Any:
            if kind == "projects":
                return select(*PROJECT_SELECT).where(
                    same_workspace(_PR.c.workspace_id, WS), self._ids(_PR.c.id)
                )
            backups = select(_REFERENCED.c.backup_id).where(self._ids(_REFERENCED.c.id))
            return select(*PERSON_SELECT).where(
                same_workspace(_P.c.workspace_id, WS),
                or_(self._ids(_P.c.id), _P.c.id.in_(backups)),
            )

        stmt = self._template(("rows", kind), template)
        rows = map(build, self._s.execute(stmt, self._params(ws, ids)))
        return {row.id: row for row in rows}


def _take(
    cached: Mapping[int, R] | None, ids: set[int], read: Callable[[int, set[int]], dict[int, R]],
    ws: int,
) -> dict[int, R]:
    """The rows of ``ids``: those in ``cached`` as they are, the others (and whatever
    ``read`` brings along with them) read."""
    if not cached:
        return read(ws, ids)
    found = {i: cached[i] for i in ids if i in cached}
    missing = ids - found.keys()
    if missing:
        found.update(read(ws, missing))
    return found
