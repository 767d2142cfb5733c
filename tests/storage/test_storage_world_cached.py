"""A world loaded with rows read earlier (``load_world(cached=...)``) is the same world.

A tick's later rounds take the task, person and project rows of the earlier
rounds instead of reading them again (``bot.tick_rounds._decide_due``). If the
cache left a row out — a backup of a cached person, a project only a new task
names — the engine would decide a target differently than on a fresh load.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

import pytest

from engine.evaluate import evaluate
from engine.world import Portfolio, World
from storage.uow import UnitOfWork
from tests.storage.test_storage_world import build_random_workspace

U = Callable[[], UnitOfWork]


def _merged(cache: World | None, world: World) -> World:
    if cache is None:
        return world
    return World(cache.calendar, {**cache.tasks, **world.tasks}, {**cache.people, **world.people},
                 {**cache.projects, **world.projects}, cache.settings)


def _portfolio(p: Portfolio) -> tuple[object, ...]:
    risky = sorted(p.risky_projects, key=lambda x: (x is None, x or 0))
    return (p.tasks, p.latest_activity, tuple(sorted(p.active_dues)), tuple(risky))


@pytest.mark.parametrize("seed", [4, 31])
def test_cached_rows_load_the_same_world(uow: U, now: datetime, seed: int) -> None:
    with uow() as u:
        ws = build_random_workspace(u, seed, now)
        full = u.tasks.load_full_world(ws)
        u.violations.insert_many(ws, [(v, None) for v in evaluate(full, now).violations], now)
        u.commit()
    rng = random.Random(seed)
    task_ids, person_ids = sorted(full.tasks), sorted(full.people)
    with uow() as u:
        cache: World | None = None
        hits = 0
        for _ in range(25):
            targets = set(rng.sample(task_ids, rng.randint(1, 12)))
            persons = set(rng.sample(person_ids, rng.choice([0, 1, 3])))
            fresh = u.tasks.load_world(ws, targets, persons, stored_verdicts=True)
            cached = u.tasks.load_world(ws, targets, persons, stored_verdicts=True, cached=cache)
            assert cached.tasks == fresh.tasks
            assert cached.people == fresh.people
            assert cached.projects == fresh.projects
            assert (cached.calendar, cached.settings) == (fresh.calendar, fresh.settings)
            assert cached.known == fresh.known
            assert {k: _portfolio(v) for k, v in cached.portfolios.items()} == {
                k: _portfolio(v) for k, v in fresh.portfolios.items()}
            assert evaluate(cached, now, targets, persons) == evaluate(fresh, now, targets, persons)
            if cache is not None:
                hits += len(fresh.people.keys() & cache.people.keys())
            cache = _merged(cache, fresh)
        assert hits  # the cache was used, not only filled
