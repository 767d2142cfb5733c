"""The ladder's climbs stored for many violations at once (ViolationRepository.climb)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from engine.model import Severity, SubjectKind, Violation
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def _violation(subject: int) -> Violation:
    return Violation(
        rule_id="task.overdue",
        subject_kind=SubjectKind.TASK,
        subject_id=subject,
        severity=Severity.WARNING,
        explanation="2 days past its deadline",
    )


@pytest.mark.parametrize(
    ("climbs", "expected"),
    [
        # {index of the row: (level, hours after now)} -> each row's (level, hours) afterwards
        # (a row fired now is at level 0 since now)
        ({}, [(0, 0), (0, 0), (0, 0)]),
        ({0: (1, 24)}, [(1, 24), (0, 0), (0, 0)]),
        ({0: (1, 24), 2: (2, 48)}, [(1, 24), (0, 0), (2, 48)]),
    ],
)
def test_climb_sets_level_and_instant_of_the_given_rows_only(
    uow: U, ws: int, now: datetime,
    climbs: dict[int, tuple[int, int]], expected: list[tuple[int, int]],
) -> None:
    with uow() as u:
        ids = [u.violations.insert(ws, _violation(s), now).id for s in (1, 2, 3)]
        other = u.workspaces.create("console:other", "Other").id
        foreign = u.violations.insert(other, _violation(1), now).id
        levels = {ids[i]: (lvl, now + timedelta(hours=h)) for i, (lvl, h) in climbs.items()}
        # An id of another workspace is not climbed from this one.
        u.violations.climb(ws, levels | {foreign: (3, now)})
        u.commit()
    with uow() as u:
        rows = [u.violations.get(ws, vid) for vid in ids]
        untouched = u.violations.get(other, foreign)
    assert all(r.level_changed_at is not None for r in rows)
    got = [(r.level, int((r.level_changed_at - now).total_seconds() // 3600))  # type: ignore[operator]
           for r in rows]
    assert got == expected
    assert (untouched.level, untouched.level_changed_at) == (0, now)


def test_climb_refuses_a_naive_instant_and_writes_nothing(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        a = u.violations.insert(ws, _violation(1), now).id
        b = u.violations.insert(ws, _violation(2), now).id
        with pytest.raises(ValueError):
            u.violations.climb(ws, {a: (1, now), b: (1, datetime(2026, 3, 10, 12, 0))})
        assert [u.violations.get(ws, v).level for v in (a, b)] == [0, 0]
