"""Instants: aware UTC in, aware UTC out, on every database; naive refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from storage import models as m
from storage.types import UTCDateTime
from storage.uow import UnitOfWork


def test_aware_round_trip_returns_utc(uow: Callable[[], UnitOfWork], ws: int) -> None:
    local = datetime(2026, 3, 29, 3, 30, 15, 123456, tzinfo=ZoneInfo("Europe/London"))
    plus5 = datetime(2026, 7, 1, 9, 0, tzinfo=timezone(timedelta(hours=5)))
    with uow() as u:
        task = u.tasks.add(ws, "Round trip", local, due=plus5)
        u.commit()
    with uow() as u:
        stored = u.tasks.get(ws, task.id)
    assert stored is not None
    assert stored.created_at == local and stored.due == plus5
    for value in (stored.created_at, stored.due):
        assert value is not None and value.tzinfo is UTC
    assert stored.created_at == datetime(2026, 3, 29, 2, 30, 15, 123456, tzinfo=UTC)
    assert stored.due == datetime(2026, 7, 1, 4, 0, tzinfo=UTC)


def test_naive_datetimes_are_rejected_with_value_error(
    uow: Callable[[], UnitOfWork], ws: int
) -> None:
    naive = datetime(2026, 3, 1, 9, 0)
    with uow() as u:
        with pytest.raises(ValueError, match="aware"):
            u.tasks.add(ws, "Naive", naive)
        task = u.tasks.add(ws, "Aware", naive.replace(tzinfo=UTC))
        with pytest.raises(ValueError):
            u.tasks.update(ws, task.id, due=naive)
        with pytest.raises(ValueError):
            u.tasks.set_next_check(ws, {task.id: naive})
        with pytest.raises(ValueError):
            u.people.add(ws, "Sam", created_at=naive)


def test_type_decorator_itself_rejects_naive(uow: Callable[[], UnitOfWork]) -> None:
    with pytest.raises(ValueError):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), dialect=None)  # type: ignore[arg-type]
    with uow() as u:
        stmt = select(m.tasks.c.id).where(m.tasks.c.due <= datetime(2026, 1, 1))
        with pytest.raises(StatementError) as info:
            u.session.execute(stmt)
        assert isinstance(info.value.orig, ValueError)


def test_instants_compare_in_sql_across_offsets(
    uow: Callable[[], UnitOfWork], ws: int, now: datetime
) -> None:
    tokyo = timezone(timedelta(hours=9))
    with uow() as u:
        early = u.tasks.add(ws, "Early", now)
        late = u.tasks.add(ws, "Late", now)
        # 20:00+09:00 is 11:00 UTC, before `now` (12:00 UTC) although its wall time is later.
        u.tasks.set_next_check(
            ws,
            {
                early.id: datetime(2026, 3, 10, 20, 0, tzinfo=tokyo),
                late.id: now + timedelta(minutes=1),
            },
        )
        assert u.tasks.due_for_check(ws, now) == [early.id]
        checks = u.tasks.next_checks(ws, [early.id, late.id])
        assert checks[early.id] == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)
        late_check = checks[late.id]
        assert late_check is not None and late_check.tzinfo is UTC
