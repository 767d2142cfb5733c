"""Plain, immutable data the rule engine works on.

Storage builds these from the database; the simulator and tests build them by
hand. Every instant is an aware ``datetime`` in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple


class Status(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    IN_REVIEW = "in_review"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_active(self) -> bool:
        return self not in _CLOSED


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self.value]


_CLOSED = frozenset({Status.DONE, Status.CANCELLED})
# The severities that put a task "at risk" for its ancestors, dependents and owner.
AT_RISK = frozenset({Severity.WARNING, Severity.CRITICAL})
_SEVERITY_RANK = {"info": 0, "warning": 1, "critical": 2}


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    MEMBER = "member"


class SubjectKind(StrEnum):
    TASK = "task"
    PERSON = "person"
    PROJECT = "project"


PROOF_KINDS = ("none", "text", "photo", "link", "file")


class WorkCalendar(NamedTuple):
    """A workspace's working time: zone, weekdays (0=Mon), hours, holidays.

    A named tuple: the calendar keys every cached calendar computation, and a
    tuple hashes and compares in C.
    """

    tz: str = "UTC"
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    holidays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    handle: str = ""
    role: Role = Role.MEMBER
    reports_to_id: int | None = None
    tz: str | None = None  # None: the workspace zone
    active: bool = True
    ooo_from: datetime | None = None
    ooo_until: datetime | None = None
    backup_id: int | None = None

    def is_out_of_office(self, at: datetime) -> bool:
        """True when ``at`` falls inside the person's out-of-office window."""
        if self.ooo_until is None:
            return False
        if self.ooo_from is not None and at < self.ooo_from:
            return False
        return at < self.ooo_until


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    manager_id: int | None = None
    due: datetime | None = None
    active: bool = True
    settings: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    id: int
    number: int
    title: str
    created_at: datetime
    project_id: int | None = None
    parent_id: int | None = None
    depends_on: tuple[int, ...] = ()
    owner_id: int | None = None
    creator_id: int | None = None
    start: datetime | None = None  # None: created_at
    due: datetime | None = None
    progress: int = 0
    status: Status = Status.TODO
    status_since: datetime | None = None  # when status last changed
    blocked_reason: str | None = None
    priority: int = 3
    last_progress_at: datetime | None = None
    last_activity_at: datetime | None = None
    completed_at: datetime | None = None
    # Recurring work: a task with a recurrence is an obligation (a template);
    # each cycle is an occurrence task pointing back at it.
    recurrence: str | None = None
    proof_required: str = "none"
    proof: str | None = None
    occurrence_of: int | None = None
    backup_id: int | None = None
    window: str | None = None  # obligation only: each occurrence is due this long after start

    # Rules ask these of every task many times: computed once per (immutable) task.
    # A loader that builds tasks without __init__ may put both in the instance dict up
    # front, from ``Task.activity`` (the cached properties then never run).
    @cached_property
    def is_active(self) -> bool:
        """Open (not done or cancelled) and not an obligation template."""
        return Task.activity(self.status, self.recurrence, self.occurrence_of)[0]

    @cached_property
    def is_plain(self) -> bool:
        """An open task that is neither an obligation template nor an occurrence."""
        return self.is_active and self.occurrence_of is None

    @staticmethod
    def activity(status: Status, recurrence: str | None,
                 occurrence_of: int | None) -> tuple[bool, bool]:
        """(``is_active``, ``is_plain``) of a task with these fields."""
        active = status not in _CLOSED and recurrence is None
        return active, active and occurrence_of is None

    @property
    def effective_start(self) -> datetime:
        return self.start or self.created_at

    @property
    def since_progress(self) -> datetime:
        return self.last_progress_at or self.effective_start

    @property
    def since_status(self) -> datetime:
        return self.status_since or self.since_progress


class Fix(NamedTuple):
    """A recommended fix: an action id and compact arguments for a button.

    A named tuple: every violation carries a few, and a whole workspace's
    evaluation builds hundreds of thousands of them.
    """

    action: str
    label: str
    args: Mapping[str, object] = MappingProxyType({})


class Violation(NamedTuple):
    """One problem a rule found: what, about whom, how bad, in plain words, and fixes.

    A named tuple (cheap to build and small): a whole workspace's evaluation
    makes one per problem, about one per task.
    """

    rule_id: str
    subject_kind: SubjectKind
    subject_id: int
    severity: Severity
    explanation: str
    fixes: tuple[Fix, ...] = ()
    stage: str | None = None

    @property
    def fingerprint(self) -> str:
        """Identity of the problem: rule, subject and (optional) stage."""
        base = f"{self.rule_id}:{self.subject_kind.value}:{self.subject_id}"
        return f"{base}:{self.stage}" if self.stage else base


@dataclass(frozen=True)
class Evaluation:
    """What the engine decided for a set of subjects at one instant."""

    now: datetime
    task_ids: frozenset[int]
    person_ids: frozenset[int]
    project_ids: frozenset[int]
    violations: tuple[Violation, ...]
    task_next_check: Mapping[int, datetime | None]
    person_next_check: Mapping[int, datetime | None]
