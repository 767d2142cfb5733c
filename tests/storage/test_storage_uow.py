"""Unit of work: commit keeps, everything else rolls back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def test_commit_keeps_changes(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        u.tasks.add(ws, "kept", now)
        u.commit()
    with uow() as u:
        assert [t.title for t in u.tasks.list(ws)] == ["kept"]


def test_exception_rolls_back(uow: U, ws: int, now: datetime) -> None:
    with pytest.raises(RuntimeError), uow() as u:
        u.tasks.add(ws, "lost", now)
        u.people.add(ws, "Lost person")
        raise RuntimeError("boom")
    with uow() as u:
        assert u.tasks.count(ws) == 0 and u.people.count(ws) == 0


def test_leaving_without_commit_rolls_back(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        u.tasks.add(ws, "first", now)
        u.commit()
        u.tasks.add(ws, "after the commit", now)
    with uow() as u:
        assert [t.title for t in u.tasks.list(ws)] == ["first"]


def test_explicit_rollback_and_closed_use(uow: U, ws: int, now: datetime) -> None:
    unit = uow()
    with unit as u:
        u.tasks.add(ws, "undone", now)
        u.rollback()
        assert u.tasks.count(ws) == 0
    with pytest.raises(RuntimeError):
        unit.commit()
    with pytest.raises(AttributeError):
        unit.tasks.load_full_world(ws)
    with unit as u:  # a unit of work can be reopened
        assert u.tasks.count(ws) == 0
