"""Drive the production services with a simulated clock and collect events."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.evaluation import Cause, LifecycleEvent, full_check, tick
from bot.notify.dispatcher import ANY_PLATFORM, Dispatcher
from bot.notify.escalation import escalate
from bot.notify.escalation_summary import SKIPPED
from bot.notify.ports import RecordingPort
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from bot.services import violations as violation_svc
from bot.services.obligations import materialize
from bot.simulate.scenario import EventSpec, Scenario, ScenarioError
from bot.simulate.setup import Names, build_scenario
from bot.simulate.wording import as_local, change_words
from engine import calendar as cal_ops
from engine.durations import Duration
from engine.model import SubjectKind, WorkCalendar
from storage.db import make_engine, upgrade
from storage.records import NotificationRecord as Notification
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
        self.names = Names()
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
            self.ws = build_scenario(uow, self.sc, start, self.names, self.at, self.cal)
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
                    elif row.kind == "digest" and row.dedup_key.startswith("escalated:"):
                        self._summarised(row, delivery.recipient_id, now)
            if result.claimed == 0:
                return

    def _summarised(self, summary: Notification, recipient: int, now: datetime) -> None:
        """An escalation summary (``bot.notify.escalation_summary``): the problems it told,
        one ``escalated`` line each, as single alerts would have been told."""
        with self.uow() as uow:
            told = [r for r in uow.outbox.list(self.ws)
                    if r.recipient_id == recipient and r.kind == "alert"
                    and r.created_at == summary.created_at and r.platform == summary.platform
                    and r.last_error == f"skipped: {SKIPPED}"]
        for row in told:
            self._notice(row.payload, recipient, now)

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
            "ooo_until": self.at(as_local(until)) if until is not None else None,
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
