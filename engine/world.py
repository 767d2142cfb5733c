"""A read-only view of one workspace (or the part of it an evaluation needs)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from engine.model import Person, Project, Task, Violation, WorkCalendar


@dataclass(frozen=True)
class Portfolio:
    """What the person rules read of the tasks someone owns, in summary.

    ``tasks``: how many they own (any status); ``latest_activity``: the latest
    ``last_activity_at`` (else ``created_at``) among them; ``active_dues``: the
    deadline of each open owned task that has one; ``risky_projects``: the
    project (None: no project) of each open owned task with a warning or
    critical base violation, one entry per task.

    Storage hands the engine the portfolio of the owned tasks it did not load
    (``World.portfolios``): a tick that re-decides an owner because one task
    moved needs these few facts of their other tasks, not the tasks.
    """

    tasks: int = 0
    latest_activity: datetime | None = None
    active_dues: tuple[datetime, ...] = ()
    risky_projects: tuple[int | None, ...] = ()

    def merge(self, other: Portfolio) -> Portfolio:
        """Both portfolios' tasks together (they must not overlap)."""
        latest = self.latest_activity
        if latest is None or (other.latest_activity is not None and other.latest_activity > latest):
            latest = other.latest_activity
        return Portfolio(
            self.tasks + other.tasks,
            latest,
            self.active_dues + other.active_dues,
            self.risky_projects + other.risky_projects,
        )


@dataclass(frozen=True)
class World:
    """Tasks, people and projects with the indexes rules need.

    For an incremental evaluation storage loads only the neighbourhood of the
    changed tasks; a person decided there sees the owned tasks that are loaded
    (``owned``) plus a summary of the rest (``portfolios``).
    """

    calendar: WorkCalendar
    tasks: Mapping[int, Task]
    people: Mapping[int, Person]
    projects: Mapping[int, Project]
    settings: Mapping[str, object] = field(default_factory=dict)
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    dependents: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    owned: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    occurrences: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    # Stored verdicts of tasks that are loaded but not evaluated (an owner's other
    # tasks, for person rules): their base violations as last decided.
    known: Mapping[int, tuple[Violation, ...]] = field(default_factory=dict)
    # Owned tasks that are not loaded at all, in summary, by owner: counted by the
    # person rules together with the owner's loaded tasks (``RuleContext.portfolio``).
    portfolios: Mapping[int, Portfolio] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        calendar: WorkCalendar,
        tasks: Iterable[Task],
        people: Iterable[Person],
        projects: Iterable[Project],
        settings: Mapping[str, object] | None = None,
    ) -> World:
        """Index the given rows; children/dependents/owned are derived here."""
        by_id = {t.id: t for t in tasks}
        children: dict[int, list[int]] = defaultdict(list)
        dependents: dict[int, list[int]] = defaultdict(list)
        owned: dict[int, list[int]] = defaultdict(list)
        occurrences: dict[int, list[int]] = defaultdict(list)
        for t in sorted(by_id.values(), key=lambda t: t.id):
            if t.parent_id is not None:
                children[t.parent_id].append(t.id)
            for dep in t.depends_on:
                dependents[dep].append(t.id)
            if t.owner_id is not None:
                owned[t.owner_id].append(t.id)
            if t.occurrence_of is not None:
                occurrences[t.occurrence_of].append(t.id)
        return cls(
            calendar=calendar,
            tasks=by_id,
            people={p.id: p for p in people},
            projects={p.id: p for p in projects},
            settings=dict(settings or {}),
            children={k: tuple(v) for k, v in children.items()},
            dependents={k: tuple(v) for k, v in dependents.items()},
            owned={k: tuple(v) for k, v in owned.items()},
            occurrences={k: tuple(v) for k, v in occurrences.items()},
        )

    def project_of(self, task: Task) -> Project | None:
        return self.projects.get(task.project_id) if task.project_id else None

    def person(self, person_id: int | None) -> Person | None:
        return self.people.get(person_id) if person_id is not None else None

    def descendants(self, task_id: int) -> list[int]:
        """All subtasks at any depth (cycle-safe)."""
        seen: set[int] = set()
        stack = list(self.children.get(task_id, ()))
        out: list[int] = []
        while stack:
            tid = stack.pop()
            if tid in seen or tid == task_id:
                continue
            seen.add(tid)
            out.append(tid)
            stack.extend(self.children.get(tid, ()))
        return out

    def ancestors(self, task_id: int) -> list[int]:
        """Parent, grandparent, ... (cycle-safe)."""
        out: list[int] = []
        seen = {task_id}
        task = self.tasks.get(task_id)
        while task is not None and task.parent_id is not None:
            if task.parent_id in seen:
                break
            seen.add(task.parent_id)
            out.append(task.parent_id)
            task = self.tasks.get(task.parent_id)
        return out
