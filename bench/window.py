"""A window of the day in the life, with the night before caught up first.

``bench/engine.py --mode day`` replays from the instant the organisation was
built (Wed 11:00 UTC); to replay a later window — the start of the working
day, the worst hour — the ticks between the build and the window have to
happen somewhere, or the window's first tick is a catch-up of the whole
night and its detection delays are hours, not seconds. Here that night is
caught up before the window, timed and reported on its own (a catch-up tick
after a pause is a figure of its own): the rule tick and the escalation
ladder run once at one minute before the window, and the outbox (the first
check's summaries) is dispatched and the marked App Homes published until
none is left. Then ``bench.day.replay`` runs
the real job set (tick, escalation, digests, dispatch, Home) over the window.

Shapes: one workspace of ``--size`` tasks, or ``--tenants WxT`` (W workspaces
of T tasks each: the per-workspace overheads show). Per phase: seconds and
peak RSS, with the load average beside it; the Core floor read in this run.

Usage: python bench/window.py --size 1000000 --start 2026-03-12T08:30:00+00:00 --hours 2
       python bench/window.py --tenants 10000x100 --start 2026-03-12T08:30:00+00:00 --hours 1
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.engine as bench_engine  # noqa: E402
from bench import day  # noqa: E402
from bench.engine import build, floor_read_all  # noqa: E402
from bot.check import run_check  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.jobs import escalate_all, tick_all  # noqa: E402
from bot.notify.digest import DIGEST_BATCH, queue_digest_batch  # noqa: E402
from bot.notify.dispatcher import Dispatcher  # noqa: E402
from bot.notify.home import HomePublisher  # noqa: E402
from bot.workspace_check import check_committed  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402


def load() -> str:
    """The load averages (1, 5, 15 min), as ``uptime`` shows them."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def _count(engine: Any, table: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)


def catch_up(engine: Any, at: datetime, fig: dict[str, Any], drop_homes: bool = False) -> None:
    """Tick, climb and dispatch everything due by ``at`` (the night before the window).

    ``drop_homes``: the App Homes the night's tick marked are dropped, not
    published (as if published during the night): at 10,000 workspaces that
    is ~40,000 Homes at ~40 ms, half an hour of catch-up that is no part of
    the window.
    """
    factory = make_uow_factory(engine)
    clock = FixedClock(at)
    t, p = models.TaskRow, models.PersonRow
    fig["catch_up_due_tasks"] = _count(engine, t, t.next_check_at <= at)
    fig["catch_up_due_people"] = _count(engine, p, p.next_check_at <= at)
    t0 = time.perf_counter()
    tick_all(factory, clock)
    fig["catch_up_tick_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    tick_all(factory, clock)  # nothing is due now: the fixed cost of one tick
    fig["idle_tick_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    escalate_all(factory, clock)
    fig["catch_up_escalation_s"] = round(time.perf_counter() - t0, 2)
    port = day.CountingPort()
    dispatcher = Dispatcher(factory, {"bench": port})
    t0 = time.perf_counter()
    while dispatcher.run_once(clock.now()).claimed:
        pass
    fig["catch_up_dispatch_s"] = round(time.perf_counter() - t0, 2)
    fig["catch_up_sent"] = port.sent
    fig["catch_up_held"] = held(engine)
    if drop_homes:
        fig["catch_up_homes_dropped"] = _count(engine, models.HomeRefreshRow)
        with engine.begin() as conn:
            conn.execute(models.HomeRefreshRow.__table__.delete())
        return
    homes = HomePublisher(factory, {"bench": port})
    t0 = time.perf_counter()
    while homes.run_once(clock.now()).claimed:
        pass
    fig["catch_up_homes_s"] = round(time.perf_counter() - t0, 2)
    fig["catch_up_homes"] = port.homes


def held(engine: Any) -> dict[str, int]:
    """The outbox rows still pending, by kind and the change they tell (fired, severity,
    escalated, ...): what the night queued that quiet hours hold for the morning."""
    n = models.NotificationRow
    change = func.coalesce(func.json_extract(n.payload, "$.change"), "-")
    with engine.connect() as conn:
        rows = conn.execute(
            select(n.kind, change, func.count()).where(n.status == "pending")
            .group_by(n.kind, change)
        ).all()
    return {f"{kind}:{what}": int(count) for kind, what, count in rows}


def _quiet_check(engine: Any, now: datetime) -> None:
    """Every workspace checked in committed batches, storing verdicts but queueing nothing."""
    factory = make_uow_factory(engine)
    with factory() as uow:
        spaces = [w.id for w in uow.workspaces.list()]
    for ws in spaces:
        for _ in check_committed(factory, ws, now, lambda *_args, **_known: None):
            pass


def digest_batch(engine: Any, at: datetime, fig: dict[str, Any], size: int) -> None:
    """Time one committed batch of morning digests (``size`` people) at ``at``."""
    factory = make_uow_factory(engine)
    with factory() as uow:
        ws = uow.workspaces.list()[0].id
    t0 = time.perf_counter()
    with factory() as uow:
        looked = len(uow.people.digest_due(ws, at, size))
        queued, _more = queue_digest_batch(uow, ws, at, size)
        uow.commit()
    took = time.perf_counter() - t0
    fig["digest_batch"] = {"people": looked, "queued": len(queued), "s": round(took, 2),
                           "per_person_s": round(took / max(1, looked), 4), "load": load()}


def _prepare(engine: Any, args: argparse.Namespace, fig: dict[str, Any], phase: Any,
             n_ws: int, per_ws: int, start: datetime) -> None:
    """Build the shape, first-check it (and a steady check), read the floor, settle."""
    NOW = bench_engine.NOW
    with phase("build"):
        for w in range(n_ws):
            key = f"bench:{per_ws}" if n_ws == 1 else f"bench:t{w}"
            build(engine, per_ws, seed=7 + w, base=w * per_ws, key=key)
        day.add_identities(engine, "bench")
    print(json.dumps(fig), file=sys.stderr, flush=True)
    with phase("first_full_check"):
        if args.quiet_first_check:
            fig["first_full_check_path"] = "check_committed, no notices"
            _quiet_check(engine, NOW)
        else:
            fig["first_full_check_path"] = "run_check (the CLI's)"
            run_check(engine, full=True, clock=day.SimClock(NOW))
    v = models.ViolationRow
    fig["firing_after_first_check"] = _count(engine, v, v.state == "firing")
    print(json.dumps(fig), file=sys.stderr, flush=True)
    if not args.no_steady:
        with phase("steady_full_check"):
            run_check(engine, full=True, clock=day.SimClock(NOW))
    fig["loads"]["floor"] = load()
    floor = min(floor_read_all(engine) for _ in range(args.floors))
    fig["floor_read_s"] = round(floor, 3)
    fig["per_workspace_ms"] = {
        "first_full_check": round(fig["first_full_check_s"] * 1000 / n_ws, 3)}
    fig["first_full_over_floor"] = round(fig["first_full_check_s"] / floor, 2)
    if not args.no_steady:
        fig["steady_full_over_floor"] = round(fig["steady_full_check_s"] / floor, 2)
        fig["per_workspace_ms"]["steady_full_check"] = round(
            fig["steady_full_check_s"] * 1000 / n_ws, 3)
    if args.settle:
        digest_batch(engine, NOW, fig, args.digest_sample)
        n = models.NotificationRow
        fig["settled_home_marks"] = _count(engine, models.HomeRefreshRow)
        fig["settled_notices"] = _count(engine, n, n.status == "pending")
        with engine.begin() as conn:
            conn.execute(models.HomeRefreshRow.__table__.delete())
            conn.execute(
                n.__table__.update().where(n.status == "pending")
                .values(status="sent", sent_at=NOW)
            )
            p = models.PersonRow
            tomorrow = (start + timedelta(days=1)).replace(hour=9, minute=0, second=0)
            morning = _digests_at(start, args.hours, args.digests_at) or tomorrow
            fig["digests_due_at"] = morning.isoformat()
            conn.execute(
                p.__table__.update()
                .where((p.next_digest_at.is_(None)) | (p.next_digest_at <= start))
                .values(next_digest_at=morning)
            )


def _digests_at(start: datetime, hours: float, hhmm: str | None) -> datetime | None:
    """``HH:MM`` UTC on the window's day when it falls inside the window (else None)."""
    if not hhmm:
        return None
    h, _, m = hhmm.partition(":")
    at = start.replace(hour=int(h), minute=int(m or 0), second=0, microsecond=0)
    if not start <= at < start + timedelta(hours=hours):
        raise SystemExit(f"--digests-at {hhmm} is outside the window")
    return at


def sent_by(engine: Any, start: datetime, hours: float) -> dict[str, dict[str, int]]:
    """Per quarter hour of the window: digests queued and sent by then, alerts sent by then
    (the simulated instants the digest job and the dispatcher recorded)."""
    n = models.NotificationRow
    out: dict[str, dict[str, int]] = {}
    mark, end = start, start + timedelta(hours=hours)
    while mark <= end:
        out[f"{mark:%H:%M}"] = {
            "digests_queued": _count(engine, n, n.kind == "digest", n.created_at <= mark,
                                     n.created_at >= start),
            "digests_sent": _count(engine, n, n.kind == "digest", n.sent_at <= mark,
                                   n.sent_at >= start),
            "alerts_sent": _count(engine, n, n.kind == "alert", n.sent_at <= mark,
                                  n.sent_at >= start),
        }
        mark += timedelta(minutes=15)
    return out


def climb(engine: Any, at: datetime, fig: dict[str, Any]) -> None:
    """One escalation pass at ``at`` (after the window; the ticks between are skipped)."""
    factory = make_uow_factory(engine)
    v = models.ViolationRow
    fig["climb_at"] = at.isoformat()
    fig["climb_due"] = _count(engine, v, v.next_escalation_at <= at, v.state == "firing")
    print(json.dumps(fig), file=sys.stderr, flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    notices = escalate_all(factory, FixedClock(at))
    fig["climb_s"] = round(time.perf_counter() - t0, 2)
    fig["climb_cpu_s"] = round(time.process_time() - c0, 2)
    fig["climb_notices"] = sum(len(x) for x in notices.values())
    fig["climb_workspaces"] = len(notices)
    fig["loads"]["climb_end"] = load()


def _save(db: Path, to: str) -> None:
    """A compact copy of ``db`` at ``to`` (a plain sqlite3 connection: VACUUM needs no
    open transaction, and the engine's connection is inside one)."""
    copy = sqlite3.connect(db)
    copy.execute("VACUUM INTO ?", (to,))
    copy.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--tenants", default=None, help="WORKSPACESxTASKS, e.g. 10000x100")
    parser.add_argument("--start", required=True, help="UTC instant the window starts")
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--floors", type=int, default=3, help="Core floor reads (best of)")
    parser.add_argument("--dir", default=None, help="where the database goes (default: temp)")
    parser.add_argument(
        "--keep", default=None,
        help="put the database in this directory and keep it afterwards (e.g. for "
        "bench/person_views.py --db DIR/window.db)",
    )
    parser.add_argument(
        "--built-at", default=None,
        help="build the organisation around this UTC instant instead of bench/engine.py's NOW "
        "(then a window starting there needs no catch-up)",
    )
    parser.add_argument("--no-steady", action="store_true", help="skip the steady full check")
    parser.add_argument(
        "--settle", action="store_true",
        help="after the first check, count and then settle what it queued, as if it had gone "
        "out long before the window: its notices marked sent, its App Home marks dropped, "
        "and today's digests sent (one digest batch is timed first; everyone's next digest "
        "becomes 09:00 UTC the day after the window starts)",
    )
    parser.add_argument("--jobs", choices=("all", "tick"), default="all")
    parser.add_argument(
        "--tick-seconds", type=int, default=None,
        help="the old fixed grid: the tick and every job once per this many seconds "
        "(default: the app's cadence, bot.app.job_cadence)",
    )
    parser.add_argument("--wake-seconds", type=float, default=None,
                        help="the app cadence's tick wake (default VIGIL_TICK_WAKE_SECONDS)")
    parser.add_argument(
        "--drop-night-homes", action="store_true",
        help="drop the App Home marks the catch-up tick left instead of publishing them "
        "(as if published overnight; counted in catch_up_homes_dropped)",
    )
    parser.add_argument(
        "--quiet-first-check", action="store_true",
        help="store the first check's verdicts without queueing its notices (check_committed "
        "with a no-op notify) — for a window after the first check, where --settle would mark "
        "them sent anyway; the first check's time is then not the CLI's",
    )
    parser.add_argument(
        "--digests-at", default=None, metavar="HH:MM",
        help="with --settle: everyone's next morning digest becomes HH:MM UTC of the window's "
        "day (when that is inside the window) instead of the day after, so the window runs "
        "the real morning of digests",
    )
    parser.add_argument("--digest-sample", type=int, default=DIGEST_BATCH,
                        help="people in the one timed digest batch (--settle)")
    parser.add_argument(
        "--save", default=None, metavar="FILE",
        help="copy the database to FILE after the first check (and --settle), before the "
        "catch-up, so another cadence can replay the same window with --resume FILE",
    )
    parser.add_argument(
        "--save-caught-up", default=None, metavar="FILE",
        help="copy the database to FILE after the catch-up, before the window (resume it with "
        "--resume FILE --caught-up: no catch-up either)",
    )
    parser.add_argument(
        "--caught-up", action="store_true",
        help="with --resume: the store was saved by --save-caught-up, so the catch-up is skipped",
    )
    parser.add_argument(
        "--climb-at", default=None, metavar="ISO",
        help="after the window, time one escalation pass at this UTC instant (e.g. the "
        "Thursday 11:00 when the first check's violations climb; the ticks between are "
        "skipped)",
    )
    parser.add_argument("--progress-minutes", type=int, default=30,
                        help="the window's figures so far on stderr every this many minutes")
    parser.add_argument(
        "--resume", default=None, metavar="FILE",
        help="start from a copy of FILE (written by --save with the same shape and --start): "
        "no build and no first check, straight to the catch-up and the window",
    )
    args = parser.parse_args()
    if args.built_at:
        # build() and the change path read bench/engine.py's NOW at call time.
        bench_engine.NOW = datetime.fromisoformat(args.built_at)
    NOW = bench_engine.NOW
    if args.tenants:
        w, _, t = args.tenants.partition("x")
        n_ws, per_ws, name = int(w), int(t), args.tenants
    elif args.size:
        n_ws, per_ws, name = 1, args.size, str(args.size)
    else:
        parser.error("give --size or --tenants")
    start = datetime.fromisoformat(args.start)
    rss = day.RssPeak()
    fig: dict[str, Any] = {"shape": name, "workspaces": n_ws, "tasks": n_ws * per_ws,
                           "built_at": NOW.isoformat(), "window_start": start.isoformat(),
                           "window_hours": args.hours, "loads": {}}

    def phase(label: str) -> Any:
        fig["loads"][label] = load()
        return rss.phase(fig, label)

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        where = Path(args.keep or tmp)
        where.mkdir(parents=True, exist_ok=True)
        if args.resume:
            shutil.copyfile(args.resume, where / "window.db")
            fig["resumed_from"] = args.resume
        engine = make_engine(f"sqlite:///{where / 'window.db'}")
        upgrade(engine)
        if not args.resume:
            _prepare(engine, args, fig, phase, n_ws, per_ws, start)
            if args.save:
                _save(where / "window.db", args.save)
        print(json.dumps(fig), file=sys.stderr, flush=True)
        if args.caught_up:
            if not args.resume:
                parser.error("--caught-up needs --resume")
            fig["catch_up"] = "skipped: the store was saved caught up"
            fig["catch_up_held"] = held(engine)
        else:
            with phase("catch_up"):
                # At the cadence's last tick before the window (the grid's minute
                # before, the app's last wake), but never before the build (the
                # first check's notices are queued at the build instant).
                fig["catch_up_at"] = max(
                    start - day.tick_step(args.tick_seconds, args.wake_seconds), NOW
                ).isoformat()
                catch_up(engine, datetime.fromisoformat(fig["catch_up_at"]), fig,
                         args.drop_night_homes)
            if args.save_caught_up:
                _save(where / "window.db", args.save_caught_up)
        print(json.dumps(fig), file=sys.stderr, flush=True)
        with phase("window"):
            fig["window"] = day.replay(engine, start, args.hours, "bench", args.jobs,
                                       args.tick_seconds, args.wake_seconds,
                                       args.progress_minutes)
        n = models.NotificationRow
        fig["digests_by_status_at_end"] = {
            status: _count(engine, n, n.kind == "digest", n.status == status)
            for status in ("pending", "sending", "sent", "failed")
        }
        fig["sent_by"] = sent_by(engine, start, args.hours)
        fig["jobs"] = args.jobs
        fig["loads"]["end"] = load()
        if args.climb_at:
            with phase("climb_pass"):
                climb(engine, datetime.fromisoformat(args.climb_at), fig)
        engine.dispose()
    rss.close()
    print(json.dumps(fig, indent=2))


if __name__ == "__main__":
    main()
