"""The outbox: dedup keys make a double queueing impossible."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from engine.model import Severity, SubjectKind, Violation
from storage.errors import InvalidReference
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def test_add_and_dedup(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        v = u.violations.insert(
            ws, Violation("task.overdue", SubjectKind.TASK, 1, Severity.CRITICAL, "late"), now
        )
        payload = {"text": "#1 is overdue", "buttons": [{"action": "task.done", "task": 1}]}
        first = u.outbox.add(ws, priya, "slack", "alert", payload, "alert:1:0", now, v.id)
        assert first is not None and first.status == "pending" and first.attempts == 0
        assert first.payload == payload and first.next_attempt_at == now
        assert first.violation_id == v.id
        again = u.outbox.add(ws, priya, "slack", "alert", {"other": 1}, "alert:1:0", now)
        assert again is None
        # The transaction is still usable after the refused insert.
        second = u.outbox.add(ws, priya, "slack", "digest", {}, "digest:2026-03-10", now)
        assert second is not None
        u.commit()
    with uow() as u:
        assert [n.dedup_key for n in u.outbox.list(ws)] == ["alert:1:0", "digest:2026-03-10"]
        assert u.outbox.get(ws, first.id) == first
        assert u.outbox.by_dedup_key(ws, "digest:2026-03-10") == second
        assert u.outbox.list(ws, status="sent") == []
        assert len(u.outbox.list(ws, status="pending")) == 2
        later = now + timedelta(days=1)
        assert u.outbox.add(ws, priya, "telegram", "alert", {}, "alert:1:0", later) is None


def test_dedup_across_transactions_and_bad_input(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        assert u.outbox.add(ws, priya, "slack", "reply", {}, "k", now) is not None
        u.commit()
    with uow() as u:
        assert u.outbox.add(ws, priya, "slack", "reply", {}, "k", now) is None
        with pytest.raises(ValueError):
            u.outbox.add(ws, priya, "slack", "shout", {}, "k2", now)
        with pytest.raises(InvalidReference):
            u.outbox.add(ws, 999, "slack", "reply", {}, "k3", now)
        with pytest.raises(ValueError):
            u.outbox.add(ws, priya, "slack", "reply", {}, "k4", now.replace(tzinfo=None))
