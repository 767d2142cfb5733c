"""Owners' portfolios read from the database must be what the engine would count.

The person rules see an owner's unloaded tasks only through
``World.portfolios``; if the summary differed from the tasks themselves, an
owner re-decided by a tick would be told something a full check would not.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

import pytest

from engine.context import RuleContext
from engine.evaluate import evaluate
from engine.model import SubjectKind
from engine.rules import registry
from engine.world import Portfolio
from storage.repositories.portfolios import PortfolioReader
from storage.uow import UnitOfWork
from tests.storage.test_storage_world import build_random_workspace

U = Callable[[], UnitOfWork]


def _sorted(p: Portfolio) -> tuple[object, ...]:
    """A portfolio with its per-task lists in one order (the database returns any)."""
    risky = sorted(p.risky_projects, key=lambda x: (x is None, x or 0))
    return (p.tasks, p.latest_activity, tuple(sorted(p.active_dues)), tuple(risky))


def _checked_workspace(u: UnitOfWork, seed: int, now: datetime) -> tuple[int, RuleContext]:
    """A random workspace whose every verdict is stored, and the engine's view of all of it."""
    ws = build_random_workspace(u, seed, now)
    world = u.tasks.load_full_world(ws)
    found = evaluate(world, now).violations
    u.violations.insert_many(ws, [(v, None) for v in found], now)
    ctx = RuleContext(world, now, lambda tid: tuple(
        v for v in found if v.subject_kind is SubjectKind.TASK and v.subject_id == tid
        and v.rule_id not in DERIVED
    ))
    return ws, ctx


DERIVED = {r.id for r in registry.for_subject(SubjectKind.TASK, True)}


@pytest.mark.parametrize("seed", [3, 17])
def test_portfolio_from_the_database_equals_the_engines(uow: U, now: datetime, seed: int) -> None:
    with uow() as u:
        ws, ctx = _checked_workspace(u, seed, now)
        people = sorted(ctx.world.people)
        read = PortfolioReader(u.session).read(ws, people, ())
        for pid in people:
            expected = ctx.portfolio(pid)
            got = read.get(pid, Portfolio())
            assert _sorted(got) == _sorted(expected), pid
        assert any(p.risky_projects for p in read.values())  # the test sees at-risk work
        assert any(p.tasks > len(p.active_dues) for p in read.values())  # and closed work


def test_loaded_tasks_are_left_out_and_merge_back(uow: U, now: datetime) -> None:
    with uow() as u:
        ws, ctx = _checked_workspace(u, 23, now)
        reader = PortfolioReader(u.session)
        rng = random.Random(5)
        for pid in sorted(ctx.world.people):
            owned = list(ctx.world.owned.get(pid, ()))
            loaded = set(rng.sample(owned, len(owned) // 2))
            rest = reader.read(ws, [pid], loaded).get(pid, Portfolio())
            assert rest.tasks == len(owned) - len(loaded)
            part = reader.read(ws, [pid], set(owned) - loaded).get(pid, Portfolio())
            assert _sorted(part.merge(rest)) == _sorted(ctx.portfolio(pid))


def test_nobody_asked_reads_nothing(uow: U, now: datetime) -> None:
    with uow() as u:
        ws, _ = _checked_workspace(u, 2, now)
        assert PortfolioReader(u.session).read(ws, [], ()) == {}
