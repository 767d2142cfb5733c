"""Re-evaluate the neighbourhood of a change and persist what changed.

Runs inside the caller's unit of work, so violation changes land in the same
transaction as the change that caused them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from bot.lifecycle import Change, ChangeKind, diff
from bot.notify.notifier import notify_events
from engine.evaluate import evaluate
from engine.model import Evaluation, Fix, Severity, SubjectKind, Violation
from storage.records import ViolationRecord
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Cause:
    """Who or what made the change: a person, optionally through a fix button."""

    actor_id: int | None = None
    actor_name: str | None = None
    fix: str | None = None
    description: str | None = None

    def resolution(self) -> str:
        """How a violation resolved by this change is recorded."""
        if self.actor_name and self.description:
            return f"{self.description} by {self.actor_name}"
        if self.actor_name:
            return f"changed by {self.actor_name}"
        return "changed elsewhere"


TIME = Cause(description="time passed")


@dataclass(frozen=True)
class LifecycleEvent:
    """One violation change, for replies, notifications and the simulator."""

    at: datetime
    kind: ChangeKind
    rule_id: str
    subject_kind: SubjectKind
    subject_id: int
    severity: Severity
    explanation: str
    fingerprint: str
    violation_id: int
    previous_severity: Severity | None = None
    fixes: tuple[dict[str, object], ...] = field(default_factory=tuple)


def neighbourhood(
    uow: UnitOfWork, ws: int, seeds: Iterable[int], structural: bool = False
) -> set[int]:
    """Tasks whose verdict can change when ``seeds`` change.

    The seeds, their ancestors (subtask risk), children (child after parent)
    and direct dependents (date conflicts, dependency risk). When the change
    touched the graph (parent or dependencies), also the transitive dependents
    and dependencies: cycle membership can change along the whole chain.
    """
    seed_set = set(seeds)
    if not seed_set:
        return set()
    return seed_set | uow.tasks.related_ids(ws, seed_set, structural)


def reevaluate(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    task_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
    cause: Cause = TIME,
) -> list[LifecycleEvent]:
    """Evaluate exactly these subjects (plus owners of the tasks) and persist."""
    targets = set(task_ids)
    persons = set(person_ids)
    persons |= uow.tasks.owner_ids(ws, targets)
    # The owners' other tasks count with their stored verdicts (current by the
    # next-check invariant) instead of being re-evaluated with all their support.
    world = uow.tasks.load_world(ws, targets, persons, set(project_ids), stored_verdicts=True)
    result = evaluate(world, now, targets, persons, project_ids)
    stored = uow.violations.firing(
        ws,
        task_ids=result.task_ids,
        person_ids=result.person_ids,
        project_ids=result.project_ids,
    )
    return _persist(uow, ws, now, result, stored, cause)


def full_check(
    uow: UnitOfWork, ws: int, now: datetime, cause: Cause = TIME
) -> list[LifecycleEvent]:
    """Re-evaluate every subject of the workspace (``vigil check --full``)."""
    result = evaluate_workspace(uow, ws, now)
    return _persist(uow, ws, now, result, uow.violations.all_firing(ws), cause)


def evaluate_workspace(uow: UnitOfWork, ws: int, now: datetime) -> Evaluation:
    """Load and evaluate every task, person and project of the workspace.

    The cyclic garbage collector is paused meanwhile: loading and evaluating
    build hundreds of thousands of long-lived objects and no reference cycles
    worth collecting, and every full collection would walk them all again
    (a quarter of the time on large workspaces).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        world = uow.tasks.load_full_world(ws)
        return evaluate(world, now)
    finally:
        if paused:
            gc.enable()


def tick(uow: UnitOfWork, ws: int, now: datetime) -> list[LifecycleEvent]:
    """The periodic pass: only tasks and people whose next check has come."""
    due_tasks = uow.tasks.due_for_check(ws, now)
    due_people = uow.people.due_for_check(ws, now)
    if not due_tasks and not due_people:
        return []
    targets = neighbourhood(uow, ws, due_tasks)
    return reevaluate(uow, ws, now, targets, due_people, cause=TIME)


def _persist(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    result: Evaluation,
    stored: list[ViolationRecord],
    cause: Cause,
) -> list[LifecycleEvent]:
    events = [_apply(uow, ws, now, change, cause) for change in diff(stored, result.violations)]
    uow.tasks.set_next_check(ws, dict(result.task_next_check))
    uow.people.set_next_check(ws, dict(result.person_next_check))
    changed = [e for e in events if e is not None]
    notify_events(uow, ws, now, changed)  # the outbox rows commit with the changes
    return changed


def _apply(
    uow: UnitOfWork, ws: int, now: datetime, change: Change, cause: Cause
) -> LifecycleEvent | None:
    if change.kind is ChangeKind.FIRED:
        assert change.found is not None
        row = uow.violations.fire(ws, change.found, now)  # idempotent under races
        return _event(now, change.kind, change.found, row.id)
    if change.kind is ChangeKind.RESOLVED:
        assert change.stored is not None
        row = change.stored
        uow.violations.resolve(
            ws, row.id, now, cause.resolution(), by_id=cause.actor_id, fix=cause.fix
        )
        return LifecycleEvent(
            at=now,
            kind=change.kind,
            rule_id=row.rule_id,
            subject_kind=SubjectKind(row.subject_kind),
            subject_id=row.subject_id,
            severity=Severity(row.severity),
            explanation=row.explanation,
            fingerprint=row.fingerprint,
            violation_id=row.id,
        )
    assert change.found is not None and change.stored is not None
    fields: dict[str, object] = {
        "explanation": change.found.explanation,
        "fixes": [_fix_dict(f) for f in change.found.fixes],
    }
    if change.kind is ChangeKind.REWORDED:
        uow.violations.update(ws, change.stored.id, **fields)
        return None
    uow.violations.update(
        ws,
        change.stored.id,
        severity=change.found.severity.value,
        severity_changed_at=now,
        **fields,
    )
    return _event(
        now,
        change.kind,
        change.found,
        change.stored.id,
        previous=Severity(change.stored.severity),
    )


def _fix_dict(fix: Fix) -> dict[str, object]:
    return {"action": fix.action, "label": fix.label, "args": dict(fix.args)}


def _event(
    now: datetime,
    kind: ChangeKind,
    v: Violation,
    violation_id: int,
    previous: Severity | None = None,
) -> LifecycleEvent:
    return LifecycleEvent(
        at=now,
        kind=kind,
        rule_id=v.rule_id,
        subject_kind=v.subject_kind,
        subject_id=v.subject_id,
        severity=v.severity,
        explanation=v.explanation,
        fingerprint=v.fingerprint,
        violation_id=violation_id,
        previous_severity=previous,
        fixes=tuple(_fix_dict(f) for f in v.fixes),
    )
