"""Scheduled work: the rule tick, the escalation ladder, the outbox dispatch,
Home publishing and housekeeping.

Every function is synchronous and opens its own units of work; the
scheduler runs them with ``asyncio.to_thread``. Several Vigil processes may
share one PostgreSQL: each workspace's tick and ladder run under a
transaction-scoped advisory lock (``pg_try_advisory_xact_lock``), so a
workspace is evaluated by one process at a time and the other skips it; the
dispatcher claims rows with ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.clock import Clock
from bot.event_log import EventLog
from bot.notify.digest import DIGEST_BATCH, DIGEST_BATCH_SECONDS, queue_digest_batch
from bot.notify.dispatcher import Dispatcher, DispatchResult
from bot.notify.escalation import ESCALATION_BATCH, escalate_batch
from bot.notify.home import HomePublisher, HomeResult
from bot.notify.notifier import Notice
from bot.notify.team_digest import queue_team_digest
from bot.tick_job import active_workspaces, anything_due, materialize_all, tick_all
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.jobs")

# The tick lives in bot.tick_job; these names stay importable from here for the app.
__all__ = ["anything_due", "digest_all", "dispatch_due", "escalate_all", "materialize_all",
           "prune_conversation_state", "prune_seen_events", "refresh_homes", "tick_all"]


def escalate_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock
) -> dict[int, list[Notice]]:
    """Climb the escalation ladder in every workspace (same lock as the tick).

    Each batch of due rows is its own transaction, so the ladder never holds
    the write lock longer than one bounded batch.
    """
    now = clock.now()
    results: dict[int, list[Notice]] = {}
    with uow_factory() as uow:
        # Only the workspaces with a climb due: 10,000 tenants must not cost
        # 10,000 transactions a minute when a handful have anything to do.
        due = uow.workspaces.escalation_due(now)
    for ws in [w for w in active_workspaces(uow_factory) if w in due]:
        try:
            full = True
            while full:
                with uow_factory() as uow:
                    if not uow.outbox.try_lock(f"vigil:evaluate:{ws}"):
                        break
                    notices, looked = escalate_batch(uow, ws, now, ESCALATION_BATCH)
                    results.setdefault(ws, []).extend(notices)
                    uow.commit()
                full = looked == ESCALATION_BATCH
        except Exception:
            log.exception("escalation failed for workspace %s; will retry", ws)
    return results


def digest_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock, budget_seconds: float = 10.0
) -> int:
    """Queue the morning digests that are due (one per person per local day).

    Only the workspaces with someone's digest due (or a team digest channel)
    are visited. Small committed batches (``DIGEST_BATCH`` people, at most
    ``DIGEST_BATCH_SECONDS`` each: SQLite's write lock is held no longer);
    after ``budget_seconds`` of work the pass stops and the next pass carries
    on with whoever is still due, so a morning of thousands of digests never
    keeps the rule tick waiting for more than one short batch.
    """
    now = clock.now()
    stop_at = time.monotonic() + budget_seconds
    queued = 0
    with uow_factory() as uow:
        due = uow.workspaces.digest_due(now)
    for ws in [w for w in active_workspaces(uow_factory) if w in due]:
        try:
            more = True
            while more and time.monotonic() < stop_at:
                with uow_factory() as uow:
                    cut = min(stop_at, time.monotonic() + DIGEST_BATCH_SECONDS)
                    batch, more = queue_digest_batch(uow, ws, now, DIGEST_BATCH, cut)
                    queued += len(batch)
                    uow.commit()
            with uow_factory() as uow:
                queued += int(queue_team_digest(uow, ws, now))
                uow.commit()
        except Exception:
            log.exception("digest failed for workspace %s; will retry", ws)
    return queued


def dispatch_due(
    dispatcher: Dispatcher, clock: Clock, max_passes: int = 10, budget_seconds: float = 10.0
) -> DispatchResult:
    """Deliver what is due: passes until a pass claims nothing (at most ``max_passes``).

    After ``budget_seconds`` no new pass starts (the next run carries on): a
    morning's thousands of alerts and digests (~20-40 ms each to plan and
    record on SQLite under load) never keep the rule tick waiting for more
    than one pass (``bot.notify.dispatcher.DISPATCH_BATCH`` notices).
    """
    stop_at = time.monotonic() + budget_seconds
    total = DispatchResult()
    for _ in range(max_passes):
        if time.monotonic() >= stop_at and total.claimed:
            break
        result = dispatcher.run_once(clock.now())
        for name in ("sent", "edited", "retried", "failed", "skipped", "deferred"):
            getattr(total, name).extend(getattr(result, name))
        if result.claimed == 0:
            break
    return total


def refresh_homes(
    publisher: HomePublisher, clock: Clock, max_passes: int = 10, budget_seconds: float = 5.0
) -> HomeResult:
    """Publish the marked homes: passes until a pass claims nothing (at most ``max_passes``).

    A Home costs a My Tasks (~40 ms at 100k tasks) and a burst marks thousands
    of owners at once; after ``budget_seconds`` no new pass starts (the next
    run carries on), so a morning of Homes never keeps the rule tick waiting
    for more than one pass (``bot.notify.home.HOME_BATCH`` people).
    """
    stop_at = time.monotonic() + budget_seconds
    total = HomeResult()
    for _ in range(max_passes):
        if time.monotonic() >= stop_at and total.claimed:
            break
        result = publisher.run_once(clock.now())
        total.add(result)
        if result.claimed == 0:
            break
    return total


def prune_seen_events(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> int:
    """Forget platform event ids older than ``bot.event_log.KEEP``."""
    return EventLog(uow_factory, clock).prune()


def prune_conversation_state(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> int:
    """Forget expired questions and chat topics too old to be read ("it"); how many.

    Both are left behind when nobody answers or follows up; without this the tables
    only grow.
    """
    now = clock.now()
    with uow_factory() as uow:
        removed = uow.questions.prune(now) + uow.topics.prune(now)
        uow.commit()
    return removed

