"""``fire``: the firing insert is idempotent on the fingerprint, also across transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from engine.model import Severity, SubjectKind, Violation
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def _violation(subject: int) -> Violation:
    return Violation(rule_id="task.overdue", subject_kind=SubjectKind.TASK, subject_id=subject,
                     severity=Severity.CRITICAL, explanation="2 days past its deadline", fixes=())


def test_firing_twice_returns_the_row_already_firing(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        first = u.violations.fire(ws, _violation(7), now)
        again = u.violations.fire(ws, _violation(7), now + timedelta(minutes=1))
        assert again == first and len(u.violations.all_firing(ws)) == 1
        u.violations.resolve(ws, first.id, now + timedelta(hours=1), "fixed")
        third = u.violations.fire(ws, _violation(7), now + timedelta(hours=2))
        assert third.id != first.id and third.fired_at == now + timedelta(hours=2)
        u.commit()


def test_two_transactions_firing_at_once_end_with_one_row(uow: U, ws: int, now: datetime,
                                                          database_url: str | None) -> None:
    """PostgreSQL: the second insert waits for the first to commit, then yields to it."""
    if database_url is None:
        pytest.skip("SQLite has one writer at a time by construction (BEGIN IMMEDIATE)")
    holding = threading.Event()
    results: list[int] = []

    def other() -> None:
        holding.wait(10)
        with uow() as u:
            results.append(u.violations.fire(ws, _violation(9), now).id)
            u.commit()

    thread = threading.Thread(target=other)
    thread.start()
    with uow() as u:
        mine = u.violations.fire(ws, _violation(9), now)
        holding.set()
        thread.join(0.5)  # the other insert is blocked on our uncommitted row
        assert thread.is_alive()
        u.commit()
    thread.join(10)
    assert results == [mine.id]
    with uow() as u:
        assert [v.id for v in u.violations.all_firing(ws)] == [mine.id]
