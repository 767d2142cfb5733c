"""Evaluation entry points: a change's neighbourhood, the tick, full checks.

``bot.reevaluation`` re-evaluates a change's neighbourhood in the caller's
transaction; ``bot.tick_rounds`` decides the tick's due subjects in batches
and rounds; ``bot.workspace_check`` walks a whole workspace in batches.
This module gathers them (and the whole-workspace evaluation of the bench).
"""

from __future__ import annotations

import gc
from datetime import datetime

from bot.lifecycle import LifecycleEvent
from bot.persist import TIME, Cause
from bot.reevaluation import neighbourhood, reevaluate
from bot.tick_rounds import TICK_BATCH, tick, tick_batch
from bot.workspace_check import check_all
from engine.evaluate import evaluate
from engine.model import Evaluation
from storage.uow import UnitOfWork

__all__ = [
    "TICK_BATCH",
    "TIME",
    "Cause",
    "LifecycleEvent",
    "evaluate_workspace",
    "full_check",
    "neighbourhood",
    "reevaluate",
    "tick",
    "tick_batch",
]


def full_check(
    uow: UnitOfWork, ws: int, now: datetime, cause: Cause = TIME
) -> list[LifecycleEvent]:
    """Re-evaluate every subject of the workspace, in batches, in the caller's transaction.

    ``bot.workspace_check`` walks the workspace batch by batch so memory stays
    bounded; ``vigil check --full`` commits each batch (``check_committed``).
    """
    return check_all(uow, ws, now, cause)


def evaluate_workspace(uow: UnitOfWork, ws: int, now: datetime) -> Evaluation:
    """Load and evaluate every task, person and project of the workspace.

    The cyclic garbage collector is paused meanwhile: loading and evaluating
    build hundreds of thousands of long-lived objects and no reference cycles
    worth collecting, and every full collection would walk them all again
    (a quarter of the time on large workspaces).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        world = uow.tasks.load_full_world(ws)
        return evaluate(world, now)
    finally:
        if paused:
            gc.enable()
