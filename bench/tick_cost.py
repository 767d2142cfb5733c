"""What one due task costs the rule tick: CPU per due task, by phase, beside a floor.

Builds one organisation with the project's generator (``bench.engine.build``:
people = tasks/20, 10% subtasks, 5% with dependencies) on SQLite, stores every
verdict and next check (``bench.engine.prime``, as production would have),
checkpoints and copies the database. Then for each ``--due`` N: the instant of
the N-th stored next check is the tick instant (so exactly the N tasks whose
own checks come first are due, plus the people due by then: their verdicts
really move — a window opens, a task turns overdue), and the real tick job
(``bot.jobs.tick_all`` with a ``FixedClock``) runs on a fresh copy of the
primed database, best of ``--reps`` in process CPU seconds (SQLite runs in this
process, so its work counts too), the database restored between reps. The
engine (and its statement caches) stays warm across reps: one untimed warm-up
tick runs first.

Per tick: CPU and wall seconds, ms per due task, the phases (claim, lock,
neighbourhood, owners, load, read_stored, evaluate, diff, persist, outbox,
commit, other; a nested phase counts in the innermost only), events, and the
Python function calls of one more rep under cProfile, and the statements,
parameter sets and fetched rows of one more through counting cursors (by
phase and by SQL shape: what a due task reads). Two floors, measured in the
same run. ``floor``: Core reads of the due rows and their wide neighbourhood
(the due tasks, their parents, children and dependency edges, the tasks those
reach, the owners and every task they own, the firing violations of all of
those), no evaluation and no writes, as defined on 2026-12-03 morning (kept
to compare). ``read_floor``: the tick's own SELECTs, captured in the counting
rep, sent again as they were on the primed database through Core
(``exec_driver_sql``, rows fetched, no type processing; ``_dbapi``: the
sqlite3 cursor alone) — the cost of exactly the rows the tick reads before
Python builds anything of them. ``over_*`` is tick CPU / floor CPU.

Usage: python bench/tick_cost.py [--size 100000] [--due 1000,2269] [--reps 3]
                                 [--cache /tmp/tick_cost_100000.db] [--sqlite-cache-mib 32]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import json
import pstats
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, or_, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.engine import build, prime, settle  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.jobs import tick_all  # noqa: E402
from storage import models as m  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

# phase -> (module, class or None, attribute) the tick calls; wrapped while it runs.
PHASES: dict[str, list[tuple[str, str | None, str]]] = {
    "claim": [("storage.repositories.task_checks", "TaskChecks", "claim_due"),
              ("storage.repositories.people", "PeopleRepository", "claim_due")],
    "lock": [("storage.repositories.task_checks", "TaskChecks", "lock"),
             ("storage.repositories.task_checks", "TaskChecks", "lock_free")],
    "neighbourhood": [("bot.tick_rounds", None, "neighbourhood"),
                      ("bot.evaluation", None, "neighbourhood")],  # before 2026-12-04
    "owners": [("storage.repositories.task_checks", "TaskChecks", "owner_ids")],
    "load": [("storage.repositories.task_checks", "TaskChecks", "load_world")],
    "read_stored": [("storage.repositories.violation_firing", "FiringViolations", "firing")],
    "evaluate": [("bot.reevaluation", None, "evaluate"),
                 ("bot.evaluation", None, "evaluate")],  # before 2026-12-04
    "diff": [("bot.persist", None, "diff")],
    "persist": [("bot.reevaluation", None, "persist"),
                ("bot.evaluation", None, "persist")],  # before 2026-12-04
    "outbox": [("bot.notify.notifier", None, "notify_events"),
               ("bot.reevaluation", None, "notify_events"),
               ("bot.evaluation", None, "notify_events")],  # bound there 2026-12-03 to 12-04
    "commit": [("storage.uow", "UnitOfWork", "commit")],
}


def load_average() -> str:
    """The load averages (1, 5, 15 min), as ``uptime`` shows them."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Phases:
    """Process CPU seconds per phase while a tick runs (innermost phase counts)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(PHASES, 0.0)
        self._stack: list[list[float]] = []
        self.names: list[str] = []  # the phases running now, innermost last
        self._undo: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> Phases:
        for phase, targets in PHASES.items():
            for module_name, cls, name in targets:
                try:
                    owner: Any = importlib.import_module(module_name)
                except ModuleNotFoundError:  # an older checkout, measured for comparison
                    continue
                if cls is not None:
                    owner = getattr(owner, cls)
                if not hasattr(owner, name):  # an older checkout, measured for comparison
                    continue
                if cls is not None:  # patched where defined (a mixin, since 2026-12-04)
                    owner = next(k for k in owner.__mro__ if name in k.__dict__)
                real = owner.__dict__[name] if cls is not None else getattr(owner, name)
                self._undo.append((owner, name, real))
                setattr(owner, name, self._timed(phase, real))
        # persist() binds notify_events as a default argument: swap the default too.
        self._persist_fn = self._real("persist")
        self._defaults = self._persist_fn.__defaults__
        wrapped = importlib.import_module("bot.notify.notifier").notify_events
        code = self._persist_fn.__code__
        defaults = list(self._defaults or ())
        first = code.co_argcount - len(defaults)  # the parameter the first default is of
        defaults[code.co_varnames.index("notify") - first] = wrapped
        self._persist_fn.__defaults__ = tuple(defaults)
        return self

    def _real(self, name: str) -> Any:
        """The unwrapped function the tick calls as ``name`` (wherever this checkout has it)."""
        for owner, n, real in self._undo:
            module = getattr(owner, "__name__", "")
            if n == name and module in ("bot.reevaluation", "bot.evaluation"):
                return real
        raise KeyError(name)

    def __exit__(self, *exc: object) -> None:
        self._persist_fn.__defaults__ = self._defaults
        for owner, name, real in reversed(self._undo):
            setattr(owner, name, real)

    def _timed(self, phase: str, real: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([0.0])
            self.names.append(phase)
            t0 = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                took = time.process_time() - t0
                self.names.pop()
                inner = self._stack.pop()[0]
                self.seconds[phase] += took - inner
                if self._stack:
                    self._stack[-1][0] += took

        return timed


class Statements:
    """Statements, parameter sets and fetched rows of a tick, by phase and SQL shape.

    The SQLite connections of a counting engine are made with ``_Connection``,
    whose cursors report here; ``phase`` names the innermost running phase.
    """

    def __init__(self) -> None:
        self.phase: Any = lambda: "other"
        self.by: dict[tuple[str, str], list[int]] = {}
        self._last: list[int] | None = None
        self.reads: list[tuple[str, Any]] = []  # every SELECT as sent, to replay (``Bench.replay``)
        # Every statement as sent (``many``: executemany's parameter sets), and the
        # commits: the whole tick replayed through sqlite3 (``Bench.replay_all``).
        self.sent: list[tuple[str, Any, bool]] = []

    def executed(self, sql: str, sets: int, params: Any = None, many: bool = False) -> None:
        if sets == 1 and not many and sql.lstrip()[:6].upper() in ("SELECT", "WITH R"):
            self.reads.append((sql, params))
        self.sent.append((sql, params, many))
        key = (self.phase(), _shape(sql))
        found = self.by.setdefault(key, [0, 0, 0])
        found[0] += 1
        found[1] += sets
        self._last = found

    def fetched(self, rows: int) -> None:
        if self._last is not None:
            self._last[2] += rows

    def summary(self) -> dict[str, Any]:
        phases: dict[str, list[int]] = {}
        for (phase, _), (n, sets, rows) in self.by.items():
            got = phases.setdefault(phase, [0, 0, 0])
            got[0] += n
            got[1] += sets
            got[2] += rows
        top = sorted(self.by.items(), key=lambda kv: -kv[1][2])
        return {
            "statements": sum(v[0] for v in self.by.values()),
            "rows_fetched": sum(v[2] for v in self.by.values()),
            "by_phase": {k: dict(zip(("statements", "param_sets", "rows"), v, strict=True))
                         for k, v in sorted(phases.items())},
            "by_shape": [{"phase": ph, "sql": sql, "statements": n, "param_sets": sets,
                          "rows": rows} for (ph, sql), (n, sets, rows) in top],
        }


def _shape(sql: str) -> str:
    """A statement's text, whitespace collapsed, bound lists folded, cut short."""
    sql = re.sub(r"\s+", " ", sql).strip()
    sql = re.sub(r"\?(, \?)+", "?..", sql)
    return sql[:160]


COUNTING: Statements | None = None  # where the counting cursors report


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: str, params: Any = ()) -> Any:  # type: ignore[override]
        if COUNTING is not None:
            COUNTING.executed(sql, 1, params)
        return super().execute(sql, params)

    def executemany(self, sql: str, params: Any) -> Any:  # type: ignore[override]
        params = list(params)
        if COUNTING is not None:
            COUNTING.executed(sql, len(params), params, many=True)
        return super().executemany(sql, params)

    def fetchone(self) -> Any:
        row = super().fetchone()
        if row is not None and COUNTING is not None:
            COUNTING.fetched(1)
        return row

    def fetchmany(self, size: int | None = None) -> Any:
        rows = super().fetchmany(size) if size is not None else super().fetchmany()
        if COUNTING is not None:
            COUNTING.fetched(len(rows))
        return rows

    def fetchall(self) -> Any:
        rows = super().fetchall()
        if COUNTING is not None:
            COUNTING.fetched(len(rows))
        return rows


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def commit(self) -> None:
        if COUNTING is not None and self.in_transaction:
            COUNTING.sent.append(("COMMIT", None, False))
        super().commit()

    def rollback(self) -> None:
        if COUNTING is not None and self.in_transaction:
            COUNTING.sent.append(("ROLLBACK", None, False))
        super().rollback()


def _count_connections(engine: Any) -> None:
    """Make the engine's new SQLite connections ``_Connection`` (counted cursors)."""

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        cparams["factory"] = _Connection


class Bench:
    """One primed database and a scratch copy the ticks run on."""

    def __init__(self, size: int, workdir: Path, cache: Path | None,
                 cache_mib: int | None = None) -> None:
        self.primed = cache or workdir / f"primed_{size}.db"
        self.scratch = workdir / f"scratch_{size}.db"
        self.setup_s: dict[str, float] = {}
        if not self.primed.exists():
            self._prime(size)
        else:  # a cache primed by an older checkout: bring its schema to this one's head
            engine = make_engine(f"sqlite:///{self.primed}")
            upgrade(engine)
            settle(engine)
            engine.dispose()
        shutil.copyfile(self.primed, self.scratch)
        self.engine = make_engine(f"sqlite:///{self.scratch}", sqlite_cache_mib=cache_mib)
        self.factory = make_uow_factory(self.engine)
        # The same file through counted cursors, for one untimed rep (their
        # Python-level fetches would cost the timed reps).
        self.counting_engine = make_engine(f"sqlite:///{self.scratch}", sqlite_cache_mib=cache_mib)
        _count_connections(self.counting_engine)
        self.counting_factory = make_uow_factory(self.counting_engine)
        with self.engine.connect() as conn:
            self.ws = conn.execute(select(m.workspaces.c.id)).scalar_one()

    def _prime(self, size: int) -> None:
        tmp = self.primed.with_suffix(".building")
        engine = make_engine(f"sqlite:///{tmp}")
        upgrade(engine)
        t0 = time.perf_counter()
        build(engine, size)
        self.setup_s["build_s"] = round(time.perf_counter() - t0, 1)
        t0 = time.perf_counter()
        prime(engine, 1)
        self.setup_s["prime_s"] = round(time.perf_counter() - t0, 1)
        settle(engine)
        engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        tmp.rename(self.primed)

    def restore(self) -> None:
        """The primed state again: connections closed, file copied back (the engine,
        and with it SQLAlchemy's compiled-statement cache, stays)."""
        self.engine.dispose()
        self.counting_engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.scratch}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.primed, self.scratch)

    def warm(self) -> None:
        """Open the pooled connection and read the schema, as a running process has:
        a fresh SQLite connection costs milliseconds a small tick must not be charged."""
        with self.engine.connect() as conn:
            conn.execute(select(func.count()).select_from(m.tasks)
                         .where(m.tasks.c.id == 0)).scalar_one()

    def instant(self, n: int) -> datetime:
        """The n-th stored next check of a task: ticking then makes exactly n tasks due."""
        with self.engine.connect() as conn:
            at = conn.execute(
                select(m.tasks.c.next_check_at).where(m.tasks.c.next_check_at.is_not(None))
                .order_by(m.tasks.c.next_check_at, m.tasks.c.id).offset(n - 1).limit(1)
            ).scalar_one()
            return at

    def due_counts(self, at: datetime) -> tuple[int, int]:
        with self.engine.connect() as conn:
            tasks = conn.execute(select(func.count()).where(m.tasks.c.next_check_at <= at))
            people = conn.execute(select(func.count()).where(m.people.c.next_check_at <= at))
            return int(tasks.scalar_one()), int(people.scalar_one())

    def tick(
        self, at: datetime, phases: bool = False, profile: bool = False, count: bool = False
    ) -> dict[str, Any]:
        """One real tick job on the restored database: CPU, wall, phases, calls
        (``count``: statements and rows instead, through counted cursors)."""
        global COUNTING
        self.restore()
        settle(self.engine)
        self.warm()
        gc.collect()
        clock = FixedClock(at)
        recorder = Phases() if phases or count else None
        factory = self.counting_factory if count else self.factory
        statements = Statements() if count else None
        if statements is not None and recorder is not None:
            names = recorder.names
            statements.phase = lambda: names[-1] if names else "other"
            COUNTING = statements
        profiler = cProfile.Profile() if profile else None
        if recorder:
            recorder.__enter__()
        try:
            w0, c0 = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            results = tick_all(factory, clock)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        finally:
            COUNTING = None
            if recorder:
                recorder.__exit__()
        out: dict[str, Any] = {
            "cpu_s": cpu, "wall_s": wall, "events": sum(len(e) for e in results.values()),
        }
        if recorder:
            out["phases_cpu_s"] = recorder.seconds
        if statements is not None:
            out["sql"] = statements.summary()
            out["reads"] = statements.reads
            out["sent"] = statements.sent
        if profiler:
            stats = pstats.Stats(profiler)
            out["python_calls"] = stats.total_calls  # type: ignore[attr-defined]
            out["top"] = _top(stats)
        return out

    def floor(self, at: datetime) -> float:
        """Core reads of the due rows and their neighbourhoods (process CPU seconds)."""
        self.restore()
        settle(self.engine)
        self.warm()
        T, D, P, V = m.tasks, m.task_dependencies, m.people, m.violations
        c0 = time.process_time()
        with self.engine.connect() as conn:
            due = conn.execute(
                select(T).where(T.c.workspace_id == self.ws, T.c.next_check_at <= at)
                .order_by(T.c.next_check_at, T.c.id)
            ).all()
            ids = {r.id for r in due}
            parents = {r.parent_id for r in due if r.parent_id}
            people_due = conn.execute(select(P).where(P.c.next_check_at <= at)).all()
            edges = conn.execute(
                select(D).where(or_(D.c.task_id.in_(ids), D.c.depends_on_id.in_(ids)))
            ).all()
            reached = parents | {e.task_id for e in edges} | {e.depends_on_id for e in edges}
            near = conn.execute(
                select(T).where(T.c.workspace_id == self.ws,
                                or_(T.c.id.in_(reached - ids), T.c.parent_id.in_(ids)))
            ).all()
            owners = {r.owner_id for r in due if r.owner_id} | {p.id for p in people_due}
            conn.execute(select(P).where(P.c.id.in_(owners))).all()
            conn.execute(select(T).where(T.c.workspace_id == self.ws,
                                         T.c.owner_id.in_(owners))).all()
            subjects = ids | {r.id for r in near}
            conn.execute(select(V).where(V.c.workspace_id == self.ws, V.c.state == "firing",
                                         V.c.subject_id.in_(subjects))).all()
        return time.process_time() - c0


    def replay(self, reads: list[tuple[str, Any]]) -> tuple[float, float]:
        """The tick's own SELECTs sent again as they were, on the primed database
        (process CPU seconds): through Core (``exec_driver_sql``, rows fetched, no
        type processing) and through the sqlite3 cursor alone. What reading
        exactly those rows costs before any Python touches them: the read floor."""
        out = []
        for core in (True, False):
            self.restore()
            settle(self.engine)
            self.warm()
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None
                c0 = time.process_time()
                for sql, params in reads:
                    if core:
                        conn.exec_driver_sql(sql, tuple(params)).all()
                    else:
                        raw.execute(sql, params).fetchall()
                out.append(time.process_time() - c0)
        return out[0], out[1]


    def replay_all(self, sent: list[tuple[str, Any, bool]]) -> tuple[float, list[dict[str, Any]]]:
        """Every statement of the tick (writes and commits too) sent again through the
        sqlite3 cursor alone on the primed database: what the database's own work
        costs (process CPU seconds), and the shapes costing most of it."""
        self.restore()
        settle(self.engine)
        self.warm()
        by: dict[str, list[float]] = {}
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            conn.connection.dbapi_connection.isolation_level = None  # type: ignore[union-attr]
            total = 0.0
            for sql, params, many in sent:
                c0 = time.process_time()
                if sql in ("COMMIT", "ROLLBACK"):
                    raw.execute(sql)
                elif many:
                    raw.executemany(sql, params)
                else:
                    raw.execute(sql, params if params is not None else ()).fetchall()
                took = time.process_time() - c0
                total += took
                got = by.setdefault(_shape(sql), [0, 0.0])
                got[0] += 1
                got[1] += took
        top = sorted(by.items(), key=lambda kv: -kv[1][1])[:12]
        return total, [{"sql": k, "statements": int(n), "cpu_s": round(t, 4)}
                       for k, (n, t) in top]


def _top(stats: pstats.Stats, n: int = 12) -> list[dict[str, Any]]:
    """The functions with the most own (tottime) CPU under the profiler."""
    rows = []
    for (file, line, name), (_cc, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((tottime, calls, cumtime, f"{Path(file).name}:{line}:{name}"))
    rows.sort(reverse=True)
    return [{"fn": f, "calls": c, "own_s": round(t, 4), "cum_s": round(cu, 4)}
            for t, c, cu, f in rows[:n]]


def measure(bench: Bench, n: int, reps: int) -> dict[str, Any]:
    # The instant and the due counts of the primed state: the scratch copy holds
    # whatever the last tick left (read there, a second size's "2,269 due" were
    # 3,254 on the primed state, before 2026-12-03 afternoon).
    bench.restore()
    at = bench.instant(n)
    due_tasks, due_people = bench.due_counts(at)
    bench.tick(at)  # warm-up: statement caches, imports
    runs = [bench.tick(at, phases=True) for _ in range(reps)]
    floors = [bench.floor(at) for _ in range(reps)]
    best = min(runs, key=lambda r: r["cpu_s"])
    profiled = bench.tick(at, profile=True)
    counting = bench.tick(at, count=True)
    counted = counting["sql"]
    replays = [bench.replay(counting["reads"]) for _ in range(reps)]
    read_floor = min(r[0] for r in replays)
    dbapi_floor = min(r[1] for r in replays)
    floor = min(floors)
    everything = [bench.replay_all(counting["sent"]) for _ in range(reps)]
    statement_floor, statement_top = min(everything, key=lambda r: r[0])
    return {
        "at": at.isoformat(),
        "due_tasks": due_tasks,
        "due_people": due_people,
        "events": best["events"],
        "cpu_s_best": round(best["cpu_s"], 4),
        "cpu_s_all": [round(r["cpu_s"], 4) for r in runs],
        "wall_s_best": round(best["wall_s"], 4),
        "cpu_ms_per_due_task": round(best["cpu_s"] * 1000 / due_tasks, 3),
        "phases_cpu_s": {k: round(v, 4) for k, v in best["phases_cpu_s"].items()}
        | {"other": round(best["cpu_s"] - sum(best["phases_cpu_s"].values()), 4)},
        "floor_cpu_s": round(floor, 4),
        "over_floor": round(best["cpu_s"] / floor, 2),
        "read_floor_cpu_s": round(read_floor, 4),
        "read_floor_dbapi_cpu_s": round(dbapi_floor, 4),
        "over_read_floor": round(best["cpu_s"] / read_floor, 2),
        "read_floor_ms_per_due_task": round(read_floor * 1000 / due_tasks, 3),
        # Every statement and commit of the tick through the bare sqlite3 cursor:
        # the database's own work, below which no Python-side change can go.
        "statement_floor_dbapi_cpu_s": round(statement_floor, 4),
        "statement_floor_ms_per_due_task": round(statement_floor * 1000 / due_tasks, 3),
        "statement_floor_top": statement_top,
        "python_calls": profiled["python_calls"],
        "python_calls_per_due_task": round(profiled["python_calls"] / due_tasks),
        "top_own_cpu": profiled["top"],
        "statements": counted["statements"],
        "rows_fetched": counted["rows_fetched"],
        "rows_fetched_per_due_task": round(counted["rows_fetched"] / due_tasks, 1),
        "sql_by_phase": counted["by_phase"],
        "sql_by_shape": counted["by_shape"][:25],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="tasks in the workspace")
    parser.add_argument("--due", default="1000,2269", help="due tasks per tick, comma-separated")
    parser.add_argument("--reps", type=int, default=3, help="timed ticks per size (best counts)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="primed database to reuse (built there when missing)")
    parser.add_argument("--sqlite-cache-mib", type=int, default=None,
                        help="SQLite page cache per connection (default: SQLite's 2 MiB)")
    args = parser.parse_args()
    out: dict[str, Any] = {"size": args.size, "sqlite_cache_mib": args.sqlite_cache_mib,
                           "load_before": load_average(), "ticks": {}}
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(args.size, Path(tmp), args.cache, args.sqlite_cache_mib)
        out["setup_s"] = bench.setup_s
        for n in (int(x) for x in args.due.split(",")):
            out["ticks"][n] = measure(bench, n, args.reps)
            out["ticks"][n]["load"] = load_average()
        bench.engine.dispose()
        bench.counting_engine.dispose()
    out["load_after"] = load_average()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
