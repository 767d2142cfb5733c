"""Write notices to the outbox inside the caller's transaction.

``notify_events`` is called by ``bot.evaluation._persist`` with the violation
changes it just wrote, so a notice exists exactly when its change committed
(transactional outbox); it also marks the Home of the tasks' owners for a
repaint (``bot.notify.home``). The ladder job is ``bot.notify.escalation``. Both only queue rows;
the dispatcher (``bot.notify.dispatcher``) delivers them.

Dedup keys (unique per workspace; a second write of the same notice is a
no-op, whichever process tries):

* ``alert:{violation}:{level}:{severity}:{recipient}:{platform}``
* ``resolved:{violation}:{recipient}:{platform}``

Rules of the game:

* fired and severity-up changes queue level-0 alerts (severity-down: none);
* an alert is due at the start of the recipient's next working period in
  their own zone (critical: at once when the workspace allows it), and not
  before the violation's snooze ends;
* a resolution skips alerts not yet sent and queues a ``resolved`` row per
  recipient and platform that got (or is getting) the alert; the dispatcher
  turns it into an edit of the original message;
* the ladder climbs one level per ``escalate.after`` of working time for
  firing, unacknowledged, un-snoozed warning/critical violations; each level
  queues alerts for the people it adds (people already told are not told
  again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from bot.lifecycle import LifecycleEvent
from bot.notify import hours, reliability, render
from bot.notify.lazy_rows import LazyRows, known_first
from bot.notify.routing import Directory, Route, Subject, route, subject_of
from engine.model import Person, Project, Severity, SubjectKind, WorkCalendar
from engine.world import World
from storage.records import NotificationRecord as Notification
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


class _Context:
    """What routing and rendering need, loaded once per call."""

    def __init__(
        self, uow: UnitOfWork, ws: int, task_ids: Iterable[int], known: World | None = None
    ) -> None:
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
        self._identities: dict[int, list[tuple[str, str]]] = {}
        self._hours: dict[int, tuple[time | None, time | None]] = {}
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


def _subject(ctx: _Context, row: ViolationRecord) -> Subject:
    return subject_of(SubjectKind(row.subject_kind), row.subject_id, ctx.directory)


Pending = list[tuple[Queued, Notice]]  # outbox rows to write, each with its notice


def _queue_alerts(
    ctx: _Context,
    row: ViolationRecord,
    routes: Sequence[Route],
    now: datetime,
    change: str,
    level: int,
    waited: str | None = None,
    waited_since: datetime | None = None,
) -> Pending:
    """The alert rows of ``row`` for ``routes`` (written by ``_write``)."""
    subject = _subject(ctx, row)
    pending: Pending = []
    fixes = reliability.labelled(row.rule_id, row.fixes, ctx.scores(row.rule_id))
    for r in routes:
        payload = render.alert_payload(
            violation_id=row.id,
            rule_id=row.rule_id,
            subject_kind=row.subject_kind,
            subject_id=row.subject_id,
            subject=ctx.label(SubjectKind(row.subject_kind), row.subject_id),
            severity=row.severity,
            explanation=row.explanation,
            fixes=fixes,
            change=change,
            level=level,
            instead_of=ctx.name(r.instead_of),
            owner=ctx.name(subject.responsible),
            waited=waited,
            waited_since=waited_since.isoformat() if waited_since else None,
            # A fired or worsened problem was just explained at ``now``; an escalation
            # reuses an older wording, so it carries none and is worded when sent.
            worded_at=now.isoformat() if change in ("fired", "severity") else None,
        )
        at = ctx.due(r.person_id, now, row.severity, row.snoozed_until)
        for platform in ctx.platforms(r.person_id):
            key = f"alert:{row.id}:{level}:{row.severity}:{r.person_id}:{platform}"
            pending.append((
                Queued(r.person_id, platform, "alert", payload, key, now, at, row.id),
                Notice(row.id, "alert", r.person_id, platform, level, at, key),
            ))
    return pending


def _told(
    ctx: _Context, rows: Sequence[ViolationRecord], now: datetime
) -> dict[int, list[Notification]]:
    """Skip the resolved rows' alerts not sent yet; by violation, the alerts that went
    out (or are going out): their recipients hear of the resolution."""
    uow = ctx.uow
    ids = [row.id for row in rows]
    uow.outbox.cancel_pending_many(ctx.ws, ids, now, "resolved before delivery")
    alerts = uow.outbox.for_violations(ctx.ws, ids, "alert")
    return {
        vid: [n for n in found
              if n.status == "sending" or (n.status == "sent" and n.platform_ref is not None)]
        for vid, found in alerts.items()
    }


def _queue_resolved(
    ctx: _Context, row: ViolationRecord, told: Sequence[Notification], now: datetime
) -> Pending:
    """A ``resolved`` row per recipient and platform ``told`` of ``row``."""
    if not told:
        return []
    text = render.resolved_text(
        ctx.label(SubjectKind(row.subject_kind), row.subject_id),
        row.rule_id,
        row.resolution,
        ctx.name(row.resolved_by_id),
    )
    pending: Pending = []
    for recipient, platform in sorted({(n.recipient_id, n.platform) for n in told}):
        key = f"resolved:{row.id}:{recipient}:{platform}"
        payload = {"violation_id": row.id, "rule": row.rule_id, "text": text}
        pending.append((
            Queued(recipient, platform, "resolved", payload, key, now, now, row.id),
            Notice(row.id, "resolved", recipient, platform, row.level, now, key),
        ))
    return pending


def _write(ctx: _Context, pending: Pending) -> list[Notice]:
    """Write the pending rows in bulk; the notices of those written (a key already
    queued, by this process or another, writes nothing)."""
    written = ctx.uow.outbox.queue_many(ctx.ws, [q for q, _ in pending])
    return [notice for (_, notice), new in zip(pending, written, strict=True) if new]


PREFETCH_FROM = 20  # notices in one call from which reading the recipients up front pays


def prefetch(
    ctx: _Context, events: Sequence[LifecycleEvent], rows: Iterable[ViolationRecord],
    reach: bool = True,
) -> None:
    """Read the likely recipients of these events' notices up front (``_Context.prefetch``)."""
    named: set[int] = set()
    for t in ctx.directory.tasks.values():
        named.update(i for i in (t.owner_id, t.creator_id, t.backup_id) if i)
    named.update(e.subject_id for e in events if e.subject_kind is SubjectKind.PERSON)
    named.update(r.resolved_by_id for r in rows if r.resolved_by_id)
    ctx.prefetch(named, reach)


def notify_events(
    uow: UnitOfWork, ws: int, now: datetime, events: Sequence[LifecycleEvent],
    known: World | None = None,
) -> list[Notice]:
    """Queue the notices for violation changes just written in this transaction.

    ``known``: the world the evaluation that found them loaded in this
    transaction; its tasks, people and projects are not read again.
    """
    wanted = [e for e in events if e.kind.value in ("fired", "severity", "resolved")]
    if not wanted:
        return []
    task_ids = {e.subject_id for e in wanted if e.subject_kind is SubjectKind.TASK}
    # The owners' Home shows these tasks' health: mark it for a repaint (bot.notify.home).
    uow.homes.mark(ws, now, owners_of=task_ids)
    ctx = _Context(uow, ws, task_ids, known)
    rows = uow.violations.get_many(ws, {e.violation_id for e in wanted})
    many = len(wanted) >= PREFETCH_FROM  # a chat change's one or two notices: look up as needed
    if many:
        # The identities and hours of those routing picks only, read below.
        prefetch(ctx, wanted, rows.values(), reach=False)
    resolved = [rows[e.violation_id] for e in wanted
                if e.kind.value == "resolved" and e.violation_id in rows]
    told = _told(ctx, resolved, now) if resolved else {}
    # In the order of the events, as they were written one by one: a resolved row,
    # or an alerting row with its routes.
    work: list[tuple[ViolationRecord, str, Sequence[Route]]] = []
    for event in wanted:
        row = rows.get(event.violation_id)
        if row is None:
            continue
        if event.kind.value == "resolved":
            work.append((row, "resolved", ()))
            continue
        if event.kind.value == "severity" and (
            event.previous_severity is None or event.severity.rank <= event.previous_severity.rank
        ):
            continue  # only a worsening is news
        subject = _subject(ctx, row)
        routes = route(row.rule_id, Severity(row.severity), subject, ctx.directory, now, 0)
        work.append((row, event.kind.value, routes))
    if many:
        ctx.reach({r.person_id for _, _, picked in work for r in picked})
    pending: Pending = []
    for row, kind, picked in work:
        if kind == "resolved":
            pending += _queue_resolved(ctx, row, told[row.id], now)
        else:
            pending += _queue_alerts(ctx, row, picked, now, kind, 0)
    return _write(ctx, pending)
