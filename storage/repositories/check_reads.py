"""What a full check reads: the workspace's shared rows once, then batch by batch.

A full check (``bot.workspace_check``) decides a workspace in batches of whole
owners. Every batch's tasks reference most of the workspace's people (owners,
creators, backups) and many of its projects: read per batch, a 100k-task
workspace read its 5,000 people some 90,000 times. ``shared`` reads the
people, the projects, the calendar and the settings once; each batch's world
takes them from there (``WorldLoader.load``'s ``cached`` rows) and reads only
its tasks, and the people it decides again (``with_people``), so the owners of
its tasks are as fresh as the batch.

``verdicts`` reads the stored firing verdicts of a batch as plain tuples, so the
diff builds records only for the subjects whose verdict moved (none, in a
steady check).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select

from engine.model import Person, Severity, SubjectKind, Task
from engine.world import World
from storage import models as m
from storage.errors import NotFound
from storage.repositories._base import Repository, same_workspace
from storage.repositories._convert import (
    PERSON_SELECT,
    PROJECT_SELECT,
    person_from,
    project_from,
    task_from_joined,
    task_select_with_deps,
)
from storage.repositories.graph import Edge, GraphQueries
from storage.repositories.violation_firing import firing_rows
from storage.repositories.workspaces import WorkspaceRepository
from storage.repositories.world import WorldLoader

_T = m.tasks
_P = m.people
_PR = m.projects
_V = m.violations


class Batch(NamedTuple):
    """What a full check's batch reads: its world, the tasks it decides, and
    their stored next checks (compared before anything is written)."""

    world: World
    targets: set[int]
    next_checks: dict[int, datetime | None]


# A stored firing verdict keyed as the engine's ``Violation`` names its problem —
# (rule id, subject kind, subject id, stage), the parts of its fingerprint — and
# valued as the diff compares it (``bot.lifecycle.diff``): (severity, explanation).
# With the enums the engine uses, so a batch's verdicts compare with ``itemgetter``
# slices of its violations, no fingerprint string built per violation.
VerdictKey = tuple[str, SubjectKind, int, str | None]
Verdict = tuple[Severity, str]
_SEVERITY = {s.value: s for s in Severity}
_KIND = {k.value: k for k in SubjectKind}


class FullCheckReads(Repository):
    """The reads of a batched full check (plain rows; no ORM objects)."""

    def shared(self, workspace_id: int) -> World:
        """The workspace's calendar, settings, people and projects (no tasks)."""
        workspace = WorkspaceRepository(self._s).get(workspace_id)
        if workspace is None:
            raise NotFound(f"no workspace {workspace_id}")
        people = self._s.execute(
            select(*PERSON_SELECT).where(_P.c.workspace_id == workspace_id)
        ).all()
        projects = self._s.execute(
            select(*PROJECT_SELECT).where(_PR.c.workspace_id == workspace_id)
        ).all()
        return World(
            workspace.calendar,
            {},
            {p.id: p for p in map(person_from, people)},
            {p.id: p for p in map(project_from, projects)},
            workspace.settings,
        )

    def with_people(
        self, shared: World, workspace_id: int, person_ids: Iterable[int]
    ) -> tuple[World, dict[int, datetime | None]]:
        """``shared`` with these people read again (those gone, left out), and
        their stored next checks."""
        ids = set(person_ids)
        if not ids:
            return shared, {}
        stmt = self._template(
            "check_people",
            lambda: select(*PERSON_SELECT, _P.c.next_check_at).where(
                same_workspace(_P.c.workspace_id, bindparam("ws")), self._ids(_P.c.id)
            ),
        )
        rows = self._s.execute(stmt, {"ws": workspace_id, "ids": self._ids_value(ids)}).all()
        fresh: dict[int, Person] = {}
        next_checks: dict[int, datetime | None] = {}
        for row in rows:
            person = person_from(tuple(row[:-1]))
            fresh[person.id] = person
            next_checks[person.id] = row[-1]
        people = {k: v for k, v in shared.people.items() if k not in ids or k in fresh}
        people.update(fresh)
        return replace(shared, people=people), next_checks

    def batch(
        self,
        shared: World,
        workspace_id: int,
        person_ids: Iterable[int],
        unowned: Iterable[int] = (),
        project_ids: Iterable[int] = (),
    ) -> Batch:
        """One batch's world: every task the people own and the ``unowned`` ones
        (the targets), with the support ``WorldLoader.load`` gives them — their
        descendants, the dependencies of those, the parents and transitive
        dependencies of all these, and the recurring family of what is loaded —
        read in a few statements. People and projects are ``shared``'s (more than
        the batch references: rules look people and projects up by id only).

        The graph is walked over the rows read (``parent_id``, ``depends_on``),
        not by one recursive statement per direction; only descendants need one.
        """
        ws, persons = workspace_id, set(person_ids)
        tasks, next_checks = self._rows_of(ws, owners=persons, ids=set(unowned))
        targets = set(tasks)
        graph = GraphQueries(self._s)
        below = graph.walk(ws, targets, Edge.CHILDREN, transitive=True) - targets
        self._add(tasks, ws, below)
        subtree = (targets | below) & tasks.keys()
        computed = subtree | {d for t in subtree for d in tasks[t].depends_on}
        self._add(tasks, ws, computed)
        computed &= tasks.keys()
        self._add(tasks, ws, {p for t in computed if (p := tasks[t].parent_id) is not None})
        # Transitive dependencies of ``computed``, hop by hop over the rows read.
        reached: set[int] = set()
        frontier = {d for t in computed for d in tasks[t].depends_on}
        while frontier:
            reached |= frontier
            self._add(tasks, ws, frontier)
            frontier = {d for t in frontier if t in tasks for d in tasks[t].depends_on} - reached
        obligations = {t.occurrence_of for t in tasks.values() if t.occurrence_of is not None}
        obligations |= {t.id for t in tasks.values() if t.recurrence is not None}
        if obligations:
            family = WorldLoader(self._s)._task_rows(ws, obligations, family=True)
            tasks.update((tid, t) for tid, t in family.items() if tid not in tasks)
        world = World.build(shared.calendar, tasks.values(), (), (), shared.settings)
        world = replace(world, people=shared.people, projects=shared.projects)
        return Batch(world, targets, next_checks)

    def _rows_of(
        self, ws: int, owners: set[int], ids: set[int]
    ) -> tuple[dict[int, Task], dict[int, datetime | None]]:
        """Tasks owned by ``owners`` or with these ids, and their stored next checks."""
        found: dict[int, Task] = {}
        next_checks: dict[int, datetime | None] = {}
        for key, column, values in (("owner", _T.c.owner_id, owners), ("id", _T.c.id, ids)):
            if not values:
                continue

            def build(column: Any = column) -> Any:
                columns = (*task_select_with_deps(self._dialect), _T.c.next_check_at)
                return select(*columns).where(_T.c.workspace_id == bindparam("ws"),
                                              self._ids(column))

            stmt = self._template(("check_rows", key), build)
            for row in self._s.execute(stmt, {"ws": ws, "ids": self._ids_value(values)}).all():
                task = task_from_joined(row[:-1])
                found[task.id] = task
                next_checks[task.id] = row[-1]
        return found, next_checks

    def _add(self, tasks: dict[int, Task], ws: int, ids: set[int]) -> None:
        """Read the tasks among ``ids`` not read yet into ``tasks``."""
        missing = ids - tasks.keys()
        if missing:
            tasks.update(WorldLoader(self._s)._task_rows(ws, missing))

    def verdicts(
        self,
        workspace_id: int,
        task_ids: Iterable[int] = (),
        person_ids: Iterable[int] = (),
        project_ids: Iterable[int] = (),
    ) -> dict[VerdictKey, Verdict]:
        """The stored firing verdicts of these subjects (see ``VerdictKey``)."""
        columns = (_V.c.rule_id, _V.c.subject_kind, _V.c.subject_id, _V.c.stage, _V.c.severity,
                   _V.c.explanation)
        rows = firing_rows(self, workspace_id, ("check_verdicts2",), columns, task_ids,
                           person_ids, project_ids)
        kinds, severities = _KIND, _SEVERITY
        return {
            (rule, kinds[kind], subject, stage): (severities[severity], explanation)
            for rule, kind, subject, stage, severity, explanation in rows
        }
