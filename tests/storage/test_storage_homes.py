"""Home refresh marks: written at commit in one statement, cleared only when unchanged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, event

from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
LEASE = timedelta(minutes=2)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _people(uow: U, ws: int, *names: str) -> list[int]:
    with uow() as u:
        ids = [u.people.add(ws, name).id for name in names]
        u.commit()
    return ids


def test_marks_cost_nothing_until_commit_then_one_statement(uow: U, engine: Engine, ws: int,
                                                            now: datetime) -> None:
    ana, ben, cy = _people(uow, ws, "Ana", "Ben", "Cy")
    with uow() as u:
        task = u.tasks.add(ws, "owned by Cy", now, owner_id=cy)
        u.commit()
    with statements(engine) as sql, uow() as u:
        u.homes.mark(ws, now, [ana, None])
        u.homes.mark(ws, now, [ben, ana], owners_of=[task.id])
        u.homes.mark(ws, now, owners_of=[task.id])
        assert not any("home_refresh" in s for s in sql)
        u.commit()
    writes = [s for s in sql if "home_refresh" in s]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT")
    with uow() as u:
        marks = u.homes.list(ws)
    assert [(h.person_id, h.version, h.dirty_since) for h in marks] == [
        (ana, 1, now), (ben, 1, now), (cy, 1, now)]


def test_an_owner_of_several_marked_tasks_is_marked_once(uow: U, ws: int,
                                                         now: datetime) -> None:
    (ana,) = _people(uow, ws, "Ana")
    with uow() as u:
        ids = [u.tasks.add(ws, f"job {n}", now, owner_id=ana).id for n in range(3)]
        u.commit()
    with uow() as u:
        u.homes.mark(ws, now, owners_of=ids)
        u.commit()
    with uow() as u:
        u.homes.mark(ws, now, [ana], owners_of=ids)
        u.commit()
    with uow() as u:
        assert [(h.person_id, h.version) for h in u.homes.list(ws)] == [(ana, 2)]


def test_nothing_marked_writes_nothing(uow: U, engine: Engine, ws: int, now: datetime) -> None:
    with statements(engine) as sql, uow() as u:
        u.homes.mark(ws, now, [None])
        u.homes.mark(ws, now)
        u.commit()
    assert not any("home_refresh" in s for s in sql)


def test_a_second_mark_bumps_the_version_and_keeps_dirty_since(uow: U, ws: int,
                                                               now: datetime) -> None:
    (ana,) = _people(uow, ws, "Ana")
    for minutes in (0, 5):
        with uow() as u:
            u.homes.mark(ws, now + timedelta(minutes=minutes), [ana])
            u.commit()
    with uow() as u:
        (mark,) = u.homes.list(ws)
    assert mark.version == 2 and mark.dirty_since == now


def test_rollback_and_unknown_people_mark_nobody(uow: U, ws: int, now: datetime) -> None:
    (ana,) = _people(uow, ws, "Ana")
    with uow() as u:
        other = u.workspaces.create("console:other", "Other")
        stranger = u.people.add(other.id, "Stranger")
        u.commit()
    with uow() as u:
        u.homes.mark(ws, now, [ana])
        u.rollback()
        u.homes.mark(ws, now, [999_999, stranger.id])  # not people of ``ws``
        u.commit()
    with uow() as u:
        assert u.homes.list() == []
    with pytest.raises(RuntimeError), uow() as u:
        u.homes.mark(ws, now, [ana])
        raise RuntimeError("the change failed")
    with uow() as u:
        assert u.homes.list() == []


def test_claim_leases_the_mark_and_clear_removes_it_only_if_unchanged(uow: U, ws: int,
                                                                      now: datetime) -> None:
    ana, ben = _people(uow, ws, "Ana", "Ben")
    with uow() as u:
        u.homes.mark(ws, now, [ana, ben])
        u.commit()
    with uow() as u:
        claimed = u.homes.claim_due(now, LEASE)
        u.commit()
    assert [c.person_id for c in claimed] == [ana, ben]
    with uow() as u:
        assert u.homes.claim_due(now, LEASE) == []  # leased
        u.homes.mark(ws, now, [ben])  # Ben changes while his Home is being published
        u.commit()
    with uow() as u:
        assert u.homes.clear(claimed[0], now) is True
        assert u.homes.clear(claimed[1], now) is False
        u.commit()
    with uow() as u:
        (left,) = u.homes.list(ws)
        again = u.homes.claim_due(now, LEASE)
    assert left.person_id == ben and left.version == 2
    assert [(c.person_id, c.version) for c in again] == [(ben, 2)]


def test_retry_waits_and_counts_attempts_and_an_expired_lease_is_claimed_again(
        uow: U, ws: int, now: datetime) -> None:
    (ana,) = _people(uow, ws, "Ana")
    with uow() as u:
        u.homes.mark(ws, now, [ana])
        u.commit()
    with uow() as u:
        (mark,) = u.homes.claim_due(now, LEASE)
        u.homes.retry(mark, now + timedelta(seconds=30))
        u.commit()
    with uow() as u:
        assert u.homes.claim_due(now + timedelta(seconds=29), LEASE) == []
        (again,) = u.homes.claim_due(now + timedelta(seconds=30), LEASE)
        u.commit()
    assert again.attempts == 1
    # the publisher died: after the lease the mark is claimed again
    with uow() as u:
        assert u.homes.claim_due(now + timedelta(seconds=31), LEASE) == []
        assert u.homes.claim_due(now + timedelta(seconds=30) + LEASE, LEASE)

