"""SQLite beside PostgreSQL: ``vigil check --full`` as the CLI runs it, and the change path.

For each database and size, in one run: the generated organisation of
bench/engine.py is built around the real current time (the CLI has no clock
option, so the organisation is made to look the same to it as to the other
benches); then

  * ``python -m bot.cli check --full`` is run twice as a subprocess on that
    database (the first check stores every violation and queues one summary
    per person; the second is the steady full check), timed from the outside:
    wall seconds, the child's CPU seconds and its peak RSS (``peak_rss_mb``,
    the kernel's figure, includes this bench's own pages from before the
    child's exec; with ``--trace`` ``own_peak_rss_mb`` is the CLI's own);
  * the Core floor: reading every task, person, project and dependency row
    with SQLAlchemy Core, collector paused, best of three, in this run;
  * the change path: change one task's progress and re-evaluate its
    neighbourhood (bench/engine.py's measure (c)), p50/p95/p99 over
    ``--changes`` changes, first with the statistics the CLI left, then again
    after ``refresh_statistics`` (PostgreSQL's ANALYZE; a no-op on SQLite).

The machine's load average is printed beside every phase.

``--checks-only`` skips the change path (the iteration loop for the full check:
build, first and steady CLI check, floor). ``--keep DIR`` keeps each SQLite
database there (``db_N.db``) and, when it is already there with its first
check not yet run (``db_N.fresh.db``), copies it instead of building again.
``--trace`` sets ``VIGIL_CHECK_TRACE`` for the CLI: its phases (RSS and
seconds after each batch, the listing, the summaries) land in the JSON.

Usage: python bench/databases.py [--sizes 10000,100000] [--changes 200]
         [--url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--no-sqlite] [--no-cli]
         [--checks-only] [--keep DIR] [--trace] [--first-only]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.engine as bench_engine  # noqa: E402
from bench.day import add_identities  # noqa: E402
from bench.engine import build, floor_read_all  # noqa: E402
from storage.db import make_engine, refresh_statistics, upgrade  # noqa: E402


def load() -> str:
    """The load averages (1, 5, 15 min), as ``uptime`` shows them."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cli_check(url: str, trace: bool = False) -> dict[str, Any]:
    """Run ``vigil check --full`` in its own process: its wall and CPU seconds and peak RSS."""
    env = {**os.environ, "VIGIL_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    trace_file = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) if trace else None
    if trace_file is not None:
        env["VIGIL_CHECK_TRACE"] = trace_file.name
    before = load()
    parent = _own_memory_mb()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "check", "--full"],
            cwd=ROOT, env=env, stdout=out, stderr=err,
        )
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix the runs).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(
                f"vigil check --full failed ({proc.returncode}): {err.read().decode()[-2000:]}"
            )
        lines = out.read().decode(errors="replace").splitlines()
    fig: dict[str, Any] = {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        # ru_maxrss counts the pages the child had before exec, i.e. this bench's own
        # (Linux keeps the pre-exec high-water mark): at 1M that is the build's 921 MB.
        "peak_rss_mb": usage.ru_maxrss // 1024,
        "bench_rss_mb_at_spawn": parent,
        "output_lines": len(lines),
        "head": [line for line in lines if "firing" in line or "told" in line][:2],
        "load_before": before,
        "load_after": load(),
    }
    if trace_file is not None:
        with open(trace_file.name) as f:
            fig["trace"] = _summarise_trace([json.loads(line) for line in f])
        # The CLI's own high-water mark after exec (VmHWM at its last phase).
        fig["own_peak_rss_mb"] = max(p["peak_mb"] for p in fig["trace"]["phases"])
        os.unlink(trace_file.name)
    return fig


def _own_memory_mb() -> int:
    """This process's resident MiB now."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def _summarise_trace(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The CLI's phases: the batches by their peak RSS and summed seconds, the rest as is."""
    batches = [r for r in rows if r["phase"] == "batch"]
    others = [r for r in rows if r["phase"] != "batch"]
    out: dict[str, Any] = {"phases": others}
    if batches:
        out["batches"] = {
            "count": len(batches),
            "rss_mb_first_last_max": [batches[0]["rss_mb"], batches[-1]["rss_mb"],
                                      max(b["rss_mb"] for b in batches)],
            # Every k-th batch's resident MiB (at most ~25 values), and the last.
            "rss_mb_sampled": [b["rss_mb"] for b in batches[:: max(1, len(batches) // 25)]]
            + [batches[-1]["rss_mb"]],
            "seconds": round(sum(b["s"] for b in batches), 2),
            "slowest_s": max(b["s"] for b in batches),
        }
        if all("cpu_s" in b for b in batches):
            out["batches"]["cpu_s"] = round(sum(b["cpu_s"] for b in batches), 2)
            # CPU seconds of each tenth of the batches in order: a cost that grows with
            # what is already stored shows as later tenths costing more.
            step = max(1, -(-len(batches) // 10))
            out["batches"]["cpu_s_by_tenth"] = [
                round(sum(b["cpu_s"] for b in batches[i : i + step]), 1)
                for i in range(0, len(batches), step)]
        if all("phases" in b for b in batches):
            phases: dict[str, float] = {}
            for b in batches:
                for name, cpu in b["phases"].items():
                    phases[name] = phases.get(name, 0.0) + cpu
            out["batches"]["cpu_s_by_phase"] = {k: round(v, 2) for k, v in phases.items()}
    return out


def cli_start() -> float:
    """A fresh ``python -m bot.cli --version``: the process start the CLI pays before any work."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot.cli", "--version"], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return round(time.perf_counter() - t0, 3)


def changes(engine: Any, ws: int, n: int, count: int, seed: int) -> dict[str, Any]:
    """bench/engine.py's change measure with p99 added (same statement path)."""
    from bot.services import tasks as task_svc
    from storage.uow import make_uow_factory

    factory = make_uow_factory(engine)
    rng = random.Random(seed)
    samples = []
    before = load()
    for i in range(count):
        tid = rng.randint(1, n)
        at = bench_engine.NOW + timedelta(hours=1, seconds=i)
        t0 = time.perf_counter()
        with factory() as uow:
            task_svc.update_task(uow, ws, at, 1, tid, progress=rng.choice([5, 35, 55, 85]))
            uow.commit()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()

    def pct(q: float) -> float:
        return round(samples[min(len(samples) - 1, int(len(samples) * q))], 2)

    return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "max_ms": round(samples[-1], 2), "load": f"{before} -> {load()}"}


def one(kind: str, url: str, n: int, count: int, cli: bool, trace: bool = False,
        fresh: Path | None = None, steady: bool = True) -> dict[str, Any]:
    fig: dict[str, Any] = {"load_start": load()}
    t0 = time.perf_counter()
    if fresh is not None and fresh.exists():
        shutil.copyfile(fresh, make_url(url).database or "")
        engine = make_engine(url)
        ws = 1
        fig["copied_from"] = str(fresh)
    else:
        engine = make_engine(url)
        upgrade(engine)
        ws = build(engine, n)
        add_identities(engine, "bench")
        if kind == "postgresql":
            refresh_statistics(engine)
        if fresh is not None:
            engine.dispose()
            shutil.copyfile(make_url(url).database or "", fresh)
    fig["build_s"] = round(time.perf_counter() - t0, 1)
    if cli:
        fig["cli_first_full_check"] = cli_check(url, trace)
        if steady:
            fig["cli_steady_full_check"] = cli_check(url, trace)
    else:
        from bot.check import run_check

        t0 = time.perf_counter()
        run_check(engine, full=True)
        fig["inprocess_first_full_check_s"] = round(time.perf_counter() - t0, 1)
    floor = min(floor_read_all(engine) for _ in range(3))
    fig["floor_read_s"] = round(floor, 3)
    fig["cli_start_floor_s"] = min(cli_start() for _ in range(3))
    if cli:
        fig["cli_first_over_floor"] = round(fig["cli_first_full_check"]["wall_s"] / floor, 2)
    if cli and steady:
        fig["cli_steady_over_floor"] = round(fig["cli_steady_full_check"]["wall_s"] / floor, 2)
        # The same ratio with the process start taken out of the CLI's time.
        work = fig["cli_steady_full_check"]["wall_s"] - fig["cli_start_floor_s"]
        fig["cli_steady_less_start_over_floor"] = round(work / floor, 2)
    if count <= 0:
        fig["load_end"] = load()
        engine.dispose()
        return fig
    fig["change_stats_as_left"] = changes(engine, ws, n, count, n)
    refresh_statistics(engine)
    fig["change_stats_fresh"] = changes(engine, ws, n, count, n + 1)
    fig["load_end"] = load()
    engine.dispose()
    return fig


def _pg_schema(url: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, scoped.render_as_string(hide_password=False)


def _drop(url: str, schema: str) -> None:
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--url", default=None, help="PostgreSQL URL (omit: SQLite only)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-cli", action="store_true", help="full check in-process instead")
    parser.add_argument("--checks-only", action="store_true", help="no change path")
    parser.add_argument("--keep", default=None, help="keep (and reuse) SQLite databases here")
    parser.add_argument("--trace", action="store_true", help="the CLI's phases (RSS, seconds)")
    parser.add_argument("--first-only", action="store_true", help="no steady CLI check")
    args = parser.parse_args()
    count = 0 if args.checks_only else args.changes
    # The CLI evaluates at the real time: build the organisation around it.
    bench_engine.NOW = datetime.now(UTC).replace(microsecond=0)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    out: dict[str, Any] = {"now": bench_engine.NOW.isoformat(), "cpus": os.cpu_count(),
                           "results": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            row: dict[str, Any] = {}
            if not args.no_sqlite:
                where = Path(args.keep) if args.keep else Path(tmp)
                url = f"sqlite:///{where / f'db_{n}.db'}"
                fresh = where / f"db_{n}.fresh.db" if args.keep else None
                row["sqlite"] = one("sqlite", url, n, count, not args.no_cli, args.trace, fresh,
                                    not args.first_only)
                print(json.dumps({n: row}), file=sys.stderr, flush=True)
            if args.url:
                schema, scoped = _pg_schema(args.url)
                try:
                    row["postgresql"] = one("postgresql", scoped, n, count,
                                            not args.no_cli, args.trace)
                finally:
                    _drop(args.url, schema)
                print(json.dumps({n: row}), file=sys.stderr, flush=True)
            if "sqlite" in row and "postgresql" in row and count > 0:
                row["pg_over_sqlite_change_p95_fresh"] = round(
                    row["postgresql"]["change_stats_fresh"]["p95_ms"]
                    / row["sqlite"]["change_stats_fresh"]["p95_ms"], 2)
            out["results"][n] = row
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
