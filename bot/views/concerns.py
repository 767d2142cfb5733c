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

from engine.model import Person, Severity, Task
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
    needs_total: int | None = None  # when needs_you holds only the first few (None: all)

    @property
    def needs_count(self) -> int:
        """How many tasks need the person (``needs_you`` may list only the first few)."""
        return len(self.needs_you) if self.needs_total is None else self.needs_total

    @property
    def nothing(self) -> bool:
        return not (self.own or self.waiting or self.needs_you)

    def narrowed(self, keep: Callable[[Task], bool]) -> Concerns:
        """Only the tasks ``keep`` accepts, in every section ("what is overdue?")."""
        if self.needs_total is not None:
            raise ValueError("cannot narrow concerns that list only the first few")
        needs = [t for t in self.needs_you if keep(t)]
        ids = {t.id for t in needs}
        return Concerns([t for t in self.own if keep(t)], [t for t in self.waiting if keep(t)],
                        needs, [r for r in self.problems if r.subject_id in ids], self.leads)


def reports_of(uow: UnitOfWork, ws: int, manager: Person) -> set[int]:
    """Ids of the people who report to ``manager``, directly or further down."""
    return uow.people.reports_under(ws, manager.id)


def concerns(uow: UnitOfWork, ws: int, person: Person, first: int | None = None) -> Concerns:
    """Everything that should be on this person's list right now.

    ``first``: load only the first ``first`` tasks (by number) that need the person,
    and count the rest (``needs_count``) — the digest lists a few of them.
    """
    own = [t for t in uow.tasks.list(ws, owner_id=person.id, active_only=True)
           if t.recurrence is None]
    waiting = uow.tasks.waiting_for_owner(ws, person.id)
    managed = uow.projects.managed_by(ws, person.id)
    reports = reports_of(uow, ws, person)
    skip = {t.id for t in own} | {t.id for t in waiting}
    # Blocked work needs its manager even before "long blocked" fires: unblocking is theirs.
    # Decided in SQL: a manager of a big team has hundreds of open tasks, few of them flagged
    # (reading them all was 80% of a morning digest at 100k tasks).
    flagged = {i: n for i, n in uow.tasks.needing_attention(ws, managed, reports, ALERTING).items()
               if i not in skip}
    chosen = sorted(flagged, key=flagged.__getitem__)[:first] if first is not None else flagged
    needs_you = uow.tasks.get_many(ws, chosen)
    rows = uow.violations.firing(ws, task_ids=chosen) if chosen else []
    alerting = [r for r in rows if r.severity in ALERTING]
    total = len(flagged) if first is not None else None
    return Concerns(own, waiting, needs_you, alerting, bool(managed or reports), total)
