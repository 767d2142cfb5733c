"""Engine benchmark: prints one JSON object (figures copied into the README).

Synthetic organisations of 10k and 100k tasks (people = tasks/20, 10% subtasks,
5% with dependencies) on SQLite:
  (a) full evaluation (load + evaluate) / reading the same rows with Core (the floor)
  (b) a periodic tick where 1% of tasks are due, at 10k and at 100k tasks
  (c) p50/p95 latency of "change one task and re-evaluate its neighbourhood"

Usage: python bench/engine.py [--sizes 10000,100000] [--changes 200]
       python bench/engine.py --mode day [--sizes 10000,100000,1000000] [--hours 24]
                              [--tenants 10000x100] [--tenant-hours 1]

``--mode day`` is the day in the life (bench/day.py): the first full check as
``vigil check --full`` runs it, then 24 h of the real job set at the app's cadence
(``--tick-seconds 60``: the old fixed grid of 60 s ticks).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.evaluation import evaluate_workspace, tick  # noqa: E402
from bot.services import tasks as task_svc  # noqa: E402
from engine.model import WorkCalendar  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

NOW = datetime(2026, 3, 11, 11, 0, tzinfo=UTC)
STATUSES = ["todo", "in_progress", "in_progress", "in_progress", "blocked", "in_review", "done"]


def build(engine, n: int, seed: int = 7, base: int = 0, key: str | None = None) -> int:
    """Bulk-load a synthetic organisation; return its workspace id.

    ``base`` offsets every row id (people, projects, tasks), so several
    organisations can share one database (the multi-tenant shape).
    """
    rng = random.Random(seed)
    factory = make_uow_factory(engine)
    with factory() as uow:
        ws = uow.workspaces.create(
            key or f"bench:{n}",
            key or f"Bench {n}",
            tz="Europe/London",
            calendar=WorkCalendar(tz="Europe/London"),
        )
        uow.commit()
    n_people = max(2, n // 20)
    n_projects = max(2, n // 200)
    with engine.begin() as conn:
        conn.execute(
            insert(models.PersonRow),
            [
                {
                    "id": base + i + 1,
                    "workspace_id": ws.id,
                    "name": f"Person {i}",
                    "handle": f"p{i}",
                    "role": "member",
                    "active": True,
                    "created_at": NOW - timedelta(days=90),
                    "reports_to_id": None,
                }
                for i in range(n_people)
            ],
        )
        conn.execute(
            insert(models.ProjectRow),
            [
                {
                    "id": base + i + 1,
                    "workspace_id": ws.id,
                    "name": f"Project {i}",
                    "manager_id": base + (i % n_people) + 1,
                    "active": True,
                    "settings": {},
                    "due": NOW + timedelta(days=rng.randint(20, 120)) if i % 3 == 0 else None,
                }
                for i in range(n_projects)
            ],
        )
        rows = []
        for i in range(n):
            start = NOW - timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
            status = rng.choice(STATUSES)
            last = start + (NOW - start) * rng.random()
            rows.append(
                {
                    "id": base + i + 1,
                    "workspace_id": ws.id,
                    "number": i + 1,
                    "title": f"Task {i}",
                    "project_id": base + rng.randint(1, n_projects),
                    "parent_id": base + rng.randint(1, i)
                    if i > 10 and rng.random() < 0.10
                    else None,
                    "owner_id": base + rng.randint(1, n_people) if rng.random() > 0.02 else None,
                    "creator_id": base + rng.randint(1, n_people),
                    "created_at": start,
                    "start": start,
                    "due": NOW + timedelta(days=rng.randint(-5, 60))
                    if rng.random() > 0.03
                    else None,
                    "progress": rng.choice([0, 10, 25, 40, 60, 80]),
                    "status": status,
                    "status_since": last,
                    "priority": rng.randint(1, 4),
                    "last_progress_at": last,
                    "last_activity_at": last,
                    "completed_at": last if status == "done" else None,
                    "proof_required": "none",
                }
            )
        for chunk in range(0, n, 5000):
            conn.execute(insert(models.TaskRow), rows[chunk : chunk + 5000])
        deps = []
        for i in range(n):
            if i > 10 and rng.random() < 0.05:
                for d in {rng.randint(1, i) for _ in range(rng.randint(1, 2))}:
                    deps.append({"task_id": base + i + 1, "depends_on_id": base + d})
        if deps:
            conn.execute(insert(models.TaskDependencyRow), deps)
        conn.execute(
            update(models.WorkspaceRow)
            .where(models.WorkspaceRow.id == ws.id)
            .values(next_task_number=n + 1)
        )
    return ws.id


def floor_read(engine, ws: int) -> float:
    """Read the same rows the full evaluation needs with SQLAlchemy Core."""
    t0 = time.perf_counter()
    with engine.connect() as conn:
        for table in (models.TaskRow, models.PersonRow, models.ProjectRow):
            conn.execute(select(table.__table__).where(table.workspace_id == ws)).all()
        conn.execute(select(models.TaskDependencyRow.__table__)).all()
    return time.perf_counter() - t0


def full_evaluation(engine, ws: int) -> tuple[float, int]:
    factory = make_uow_factory(engine)
    t0 = time.perf_counter()
    with factory() as uow:
        result = evaluate_workspace(uow, ws, NOW)  # what `vigil check --full` runs
    return time.perf_counter() - t0, len(result.violations)


def prime(engine, ws: int) -> None:
    """Store every task's verdict and next check, as production would have."""
    from bot.evaluation import full_check

    factory = make_uow_factory(engine)
    with factory() as uow:
        full_check(uow, ws, NOW)
        uow.commit()


def settle(engine) -> None:
    """Checkpoint the WAL the set-up's writes grew (the deferrals rewrite many rows at
    100k), so the timed tick's commit does not pay for them."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside any transaction: a checkpoint needs that
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()


def tick_time(engine, ws: int, n: int, k: int, rng: random.Random, offset: int) -> float:
    """Make exactly ``k`` random tasks due, then time one tick (median of 3).

    Every other check that would come due by the tick instant (the
    organisation's own next checks, which grow with its size) is deferred a
    day, so both sizes tick over the same amount of due work.
    """
    factory = make_uow_factory(engine)
    times = []
    tasks, people = models.TaskRow, models.PersonRow
    for round_ in range(3):
        at = NOW + timedelta(minutes=10 * (round_ + 1 + offset))
        due = rng.sample(range(1, n + 1), k=k)
        later = at + timedelta(days=1)
        with engine.begin() as conn:
            for table in (tasks, people):
                conn.execute(
                    update(table).where(table.next_check_at <= at).values(next_check_at=later)
                )
            just_due = at - timedelta(seconds=1)
            conn.execute(update(tasks).where(tasks.id.in_(due)).values(next_check_at=just_due))
        settle(engine)
        t0 = time.perf_counter()
        with factory() as uow:
            tick(uow, ws, at)
            uow.commit()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


class Phases:
    """Seconds spent in each phase of a tick (load, evaluate, diff/persist, ...).

    Wraps the functions the tick calls while it runs; a nested phase's time is
    counted in the innermost one only, so the phases add up to the tick.
    """

    NAMES = {
        "claim": [("storage.repositories.tasks", "TaskRepository", "claim_due"),
                  ("storage.repositories.people", "PeopleRepository", "claim_due")],
        "neighbourhood": [("bot.tick_rounds", None, "neighbourhood"),
                          ("bot.evaluation", None, "neighbourhood")],  # before 2026-12-04
        "owners": [("storage.repositories.tasks", "TaskRepository", "owner_ids")],
        "load": [("storage.repositories.tasks", "TaskRepository", "load_world")],
        "evaluate": [("bot.reevaluation", None, "evaluate"),
                     ("bot.evaluation", None, "evaluate")],  # before 2026-12-04
        "read_stored": [("storage.repositories.violations", "ViolationRepository", "firing")],
        "persist": [("bot.reevaluation", None, "persist"),
                    ("bot.evaluation", None, "persist")],  # before 2026-12-04
        "commit": [("storage.uow", "UnitOfWork", "commit")],
    }

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(self.NAMES, 0.0)
        self.loaded_tasks = 0
        self.decided_people = 0
        self._stack: list[list[float]] = []
        self._undo: list[tuple[object, str, object]] = []

    def __enter__(self) -> Phases:
        import importlib

        for phase, targets in self.NAMES.items():
            for module_name, cls, name in targets:
                try:
                    owner = importlib.import_module(module_name)
                except ModuleNotFoundError:  # an older checkout, measured for comparison
                    continue
                if cls is not None:
                    owner = getattr(owner, cls)
                if not hasattr(owner, name):  # moved since (the other entry has it)
                    continue
                real = getattr(owner, name)
                self._undo.append((owner, name, real))
                setattr(owner, name, self._timed(phase, real))
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, real in reversed(self._undo):
            setattr(owner, name, real)

    def _timed(self, phase: str, real):  # type: ignore[no-untyped-def]
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            self._stack.append([0.0])
            t0 = time.perf_counter()
            try:
                out = real(*args, **kwargs)
            finally:
                took = time.perf_counter() - t0
                inner = self._stack.pop()[0]
                self.seconds[phase] += took - inner
                if self._stack:
                    self._stack[-1][0] += took
            if phase == "load":
                self.loaded_tasks += len(out.tasks)
            elif phase == "evaluate":
                self.decided_people += len(out.person_ids)
            return out

        return timed

    def report(self, total: float, due: int) -> dict[str, object]:
        phases = {k: round(v, 4) for k, v in self.seconds.items()}
        phases["other"] = round(total - sum(self.seconds.values()), 4)
        return {
            "tick_s": round(total, 4),
            "due_tasks": due,
            "ms_per_due_task": round(total * 1000 / max(1, due), 3),
            "phases_s": phases,
            "tasks_loaded": self.loaded_tasks,
            "people_decided": self.decided_people,
        }


def tick_phases(engine, ws: int, n: int, k: int, rng: random.Random, offset: int,
                real: bool = False) -> dict[str, object]:
    """One tick of ``k`` due tasks with its per-phase breakdown.

    ``real``: the ``k`` tasks whose own next checks come first are due, at the
    instant of the k-th (their verdicts really change then: a deadline window
    opens, a task turns overdue); otherwise ``k`` random tasks are made due
    early, as ``tick_time`` does (most keep their verdict).
    """
    factory = make_uow_factory(engine)
    tasks, people = models.TaskRow, models.PersonRow
    with engine.begin() as conn:
        if real:
            row = conn.execute(
                select(tasks.next_check_at).where(tasks.next_check_at.is_not(None))
                .order_by(tasks.next_check_at).offset(k - 1).limit(1)
            ).first()
            at = row[0]
            due = k
        else:
            at = NOW + timedelta(minutes=10 * (1 + offset))
            picked = rng.sample(range(1, n + 1), k=k)
            for table in (tasks, people):
                conn.execute(
                    update(table).where(table.next_check_at <= at)
                    .values(next_check_at=at + timedelta(days=1))
                )
            conn.execute(update(tasks).where(tasks.id.in_(picked))
                         .values(next_check_at=at - timedelta(seconds=1)))
            due = k
    settle(engine)
    with Phases() as phases:
        t0 = time.perf_counter()
        with factory() as uow:
            events = tick(uow, ws, at)
            uow.commit()
        total = time.perf_counter() - t0
    out = phases.report(total, due)
    out["events"] = len(events)
    return out


def change_latency(engine, ws: int, n: int, changes: int, rng: random.Random) -> dict[str, float]:
    factory = make_uow_factory(engine)
    samples = []
    for i in range(changes):
        tid = rng.randint(1, n)
        at = NOW + timedelta(hours=1, seconds=i)
        t0 = time.perf_counter()
        with factory() as uow:
            task_svc.update_task(uow, ws, at, 1, tid, progress=rng.choice([5, 35, 55, 85]))
            uow.commit()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "p50_ms": round(samples[len(samples) // 2], 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
    }


def run(sizes: list[int], changes: int, workdir: str) -> dict[str, object]:
    out: dict[str, object] = {"database": "sqlite", "now": NOW.isoformat(), "sizes": {}}
    for n in sizes:
        engine = make_engine(f"sqlite:///{Path(workdir) / f'bench_{n}.db'}")
        upgrade(engine)
        t0 = time.perf_counter()
        ws = build(engine, n)
        build_s = time.perf_counter() - t0
        # Floor and full evaluation interleaved, best of three each: a slow
        # spell of the machine then hits both rather than one side of the ratio.
        floor, full, violations = float("inf"), float("inf"), 0
        for _ in range(3):
            floor = min(floor, floor_read(engine, ws))
            took, violations = full_evaluation(engine, ws)
            full = min(full, took)
        prime(engine, ws)
        rng = random.Random(n)
        out["sizes"][n] = {  # type: ignore[index]
            "build_s": round(build_s, 2),
            "floor_read_s": round(floor, 4),
            "full_evaluation_s": round(full, 4),
            "full_over_floor": round(full / floor, 2),
            "violations": violations,
            "tick_1pct_s": round(tick_time(engine, ws, n, max(1, n // 100), rng, 0), 4),
            "tick_100_due_s": round(tick_time(engine, ws, n, 100, rng, 3), 4),
            "change_one": change_latency(engine, ws, n, changes, rng),
        }
        if n >= 100_000 or n == sizes[-1]:
            # Where a tick's time goes: random due tasks (mostly quiet), and the
            # tasks whose own next checks really come first (their verdicts move).
            out["sizes"][n]["tick_1pct_breakdown"] = tick_phases(  # type: ignore[index]
                engine, ws, n, max(1, n // 100), rng, 6
            )
            out["sizes"][n]["tick_1pct_real_breakdown"] = tick_phases(  # type: ignore[index]
                engine, ws, n, max(1, n // 100), rng, 0, real=True
            )
        engine.dispose()
    sizes_out = out["sizes"]
    if len(sizes) >= 2:
        small, big = sizes_out[sizes[0]], sizes_out[sizes[-1]]  # type: ignore[index]
        out["tick_1pct_ratio_big_over_small"] = round(big["tick_1pct_s"] / small["tick_1pct_s"], 2)
        out["tick_per_due_task_ratio"] = round(
            (big["tick_1pct_s"] / (sizes[-1] // 100)) / (small["tick_1pct_s"] / (sizes[0] // 100)),
            2,
        )
        out["tick_100_due_ratio_big_over_small"] = round(
            big["tick_100_due_s"] / small["tick_100_due_s"], 2
        )
    return out


def day_in_the_life(
    sizes: list[int], hours: float, tenants: tuple[int, int] | None, tenant_hours: float,
    workdir: str, jobs: str, day_start: datetime | None = None,
    tick_seconds: int | None = None,
) -> dict[str, object]:
    """Per size: build, first full check (the CLI's path), then replay ``hours``
    (at the app's cadence, or with ``tick_seconds`` the old fixed grid)."""
    from bench import day
    from bot.check import run_check

    rss = day.RssPeak()
    out: dict[str, object] = {"database": "sqlite", "start": NOW.isoformat(), "jobs": jobs}
    shapes: list[tuple[str, int, int]] = [(str(n), 1, n) for n in sizes]
    if tenants:
        shapes.append((f"{tenants[0]}x{tenants[1]}", *tenants))
    for name, n_ws, per_ws in shapes:
        figures: dict[str, object] = {"workspaces": n_ws, "tasks": n_ws * per_ws}
        engine = make_engine(f"sqlite:///{Path(workdir) / f'day_{name}.db'}")
        upgrade(engine)
        with rss.phase(figures, "build"):
            for w in range(n_ws):
                key = f"bench:{per_ws}" if n_ws == 1 else f"bench:t{w}"
                build(engine, per_ws, seed=7 + w, base=w * per_ws, key=key)
            day.add_identities(engine, "bench")
        print(json.dumps({name: figures}), file=sys.stderr, flush=True)
        with rss.phase(figures, "first_full_check"):
            run_check(engine, full=True, clock=day.SimClock(NOW))
        print(json.dumps({name: figures}), file=sys.stderr, flush=True)
        with rss.phase(figures, "steady_full_check"):
            run_check(engine, full=True, clock=day.SimClock(NOW))
        floor = min(floor_read_all(engine) for _ in range(3))
        figures["floor_read_s"] = round(floor, 3)
        figures["steady_full_over_floor"] = round(
            figures["steady_full_check_s"] / floor, 2  # type: ignore[operator]
        )
        start = day_start or NOW
        if n_ws > 1:
            start = NOW.replace(hour=8, minute=30) + timedelta(days=1)
        span = hours if n_ws == 1 else tenant_hours
        with rss.phase(figures, "day"):
            figures["day"] = day.replay(engine, start, span, "bench", jobs, tick_seconds)
        figures["day"]["start"] = start.isoformat()  # type: ignore[index]
        figures["day"]["hours"] = span  # type: ignore[index]
        out[name] = figures
        engine.dispose()
        print(json.dumps({name: figures}), file=sys.stderr, flush=True)
    rss.close()
    return out


def floor_read_all(engine) -> float:
    """The Core read of every task, person, project and dependency row (collector paused)."""
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        with engine.connect() as conn:
            for table in (models.TaskRow, models.PersonRow, models.ProjectRow):
                conn.execute(select(table.__table__)).all()
            conn.execute(select(models.TaskDependencyRow.__table__)).all()
        return time.perf_counter() - t0
    finally:
        if paused:
            gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=("targets", "day"), default="targets")
    parser.add_argument("--sizes", default=None)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--tenants", default=None, help="WORKSPACESxTASKS, e.g. 10000x100")
    parser.add_argument("--tenant-hours", type=float, default=1.0)
    parser.add_argument("--jobs", choices=("all", "tick"), default="all")
    parser.add_argument(
        "--tick-seconds", type=int, default=None,
        help="day mode: the old fixed grid, every job once per this many seconds "
        "(default: the app's cadence, bot.app.job_cadence)",
    )
    parser.add_argument(
        "--start", default=None, help="replay from this UTC instant (default: the build's now)"
    )
    parser.add_argument("--dir", default=None, help="where the databases go (default: a temp dir)")
    args = parser.parse_args()
    default = "10000,100000" if args.mode == "targets" else "10000"
    sizes = [int(s) for s in (args.sizes or default).split(",") if s]
    tenants = None
    if args.tenants:
        w, _, t = args.tenants.partition("x")
        tenants = (int(w), int(t))
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        if args.mode == "day":
            start = datetime.fromisoformat(args.start) if args.start else None
            result = day_in_the_life(
                sizes, args.hours, tenants, args.tenant_hours, tmp, args.jobs, start,
                args.tick_seconds,
            )
        else:
            result = run(sizes, args.changes, tmp)
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
