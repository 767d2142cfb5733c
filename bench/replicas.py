"""Replicas on PostgreSQL: how fast 1, 2, 4 ``vigil run`` processes drain a burst.

The organisation is built and fully checked once (as ``vigil check --full``
runs it), and the state that check left — every violation, every queued
notice, every next-check instant — is kept in snapshot tables. Then, for
each process count, that state is restored and N processes run the real tick
job (``bot.jobs.tick_all``, the job each ``vigil run`` schedules every 60 s)
at once, at the instant ``AT`` by which exactly ``--burst`` tasks have come
due (the burst-th smallest stored next check: a catch-up after a pause, every
due task honestly due, nothing deferred or forced), until nothing is due.
The burst fires and resolves violations and queues notices.

Figures per process count: the drain time (burst instant to the end of the
last tick) and, from a monitor polling how many burst tasks are still due
every 0.25 s, when 50% and 95% of the burst had been decided. A real
``vigil run`` ticks every 60 s, so its detection delay is the wait for the
next tick (0-60 s) plus these. No double firing is asserted: after each run
the bench counts violation rows fired at ``AT`` per fingerprint and alert
notices per violation and recipient (each must be 1), and compares the set of
fingerprints fired and resolved with the one-process run (must be equal).
Then the change path's p50/p95 on PostgreSQL (bench/engine.py's (c)).

What limits a second process is reported beside: CPU per burst task on the
Python side (all workers) and on the PostgreSQL server (its processes run on
the same two cores), how many cores were busy on average, and how often the
monitor saw a backend waiting on a lock (row locks of overlapping
neighbourhoods serialise batches; a busy CPU does not show there).

Usage: python bench/replicas.py --url postgresql+psycopg://postgres@127.0.0.1:5432/test
                                [--size 100000] [--processes 1,2,4] [--burst 20000]
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.day import add_identities  # noqa: E402
from bench.engine import NOW, build, change_latency  # noqa: E402
from bot.check import run_check  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.jobs import tick_all  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, refresh_statistics, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

# What the full check leaves and a tick changes: restored before every run.
SNAPSHOT = ("violations", "notifications", "home_refresh")


def load() -> str:
    """The load averages (1, 5, 15 min), as ``uptime`` shows them."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class _Conflicts(logging.Handler):
    """Counts the tick batches rolled back over a row lock, and the other retries."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.conflicts = self.retries = self.failures = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "rolled back over a row lock" in message:
            self.conflicts += 1
        elif "refused by the database for now" in message:
            self.retries += 1
        elif "tick failed" in message:
            self.failures += 1


def _worker(url: str, ws: int, at: datetime, start: float, out: mp.Queue) -> None:
    counter = _Conflicts()
    jobs_log = logging.getLogger("vigil.jobs")
    jobs_log.addHandler(counter)
    jobs_log.setLevel(logging.INFO)
    engine = make_engine(url)
    factory = make_uow_factory(engine)
    decided = ticks = 0
    while time.time() < start:
        time.sleep(0.001)
    cpu = time.process_time()  # from the burst on: not the imports and the connecting
    while True:
        got = sum(len(v) for v in tick_all(factory, FixedClock(at)).values())
        ticks += 1
        with factory() as uow:  # due, or handed on by a batch (rechecks)
            left = len(uow.tasks.due_for_check(ws, at, 1)) or ws in uow.rechecks.workspaces()
        decided += got
        if not left:
            break
        # What is left is on shards another process holds and is deciding; a
        # real replica would look again at its next tick, so wait instead of
        # spinning on the two cores the deciding processes need.
        time.sleep(0.25)
    out.put({"events": decided, "ticks": ticks, "end": time.time(),
             "cpu_s": time.process_time() - cpu, "conflicts": counter.conflicts,
             "retries": counter.retries, "failures": counter.failures})
    engine.dispose()


def snapshot(engine) -> None:
    """Keep the checked state: the tables a tick changes and every next-check instant."""
    with engine.begin() as conn:
        for table in SNAPSHOT:
            conn.execute(text(f"CREATE TABLE snap_{table} AS SELECT * FROM {table}"))
        for table in ("tasks", "people"):
            conn.execute(
                text(f"CREATE TABLE snap_{table}_nc AS SELECT id, next_check_at FROM {table}")
            )
            conn.execute(text(f"ALTER TABLE snap_{table}_nc ADD PRIMARY KEY (id)"))


def burst_instant(engine, size: int) -> datetime:
    """The instant by which exactly ``size`` tasks have come due (the stored next checks)."""
    t = models.TaskRow
    with engine.connect() as conn:
        at = conn.scalar(
            select(t.next_check_at).where(t.next_check_at.is_not(None))
            .order_by(t.next_check_at).offset(size - 1).limit(1)
        )
    if at is None:
        raise SystemExit(f"fewer than {size} tasks have a next check: choose a smaller --burst")
    return at


def restore(engine) -> None:
    """Put the checked state back: violations, notices, Home marks, every next check."""
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE notifications, home_refresh, violations, rechecks"))
        for table in reversed(SNAPSHOT):
            if table != "notifications":
                conn.execute(text(f"INSERT INTO {table} SELECT * FROM snap_{table}"))
        conn.execute(text("INSERT INTO notifications SELECT * FROM snap_notifications"))
        for table in ("tasks", "people"):
            conn.execute(
                text(
                    f"UPDATE {table} t SET next_check_at = s.next_check_at FROM snap_{table}_nc s"
                    f" WHERE s.id = t.id AND t.next_check_at IS DISTINCT FROM s.next_check_at"
                )
            )
    with engine.connect() as conn:
        conn.execute(text("ANALYZE tasks, people, violations, notifications"))
        conn.commit()


def outcome(engine, at: datetime) -> dict[str, Any]:
    """What the burst did, and every sign of double firing (each count must be 0)."""
    v, n = models.ViolationRow, models.NotificationRow
    with engine.connect() as conn:
        fired = conn.execute(
            select(v.fingerprint, func.count()).where(v.fired_at == at).group_by(v.fingerprint)
        ).all()
        resolved = list(conn.scalars(select(v.fingerprint).where(v.resolved_at == at)))
        firing_dupes = conn.scalar(
            select(func.count()).select_from(
                select(v.fingerprint).where(v.state == "firing")
                .group_by(v.workspace_id, v.fingerprint).having(func.count() > 1).subquery()
            )
        )
        alert_dupes = conn.scalar(
            select(func.count()).select_from(
                select(n.violation_id, n.recipient_id)
                .where(n.kind == "alert", n.created_at >= at, n.violation_id.is_not(None))
                .group_by(n.violation_id, n.recipient_id).having(func.count() > 1).subquery()
            )
        )
        alerts = conn.scalar(
            select(func.count()).select_from(n).where(n.kind == "alert", n.created_at >= at)
        )
    return {
        "fired": sorted(f for f, _ in fired),
        "resolved": sorted(resolved),
        "fired_twice_at_burst": sum(1 for _, c in fired if c > 1),
        "firing_rows_duplicated": firing_dupes,
        "alerts_queued": alerts,
        "alerts_duplicated": alert_dupes,
    }


_WAITS = text(
    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),"
    " count(*) FILTER (WHERE state = 'active'),"
    " string_agg(wait_event || ': ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70), '|')"
    "   FILTER (WHERE wait_event_type = 'Lock')"
    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def monitor(
    engine, at: datetime, start: float, stop: threading.Event, curve: list[tuple[float, int]],
    waits: list[tuple[int, int]], waiting_on: Counter[str],
) -> None:
    """Every 0.25 s until ``stop``: (seconds since the burst, tasks still due) into ``curve``,
    and (backends waiting on a lock, backends active) into ``waits`` — what serialises them."""
    t = models.TaskRow
    while not stop.wait(0.25):
        if time.time() < start:
            continue
        with engine.connect() as conn:
            left = conn.scalar(select(func.count()).select_from(t).where(t.next_check_at <= at))
            locked, active, what = conn.execute(_WAITS).one()
        curve.append((round(time.time() - start, 2), int(left or 0)))
        waits.append((int(locked), int(active)))
        waiting_on.update((what or "").split("|") if what else ())


def _deadlocks(engine) -> int:
    """Deadlocks PostgreSQL has broken in this database so far (its statistics)."""
    with engine.connect() as conn:
        return int(conn.scalar(text(
            "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) or 0)


def postgres_cpu_s() -> float:
    """CPU seconds (user + system) used so far by every PostgreSQL server process here.

    The server is on this machine: its share of the two cores is what a second
    replica competes with (other engineers' queries count too: see the load)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)
            with open(f"/proc/{pid}/comm") as f:
                name = f.read().strip()
        except OSError:
            continue  # the process ended meanwhile
        if name.startswith("postgres"):
            parts = fields[1].split()
            total += int(parts[11]) + int(parts[12])  # utime, stime (fields 14, 15)
    return total / tick


def _when(curve: list[tuple[float, int]], total: int, share: float) -> float | None:
    for at, left in curve:
        if total - left >= share * total:
            return at
    return None


def run(url: str, size: int, processes: list[int], burst_size: int) -> dict[str, object]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    scoped_url = scoped.render_as_string(hide_password=False)
    engine = make_engine(scoped_url)
    out: dict[str, object] = {"database": "postgresql", "size": size, "burst": burst_size,
                              "load_start": load()}
    try:
        upgrade(engine)
        t0 = time.perf_counter()
        ws = build(engine, size)
        add_identities(engine, "bench")
        refresh_statistics(engine)
        out["build_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        run_check(engine, full=True, clock=FixedClock(NOW))  # what `vigil check --full` runs
        refresh_statistics(engine)
        out["first_full_check_s"] = round(time.perf_counter() - t0, 1)
        out["load_after_check"] = load()
        print(json.dumps(out), file=sys.stderr, flush=True)
        snapshot(engine)
        at = burst_instant(engine, burst_size)
        person = models.PersonRow
        with engine.connect() as conn:
            people_due = conn.scalar(
                select(func.count()).select_from(person).where(person.next_check_at <= at))
        out["burst_at"] = at.isoformat()
        out["burst_people"] = people_due
        runs: dict[int, dict[str, Any]] = {}
        first: dict[str, Any] | None = None
        for n in processes:
            restore(engine)
            queue: mp.Queue = mp.Queue()
            start = time.time() + 2.0  # every process connected before the burst starts
            stop = threading.Event()
            curve: list[tuple[float, int]] = []
            waits: list[tuple[int, int]] = []
            waiting_on: Counter[str] = Counter()
            watcher = threading.Thread(
                target=monitor, args=(engine, at, start, stop, curve, waits, waiting_on),
                daemon=True
            )
            pg_cpu = postgres_cpu_s()
            deadlocks = _deadlocks(engine)
            watcher.start()
            before = load()
            procs = [
                mp.Process(target=_worker, args=(scoped_url, ws, at, start, queue))
                for _ in range(n)
            ]
            for p in procs:
                p.start()
            results = [queue.get(timeout=7200) for _ in procs]
            for p in procs:
                p.join(timeout=60)
            stop.set()
            watcher.join()
            drain = max(r["end"] for r in results) - start
            pg_cpu = postgres_cpu_s() - pg_cpu
            deadlocks = _deadlocks(engine) - deadlocks
            py_cpu = sum(r["cpu_s"] for r in results)
            got = outcome(engine, at)
            if first is None:
                first = got
            runs[n] = {
                "drain_s": round(drain, 2),
                "decided_50pct_s": _when(curve, burst_size, 0.50),
                "decided_95pct_s": _when(curve, burst_size, 0.95),
                "per_due_task_ms": round(drain * 1000 / burst_size, 3),
                "events": sum(r["events"] for r in results),
                "events_per_process": [r["events"] for r in results],
                # CPU per burst task: the Python side (all workers) and the server's.
                "python_cpu_ms_per_task": round(py_cpu * 1000 / burst_size, 3),
                "postgres_cpu_ms_per_task": round(pg_cpu * 1000 / burst_size, 3),
                "cores_busy": round((py_cpu + pg_cpu) / max(drain, 1e-9), 2),
                "lock_waiting_backends_mean": round(
                    statistics.fmean(w[0] for w in waits), 2) if waits else None,
                "samples_with_a_lock_wait": round(
                    sum(1 for w in waits if w[0]) / len(waits), 2) if waits else None,
                "lock_waits_by_statement": dict(waiting_on.most_common(5)),
                "active_backends_mean": round(
                    statistics.fmean(w[1] for w in waits), 2) if waits else None,
                "ticks_per_process": [r["ticks"] for r in results],
                # Batches rolled back over a row lock (deadlock or lock timeout) and
                # run again; other refusals retried; batches that failed outright.
                "lock_conflict_rollbacks": sum(r.get("conflicts", 0) for r in results),
                "deadlocks_detected": deadlocks,
                "other_retries": sum(r.get("retries", 0) for r in results),
                "batch_failures": sum(r.get("failures", 0) for r in results),
                "fired": len(got["fired"]),
                "resolved": len(got["resolved"]),
                "alerts_queued": got["alerts_queued"],
                "fired_twice_at_burst": got["fired_twice_at_burst"],
                "firing_rows_duplicated": got["firing_rows_duplicated"],
                "alerts_duplicated": got["alerts_duplicated"],
                "same_fired_and_resolved_as_first_run": got["fired"] == first["fired"]
                and got["resolved"] == first["resolved"],
                "load": f"{before} -> {load()}",
            }
            if not runs[n]["same_fired_and_resolved_as_first_run"]:
                here, there = got, first
                runs[n]["differs_from_first_run"] = {
                    f"{what}_{side}": sorted(set(a[what]) - set(b[what]))[:20]
                    for what in ("fired", "resolved")
                    for side, a, b in (("only_here", here, there), ("only_there", there, here))
                }
            print(json.dumps({n: runs[n]}), file=sys.stderr, flush=True)
        out["processes"] = runs
        base = runs[processes[0]]["drain_s"]
        out["speedup"] = {n: round(base / r["drain_s"], 2) for n, r in runs.items()}
        out["double_firing"] = sum(
            r["fired_twice_at_burst"] + r["firing_rows_duplicated"] + r["alerts_duplicated"]
            + (0 if r["same_fired_and_resolved_as_first_run"] else 1)
            for r in runs.values()
        )
        # The change path on PostgreSQL, statistics fresh (beside SQLite's in bench/databases.py).
        out["change_one"] = change_latency(engine, ws, size, 200, random.Random(size))
        out["load_end"] = load()
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
    result = run(args.url, args.size, processes, args.burst)
    print(json.dumps(result, indent=2))
    if result["double_firing"]:
        sys.exit("double firing: see fired_twice_at_burst / alerts_duplicated above")


if __name__ == "__main__":
    main()
