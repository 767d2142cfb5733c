"""The batched full check decides every subject as the whole-workspace evaluation does."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot import workspace_check
from bot.notify.notifier import notify_events
from engine.evaluate import evaluate
from tests.bot.test_incremental_agrees import START, _build, _random_change


def _firing(u, ws) -> set[tuple[str, str, str]]:
    return {(r.fingerprint, str(r.severity), r.explanation) for r in u.violations.all_firing(ws)}


def _history(uow, seed: int):
    """A random organisation with a random history, never checked in full."""
    rng = random.Random(seed)
    with uow() as u:
        ws, people, projects, tasks = _build(u, rng)
        u.commit()
    now = START
    for _ in range(12):
        now += timedelta(minutes=rng.randint(10, 60 * 40))
        with uow() as u:
            _random_change(u, rng, ws, now, people, projects, tasks)
            u.commit()
    return ws, now + timedelta(hours=rng.randint(1, 72))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("size", [1, 3, 1000])
def test_batches_of_any_size_store_what_the_whole_world_sees(uow, seed, size):
    ws, now = _history(uow, seed)
    with uow() as u:
        progress = list(workspace_check.check_committed(uow, ws, now, notify_events, size=size))
    assert progress[-1].done == progress[-1].total
    with uow() as u:
        stored = _firing(u, ws)
        full = evaluate(u.tasks.load_full_world(ws), now)
        next_checks = u.tasks.next_checks(ws, full.task_next_check)
    assert stored == {(v.fingerprint, v.severity.value, v.explanation) for v in full.violations}
    assert next_checks == dict(full.task_next_check)


def test_a_person_with_more_tasks_than_a_batch_is_a_batch_alone(uow):
    ws, _ = _history(uow, 3)
    with uow() as u:
        counts = u.tasks.owner_counts(ws)
        batches = workspace_check.plan(u, ws, size=2)
        people = {p.id for p in u.people.list(ws)}
    assert [b for b in batches if b.projects] == [batches[-1]]
    assert set().union(*(b.people for b in batches)) == people
    assert sum(b.tasks for b in batches) == sum(counts.values())
    for b in batches:
        assert len(b.people) == 1 or b.tasks <= 2


def test_a_second_full_check_changes_nothing(uow):
    ws, now = _history(uow, 5)
    list(workspace_check.check_committed(uow, ws, now, notify_events, size=4))
    with uow() as u:
        before = _firing(u, ws)
    again = list(workspace_check.check_committed(uow, ws, now, notify_events, size=4))
    assert again[-1].events == 0
    with uow() as u:
        assert _firing(u, ws) == before
