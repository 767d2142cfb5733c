"""Two tick jobs running at once (two ``vigil run`` replicas) still leave exactly
what a full evaluation sees: no violation fired twice, none missed.

On PostgreSQL the two really run side by side (shards, SKIP LOCKED, row locks);
on SQLite they take turns on the write lock.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.jobs import tick_all
from engine.evaluate import evaluate
from tests.bot.test_incremental_agrees import START, _build, _random_change


def _two_tickers(uow, now) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            tick_all(uow, FixedClock(now), batch=3)
        except BaseException as exc:  # surfaced by the test below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.parametrize("seed", range(6))
def test_two_concurrent_tickers_agree_with_full_evaluation(uow, seed, caplog):
    rng = random.Random(1000 + seed)
    with uow() as u:
        ws, people, projects, tasks = _build(u, rng)
        u.commit()
    now = START
    for _ in range(20):
        now += timedelta(minutes=rng.randint(10, 60 * 40))
        assert _two_tickers(uow, now) == []
        with uow() as u:
            _random_change(u, rng, ws, now, people, projects, tasks)
            u.commit()
    now += timedelta(hours=rng.randint(1, 72))
    assert _two_tickers(uow, now) == []
    assert "tick failed" not in caplog.text
    with uow() as u:
        firing = u.violations.all_firing(ws)
        full = evaluate(u.tasks.load_full_world(ws), now)
    stored = [(r.fingerprint, str(r.severity)) for r in firing]
    assert len(stored) == len(set(stored)), "a violation is firing twice"
    assert set(stored) == {(v.fingerprint, v.severity.value) for v in full.violations}
