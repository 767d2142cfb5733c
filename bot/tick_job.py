"""The rule tick as a scheduled job: which workspaces have work due, the due work
taken in bounded, committed batches per (workspace, shard), lock conflicts run
again later in the pass, and the recurring work that falls due.

Several Vigil processes may share one PostgreSQL: a batch takes its shard's
advisory lock (a shard another process holds is skipped) and locks the rows it
decides (``bot.tick_rounds._decide_due``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from bot.clock import Clock
from bot.evaluation import TICK_BATCH, LifecycleEvent, tick_batch
from bot.services.obligations import materialize
from bot.transaction import RETRY_PAUSES
from storage.errors import is_lock_conflict, is_retryable
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.jobs")


def active_workspaces(uow_factory: Callable[[], UnitOfWork]) -> list[int]:
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
    if uow.tasks.locks_rows():  # subjects a batch handed on (bot.tick_rounds._decide_due)
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
    (``bot.tick_rounds._decide_due``), so several ``vigil run`` processes
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
    see ``bot.tick_rounds._decide_due``), and a deadlock or such a timeout
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
