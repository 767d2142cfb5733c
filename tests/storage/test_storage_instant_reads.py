"""SQLite's instants read back the same through the fast path and the usual one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from storage.uow import UnitOfWork


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-03-10 12:00:00.000000", datetime(2026, 3, 10, 12, 0, tzinfo=UTC)),  # as written
        ("2026-03-10 12:00:00.123456", datetime(2026, 3, 10, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-03-10 12:00:00", datetime(2026, 3, 10, 12, 0, tzinfo=UTC)),  # other widths
        ("2026-03-10 12:00", datetime(2026, 3, 10, 12, 0, tzinfo=UTC)),
    ],
)
def test_sqlite_text_instants_read_as_aware_utc(
    uow: Callable[[], UnitOfWork], ws: int, now: datetime, stored: str, expected: datetime
) -> None:
    with uow() as u:
        if u.session.get_bind().dialect.name != "sqlite":
            pytest.skip("SQLite stores instants as text")
        task = u.tasks.add(ws, "Read back", now)
        u.session.execute(text("UPDATE tasks SET due = :d WHERE id = :i"),
                          {"d": stored, "i": task.id})
        got = u.tasks.get(ws, task.id)
    assert got is not None and got.due == expected and got.due.tzinfo is UTC
