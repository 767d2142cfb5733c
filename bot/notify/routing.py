"""Who hears about a violation (DESIGN.md §6) — pure functions over plain data.

Nothing here touches the database or a clock: callers pass a ``Directory``
(the workspace's people and projects, and the task the violation is about)
and the instant ``now`` (for out-of-office windows). Production
(``bot.notify.outbox``) and the simulator use exactly these functions.

Routing table (level 0):

* owner-facing rules (every ``task.*`` rule not listed below): the owner,
  the creator when there is no owner; nobody of those -> the project manager,
  else the admins.
* ``task.missing_owner``, ``task.owner_unavailable``, ``recurring.repeat_failure``
  and every ``person.*`` rule: the project manager, else the ``reports_to`` of
  the person concerned (the owner, the creator for an ownerless task, the
  subject person for ``person.*``), else the admins.
* ``project.missing_manager``: the admins.
* critical: additionally the owner AND the project manager at once.

Escalation ladder: level 1 = the project manager and the owner's
``reports_to``; level n >= 2 = the next person up the ``reports_to`` chain
(starting above the owner's manager, or above the project manager when the
owner has nobody to report to). A level with nobody new ends the ladder.

Out of office: a recipient who is out of office at ``now`` is replaced by
their backup (when the backup is active and not away as well); an inactive
recipient by their backup, else their ``reports_to``. Without a stand-in the
notice stays with the person (they will see it when back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from engine.model import Person, Project, Role, Severity, SubjectKind, Task

MANAGER_FACING = frozenset(
    {"task.missing_owner", "task.owner_unavailable", "recurring.repeat_failure"}
)
ADMIN_FACING = frozenset({"project.missing_manager"})


@dataclass(frozen=True)
class Directory:
    """What routing may look at: people and projects by id, and the subject task."""

    people: Mapping[int, Person]
    projects: Mapping[int, Project] = field(default_factory=dict)
    tasks: Mapping[int, Task] = field(default_factory=dict)
    # The active admins' ids, read once per directory: asked for each problem routed, and a
    # walk over every person each time made a 1M first check quadratic in people.
    find_admins: Callable[[], list[int]] | None = None
    _admins: list[list[int]] = field(default_factory=list, compare=False, repr=False)

    def admins(self) -> list[int]:
        """Ids of the active admins, by id."""
        if not self._admins:
            found = (self.find_admins() if self.find_admins is not None else sorted(
                p.id for p in self.people.values() if p.role is Role.ADMIN and p.active))
            self._admins.append(found)
        return list(self._admins[0])

    def reports_to(self, person_id: int | None) -> int | None:
        person = self.people.get(person_id) if person_id is not None else None
        return person.reports_to_id if person is not None else None

    def chain(self, person_id: int | None) -> list[int]:
        """``person_id``'s manager, their manager, ... (cycles cut)."""
        out: list[int] = []
        seen = {person_id}
        current = self.reports_to(person_id)
        while current is not None and current not in seen:
            out.append(current)
            seen.add(current)
            current = self.reports_to(current)
        return out


@dataclass(frozen=True)
class Subject:
    """Whose problem it is: the owner (or creator), the project, the subject person."""

    kind: SubjectKind
    subject_id: int
    owner_id: int | None = None
    creator_id: int | None = None
    project_id: int | None = None
    backup_id: int | None = None  # recurring work: the named backup

    @property
    def responsible(self) -> int | None:
        """The owner; the creator of an ownerless task; the subject person."""
        if self.kind is SubjectKind.PERSON:
            return self.subject_id
        return self.owner_id if self.owner_id is not None else self.creator_id


def subject_of(kind: SubjectKind, subject_id: int, directory: Directory) -> Subject:
    """Build the ``Subject`` of a violation from the directory."""
    if kind is SubjectKind.TASK:
        task = directory.tasks.get(subject_id)
        if task is None:
            return Subject(kind, subject_id)
        return Subject(kind, subject_id, task.owner_id, task.creator_id, task.project_id,
                       task.backup_id)
    if kind is SubjectKind.PROJECT:
        return Subject(kind, subject_id, project_id=subject_id)
    return Subject(kind, subject_id, owner_id=subject_id)


def _manager(subject: Subject, directory: Directory) -> int | None:
    project = directory.projects.get(subject.project_id) if subject.project_id else None
    return project.manager_id if project is not None else None


def base_recipients(
    rule_id: str, severity: Severity, subject: Subject, directory: Directory
) -> list[int]:
    """Level-0 recipients before out-of-office substitution, in a stable order."""
    manager = _manager(subject, directory)
    out: list[int | None] = []
    if rule_id in ADMIN_FACING:
        out += directory.admins()
    elif rule_id in MANAGER_FACING or rule_id.startswith("person."):
        out.append(manager or directory.reports_to(subject.responsible))
    else:
        out.append(subject.responsible)
    if severity is Severity.CRITICAL:
        out += [subject.owner_id, manager]
    found = _known(out, directory)
    if not found and rule_id not in ADMIN_FACING:
        found = _known([manager], directory) or _known(directory.admins(), directory)
    return found


def escalation_recipients(level: int, subject: Subject, directory: Directory) -> list[int]:
    """Who is added at ladder ``level`` (>= 1), before out-of-office substitution."""
    if level < 1 or subject.kind is SubjectKind.PROJECT:
        return []
    manager = _manager(subject, directory)
    owner_chain = directory.chain(subject.responsible)
    if level == 1:
        return _known([manager, owner_chain[0] if owner_chain else None], directory)
    if owner_chain:
        up = owner_chain[level - 1 : level]
    else:
        up = directory.chain(manager)[level - 2 : level - 1]
    return _known(up, directory)


RECURRING_LADDER = "recurring.missed"


def recurring_recipients(level: int, subject: Subject, directory: Directory) -> list[int]:
    """A missed occurrence climbs owner -> backup -> manager(s) -> next one up."""
    chain = directory.chain(subject.responsible)
    steps: list[list[int | None]] = [
        [subject.responsible],
        [subject.backup_id],
        [_manager(subject, directory), chain[0] if chain else None],
    ] + [[boss] for boss in chain[1:]]
    return _known(steps[level], directory) if level < len(steps) else []


def stand_in(person_id: int, directory: Directory, now: datetime) -> int:
    """The person who receives notices meant for ``person_id`` at ``now``."""
    person = directory.people.get(person_id)
    if person is None:
        return person_id
    away = person.is_out_of_office(now) or not person.active
    if not away:
        return person_id
    backup = directory.people.get(person.backup_id) if person.backup_id else None
    if backup is not None and backup.active and not backup.is_out_of_office(now):
        return backup.id
    if not person.active and person.reports_to_id in directory.people:
        return person.reports_to_id  # type: ignore[return-value]
    return person_id


@dataclass(frozen=True)
class Route:
    """One recipient of one notice; ``instead_of`` names who it was meant for."""

    person_id: int
    instead_of: int | None = None


def substitute(ids: Iterable[int], directory: Directory, now: datetime) -> list[Route]:
    """Apply out-of-office stand-ins; the same person never appears twice."""
    routes: list[Route] = []
    seen: set[int] = set()
    for pid in ids:
        target = stand_in(pid, directory, now)
        if target in seen:
            continue
        seen.add(target)
        routes.append(Route(target, None if target == pid else pid))
    return routes


def route(
    rule_id: str,
    severity: Severity,
    subject: Subject,
    directory: Directory,
    now: datetime,
    level: int = 0,
) -> list[Route]:
    """Recipients of a notice at ``level`` (0: first alert) at ``now``."""
    if rule_id == RECURRING_LADDER:
        ids = recurring_recipients(level, subject, directory)
    elif level == 0:
        ids = base_recipients(rule_id, severity, subject, directory)
    else:
        ids = escalation_recipients(level, subject, directory)
    return substitute(ids, directory, now)


def _known(ids: Iterable[int | None], directory: Directory) -> list[int]:
    out: list[int] = []
    for pid in ids:
        if pid is not None and pid in directory.people and pid not in out:
            out.append(pid)
    return out
