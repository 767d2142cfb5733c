"""What one person's digest and App Home cost at a size, beside one indexed read.

The morning digest job builds one digest per person and the Home publisher one
My Tasks per marked person; at 1M tasks there are 50,000 people, so their cost
per person is what bounds a morning. The organisation is bench/engine.py's
(people = tasks/20; the first tasks/200 people each manage a project, the
rest are plain members), checked once in committed batches (verdicts stored,
no notices queued) so the violations they read are there.

Per sampled person (leads and members apart): the digest
(``bot.notify.digest.digest``), the Home (``bot.notify.home.home_message``)
and the floor — one indexed Core read of the person's own task rows
(``tasks WHERE workspace_id = ? AND owner_id = ?``), the least a view of
"my work" can read. Ratios to that floor are per person, same run.

Usage: python bench/person_views.py --size 1000000 [--sample 200] [--keep DIR]
       python bench/person_views.py --db /path/window.db   (an already built, checked one)
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.engine import NOW, build  # noqa: E402
from bot.notify.digest import digest  # noqa: E402
from bot.notify.home import home_message  # noqa: E402
from bot.workspace_check import check_committed  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402


def load() -> str:
    """The load averages (1, 5, 15 min), as ``uptime`` shows them."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _timed(job: Callable[[], object]) -> float:
    paused = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        job()
        return time.perf_counter() - t0
    finally:
        if paused:
            gc.enable()


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def measure(engine: Any, sample: int) -> dict[str, Any]:
    """Digest, Home and floor per sampled person, leads and members apart."""
    factory = make_uow_factory(engine)
    with factory() as uow:
        ws = uow.workspaces.list()[0].id
        people = uow.people.list(ws, active_only=True)
        leads = {p.manager_id for p in uow.projects.list(ws) if p.manager_id}
    t = models.TaskRow.__table__
    floor_stmt = select(t).where(t.c.workspace_id == ws, t.c.owner_id == 0)
    groups = {
        "leads": [p for p in people if p.id in leads],
        "members": [p for p in people if p.id not in leads],
    }
    out: dict[str, Any] = {"people": len(people), "leads": len(groups["leads"]),
                           "load_before": load()}
    for name, group in groups.items():
        step = max(1, len(group) // max(1, sample // 2))
        chosen = group[::step][: sample // 2]
        if not chosen:
            continue
        digests, homes, floors = [], [], []
        for person in chosen:
            with factory() as uow:
                digests.append(_timed(lambda: digest(uow, ws, person, NOW)))  # noqa: B023
            with factory() as uow:
                homes.append(_timed(lambda: home_message(uow, ws, person.id, NOW)))  # noqa: B023
            with engine.connect() as conn:
                stmt = floor_stmt.where(t.c.owner_id == person.id)  # noqa: B023
                floors.append(_timed(lambda: conn.execute(stmt).all()))  # noqa: B023
        floor = statistics.fmean(floors)
        floor_p50 = sorted(floors)[len(floors) // 2]
        out[name] = {
            "sampled": len(chosen),
            "digest": _stats(digests),
            "home": _stats(homes),
            "floor_indexed_read": _stats(floors),
            "digest_over_floor": round(statistics.fmean(digests) / floor, 1),
            "home_over_floor": round(statistics.fmean(homes) / floor, 1),
            # Medians: robust to the other engineers' load spikes (the means are not).
            "digest_p50_over_floor_p50": round(sorted(digests)[len(digests) // 2] / floor_p50, 1),
            "home_p50_over_floor_p50": round(sorted(homes)[len(homes) // 2] / floor_p50, 1),
        }
    out["load_after"] = load()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200, help="people sampled (half leads)")
    parser.add_argument("--db", default=None, help="an already built and checked SQLite file")
    parser.add_argument("--keep", default=None, help="build into this directory and keep it")
    args = parser.parse_args()
    fig: dict[str, Any] = {"database": "sqlite"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            engine = make_engine(f"sqlite:///{args.db}")
            fig["db"] = args.db
        else:
            path = Path(args.keep or tmp) / f"views_{args.size}.db"
            engine = make_engine(f"sqlite:///{path}")
            upgrade(engine)
            fig["size"] = args.size
            fig["load_build"] = load()
            t0 = time.perf_counter()
            ws = build(engine, args.size)
            fig["build_s"] = round(time.perf_counter() - t0, 1)
            factory = make_uow_factory(engine)
            t0 = time.perf_counter()
            for _ in check_committed(factory, ws, NOW, lambda *_args, **_known: None):
                pass
            fig["quiet_check_s"] = round(time.perf_counter() - t0, 1)
        with engine.connect() as conn:
            fig["tasks"] = conn.scalar(select(models.TaskRow.id).order_by(
                models.TaskRow.id.desc()).limit(1))
            fig["firing"] = len(conn.execute(select(models.ViolationRow.id).where(
                models.ViolationRow.state == "firing")).all())
        fig.update(measure(engine, args.sample))
        engine.dispose()
    print(json.dumps(fig, indent=2))


if __name__ == "__main__":
    main()
