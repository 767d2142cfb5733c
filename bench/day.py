"""A day in the life: 24 h of the real job set on a generated organisation.

Two cadences. The app's (the default): the jobs of ``vigil run`` at the
intervals its scheduler gives them (``bot.app.job_cadence``: the rule tick
wakes every ``VIGIL_TICK_WAKE_SECONDS`` and evaluates only when something is
due, dispatch every 5 s, Home every 3 s, escalation, digests and recurring
work every ``VIGIL_TICK_SECONDS``, gauges every 15 s). Or the old fixed grid
(``tick_seconds=60``): the tick and every job once per 60 s, in sequence.

Either way the jobs run one after another on a simulated clock that moves at
real speed while a job runs and jumps to the next scheduled run between
them; a run that comes while the job (or another one) is still busy starts
late, and runs that fell inside a busy job are dropped, as APScheduler's
``coalesce`` and ``max_instances=1`` do. One Vigil process shares one core
(the GIL) and SQLite has one writer, so running the jobs in sequence is the
shape of the real contention (if anything pessimistic: the app's threads
overlap their waits).

Per tick with due work it records how many tasks and people were due and how
long the tick took; per due subject, the *detection delay*: the end of the
tick that looked at it minus the instant its verdict could change (its stored
next check — by the engine's invariant the first instant a rule can start or
stop firing). Idle wakes (nothing due) are counted and timed apart.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from bot.app import job_cadence
from bot.config import Settings
from bot.jobs import (
    anything_due,
    digest_all,
    dispatch_due,
    escalate_all,
    materialize_all,
    prune_conversation_state,
    prune_seen_events,
    refresh_homes,
    tick_all,
)
from bot.messages import Outgoing
from bot.notify.dispatcher import Dispatcher
from bot.notify.home import HomePublisher
from bot.notify.ports import Recipient
from bot.observe import instrument
from storage import models
from storage.uow import make_uow_factory

PAGE = os.sysconf("SC_PAGE_SIZE")


class RssPeak:
    """Peak resident memory of this process per phase (sampled every 20 ms)."""

    def __init__(self) -> None:
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def now_mb() -> float:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * PAGE / 2**20

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._peak = max(self._peak, int(self.now_mb()))

    @contextmanager
    def phase(self, into: dict[str, Any], name: str) -> Iterator[None]:
        self._peak = int(self.now_mb())
        t0, c0 = time.perf_counter(), time.process_time()
        yield
        into[f"{name}_s"] = round(time.perf_counter() - t0, 2)
        # CPU beside wall: on a shared 2-core machine the wall time follows the load.
        into[f"{name}_cpu_s"] = round(time.process_time() - c0, 2)
        into[f"{name}_peak_rss_mb"] = max(self._peak, int(self.now_mb()))

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


class CountingPort:
    """A platform that accepts every message and only counts them."""

    def __init__(self) -> None:
        self.sent = self.edited = self.homes = 0

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        self.sent += 1
        return f"m{self.sent}"

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        self.edited += 1

    def publish_home(self, recipient: Recipient, platform_identity: str, message: Outgoing) -> None:
        self.homes += 1


class SimClock:
    """Simulated time: real seconds flow while a job runs; ``jump`` skips idle time."""

    def __init__(self, start: datetime) -> None:
        self._base, self._mark = start, time.perf_counter()

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.perf_counter() - self._mark)

    def jump(self, to: datetime) -> None:
        if to > self.now():
            self._base, self._mark = to, time.perf_counter()


@dataclass
class Day:
    """What the replay saw."""

    ticks: list[dict[str, Any]] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    job_seconds: dict[str, float] = field(default_factory=dict)
    job_max_seconds: dict[str, float] = field(default_factory=dict)
    skipped_minutes: int = 0
    idle_wakes: list[float] = field(default_factory=list)
    runs: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)

    def timed(self, name: str, job: Callable[[], object]) -> object:
        t0 = time.perf_counter()
        result = job()
        took = time.perf_counter() - t0
        self.runs[name] = self.runs.get(name, 0) + 1
        self.job_seconds[name] = self.job_seconds.get(name, 0.0) + took
        self.job_max_seconds[name] = max(self.job_max_seconds.get(name, 0.0), took)
        return result

    def summary(self) -> dict[str, Any]:
        delays = sorted(self.delays)
        busiest = sorted(self.ticks, key=lambda t: -t["due_tasks"])[:5]
        slowest = sorted(self.ticks, key=lambda t: -t["tick_s"])[:5]
        return {
            "ticks": len(self.ticks),
            "skipped_minutes": self.skipped_minutes,
            "due_tasks_total": sum(t["due_tasks"] for t in self.ticks),
            "due_people_total": sum(t["due_people"] for t in self.ticks),
            "due_tasks_max": max((t["due_tasks"] for t in self.ticks), default=0),
            "tick_s_p50": _pct(sorted(t["tick_s"] for t in self.ticks), 0.50),
            "tick_s_max": max((t["tick_s"] for t in self.ticks), default=0.0),
            "delay_s_p50": _pct(delays, 0.50),
            "delay_s_p95": _pct(delays, 0.95),
            "delay_s_max": round(delays[-1], 2) if delays else 0.0,
            "job_seconds": {k: round(v, 2) for k, v in self.job_seconds.items()},
            "job_max_seconds": {k: round(v, 2) for k, v in self.job_max_seconds.items()},
            "job_runs": dict(self.runs),
            "job_runs_dropped": dict(self.dropped),
            "idle_wakes": len(self.idle_wakes),
            "idle_wake_ms_p50": round(_pct(sorted(self.idle_wakes), 0.50) * 1000, 2),
            "idle_wake_ms_max": round(max(self.idle_wakes, default=0.0) * 1000, 2),
            "idle_wake_s_total": round(sum(self.idle_wakes), 2),
            "busiest_ticks": busiest,
            "latest_ticks": sorted(self.ticks, key=lambda t: -t["delay_s_max"])[:5],
            "slowest_ticks": slowest,
        }


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return round(values[min(len(values) - 1, int(len(values) * q))], 3)


def add_identities(engine: Any, platform: str) -> None:
    """One identity per person on ``platform`` so dispatch and Home have somewhere to go."""
    with engine.begin() as conn:
        people = conn.execute(select(models.PersonRow.id, models.PersonRow.workspace_id)).all()
        rows = [
            {"workspace_id": ws, "person_id": pid, "platform": platform, "external_id": f"U{pid}"}
            for pid, ws in people
        ]
        for chunk in range(0, len(rows), 5000):
            conn.execute(insert(models.IdentityRow), rows[chunk : chunk + 5000])


def _due(engine: Any, now: datetime) -> tuple[list[datetime], int, int]:
    """The next-check instants of everything due at ``now`` (before the tick takes them)."""
    t, p = models.TaskRow, models.PersonRow
    with engine.connect() as conn:
        tasks = list(conn.scalars(select(t.next_check_at).where(t.next_check_at <= now)))
        people = list(conn.scalars(select(p.next_check_at).where(p.next_check_at <= now)))
    return tasks + people, len(tasks), len(people)


def replay(
    engine: Any,
    start: datetime,
    hours: float,
    platform: str,
    jobs: str = "all",
    tick_seconds: int | None = None,
    wake_seconds: float | None = None,
    progress_minutes: int = 30,
) -> dict[str, Any]:
    """Replay ``hours`` of the scheduler from ``start``; return the day's figures.

    ``tick_seconds`` None: the app's cadence (``wake_seconds`` overrides its
    tick wake); a number: the old fixed grid of one pass of every job per
    ``tick_seconds``. ``jobs="tick"``: the rule tick (and recurring work) alone.
    The figures so far go to stderr every ``progress_minutes`` of simulated time.
    """
    if tick_seconds is not None:
        out = _replay_grid(engine, start, hours, platform, jobs, tick_seconds, progress_minutes)
        out["cadence"] = f"grid: every job once per {tick_seconds} s"
        return out
    return _replay_app(engine, start, hours, platform, jobs, wake_seconds, progress_minutes)


def _settings(wake_seconds: float | None) -> Settings:
    """The app's settings, with the tick wake the replay was asked for (None: the default)."""
    extra = {} if wake_seconds is None else {"VIGIL_TICK_WAKE_SECONDS": wake_seconds}
    return Settings(_env_file=None, **extra)  # type: ignore[arg-type]


@dataclass
class _Rig:
    """What a replay drives: the database, the simulated clock, a counting platform."""

    factory: Any
    clock: SimClock
    port: CountingPort
    dispatcher: Dispatcher
    homes: HomePublisher
    day: Day

    @classmethod
    def build(cls, engine: Any, start: datetime, platform: str) -> _Rig:
        factory = make_uow_factory(engine)
        port = CountingPort()
        ports: dict[str, Any] = {platform: port}
        return cls(factory, SimClock(start), port, Dispatcher(factory, ports),
                   HomePublisher(factory, ports), Day())

    def delivered(self) -> dict[str, Any]:
        """What reached the platform, and the mean detection delay."""
        delays = self.day.delays
        return {"delivered": {"sent": self.port.sent, "edited": self.port.edited,
                              "homes": self.port.homes},
                "delay_s_mean": round(statistics.fmean(delays), 2) if delays else 0.0}


def _progress(day: Day, at: datetime) -> None:
    """Progress on stderr, with the figures so far: a run stopped before its end (a 1M
    day takes an hour or more) still says what it measured."""
    so_far = {k: v for k, v in day.summary().items() if k not in ("busiest_ticks", "slowest_ticks")}
    so_far["idle_wakes"] = len(day.idle_wakes)
    so_far["cpu_s"] = round(time.process_time(), 1)
    with open("/proc/loadavg") as f:
        so_far["load"] = " ".join(f.read().split()[:3])
    print(f"day {at:%H:%M} so far {json.dumps(so_far)}", file=sys.stderr, flush=True)


def tick_step(tick_seconds: int | None, wake_seconds: float | None) -> timedelta:
    """How far apart the replay's rule ticks are: the grid's ``tick_seconds``, or the
    app's tick wake (``wake_seconds``, else the settings' default)."""
    if tick_seconds is not None:
        return timedelta(seconds=tick_seconds)
    settings = _settings(wake_seconds)
    (every,) = [s for j, s, _ in job_cadence(settings, False) if j == "rule-tick"]
    return timedelta(seconds=every)


def _tick(engine: Any, factory: Any, clock: SimClock, day: Day, recurring: bool) -> None:
    """One tick over what is due now, with its due subjects' detection delays."""
    at = clock.now()
    due_at, n_tasks, n_people = _due(engine, at)
    t0 = time.perf_counter()
    day.timed("tick", lambda: tick_all(factory, clock, None, recurring))
    took = time.perf_counter() - t0
    finished = clock.now()
    day.delays += [(finished - a).total_seconds() for a in due_at]
    if n_tasks or n_people:
        day.ticks.append(
            {
                "at": at.strftime("%H:%M:%S"),
                "due_tasks": n_tasks,
                "due_people": n_people,
                "tick_s": round(took, 3),
                "delay_s_max": round(max((finished - a).total_seconds() for a in due_at), 2),
            }
        )


def _replay_app(
    engine: Any, start: datetime, hours: float, platform: str, jobs: str,
    wake_seconds: float | None, progress_minutes: int,
) -> dict[str, Any]:
    rig = _Rig.build(engine, start, platform)
    factory, clock, dispatcher, homes, day = (rig.factory, rig.clock, rig.dispatcher,
                                              rig.homes, rig.day)
    settings = _settings(wake_seconds)

    def wake() -> None:
        t0 = time.perf_counter()
        if anything_due(factory, clock.now()):
            _tick(engine, factory, clock, day, recurring=False)
        else:
            day.idle_wakes.append(time.perf_counter() - t0)

    run: dict[str, Callable[[], object]] = {
        "rule-tick": wake,
        "recurring": lambda: day.timed("recurring", lambda: materialize_all(factory, clock)),
        "escalation": lambda: day.timed("escalation", lambda: escalate_all(factory, clock)),
        "digests": lambda: day.timed("digests", lambda: digest_all(factory, clock)),
        "dispatch": lambda: day.timed("dispatch", lambda: dispatch_due(dispatcher, clock)),
        "homes": lambda: day.timed("homes", lambda: refresh_homes(homes, clock)),
        "housekeeping": lambda: day.timed("housekeeping", lambda: (
            prune_seen_events(factory, clock), prune_conversation_state(factory, clock))),
        "gauges": lambda: day.timed("gauges", lambda: instrument.refresh_gauges(engine)),
    }
    table = job_cadence(settings, bool(homes.platforms))
    if jobs == "tick":
        table = [j for j in table if j[0] in ("rule-tick", "recurring")]
    every = {job_id: timedelta(seconds=seconds) for job_id, seconds, _ in table}
    order = [job_id for job_id, _, _ in table]
    next_at = {job_id: start if at_once else start + every[job_id]
               for job_id, _, at_once in table}
    end = start + timedelta(hours=hours)
    report = start
    while True:
        job_id = min(order, key=lambda j: (next_at[j], order.index(j)))
        at = next_at[job_id]
        if at >= end:
            break
        clock.jump(at)  # a run due while another job was busy starts late, now
        run[job_id]()
        following = at + every[job_id]
        while following <= clock.now():  # runs that fell inside this one are dropped
            following += every[job_id]
            day.dropped[job_id] = day.dropped.get(job_id, 0) + 1
        next_at[job_id] = following
        if clock.now() >= report:
            _progress(day, report)
            report += timedelta(minutes=progress_minutes)
    day.skipped_minutes = day.dropped.get("rule-tick", 0)
    out = day.summary()
    out["cadence"] = "app: " + ", ".join(f"{j} every {s:g} s" for j, s, _ in table)
    return out | rig.delivered()


def _replay_grid(
    engine: Any,
    start: datetime,
    hours: float,
    platform: str,
    jobs: str,
    tick_seconds: int,
    progress_minutes: int,
) -> dict[str, Any]:
    rig = _Rig.build(engine, start, platform)
    factory, clock, dispatcher, homes, day = (rig.factory, rig.clock, rig.dispatcher,
                                              rig.homes, rig.day)
    end = start + timedelta(hours=hours)
    minute = start
    gc_was = gc.isenabled()
    while minute < end:
        clock.jump(minute)
        _tick(engine, factory, clock, day, recurring=True)
        if jobs == "all":
            day.timed("escalation", lambda: escalate_all(factory, clock))
            day.timed("digests", lambda: digest_all(factory, clock))
            day.timed("dispatch", lambda: dispatch_due(dispatcher, clock))
            day.timed("homes", lambda: refresh_homes(homes, clock))
        if minute.minute % progress_minutes == 0 and minute.second == 0:
            _progress(day, minute)
        following = minute + timedelta(seconds=tick_seconds)
        while following < clock.now():  # the pass overran: the scheduler coalesces
            following += timedelta(seconds=tick_seconds)
            day.skipped_minutes += 1
        minute = following
    if gc_was:
        gc.enable()
    out = day.summary()
    return out | rig.delivered()
