"""Scheduled work: the rule tick over every workspace."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.clock import Clock
from bot.evaluation import LifecycleEvent, tick
from storage.uow import UnitOfWork

log = logging.getLogger("vigil.jobs")


def tick_all(
    uow_factory: Callable[[], UnitOfWork], clock: Clock
) -> dict[int, list[LifecycleEvent]]:
    """Run one tick per workspace, each in its own transaction.

    A failing workspace is logged and retried on the next tick; it never
    stops the others.
    """
    now = clock.now()
    with uow_factory() as uow:
        workspaces = [w.id for w in uow.workspaces.list()]
    results: dict[int, list[LifecycleEvent]] = {}
    for ws in workspaces:
        try:
            with uow_factory() as uow:
                results[ws] = tick(uow, ws, now)
                uow.commit()
        except Exception:
            log.exception("tick failed for workspace %s; will retry next tick", ws)
    return results
