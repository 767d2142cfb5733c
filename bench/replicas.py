"""Replicas on PostgreSQL: how fast 1, 2, 4 ``vigil run`` processes drain a burst.

The organisation is built and fully checked once; then, for each process
count, the same burst is made due (every task whose check would come in the
worst hour of the day, due at one instant) and N processes run the real tick
job (``bot.jobs.tick_all``) on it at once until nothing is due. The figure is
the detection delay of the burst's last task: from the instant it fell due
(the start) to the end of the tick that decided it. Then the change path's
p50/p95 on PostgreSQL (the same measure as bench/engine.py's (c) on SQLite).

Usage: python bench/replicas.py --url postgresql+psycopg://postgres@127.0.0.1:5432/test
                                [--size 100000] [--processes 1,2,4] [--burst 20000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.engine import NOW, build  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.evaluation import full_check  # noqa: E402
from bot.jobs import tick_all  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, refresh_statistics, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

AT = NOW + timedelta(hours=1)


def _worker(url: str, ws: int, start: float, out: mp.Queue) -> None:
    engine = make_engine(url)
    factory = make_uow_factory(engine)
    decided = 0
    while time.time() < start:
        time.sleep(0.001)
    while True:
        got = sum(len(v) for v in tick_all(factory, FixedClock(AT)).values())
        with factory() as uow:
            left = len(uow.tasks.due_for_check(ws, AT, 1))
        decided += got
        if not left:
            break
    out.put({"events": decided, "end": time.time()})
    engine.dispose()


def burst(engine, ids: list[int]) -> None:
    """Make exactly these tasks due at AT (everything else later)."""
    tasks, people = models.TaskRow, models.PersonRow
    with engine.begin() as conn:
        later = AT + timedelta(days=1)
        for table in (tasks, people):
            conn.execute(update(table).where(table.next_check_at <= AT).values(next_check_at=later))
        for chunk in range(0, len(ids), 5000):
            part = ids[chunk : chunk + 5000]
            conn.execute(update(tasks).where(tasks.id.in_(part)).values(next_check_at=AT))


def run(url: str, size: int, processes: list[int], burst_size: int) -> dict[str, object]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    scoped_url = scoped.render_as_string(hide_password=False)
    engine = make_engine(scoped_url)
    out: dict[str, object] = {"database": "postgresql", "size": size, "burst": burst_size}
    try:
        upgrade(engine)
        t0 = time.perf_counter()
        ws = build(engine, size)
        refresh_statistics(engine)
        out["build_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        factory = make_uow_factory(engine)
        with factory() as uow:
            full_check(uow, ws, NOW)
            uow.commit()
        refresh_statistics(engine)
        out["first_full_check_s"] = round(time.perf_counter() - t0, 1)
        with engine.connect() as conn:
            all_ids = list(conn.scalars(select(models.TaskRow.id).order_by(models.TaskRow.id)))
        step = max(1, len(all_ids) // burst_size)
        ids = all_ids[::step][:burst_size]
        runs = {}
        for n in processes:
            burst(engine, ids)
            queue: mp.Queue = mp.Queue()
            start = time.time() + 2.0  # every process connected before the burst starts
            procs = [
                mp.Process(target=_worker, args=(scoped_url, ws, start, queue)) for _ in range(n)
            ]
            for p in procs:
                p.start()
            results = [queue.get(timeout=3600) for _ in procs]
            for p in procs:
                p.join(timeout=60)
            delay = max(r["end"] for r in results) - start
            runs[n] = {
                "drain_s": round(delay, 2),
                "per_due_task_ms": round(delay * 1000 / len(ids), 3),
                "events": sum(r["events"] for r in results),
            }
            print(json.dumps({n: runs[n]}), file=sys.stderr, flush=True)
        out["processes"] = runs
        base = runs[processes[0]]["drain_s"]
        out["speedup"] = {n: round(base / r["drain_s"], 2) for n, r in runs.items()}
        # The change path on PostgreSQL, statistics fresh (beside SQLite's in bench/engine.py).
        import random

        from bench.engine import change_latency

        out["change_one"] = change_latency(engine, ws, size, 200, random.Random(size))
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--burst", type=int, default=20_000)
    args = parser.parse_args()
    processes = [int(p) for p in args.processes.split(",")]
    print(json.dumps(run(args.url, args.size, processes, args.burst), indent=2))


if __name__ == "__main__":
    main()
