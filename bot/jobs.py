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
from datetime import datetime

from bot.clock import Clock
from bot.evaluation import TICK_BATCH, LifecycleEvent, tick_batch
from bot.event_log import EventLog
from bot.notify.digest import DIGEST_BATCH, DIGEST_BATCH_SECONDS, queue_digest_batch
from bot.notify.dispatcher import Dispatcher, DispatchResult
from bot.notify.escalation import ESCALATION_BATCH, escalate_batch
from bot.notify.home import HomePublisher, HomeResult
from bot.notify.notifier import Notice
from bot.notify.team_digest import queue_team_digest
from bot.services.obligations import materialize
from bot.transaction import RETRY_PAUSES
from storage.errors import is_lock_conflict, is_retryable
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.jobs")


def _workspaces(uow_factory: Callable[[], UnitOfWork]) -> list[int]:
    """The workspaces scheduled work runs for (not the paused ones: their chat removed Vigil)."""
    with uow_factory() as uow:
        return uow.workspaces.active_ids()


def anything_due(uow_factory: Callable[[], UnitOfWork], now: datetime) -> bool:
    """Whether any active workspace has a task or person whose check has come.

    The question a tick wake asks before any evaluation work: one probe each
    of the tasks' and the people's next-check index (on PostgreSQL also the
    rechecks a batch handed on) that finds nothing when nothing is due, so
    waking every few seconds costs next to nothing (docs/scale.md, "Tick
    cadence"). Only when one answers yes are the due workspaces listed (and
    the paused ones left out).
    """
    with uow_factory() as uow:
        handed_on = uow.tasks.locks_rows() and bool(uow.rechecks.workspaces())
        if not (uow.tasks.any_due(now) or uow.people.any_due(now) or handed_on):
            return False
        return bool(_due_workspaces(uow, now))


def _due_workspaces(uow: UnitOfWork, now: datetime) -> set[int]:
    due = uow.tasks.workspaces_due(now) | uow.people.workspaces_due(now)
    if uow.tasks.locks_rows():  # subjects a batch handed on (bot.evaluation._decide_due)
        due |= uow.rechecks.workspaces()
    if due:  # paused workspaces are left alone (their chat removed Vigil)
        due &= set(uow.workspaces.active_ids())
    return due


def tick_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock, batch: int | None = None,
    recurring: bool = True,
) -> dict[int, list[LifecycleEvent]]:
    """Decide what is due in every workspace, in bounded batches that each commit.

    Only the workspaces with something due are visited (and, with
    ``recurring``, those with recurring work to create: ``materialize_all``;
    ``vigil run`` creates recurring work on its own slower cadence and passes
    False). Each round takes one batch (the longest-due tasks and people) from
    every workspace that still has work, so a burst in one workspace does not
    starve the others and no transaction holds the write lock for long; chat
    changes get in between batches. On PostgreSQL a workspace's due work is
    split into shards (by owner): each batch takes a free shard's advisory lock
    (a shard another process holds is skipped) and locks the rows it decides
    (``bot.evaluation._decide_due``), so several ``vigil run`` processes
    decide one big workspace side by side without deciding anything twice; a
    batch rolled back over a row lock is run again later in the pass. A failing
    workspace is logged and retried on the next tick; it never stops the others.
    """
    now = clock.now()
    limit = batch or TICK_BATCH
    with uow_factory() as uow:
        due = _due_workspaces(uow, now)
        shards = uow.tasks.tick_shards()
        handing_on = uow.tasks.locks_rows()
    results = _materialize_all(uow_factory, now) if recurring else {}
    seen: dict[tuple[int, int], set[tuple[str, int]]] = {}
    conflicts: dict[tuple[int, int], int] = {}
    pending = [(ws, k) for ws in sorted(due) for k in range(shards)]
    for _ in range(1 + RECHECK_ROUNDS):
        _drain(uow_factory, now, limit, shards, pending, seen, conflicts, results)
        if not handing_on:
            break
        # Batches may have handed subjects to shards already drained this pass:
        # go round those workspaces' shards again rather than leave them a minute.
        with uow_factory() as uow:
            again = uow.rechecks.workspaces() & due
        pending = [(ws, k) for ws in sorted(again) for k in range(shards)
                   if conflicts.get((ws, k), 0) <= LOCK_CONFLICTS_PER_PASS]
        if not pending:
            break
    return results


def materialize_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock
) -> dict[int, list[LifecycleEvent]]:
    """Create the recurring work whose cycle has started, in every active workspace
    with obligations (one process per workspace: the tick's lock)."""
    return _materialize_all(uow_factory, clock.now())


def _materialize_all(
    uow_factory: Callable[[], UnitOfWork], now: datetime
) -> dict[int, list[LifecycleEvent]]:
    with uow_factory() as uow:
        recurring = uow.tasks.workspaces_with_obligations()
        if recurring:
            recurring &= set(uow.workspaces.active_ids())
    return {ws: _materialize(uow_factory, ws, now) for ws in sorted(recurring)}


def _drain(
    uow_factory: Callable[[], UnitOfWork], now: datetime, limit: int, shards: int,
    pending: list[tuple[int, int]], seen: dict[tuple[int, int], set[tuple[str, int]]],
    conflicts: dict[tuple[int, int], int], results: dict[int, list[LifecycleEvent]],
) -> None:
    """One batch of each pending (workspace, shard) in turn, round after round,
    until every shard is empty, held by another process or left for the next tick."""
    while pending:
        more = []
        for ws, k in pending:
            try:
                done = _tick_shard_retrying(uow_factory, ws, now, limit, seen, (k, shards))
            except Exception:
                log.exception("tick failed for workspace %s; will retry next tick", ws)
                continue
            if done is None:
                continue  # another process is on this shard
            if isinstance(done, _Conflict):
                # Rolled back over a row lock another transaction holds: its work
                # is still due. Run it again after the other shards' next batches
                # (the holder has likely committed by then); past
                # LOCK_CONFLICTS_PER_PASS it waits for the next tick.
                conflicts[(ws, k)] = conflicts.get((ws, k), 0) + 1
                if conflicts[(ws, k)] <= LOCK_CONFLICTS_PER_PASS:
                    more.append((ws, k))
                else:
                    log.warning("tick of workspace %s shard %s met lock conflicts %s times; "
                                "left for the next tick", ws, k, LOCK_CONFLICTS_PER_PASS + 1)
                continue
            events, full = done
            results.setdefault(ws, []).extend(events)
            if full:
                more.append((ws, k))
        pending = more


class _Conflict:
    """The batch rolled back over a row lock (``_tick_shard_retrying``'s answer)."""


CONFLICT = _Conflict()
LOCK_WAIT_SECONDS = 15.0  # a batch's lock_timeout (PostgreSQL): over one long batch of another
LOCK_CONFLICTS_PER_PASS = 3  # a shard's batch is run again at most this often in one pass
RECHECK_ROUNDS = 5  # extra rounds over shards that were handed subjects after their turn


def _tick_shard_retrying(
    uow_factory: Callable[[], UnitOfWork], ws: int, now: datetime, limit: int,
    seen: dict[tuple[int, int], set[tuple[str, int]]], shard: tuple[int, int],
) -> tuple[list[LifecycleEvent], bool] | _Conflict | None:
    """One committed batch of a shard's due work; None when another process holds the shard.

    A batch waits at most ``LOCK_WAIT_SECONDS`` for a row lock (a change or a
    stuck transaction may hold one; batches themselves never wait while holding,
    see ``bot.evaluation._decide_due``), and a deadlock or such a timeout
    answers ``CONFLICT`` at once — the batch rolled
    back whole (nothing stored, nothing fired, ``seen`` untouched), its work
    is still due and the caller runs it again later. A serialization failure
    or a dropped connection is retried here with short pauses, like a chat
    message is, from the same start.
    """
    key = (ws, shard[0])
    pauses = (*RETRY_PAUSES, None)
    for pause in pauses:
        handled = set(seen.get(key, set()))  # what this batch adds is kept only if it commits
        try:
            with uow_factory() as uow:
                if not uow.outbox.try_lock(f"vigil:evaluate:{ws}:{shard[0]}"):
                    return None
                uow.tasks.bound_lock_waits(LOCK_WAIT_SECONDS)
                events, full = tick_batch(uow, ws, now, limit, handled, shard)
                uow.commit()
        except Exception as exc:
            if is_lock_conflict(exc):
                log.info("tick of workspace %s shard %s rolled back over a row lock (%s); "
                         "run again later", ws, shard[0], type(getattr(exc, "orig", exc)).__name__)
                return CONFLICT
            if pause is None or not is_retryable(exc):
                raise
            log.warning("tick of workspace %s refused by the database for now (%s); retrying",
                        ws, type(exc).__name__)
            time.sleep(pause)
            continue
        seen[key] = handled
        return events, full
    raise AssertionError("unreachable: the last pause re-raises")


def _materialize(
    uow_factory: Callable[[], UnitOfWork], ws: int, now: datetime
) -> list[LifecycleEvent]:
    """Create the occurrences of recurring work whose cycle has started (one process)."""
    try:
        with uow_factory() as uow:
            if not uow.outbox.try_lock(f"vigil:evaluate:{ws}"):
                return []
            created = materialize(uow, ws, now)
            uow.commit()
        return created
    except Exception:
        log.exception("recurring work failed for workspace %s; will retry next tick", ws)
        return []


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
    for ws in [w for w in _workspaces(uow_factory) if w in due]:
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
    for ws in [w for w in _workspaces(uow_factory) if w in due]:
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

