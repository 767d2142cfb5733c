"""The violation lifecycle as a pure decision: stored state + findings -> changes.

fire -> (severity change) -> resolve. A violation resolves only because its
rule stopped firing; ack and snooze never clear it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from engine.model import Severity, SubjectKind, Violation
from storage.records import ViolationRecord


class ChangeKind(StrEnum):
    FIRED = "fired"
    SEVERITY = "severity"
    RESOLVED = "resolved"
    REWORDED = "reworded"  # same problem, new numbers in the explanation: no notice


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    fingerprint: str
    found: Violation | None  # what the engine sees now (None when resolved)
    stored: ViolationRecord | None  # what was firing before (None when fired)


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
    # The violation's row as this transaction just wrote it (a fired one), so the
    # notices queued next do not read it back; not part of the event's identity.
    row: ViolationRecord | None = field(default=None, compare=False, repr=False)


def diff(stored: Iterable[ViolationRecord], found: Iterable[Violation]) -> list[Change]:
    """Compare the firing rows of an evaluated scope with what the engine found.

    Both sides must cover the same scope (the same subjects); the result is
    sorted by fingerprint so it is deterministic.
    """
    before = {row.fingerprint: row for row in stored}
    now = {v.fingerprint: v for v in found}
    changes: list[Change] = []
    for fp in sorted(set(before) | set(now)):
        row, v = before.get(fp), now.get(fp)
        if row is None and v is not None:
            changes.append(Change(ChangeKind.FIRED, fp, v, None))
        elif v is None and row is not None:
            changes.append(Change(ChangeKind.RESOLVED, fp, None, row))
        elif v is not None and row is not None:
            if v.severity.value != row.severity:
                changes.append(Change(ChangeKind.SEVERITY, fp, v, row))
            elif v.explanation != row.explanation:
                changes.append(Change(ChangeKind.REWORDED, fp, v, row))
    return changes
