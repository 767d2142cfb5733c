"""A report's reads of the firing violations: counts of all, rows of the worst few."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from engine.model import Severity, SubjectKind, Violation
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]

FOUND = [  # rule, subject, severity
    ("task.overdue", 3, Severity.CRITICAL),
    ("task.overdue", 1, Severity.CRITICAL),
    ("task.stalled", 2, Severity.WARNING),
    ("task.missing_deadline", 4, Severity.INFO),
    ("task.stalled", 5, Severity.WARNING),
]


@pytest.fixture
def stored(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        for rule, subject, severity in FOUND:
            u.violations.insert(ws, Violation(rule, SubjectKind.TASK, subject, severity, "x"), now)
        resolved = u.violations.insert(
            ws, Violation("task.overdue", SubjectKind.TASK, 9, Severity.CRITICAL, "x"), now
        )
        u.violations.resolve_many(ws, [resolved.id], now, "done")
        other = u.workspaces.create("console:other", "Other").id
        u.violations.insert(
            other, Violation("task.overdue", SubjectKind.TASK, 1, Severity.CRITICAL, "x"), now
        )
        u.commit()


def test_firing_counts_by_severity_and_rule(uow: U, ws: int, stored: None) -> None:
    with uow() as u:
        assert u.violations.firing_counts(ws) == {
            ("critical", "task.overdue"): 2,
            ("warning", "task.stalled"): 2,
            ("info", "task.missing_deadline"): 1,
        }


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (0, []),
        (1, ["task.overdue:task:1"]),
        (3, ["task.overdue:task:1", "task.overdue:task:3", "task.stalled:task:2"]),
        (99, ["task.overdue:task:1", "task.overdue:task:3", "task.stalled:task:2",
              "task.stalled:task:5", "task.missing_deadline:task:4"]),
    ],
)
def test_worst_firing_most_severe_first_at_most_limit(
    uow: U, ws: int, stored: None, limit: int, expected: list[str]
) -> None:
    with uow() as u:
        rows = u.violations.worst_firing(ws, limit)
    assert [r.fingerprint for r in rows] == expected
    assert all(r.state == "firing" and r.fixes == [] for r in rows)


def test_worst_firing_refuses_a_negative_limit(uow: U, ws: int) -> None:
    with uow() as u, pytest.raises(ValueError):
        u.violations.worst_firing(ws, -1)
