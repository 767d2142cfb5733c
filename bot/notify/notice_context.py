"""What notices are made of: the queued ``Notice``, and ``NoticeContext`` — the
people, projects, calendars and identities routing and rendering need, loaded
once per call (``bot.notify.notifier``, ``escalation``, ``summary``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from bot.lifecycle import LifecycleEvent
from bot.notify import hours, reliability
from bot.notify.lazy_rows import LazyRows, known_first
from bot.notify.routing import Directory, Subject, subject_of
from engine.model import Person, Project, SubjectKind, WorkCalendar
from engine.world import World
from storage.records import ViolationRecord
from storage.repositories.outbox import Queued
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Notice:
    """One queued outbox row (for logs, tests and the simulator)."""

    violation_id: int
    kind: str  # alert | resolved
    recipient_id: int
    platform: str
    level: int
    deliver_at: datetime
    dedup_key: str


def workspace_platform(key: str) -> str:
    """The platform of a workspace key ('slack:T1' -> 'slack'); used without identities."""
    return key.split(":", 1)[0] if ":" in key else key


# People's identities (platform, address) and working hours (start, end), by person.
Reached = tuple[dict[int, list[tuple[str, str]]], dict[int, tuple[time | None, time | None]]]


class NoticeContext:
    """What routing and rendering need, loaded once per call."""

    def __init__(
        self, uow: UnitOfWork, ws: int, task_ids: Iterable[int], known: World | None = None,
        reached: Reached | None = None,
    ) -> None:
        """``reached``: identities and working hours already read (by an earlier batch of
        the same check), kept up to date in place; none: read afresh."""
        record = uow.workspaces.get(ws)
        if record is None:
            raise ValueError(f"no workspace {ws}")
        self.uow, self.ws, self.record = uow, ws, record
        # Looked up by id as routing needs them: a change must not read every person.
        self._people: LazyRows[Person] = LazyRows(
            lambda pid: uow.people.get(ws, pid), lambda: uow.people.list(ws)
        )
        self._projects: LazyRows[Project] = LazyRows(
            lambda pid: uow.projects.get(ws, pid), lambda: uow.projects.list(ws)
        )
        projects: Mapping[int, Project] = self._projects
        # The rows the evaluation just loaded in this transaction are current (a
        # tick moves verdicts, not fields): only what it did not load is read.
        self._known = known
        read = known_first(known.tasks if known else None, lambda i: uow.tasks.get_many(ws, i))
        tasks = {t.id: t for t in read(set(task_ids))}
        self.directory = Directory(self._people, projects, tasks,
                                   find_admins=lambda: uow.people.admin_ids(ws))
        self.any_hour = hours.critical_any_hour(record.settings)
        self._identities, self._hours = reached if reached is not None else ({}, {})
        self._calendars: dict[int, WorkCalendar] = {}
        self._scores: dict[str, dict[tuple[str, str], reliability.Score]] = {}

    def prefetch(self, person_ids: Iterable[int], reach: bool = True) -> None:
        """Read the likely recipients in a few statements instead of a few per person.

        The projects of the tasks; the people named (subjects, owners, creators,
        backups) and the projects' managers, then those they report to and their
        backups, each (``reach``) with their identities and hours. A
        recipient routing finds outside them is still looked up on its own.
        ``reach=False``: no identities or hours (the caller reads them for the
        recipients routing found, ``reach``).
        """
        uow, ws = self.uow, self.ws
        known = self._known
        projects = {t.project_id for t in self.directory.tasks.values() if t.project_id}
        # The workspace's projects in one read (hundreds, where people are thousands).
        self._projects.prefetch(projects, known_first(
            known.projects if known else None,
            lambda ids: [p for p in uow.projects.list(ws) if p.id in ids]))
        wanted = {pid for pid in person_ids if pid is not None}
        wanted.update(p.manager_id for p in map(self._projects.get, projects) if p and p.manager_id)
        people_of = known_first(known.people if known else None,
                                lambda ids: uow.people.get_many(ws, ids))
        for _ in range(2):
            fresh = self._people.prefetch(wanted, people_of)
            if not fresh:
                break
            if reach:
                self.reach(fresh)
            wanted = set()
            for pid in fresh:
                person = self._people.get(pid)
                if person is not None:
                    wanted.update(i for i in (person.reports_to_id, person.backup_id) if i)

    def reach(self, person_ids: Iterable[int]) -> None:
        """Read the identities and working hours of these people not read yet
        (two statements, however many)."""
        wanted = {pid for pid in person_ids if pid not in self._hours}
        if wanted:
            self._identities.update(self.uow.outbox.identities_of(self.ws, wanted))
            self._hours.update(self.uow.outbox.working_hours(self.ws, wanted))
            # Read, even when they have none: not looked up one by one again.
            for pid in wanted:
                self._identities.setdefault(pid, [])
                self._hours.setdefault(pid, (None, None))

    def scores(self, rule_id: str) -> dict[tuple[str, str], reliability.Score]:
        """Reliability of each fix of ``rule_id`` in this workspace (loaded once per rule)."""
        if rule_id not in self._scores:
            self._scores[rule_id] = reliability.workspace_scores(self.uow, self.ws, [rule_id])
        return self._scores[rule_id]

    def name(self, person_id: int | None) -> str | None:
        person = self.directory.people.get(person_id) if person_id is not None else None
        return person.name if person else None

    def label(self, kind: SubjectKind, subject_id: int) -> str:
        if kind is SubjectKind.TASK:
            task = self.directory.tasks.get(subject_id)
            return f"#{task.number} {task.title}" if task else f"task {subject_id}"
        if kind is SubjectKind.PERSON:
            return self.name(subject_id) or f"person {subject_id}"
        project = self.directory.projects.get(subject_id)
        return f"project {project.name}" if project else f"project {subject_id}"

    def platforms(self, person_id: int) -> list[str]:
        if person_id not in self._identities:
            self._identities.update(self.uow.outbox.identities_of(self.ws, [person_id]))
        found = sorted({platform for platform, _ in self._identities.get(person_id, [])})
        return found or [workspace_platform(self.record.key)]

    def calendar(self, person_id: int) -> WorkCalendar:
        if person_id not in self._calendars:
            person = self.directory.people.get(person_id)
            if person_id not in self._hours:
                self._hours.update(self.uow.outbox.working_hours(self.ws, [person_id]))
            start, end = self._hours.get(person_id, (None, None))
            self._calendars[person_id] = hours.person_calendar(
                self.record.calendar, person.tz if person else None, start, end
            )
        return self._calendars[person_id]

    def due(
        self, person_id: int, now: datetime, severity: str, snoozed: datetime | None
    ) -> datetime:
        cal = self.calendar(person_id)
        at = max(now, snoozed) if snoozed is not None else now
        return hours.deliver_at(cal, at, severity, self.any_hour)


def subject_for(ctx: NoticeContext, row: ViolationRecord) -> Subject:
    return subject_of(SubjectKind(row.subject_kind), row.subject_id, ctx.directory)


Pending = list[tuple[Queued, Notice]]  # outbox rows to write, each with its notice


def write_pending(ctx: NoticeContext, pending: Pending) -> list[Notice]:
    """Write the pending rows in bulk; the notices of those written (a key already
    queued, by this process or another, writes nothing)."""
    written = ctx.uow.outbox.queue_many(ctx.ws, [q for q, _ in pending])
    return [notice for (_, notice), new in zip(pending, written, strict=True) if new]


PREFETCH_FROM = 20  # notices in one call from which reading the recipients up front pays


def prefetch(
    ctx: NoticeContext, events: Sequence[LifecycleEvent], rows: Iterable[ViolationRecord],
    reach: bool = True,
) -> None:
    """Read the likely recipients of these events' notices up front (``NoticeContext.prefetch``)."""
    named: set[int] = set()
    for t in ctx.directory.tasks.values():
        named.update(i for i in (t.owner_id, t.creator_id, t.backup_id) if i)
    named.update(e.subject_id for e in events if e.subject_kind is SubjectKind.PERSON)
    named.update(r.resolved_by_id for r in rows if r.resolved_by_id)
    ctx.prefetch(named, reach)
