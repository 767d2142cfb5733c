"""What concerns a person besides the tasks they own (issue #13, item 3).

* waiting for an owner: open tasks they created that nobody owns;
* needs you (managers and admins, and anyone people report to): problems on
  tasks in projects they manage and of the people who report to them, and
  their blocked tasks (unblocking is often the manager's job).

My Tasks, the standup and the Slack App Home all show these, so "nothing
open 🎉" appears only when nothing at all concerns the person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.model import Person, Severity, Status, Task
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

ALERTING = {Severity.WARNING.value, Severity.CRITICAL.value}


@dataclass(frozen=True)
class Concerns:
    """The person's own open work, work waiting for an owner, and problems that need them."""

    own: list[Task]
    waiting: list[Task]
    needs_you: list[Task]
    problems: list[ViolationRecord] = field(default_factory=list)  # firing, of needs_you
    leads: bool = False  # manages a project or has people reporting to them

    @property
    def nothing(self) -> bool:
        return not (self.own or self.waiting or self.needs_you)

    def narrowed(self, keep: Callable[[Task], bool]) -> Concerns:
        """Only the tasks ``keep`` accepts, in every section ("what is overdue?")."""
        needs = [t for t in self.needs_you if keep(t)]
        ids = {t.id for t in needs}
        return Concerns([t for t in self.own if keep(t)], [t for t in self.waiting if keep(t)],
                        needs, [r for r in self.problems if r.subject_id in ids], self.leads)


def reports_of(uow: UnitOfWork, ws: int, manager: Person) -> set[int]:
    """Ids of the people who report to ``manager``, directly or further down."""
    return uow.people.reports_under(ws, manager.id)


def _open_in(uow: UnitOfWork, ws: int, projects: list[int], owners: set[int]) -> list[Task]:
    """Open tasks in these projects or owned by these people, by number.

    Two indexed reads, not one: ``project IN … OR owner IN …`` in one query
    makes SQLite walk every task of the workspace (600 ms at 100k tasks, for
    anyone who both manages a project and has people reporting to them).
    """
    found = {t.id: t for t in uow.tasks.open_in(ws, projects)}
    found.update((t.id, t) for t in uow.tasks.open_in(ws, owner_ids=owners) if t.id not in found)
    return sorted(found.values(), key=lambda t: t.number)


def concerns(uow: UnitOfWork, ws: int, person: Person) -> Concerns:
    """Everything that should be on this person's list right now."""
    own = [t for t in uow.tasks.list(ws, owner_id=person.id, active_only=True)
           if t.recurrence is None]
    waiting = uow.tasks.waiting_for_owner(ws, person.id)
    managed = uow.projects.managed_by(ws, person.id)
    reports = reports_of(uow, ws, person)
    skip = {t.id for t in own} | {t.id for t in waiting}
    candidates = [t for t in _open_in(uow, ws, managed, reports) if t.id not in skip]
    rows = uow.violations.firing(ws, task_ids=[t.id for t in candidates]) if candidates else []
    alerting = [r for r in rows if r.severity in ALERTING]
    # Blocked work needs its manager even before "long blocked" fires: unblocking is theirs.
    flagged = {r.subject_id for r in alerting} | {
        t.id for t in candidates if t.status is Status.BLOCKED}
    return Concerns(own, waiting, [t for t in candidates if t.id in flagged], alerting,
                    bool(managed or reports))
