"""What one rule-tick wake costs when nothing is due, per shape (SQLite).

``vigil run`` wakes its rule tick every ``VIGIL_TICK_WAKE_SECONDS`` (5) and
evaluates only when ``bot.jobs.anything_due`` says something is; this times
that question on a store whose next-check index is full (every task and
person has a stored next check within the next day, none due), beside the
old idle tick (``tick_all`` with recurring work, which visited every
workspace with obligations) and recurring work alone (``materialize_all``,
now on its own ``VIGIL_TICK_SECONDS`` cadence). CPU (process_time) and wall
seconds, best of ``--repeat``, with the load beside them.

Shapes are bulk-inserted (tasks and people rows only, no first check: the
wake reads no more than the next-check index and the workspace list), with
``--obligations`` daily recurring tasks per workspace.

Usage: python bench/wake_cost.py --tenants 1x100000 --tenants 10000x100
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import FixedClock  # noqa: E402
from bot.jobs import anything_due, materialize_all, tick_all  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def populate(engine: Any, n_ws: int, per_ws: int, obligations: int) -> None:
    """``n_ws`` workspaces of ``per_ws`` tasks (one person per 20), none due at NOW."""
    rng = random.Random(7)
    factory = make_uow_factory(engine)
    with factory() as uow:
        spaces = [uow.workspaces.create(f"w{i}", f"W{i}").id for i in range(n_ws)]
        uow.commit()
    created = NOW - timedelta(days=30)
    tasks: list[dict[str, Any]] = []
    recurring: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    for ws in spaces:
        owners = max(1, per_ws // 20)
        for p in range(owners):
            people.append({"workspace_id": ws, "name": f"P{p}", "created_at": created,
                           "next_check_at": NOW + timedelta(seconds=rng.randint(1, 86400))})
        for t in range(per_ws):
            row = {"workspace_id": ws, "number": t + 1, "title": f"T{t}", "created_at": created,
                   "next_check_at": NOW + timedelta(seconds=rng.randint(1, 86400))}
            if t < obligations:
                recurring.append(row | {"recurrence": "FREQ=DAILY", "window": "2h"})
            else:
                tasks.append(row)
    with engine.begin() as conn:
        for rows, table in ((people, models.PersonRow), (tasks, models.TaskRow),
                            (recurring, models.TaskRow)):
            for i in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[i : i + 5000])
        conn.execute(update(models.WorkspaceRow).values(next_task_number=per_ws + 1))


def best(repeat: int, job: Callable[[], object]) -> dict[str, float]:
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        job()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {"cpu_ms": round(min(cpu) * 1000, 2), "wall_ms": round(min(wall) * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", action="append", required=True,
                        help="WORKSPACESxTASKS (repeatable), e.g. 10000x100")
    parser.add_argument("--obligations", type=int, default=1,
                        help="daily recurring tasks per workspace")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    out: dict[str, Any] = {}
    for shape in args.tenants:
        w, _, t = shape.partition("x")
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            out[shape] = measure(Path(tmp) / "wake.db", int(w), int(t), args.obligations,
                                 args.repeat)
        print(json.dumps({shape: out[shape]}), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=2))


def measure(db: Path, n_ws: int, per_ws: int, obligations: int, repeat: int) -> dict[str, Any]:
    """Populate one shape at ``db`` and time its idle wake, old idle tick, recurring work."""
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    t0 = time.perf_counter()
    populate(engine, n_ws, per_ws, obligations)
    fig: dict[str, Any] = {"populate_s": round(time.perf_counter() - t0, 1)}
    factory = make_uow_factory(engine)
    clock = FixedClock(NOW)
    materialize_all(factory, clock)  # the first run creates today's occurrences
    assert not anything_due(factory, NOW)
    fig["load"] = load()
    fig["idle_wake_anything_due"] = best(repeat, lambda: anything_due(factory, NOW))
    fig["idle_tick_all_with_recurring"] = best(repeat, lambda: tick_all(factory, clock))
    fig["idle_tick_all_without_recurring"] = best(
        repeat, lambda: tick_all(factory, clock, None, False))
    fig["materialize_all"] = best(repeat, lambda: materialize_all(factory, clock))
    fig["load_end"] = load()
    engine.dispose()
    return fig


if __name__ == "__main__":
    main()
