"""Where a steady full check's CPU goes, in-process (issue #18 item 3).

Builds bench/engine.py's organisation (kept under ``--dir`` and copied, not
rebuilt, on later runs), runs the first full check as ``vigil check --full``
does (``bot.check.run_check``, fixed clock), then the steady full check
``--rounds`` times (CPU seconds, process_time) beside the Core floor (best of
three), and with ``--profile`` one more steady check under cProfile, split into
read, frozen objects, each rule, stored verdicts, diff, writes and the rest;
``--profile-first`` profiles the first check instead (its writes and summaries).

Usage: python bench/full_split.py [--size 100000] [--dir /work/benchdb/split]
       [--rounds 2] [--profile] [--profile-first] [--no-first]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.engine import NOW, build, floor_read_all  # noqa: E402
from bot.check import run_check  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu(fn: Any) -> tuple[float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.process_time() - c0, time.perf_counter() - w0


# Phase -> the functions whose cumulative time it is (module path suffix, function name).
_PHASES = {
    "read (world SQL + rows)": [("storage/repositories/world.py", "load"),
                                ("storage/repositories/check_reads.py", "shared"),
                                ("storage/repositories/check_reads.py", "with_people"),
                                ("storage/repositories/check_reads.py", "batch")],
    "stored verdicts (firing read)": [("storage/repositories/violations.py", "firing"),
                                      ("storage/repositories/check_reads.py", "verdicts")],
    "rules (engine.evaluate)": [("engine/evaluate.py", "evaluate")],
    "diff": [("bot/lifecycle.py", "diff")],
    "writes: next checks": [("storage/repositories/people.py", "set_next_check")],
    "writes: violations": [
        ("storage/repositories/violation_writes.py", "fire_many"),
        ("storage/repositories/violation_writes.py", "resolve_many"),
        ("storage/repositories/violation_writes.py", "redecide_many"),
    ],
    "notify": [("bot/notify/summary.py", "__call__")],
    "  of which outbox rows": [("storage/repositories/outbox.py", "queue_many"),
                               ("storage/repositories/outbox.py", "replace_pending_payloads"),
                               ("storage/repositories/outbox_reads.py", "by_dedup_keys")],
    "  of which Home marks": [("storage/repositories/homes.py", "mark"),
                              ("storage/repositories/homes.py", "flush")],
    "commit": [("sqlalchemy/orm/session.py", "commit")],
}


def split(prof: cProfile.Profile, total: float) -> dict[str, Any]:
    """The profile's cumulative seconds by phase, by rule, and the frozen-object build."""
    stats = pstats.Stats(prof)
    raw: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    cum: dict[tuple[str, str], float] = {}
    rules: dict[str, float] = {}
    for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in raw.items():
        key = (path, name)
        cum[key] = cum.get(key, 0.0) + ct
        # A rule's own ``check``, or its ``check_many`` when it is written over many
        # tasks (base.py's generic check_many calls the former: not counted twice).
        if ("/engine/rules/" in path and name in ("check", "check_many")
                and not path.endswith("/base.py")):
            rule = Path(path).stem
            rules[rule] = rules.get(rule, 0.0) + ct
    out: dict[str, Any] = {}
    for phase, funcs in _PHASES.items():
        # The largest entry per function: a method and a module function of one name
        # in one file (people.py's set_next_check) must not count twice.
        out[phase] = round(sum(max((v for (p, n), v in cum.items()
                                    if p.endswith(suffix) and n == fname), default=0.0)
                               for suffix, fname in funcs), 3)
    # Inside the read: building the frozen Task/Person/Project objects from rows.
    out["  of which frozen objects"] = round(sum(
        v for (p, n), v in cum.items()
        if p.endswith("storage/repositories/_convert.py") or (p.endswith("engine/world.py")
                                                             and n == "build")), 3)
    out["total (profiled)"] = round(total, 3)
    ranked = sorted(rules.items(), key=lambda kv: -kv[1])
    out["rules by module"] = {k: round(v, 3) for k, v in ranked}
    return out


class Timers:
    """Unprofiled CPU seconds per phase: wraps the full check's steps (bench only)."""

    def __init__(self) -> None:
        import bot.persist as persist
        import bot.workspace_check as wc
        from storage.repositories.people import PeopleRepository
        from storage.repositories.task_checks import TaskChecks
        from storage.repositories.violations import ViolationRepository

        self.cpu: dict[str, float] = {}
        self._undo: list[tuple[Any, str, Any]] = []
        self._wrap(TaskChecks, "load_world", "read + frozen objects")
        try:  # since 2026-12-04 a full check reads through FullCheckReads
            from storage.repositories.check_reads import FullCheckReads
        except ModuleNotFoundError:
            pass
        else:
            for name in ("shared", "with_people", "batch"):
                self._wrap(FullCheckReads, name, "read + frozen objects")
            self._wrap(FullCheckReads, "verdicts", "stored verdicts")
        self._wrap(wc, "evaluate", "rules (engine.evaluate)")
        self._wrap(ViolationRepository, "firing", "stored verdicts")
        self._wrap(persist, "diff", "diff")
        self._wrap(TaskChecks, "set_next_check", "writes: next checks")
        self._wrap(PeopleRepository, "set_next_check", "writes: next checks")

    def _wrap(self, owner: Any, name: str, phase: str) -> None:
        real = getattr(owner, name)
        cpu = self.cpu
        cpu.setdefault(phase, 0.0)

        def timed(*args: Any, **kwargs: Any) -> Any:
            c0 = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                cpu[phase] += time.process_time() - c0

        setattr(owner, name, timed)
        self._undo.append((owner, name, real))

    def close(self) -> dict[str, float]:
        for owner, name, real in self._undo:
            setattr(owner, name, real)
        return {k: round(v, 3) for k, v in self.cpu.items()}


def _profiled(fn: Any, path: Path) -> dict[str, Any]:
    """Run ``fn`` under cProfile: its split (``split``) returned, the stats saved at ``path``."""
    prof = cProfile.Profile()
    c0 = time.process_time()
    prof.enable()
    fn()
    prof.disable()
    prof.dump_stats(str(path))
    return split(prof, time.process_time() - c0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--dir", default="/work/benchdb/split")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-first", action="store_true", help="reuse the primed database")
    parser.add_argument("--profile-first", action="store_true",
                        help="the first check under cProfile, split by phase")
    args = parser.parse_args()
    where = Path(args.dir)
    where.mkdir(parents=True, exist_ok=True)
    fresh, primed, db = (where / f"{args.size}.{k}.db" for k in ("fresh", "primed", "work"))
    commit = os.popen("git rev-parse --short HEAD").read().strip()
    out: dict[str, Any] = {"size": args.size, "commit": commit}
    if not fresh.exists():
        engine = make_engine(f"sqlite:///{fresh}")
        upgrade(engine)
        build(engine, args.size)
        engine.dispose()
    clock = FixedClock(NOW)
    if args.no_first and primed.exists():
        shutil.copyfile(primed, db)
        engine = make_engine(f"sqlite:///{db}")
    else:
        shutil.copyfile(fresh, db)
        engine = make_engine(f"sqlite:///{db}")
        out["load_before_first"] = _load()
        cpu, wall = _cpu(lambda: run_check(engine, full=True, clock=clock))
        out["first_cpu_s"], out["first_wall_s"] = round(cpu, 2), round(wall, 2)
        if args.profile_first:  # again on a fresh copy, profiled
            engine.dispose()
            shutil.copyfile(fresh, db)
            engine = make_engine(f"sqlite:///{db}")
            out["first_profile"] = _profiled(lambda: run_check(engine, full=True, clock=clock),
                                             where / f"first_{args.size}.prof")
        engine.dispose()
        shutil.copyfile(db, primed)
        engine = make_engine(f"sqlite:///{db}")
    steady = []
    later = FixedClock(NOW + timedelta(minutes=1))
    for _ in range(args.rounds):
        load = _load()
        cpu, wall = _cpu(lambda: run_check(engine, full=True, clock=later))
        steady.append({"cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "load": load})
    out["steady"] = steady
    floor = min(floor_read_all(engine) for _ in range(3))
    out["floor_s"] = round(floor, 3)  # wall, as bench/engine.py reports it
    floor_cpu = min(_cpu(lambda: floor_read_all(engine))[0] for _ in range(3))
    out["floor_cpu_s"] = round(floor_cpu, 3)  # the same read in CPU seconds (load-proof)
    if steady:
        out["steady_over_floor"] = round(min(s["cpu_s"] for s in steady) / floor, 1)
        out["steady_cpu_over_floor_cpu"] = round(min(s["cpu_s"] for s in steady) / floor_cpu, 1)
    timers = Timers()
    c0 = time.process_time()
    run_check(engine, full=True, clock=later)
    split_cpu = timers.close()
    split_cpu["total"] = round(time.process_time() - c0, 3)
    split_cpu["other"] = round(2 * split_cpu["total"] - sum(split_cpu.values()), 3)
    out["split_cpu"] = split_cpu
    out["split_load"] = _load()
    if args.profile:
        out["profile"] = _profiled(lambda: run_check(engine, full=True, clock=later),
                                   where / f"steady_{args.size}.prof")
    out["load_after"] = _load()
    engine.dispose()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
