"""A tick batch that meets a row lock held elsewhere (another replica's batch,
a stuck transaction) gives up after a bounded wait, rolls back whole and is run
again: its violations fire once, later, and the other shards go on meanwhile.

PostgreSQL only: SQLite has one writer and no row locks to meet.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot import jobs, tick_job
from bot.clock import FixedClock
from engine.evaluate import evaluate
from engine.model import WorkCalendar
from storage.repositories.task_checks import TICK_SHARDS

MON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _postgres_only(database_url):
    if database_url is None:
        pytest.skip("row locks between replicas exist on PostgreSQL only")


@pytest.fixture(autouse=True)
def _short_waits(monkeypatch):
    monkeypatch.setattr(tick_job, "LOCK_WAIT_SECONDS", 0.3)


def _two_shards(uow) -> tuple[int, dict[str, int]]:
    """Two owners in different shards, each with one overdue task due for its check."""
    with uow() as u:
        ws = u.workspaces.create("a", "A", calendar=WorkCalendar(tz="Europe/London")).id
        owners: list[int] = []
        while len({o % TICK_SHARDS for o in owners}) < 2:
            owners.append(u.people.add(ws, f"P{len(owners)}").id)
        ana, bo = owners[0], owners[-1]
        for pid, uid in ((ana, "U1"), (bo, "U2")):
            u.people.add_identity(ws, pid, "slack", uid)
        tasks = {
            name: u.tasks.add(ws, name, MON - timedelta(days=9), owner_id=pid,
                              due=MON - timedelta(days=1)).id
            for name, pid in (("ana's", ana), ("bo's", bo))
        }
        u.tasks.set_next_check(ws, {t: MON - timedelta(minutes=5) for t in tasks.values()})
        u.commit()
    return ws, tasks


def _overdue_alerts(uow, ws: int, task: int) -> tuple[int, int]:
    """(firing overdue violations of the task, alerts queued for them)."""
    with uow() as u:
        firing = [r for r in u.violations.all_firing(ws)
                  if r.subject_id == task and r.rule_id == "task.overdue"]
        alerts = sum(len(u.outbox.for_violation(ws, r.id)) for r in firing)
    return len(firing), alerts


def _hold_row(
    engine, task: int, release: threading.Event, held: threading.Event, mode: str = "UPDATE"
) -> None:
    """Another transaction (a second replica, say) keeps the task's row locked."""
    with engine.connect() as conn:
        conn.execute(text(f"SELECT id FROM tasks WHERE id = :id FOR {mode}"), {"id": task})
        held.set()
        release.wait(30)
        conn.rollback()


def test_a_blocked_batch_is_left_due_and_fires_once_at_the_next_tick(uow, engine, caplog):
    ws, tasks = _two_shards(uow)
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_row, args=(engine, tasks["ana's"], release, held))
    holder.start()
    try:
        assert held.wait(10)
        jobs.tick_all(uow, FixedClock(MON))
        # Bo's shard went on; Ana's batch gave up every time it met the lock.
        assert _overdue_alerts(uow, ws, tasks["bo's"]) == (1, 1)
        assert _overdue_alerts(uow, ws, tasks["ana's"]) == (0, 0)
        with uow() as u:
            assert u.tasks.due_for_check(ws, MON) == [tasks["ana's"]]
        assert "left for the next tick" in caplog.text
    finally:
        release.set()
        holder.join()
    jobs.tick_all(uow, FixedClock(MON + timedelta(minutes=1)))
    assert _overdue_alerts(uow, ws, tasks["ana's"]) == (1, 1)
    assert _overdue_alerts(uow, ws, tasks["bo's"]) == (1, 1)  # not fired again
    with uow() as u:
        assert u.tasks.due_for_check(ws, MON + timedelta(minutes=1)) == []
    assert "tick failed" not in caplog.text


def test_a_lock_released_meanwhile_lets_the_batch_run_again_in_the_same_pass(uow, engine):
    ws, tasks = _two_shards(uow)
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_row, args=(engine, tasks["ana's"], release, held))
    holder.start()
    assert held.wait(10)
    # Released after the first attempt timed out, before the pass gives up on it.
    threading.Timer(0.45, release.set).start()
    try:
        jobs.tick_all(uow, FixedClock(MON))
    finally:
        release.set()
        holder.join()
    for name in ("ana's", "bo's"):
        assert _overdue_alerts(uow, ws, tasks[name]) == (1, 1)
    with uow() as u:
        assert u.tasks.due_for_check(ws, MON) == []


def _rule_alerts(uow, ws: int, task: int, rule: str) -> tuple[int, int]:
    with uow() as u:
        firing = [r for r in u.violations.all_firing(ws)
                  if r.subject_id == task and r.rule_id == rule]
        alerts = sum(len(u.outbox.for_violation(ws, r.id)) for r in firing)
    return len(firing), alerts


def test_a_busy_neighbour_is_handed_on_and_decided_once_it_is_free(uow, engine):
    """Bo's subtask falls overdue while another replica holds Ana's parent task
    (not due itself): the parent's "subtask at risk" is not lost, and fires once."""
    ws, tasks = _two_shards(uow)
    with uow() as u:
        parent = u.tasks.add(ws, "parent", MON - timedelta(days=9),
                             owner_id=u.tasks.get(ws, tasks["ana's"]).owner_id).id
        u.tasks.update(ws, tasks["bo's"], parent_id=parent)
        u.commit()
    release, held = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_row, args=(engine, parent, release, held, "NO KEY UPDATE"))
    holder.start()
    try:
        assert held.wait(10)
        jobs.tick_all(uow, FixedClock(MON))
        assert _overdue_alerts(uow, ws, tasks["bo's"]) == (1, 1)
        assert _rule_alerts(uow, ws, parent, "task.subtask_at_risk")[0] == 0  # not yet
    finally:
        release.set()
        holder.join()
    jobs.tick_all(uow, FixedClock(MON + timedelta(minutes=1)))
    assert _rule_alerts(uow, ws, parent, "task.subtask_at_risk")[0] == 1
    assert _overdue_alerts(uow, ws, tasks["bo's"]) == (1, 1)  # not fired again
    with uow() as u:
        assert u.rechecks.workspaces() == set()
        stored = {(r.fingerprint, str(r.severity)) for r in u.violations.all_firing(ws)}
        full = evaluate(u.tasks.load_full_world(ws), MON + timedelta(minutes=1))
    assert stored == {(v.fingerprint, v.severity.value) for v in full.violations}
