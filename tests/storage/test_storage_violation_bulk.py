"""``insert_many`` stores a batch's new violations as ``insert`` would, row by row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from engine.model import Fix, Severity, SubjectKind, Violation
from storage.repositories import violation_writes
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
FIX = Fix("task.extend", "Extend by a week", (("task", 1), ("days", 7)))


def _found(n: int) -> list[Violation]:
    return [
        Violation("task.overdue", SubjectKind.TASK, i, Severity.CRITICAL, f"late {i}", (FIX,),
                  stage="2d" if i % 2 else None)
        for i in range(1, n + 1)
    ]


@pytest.mark.parametrize("ladder", [None, timedelta(hours=4)])
def test_insert_many_matches_insert_column_for_column(
    uow: U, ws: int, now: datetime, monkeypatch: pytest.MonkeyPatch, ladder: timedelta | None
) -> None:
    monkeypatch.setattr(violation_writes, "CHUNK", 2)  # 5 rows: chunks of 2, 2 and 1
    found = _found(5)
    climb = None if ladder is None else now + ladder
    with uow() as u:
        ids = u.violations.insert_many(ws, [(v, climb) for v in found], now)
        u.commit()
    assert sorted(ids) == sorted(v.fingerprint for v in found)
    with uow() as u:
        many = u.violations.get_many(ws, ids.values())
        other = u.workspaces.create("console:other", "Other").id
        one = [u.violations.insert(other, v, now, next_escalation_at=climb) for v in found]
    for v, single in zip(found, one, strict=True):
        row = many[ids[v.fingerprint]]
        assert replace(row, id=single.id, workspace_id=other) == single
        assert (row.fired_at, row.level_changed_at, row.severity_changed_at) == (now, now, now)
        assert row.next_escalation_at == climb and row.level == 0 and row.state == "firing"


def test_insert_many_keeps_the_row_already_firing(uow: U, ws: int, now: datetime) -> None:
    found = _found(3)
    with uow() as u:
        first = u.violations.insert(ws, found[1], now - timedelta(days=1))
        ids = u.violations.insert_many(ws, [(v, None) for v in found], now)
        assert ids[found[1].fingerprint] == first.id
        assert u.violations.get_many(ws, [first.id])[first.id].fired_at == now - timedelta(days=1)
        assert len(u.violations.all_firing(ws)) == 3
        assert u.violations.insert_many(ws, [], now) == {}


def test_insert_many_refuses_a_naive_instant_and_writes_nothing(uow: U, ws: int) -> None:
    naive = datetime(2026, 3, 10, 12, 0)
    with uow() as u:
        with pytest.raises(ValueError):
            u.violations.insert_many(ws, [(v, None) for v in _found(2)], naive)
        assert u.violations.all_firing(ws) == []


def test_get_many_without_fixes_is_the_row_less_its_fixes(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        ids = u.violations.insert_many(ws, [(v, None) for v in _found(3)], now)
        whole = u.violations.get_many(ws, ids.values())
        light = u.violations.get_many(ws, [*ids.values(), 999_999], fixes=False)
    assert sorted(light) == sorted(whole) == sorted(ids.values())
    for vid, row in whole.items():
        assert row.fixes and light[vid].fixes == []
        assert replace(light[vid], fixes=row.fixes) == row


def test_firing_without_lifecycle_is_each_rows_verdict(uow: U, ws: int, now: datetime) -> None:
    later = now + timedelta(hours=2)
    with uow() as u:
        ids = u.violations.insert_many(ws, [(v, later) for v in _found(4)], now)
        whole = u.violations.firing(ws, task_ids=[1, 2, 3, 4, 99])
        light = u.violations.firing(ws, task_ids=[1, 2, 3, 4, 99], lifecycle=False)
    assert [r.id for r in light] == sorted(ids.values())
    none = dict.fromkeys(("fixes", "fired_at", "resolved_at", "resolution", "resolved_by_id",
                          "resolved_fix", "level_changed_at", "acked_by_id", "acked_at",
                          "snoozed_until", "severity_changed_at", "next_escalation_at"))
    by_id = {r.id: r for r in whole}
    for row in light:
        full = by_id[row.id]
        assert full.fired_at == now and full.next_escalation_at == later and full.fixes
        assert row.fixes == [] and row.fired_at is None and row.next_escalation_at is None
        assert replace(full, **{**none, "fixes": []}) == row
