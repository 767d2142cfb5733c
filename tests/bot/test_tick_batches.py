"""The rule tick decides bursts in bounded, committed batches, longest due first,
one batch per workspace in turn, and visits only workspaces with something due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import jobs, tick_job
from bot.clock import FixedClock
from engine.model import WorkCalendar

MON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _workspace(uow, key: str, n: int) -> tuple[int, list[int]]:
    """``n`` never-checked tasks whose next check fell due one minute apart."""
    with uow() as u:
        ws = u.workspaces.create(key, key, calendar=WorkCalendar(tz="Europe/London")).id
        owner = u.people.add(ws, "Owner", created_at=MON - timedelta(days=9)).id
        ids = [
            u.tasks.add(ws, f"T{i}", MON - timedelta(days=9), owner_id=owner).id
            for i in range(n)
        ]
        # The newest task has waited longest: the tick must start with it.
        u.tasks.set_next_check(ws, {t: MON - timedelta(minutes=i) for i, t in enumerate(ids)})
        u.commit()
    return ws, ids


@pytest.fixture
def calls(monkeypatch) -> list[tuple[int, list[int]]]:
    """(workspace, due task ids) of every batch the tick job runs."""
    seen: list[tuple[int, list[int]]] = []
    real = tick_job.tick_batch

    def recording(uow, ws, now, limit, done=None, shard=(0, 1)):
        claimed = uow.tasks.claim_due(ws, now, limit, *shard)
        due = [t for t in claimed if ("t", t) not in (done or ())]
        seen.append((ws, due))
        return real(uow, ws, now, limit, done, shard)

    monkeypatch.setattr(tick_job, "tick_batch", recording)
    return seen


def test_a_burst_is_decided_in_batches_longest_due_first(uow, calls):
    ws, ids = _workspace(uow, "a", 7)
    jobs.tick_all(uow, FixedClock(MON), batch=3)
    batches = [due for w, due in calls if due]
    assert batches == [ids[6:3:-1], ids[3:0:-1], ids[0:1]]
    with uow() as u:  # every batch committed: nothing is due any more
        assert u.tasks.due_for_check(ws, MON) == []
        assert all(at is None or at > MON for at in u.tasks.next_checks(ws, ids).values())


def test_due_people_are_decided_in_batches_longest_due_first(uow, monkeypatch):
    with uow() as u:
        ws = u.workspaces.create("p", "P", calendar=WorkCalendar(tz="Europe/London")).id
        everyone = [u.people.add(ws, f"P{i}", created_at=MON - timedelta(days=9)).id
                    for i in range(5 * u.tasks.tick_shards())]
        # Five of one shard (PostgreSQL splits people by id modulo the shards; the
        # order holds within a shard, which one process drains batch by batch).
        shards = u.tasks.tick_shards()
        ids = [p for p in everyone if p % shards == everyone[0] % shards][:5]
        # The last person added has waited longest.
        u.people.set_next_check(ws, {p: MON - timedelta(minutes=i) for i, p in enumerate(ids)})
        u.commit()
    batches: list[list[int]] = []
    real = tick_job.tick_batch

    def recording(uow_, ws_, now, limit, done=None, shard=(0, 1)):
        claimed = uow_.people.claim_due(ws_, now, limit, *shard)
        batches.append([p for p in claimed if ("p", p) not in (done or ())])
        return real(uow_, ws_, now, limit, done, shard)

    monkeypatch.setattr(tick_job, "tick_batch", recording)
    jobs.tick_all(uow, FixedClock(MON), batch=2)
    assert [b for b in batches if b] == [ids[4:2:-1], ids[2:0:-1], ids[0:1]]
    with uow() as u:  # each batch committed: nobody is due any more
        assert all(at is None or at > MON for at in u.people.next_checks(ws, ids).values())


def test_workspaces_take_turns_batch_by_batch(uow, calls):
    a, _ = _workspace(uow, "a", 4)
    b, _ = _workspace(uow, "b", 4)
    jobs.tick_all(uow, FixedClock(MON), batch=2)
    order = [w for w, due in calls if due]
    assert order == [a, b, a, b]


def test_workspaces_with_nothing_due_are_not_visited(uow, calls):
    busy, _ = _workspace(uow, "busy", 2)
    with uow() as u:
        idle = u.workspaces.create("idle", "Idle").id
        u.commit()
    jobs.tick_all(uow, FixedClock(MON))
    assert {w for w, _ in calls} == {busy} and idle != busy


def test_a_batch_that_fails_leaves_the_others_committed(uow, monkeypatch):
    ws, ids = _workspace(uow, "a", 4)
    real = tick_job.tick_batch
    runs = []

    def failing_second(uow_, ws_, now, limit, done=None, shard=(0, 1)):
        if uow_.tasks.claim_due(ws_, now, limit, *shard):
            runs.append(1)  # a batch with work in it (on PostgreSQL most shards are empty)
            if len(runs) == 2:
                raise RuntimeError("database went away")
        return real(uow_, ws_, now, limit, done, shard)

    monkeypatch.setattr(tick_job, "tick_batch", failing_second)
    jobs.tick_all(uow, FixedClock(MON), batch=2)
    with uow() as u:
        assert u.tasks.due_for_check(ws, MON) == ids[1::-1]  # the failed batch waits
    monkeypatch.setattr(tick_job, "tick_batch", real)
    jobs.tick_all(uow, FixedClock(MON + timedelta(minutes=1)))
    with uow() as u:
        assert u.tasks.due_for_check(ws, MON) == []


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("size", [1, 3])
def test_small_batches_store_what_the_whole_world_sees(uow, seed, size):
    """Randomised histories ticked in tiny batches: a task decided in a later
    batch (or round) than its parent or its owner still reaches them."""
    import random

    from engine.evaluate import evaluate
    from tests.bot.test_incremental_agrees import START, _build, _random_change

    rng = random.Random(1000 + seed)
    with uow() as u:
        ws, people, projects, tasks = _build(u, rng)
        u.commit()
    now = START
    for _ in range(20):
        now += timedelta(minutes=rng.randint(10, 60 * 40))
        jobs.tick_all(uow, FixedClock(now), batch=size)
        with uow() as u:
            _random_change(u, rng, ws, now, people, projects, tasks)
            u.commit()
    now += timedelta(hours=rng.randint(1, 72))
    jobs.tick_all(uow, FixedClock(now), batch=size)
    with uow() as u:
        stored = {(r.fingerprint, str(r.severity)) for r in u.violations.all_firing(ws)}
        full = evaluate(u.tasks.load_full_world(ws), now)
    # Wording is refreshed when a subject is next decided; what fires and how badly
    # must match at once.
    assert stored == {(v.fingerprint, v.severity.value) for v in full.violations}
