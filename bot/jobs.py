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
from collections.abc import Callable

from bot.clock import Clock
from bot.evaluation import LifecycleEvent, tick
from bot.event_log import EventLog
from bot.notify.digest import queue_digests, queue_team_digest
from bot.notify.dispatcher import Dispatcher, DispatchResult
from bot.notify.home import HomePublisher, HomeResult
from bot.notify.notifier import Notice, escalate
from bot.services.obligations import materialize
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.jobs")


def _workspaces(uow_factory: Callable[[], UnitOfWork]) -> list[int]:
    """The workspaces scheduled work runs for (not the paused ones: their chat removed Vigil)."""
    with uow_factory() as uow:
        return [w.id for w in uow.workspaces.list() if w.paused_at is None]


def tick_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock
) -> dict[int, list[LifecycleEvent]]:
    """Run one tick per workspace, each in its own transaction.

    A failing workspace is logged and retried on the next tick; it never
    stops the others. A workspace another process is ticking is skipped.
    """
    now = clock.now()
    results: dict[int, list[LifecycleEvent]] = {}
    for ws in _workspaces(uow_factory):
        try:
            with uow_factory() as uow:
                if not uow.outbox.try_lock(f"vigil:evaluate:{ws}"):
                    continue
                # Recurring work: create the occurrences whose cycle has started.
                created = materialize(uow, ws, now)
                results[ws] = created + tick(uow, ws, now)
                uow.commit()
        except Exception:
            log.exception("tick failed for workspace %s; will retry next tick", ws)
    return results


def escalate_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock
) -> dict[int, list[Notice]]:
    """Climb the escalation ladder in every workspace (same lock as the tick)."""
    now = clock.now()
    results: dict[int, list[Notice]] = {}
    for ws in _workspaces(uow_factory):
        try:
            with uow_factory() as uow:
                if not uow.outbox.try_lock(f"vigil:evaluate:{ws}"):
                    continue
                results[ws] = escalate(uow, ws, now)
                uow.commit()
        except Exception:
            log.exception("escalation failed for workspace %s; will retry", ws)
    return results


def digest_all(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> int:
    """Queue the morning digests that are due (one per person per local day)."""
    now = clock.now()
    queued = 0
    for ws in _workspaces(uow_factory):
        try:
            with uow_factory() as uow:
                queued += len(queue_digests(uow, ws, now))
                queued += int(queue_team_digest(uow, ws, now))
                uow.commit()
        except Exception:
            log.exception("digest failed for workspace %s; will retry", ws)
    return queued


def dispatch_due(dispatcher: Dispatcher, clock: Clock, max_passes: int = 10) -> DispatchResult:
    """Deliver what is due: passes until a pass claims nothing (at most ``max_passes``)."""
    total = DispatchResult()
    for _ in range(max_passes):
        result = dispatcher.run_once(clock.now())
        for name in ("sent", "edited", "retried", "failed", "skipped", "deferred"):
            getattr(total, name).extend(getattr(result, name))
        if result.claimed == 0:
            break
    return total


def refresh_homes(publisher: HomePublisher, clock: Clock, max_passes: int = 10) -> HomeResult:
    """Publish the marked homes: passes until a pass claims nothing (at most ``max_passes``)."""
    total = HomeResult()
    for _ in range(max_passes):
        result = publisher.run_once(clock.now())
        total.add(result)
        if result.claimed == 0:
            break
    return total


def prune_seen_events(uow_factory: Callable[[], UnitOfWork], clock: Clock) -> int:
    """Forget platform event ids older than ``bot.event_log.KEEP``."""
    return EventLog(uow_factory, clock).prune()
