"""Drive the production services with a simulated clock and collect events."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.evaluation import Cause, LifecycleEvent, full_check, tick
from bot.notify.dispatcher import ANY_PLATFORM, Dispatcher
from bot.notify.notifier import escalate
from bot.notify.ports import RecordingPort
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from bot.services import violations as violation_svc
from bot.services.obligations import materialize
from bot.simulate.scenario import EventSpec, Scenario, ScenarioError
from engine import calendar as cal_ops
from engine.durations import Duration
from engine.model import SubjectKind, WorkCalendar
from storage.db import make_engine, upgrade
from storage.uow import UnitOfWork, make_uow_factory


@dataclass(frozen=True)
class SimulationEvent:
    """One line of simulator output (DESIGN.md §10)."""

    at: datetime
    event: str
    rule: str
    task: str | None
    person: str | None
    severity: str
    explanation: str
    to: str | None = None
    level: int | None = None
    title: str | None = None  # the task's title, for the readable timeline

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "event": self.event,
            "rule": self.rule,
            "task": self.task,
            "person": self.person,
            "severity": self.severity,
            "to": self.to,
            "level": self.level,
            "explanation": self.explanation,
        }


class _Names:
    """Scenario names <-> database ids for one run."""

    def __init__(self) -> None:
        self.people: dict[str, int] = {}
        self.projects: dict[str, int] = {}
        self.tasks: dict[str, int] = {}
        self.titles: dict[str, str] = {}

    def person_name(self, pid: int) -> str | None:
        return next((n for n, i in self.people.items() if i == pid), None)

    def project_name(self, pid: int) -> str | None:
        return next((n for n, i in self.projects.items() if i == pid), None)

    def task_ref(self, tid: int) -> str | None:
        return next((r for r, i in self.tasks.items() if i == tid), None)

    def title(self, ref: str | None) -> str | None:
        return self.titles.get(ref or "")


def run_scenario(scenario: Scenario, workdir: str | Path | None = None) -> list[SimulationEvent]:
    """Run a scenario on a fresh embedded database; return events in time order."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'simulation.db'}")
        try:
            upgrade(engine)
            return _Run(scenario, make_uow_factory(engine)).run()
        finally:
            engine.dispose()


class _Run:
    def __init__(self, scenario: Scenario, uow_factory: Any) -> None:
        self.sc = scenario
        self.uow = uow_factory
        self.names = _Names()
        self.cal = WorkCalendar(
            tz=scenario.timezone,
            workdays=frozenset(scenario.workdays if scenario.workdays is not None else range(5)),
            holidays=frozenset(scenario.holidays),
        )
        self.out: list[SimulationEvent] = []
        self.ws = 0
        # Notifications go through the production outbox, ladder and dispatcher;
        # the recording port stands in for every chat platform.
        self.port = RecordingPort(prefix="sim")
        self.dispatcher = Dispatcher(uow_factory, {ANY_PLATFORM: self.port})

    def at(self, local: datetime) -> datetime:
        if local.tzinfo is not None:
            return local.astimezone(cal_ops.UTC)
        return cal_ops.from_local(self.cal, local)

    def run(self) -> list[SimulationEvent]:
        start, until = self.at(self.sc.start), self.at(self.sc.until)
        with self.uow() as uow:
            self._setup(uow, start)
            self._emit(uow, materialize(uow, self.ws, start))
            self._emit(uow, full_check(uow, self.ws, start))
            uow.commit()
        self._notify(start)
        step = Duration.parse(self.sc.tick)
        step_delta = (
            timedelta(hours=step.amount) if step.unit == "h" else timedelta(minutes=step.amount)
        )
        events = sorted(
            ((self.at(e.at), i, e) for i, e in enumerate(self.sc.events)), key=lambda x: x[:2]
        )
        ticks = []
        t = start + step_delta
        while t <= until:
            ticks.append(t)
            t += step_delta
        instants = sorted({t for t in ticks} | {e[0] for e in events if start <= e[0] <= until})
        pending = [e for e in events if start <= e[0] <= until]
        tick_set = set(ticks)
        for now in instants:
            while pending and pending[0][0] == now:
                self._apply(pending.pop(0)[2], now)
            if now in tick_set:
                with self.uow() as uow:
                    self._emit(uow, materialize(uow, self.ws, now))
                    self._emit(uow, tick(uow, self.ws, now))
                    uow.commit()
                self._notify(now)
        return self.out

    def _notify(self, now: datetime) -> None:
        """Climb the ladder, then deliver what is due: ``notified`` / ``escalated`` lines."""
        with self.uow() as uow:
            escalate(uow, self.ws, now)
            uow.commit()
        while True:
            result = self.dispatcher.run_once(now)
            for delivery in result.sent:
                for row in delivery.rows:
                    if row.kind == "alert":
                        self._notice(row.payload, delivery.recipient_id, now)
            if result.claimed == 0:
                return

    def _notice(self, payload: dict[str, Any], recipient: int, now: datetime) -> None:
        kind = SubjectKind(str(payload.get("subject_kind", "task")))
        subject_id = int(payload.get("subject_id") or 0)
        with self.uow() as uow:
            task, person = self._subject(uow, kind, subject_id)
        level = int(payload.get("level") or 0)
        self.out.append(
            SimulationEvent(
                at=cal_ops.to_local(self.cal, now),
                event="escalated" if payload.get("escalated") else "notified",
                rule=str(payload.get("rule")),
                task=task,
                person=person,
                severity=str(payload.get("severity")),
                explanation=str(payload.get("explanation")),
                to=self.names.person_name(recipient),
                level=level,
                title=self.names.title(task),
            )
        )

    def _subject(
        self, uow: UnitOfWork, kind: SubjectKind, subject_id: int
    ) -> tuple[str | None, str | None]:
        task = person = None
        if kind is SubjectKind.TASK:
            task = self.names.task_ref(subject_id)
            if task is None:
                row = uow.tasks.get(self.ws, subject_id)
                if row is not None and row.occurrence_of is not None:
                    task = self.names.task_ref(row.occurrence_of)
        elif kind is SubjectKind.PERSON:
            person = self.names.person_name(subject_id)
        return task, person

    def _setup(self, uow: UnitOfWork, start: datetime) -> None:
        sc = self.sc
        ws = uow.workspaces.create(
            f"sim:{sc.name}", sc.name, tz=sc.timezone, settings=sc.settings, calendar=self.cal
        )
        self.ws = ws.id
        for p in sc.people:
            self.names.people[p.name] = uow.people.add(
                ws.id, p.name, handle=p.name.lower(), role=p.role, tz=p.tz
            ).id
        for p in sc.people:
            fields = {
                "reports_to_id": self.names.people.get(p.reports_to or ""),
                "backup_id": self.names.people.get(p.backup or ""),
            }
            uow.people.update(ws.id, self.names.people[p.name], **fields)
        for pr in sc.projects:
            self.names.projects[pr.name] = uow.projects.add(
                ws.id,
                pr.name,
                manager_id=self.names.people.get(pr.manager or ""),
                due=self.at(pr.due) if pr.due else None,
                settings=pr.settings,
            ).id
        for t in sc.tasks:
            self.names.titles[t.ref] = t.title
            begin = self.at(t.start) if t.start else start
            last = self.at(t.last_progress) if t.last_progress else begin
            self.names.tasks[t.ref] = uow.tasks.add(
                ws.id,
                t.title,
                created_at=min(begin, start),
                start=begin,
                due=self.at(t.due) if t.due else None,
                status=t.status,
                progress=t.progress,
                status_since=last,
                last_progress_at=last,
                last_activity_at=last,
                completed_at=start if t.status in ("done", "cancelled") else None,
                owner_id=self.names.people.get(t.owner or ""),
                priority=t.priority,
                project_id=self.names.projects.get(t.project or ""),
                blocked_reason=t.blocked_reason,
                proof_required=t.proof,
                backup_id=self.names.people.get(t.backup or ""),
                recurrence=t.recurrence,
                window=t.window,
            ).id
        for t in sc.tasks:
            uow.tasks.update(
                ws.id,
                self.names.tasks[t.ref],
                parent_id=self.names.tasks.get(t.parent or ""),
                depends_on=[self.names.tasks[d] for d in t.depends_on],
            )

    def _apply(self, e: EventSpec, now: datetime) -> None:
        actor = self.names.people.get(e.by or "")
        cause = Cause(actor_id=actor, actor_name=e.by)
        self.out.append(SimulationEvent(
            at=cal_ops.to_local(self.cal, now), event="change", rule="", task=e.task,
            person=e.by or (e.ooo or {}).get("person"), severity="",
            explanation=change_words(e, self.cal), title=self.names.title(e.task)))
        with self.uow() as uow:
            if e.ooo is not None:
                self._ooo(uow, e, now, cause)
            if e.task is not None:
                self._task_event(uow, e, now, actor, cause)
            uow.commit()

    def _task_event(
        self, uow: UnitOfWork, e: EventSpec, now: datetime, actor: int | None, cause: Cause
    ) -> None:
        assert e.task is not None
        tid = self._event_target(uow, self.names.tasks[e.task], now)
        changes: dict[str, Any] = {}
        if e.progress is not None:
            changes["progress"] = e.progress
        if e.status is not None:
            changes["status"] = e.status
        if e.owner is not None:
            changes["owner_id"] = self.names.people[e.owner]
        if e.due is not None:
            changes["due"] = self.at(e.due)
        if e.block is not None:
            changes.update(status="blocked", blocked_reason=e.block)
        if e.unblock:
            changes["status"] = "in_progress"
        if e.proof is not None:
            changes["proof"] = e.proof
        if e.done:
            changes["status"] = "done"
        if changes:
            self._emit(
                uow,
                task_svc.update_task(uow, self.ws, now, actor, tid, cause=cause, **changes).events,
            )
        if e.note is not None and actor is not None:
            self._emit(uow, task_svc.add_note(uow, self.ws, now, actor, tid, e.note).events)
        if e.ack or e.snooze is not None:
            for row in uow.violations.firing(self.ws, task_ids=[tid]):
                if e.ack and actor is not None:
                    violation_svc.acknowledge(uow, self.ws, row.id, actor, now)
                if e.snooze is not None:
                    violation_svc.snooze(uow, self.ws, row.id, self.at(e.snooze), now)

    def _ooo(self, uow: UnitOfWork, e: EventSpec, now: datetime, cause: Cause) -> None:
        spec = e.ooo or {}
        name = spec.get("person")
        if name not in self.names.people:
            raise ScenarioError(f"ooo event at {e.at}: unknown person '{name}'")
        until = spec.get("until")
        fields: dict[str, Any] = {
            "ooo_from": now,
            "ooo_until": self.at(_as_local(until)) if until is not None else None,
        }
        if spec.get("backup"):
            fields["backup_id"] = self.names.people[spec["backup"]]
        _, events = people_svc.update_person(
            uow, self.ws, now, self.names.people[name], cause=cause, **fields
        )
        self._emit(uow, events)

    def _event_target(self, uow: UnitOfWork, tid: int, now: datetime) -> int:
        """On an obligation, events apply to its latest occurrence that has started."""
        task = uow.tasks.get(self.ws, tid)
        if task is None or task.recurrence is None:
            return tid
        self._emit(uow, materialize(uow, self.ws, now))
        started = [
            t
            for t in uow.tasks.get_many(self.ws, uow.tasks.occurrence_ids(self.ws, tid))
            if t.effective_start <= now
        ]
        if not started:
            raise ScenarioError(
                f"event at {now}: '{self.names.task_ref(tid)}' has no occurrence yet"
            )
        return max(started, key=lambda t: (t.effective_start, t.id)).id

    def _emit(self, uow: UnitOfWork, events: list[LifecycleEvent]) -> None:
        for ev in events:
            task, person = self._subject(uow, ev.subject_kind, ev.subject_id)
            self.out.append(
                SimulationEvent(
                    at=cal_ops.to_local(self.cal, ev.at),
                    event=ev.kind.value,
                    rule=ev.rule_id,
                    task=task,
                    person=person,
                    severity=ev.severity.value,
                    explanation=ev.explanation,
                    title=self.names.title(task),
                )
            )


def change_words(e: EventSpec, cal: WorkCalendar) -> str:
    """What a scenario event changes, in words: 'progress 60%', 'blocked: waiting for IT'."""
    def when(at: datetime) -> str:
        local = at if at.tzinfo is None else cal_ops.to_local(cal, at)
        return f"{local:%a} {local.day} {local:%b %H:%M}"

    words = []
    if e.progress is not None:
        words.append(f"progress {e.progress}%")
    if e.status is not None:
        words.append(e.status.replace("_", " "))
    if e.owner is not None:
        words.append(f"gave it to {e.owner}")
    if e.due is not None:
        words.append(f"due {when(e.due)}")
    if e.block is not None:
        words.append(f"blocked: {e.block}")
    if e.unblock:
        words.append("unblocked")
    if e.proof is not None:
        words.append("proof added")
    if e.done:
        words.append("done")
    if e.note is not None:
        words.append(f"note: {e.note}")
    if e.ack:
        words.append("acknowledged the alert")
    if e.snooze is not None:
        words.append(f"snoozed until {when(e.snooze)}")
    if e.ooo is not None:
        until = (e.ooo or {}).get("until")
        words.append(f"out of office until {until}" if until else "back in the office")
    return ", ".join(words) or "no change"


def _as_local(value: Any) -> datetime:
    from bot.simulate.scenario import _local

    result = _local(value)
    if isinstance(value, str) and len(value) == 10:
        return datetime.combine(result.date(), time(17, 0))
    return result
