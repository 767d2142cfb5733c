"""Write what an evaluation changed: violations, next checks and their notices.

Set-based: the newly firing rows go in multi-row INSERTs (no savepoint per
row), the resolved ones in one executemany, new wording and severities in
one executemany per shape, the next checks in one executemany per table.
All of it lands in the caller's transaction, with the outbox rows
(transactional outbox).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.lifecycle import Change, ChangeKind, LifecycleEvent, diff
from bot.notify.escalation import first_escalation
from bot.notify.notifier import notify_events
from engine.model import Evaluation, Fix, Severity, SubjectKind, Violation
from engine.world import World
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

# Queues the notices of the events just written (default: one alert per change).
Notify = Callable[[UnitOfWork, int, datetime, Sequence[LifecycleEvent]], object]


class CheckNotify(Protocol):
    """A full check's notify step: a ``Notify`` that also takes ``known``, the tasks the
    batch just read, so its notices need not read them again (``notify_events`` and
    ``bot.notify.summary.Summaries`` are two)."""

    def __call__(self, uow: UnitOfWork, ws: int, now: datetime,
                 events: Sequence[LifecycleEvent], known: World | None = None) -> object:
        """Queue the notices of ``events``."""


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


def persist(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    result: Evaluation,
    stored: list[ViolationRecord],
    cause: Cause,
    notify: Notify = notify_events,
    checks_due: bool = False,
) -> list[LifecycleEvent]:
    """Store the difference between ``stored`` and ``result``; return the events.

    ``checks_due``: the subjects' stored next checks have come (a tick's due
    subjects): the new ones are written without reading the old ones first.
    """
    record = uow.workspaces.get(ws)
    if record is None:
        raise ValueError(f"no workspace {ws}")
    changes = diff(stored, result.violations)
    fired = [c.found for c in changes if c.kind is ChangeKind.FIRED and c.found is not None]
    # The first climb depends on the rule and severity only (all fire now): worked out
    # once per pair, not once per violation (a first check fires a million).
    pairs = {(v.rule_id, v.severity) for v in fired}
    ladder = {(rule, sev): first_escalation(record, rule, sev, now) for rule, sev in pairs}
    written = uow.violations.fire_many(
        ws, [(v, ladder[v.rule_id, v.severity]) for v in fired], now
    )
    resolved = [c.stored.id for c in changes if c.kind is ChangeKind.RESOLVED and c.stored]
    uow.violations.resolve_many(
        ws, resolved, now, cause.resolution(), by_id=cause.actor_id, fix=cause.fix
    )
    redecided: list[tuple[int, dict[str, object]]] = []
    events = [_event_of(now, change, written, redecided) for change in changes]
    uow.violations.redecide_many(ws, redecided)
    read_first = not checks_due
    uow.tasks.set_next_check(ws, dict(result.task_next_check), read_first)
    uow.people.set_next_check(ws, dict(result.person_next_check), read_first)
    changed = [e for e in events if e is not None]
    notify(uow, ws, now, changed)  # the outbox rows commit with the changes
    return changed


def _event_of(
    now: datetime, change: Change, written: dict[str, ViolationRecord],
    redecided: list[tuple[int, dict[str, object]]],
) -> LifecycleEvent | None:
    """The event of one change; new wording or severity goes to ``redecided``."""
    if change.kind is ChangeKind.FIRED:
        assert change.found is not None
        row = written[change.fingerprint]
        return _event(now, change.kind, change.found, row.id, row=row)
    if change.kind is ChangeKind.RESOLVED:
        assert change.stored is not None
        row = change.stored
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
        redecided.append((change.stored.id, fields))
        return None
    fields.update(
        severity=change.found.severity.value,
        severity_changed_at=now,
        next_escalation_at=now,  # the ladder works out the new severity's next climb
    )
    redecided.append((change.stored.id, fields))
    return _event(
        now, change.kind, change.found, change.stored.id, previous=Severity(change.stored.severity)
    )


def _fix_dict(fix: Fix) -> dict[str, object]:
    return {"action": fix.action, "label": fix.label, "args": dict(fix.args)}


def _event(
    now: datetime,
    kind: ChangeKind,
    v: Violation,
    violation_id: int,
    previous: Severity | None = None,
    row: ViolationRecord | None = None,
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
        row=row,
    )
