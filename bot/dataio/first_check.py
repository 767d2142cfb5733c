"""The rules' first look at an import: every problem stored, one summary per person.

An imported workspace holds tens of problems per person; an alert for each
would bury everyone the moment the import ends. The imported tasks are
checked here, not left to the tick (which would alert one by one), with
``bot.notify.summary.Summaries`` as the notify step: each person who would
have been alerted gets one message ("38 problems found in your imported work
— top 5 …"). The violations themselves are stored and climb the escalation
ladder as usual.

A small import is checked in one go with its neighbourhood; a large one in
committed batches of whole owners (``bot.workspace_check.check_batch``, the
batches of ``vigil check --full``), pausing between batches on SQLite so chat
messages get the write lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime

from bot.evaluation import neighbourhood
from bot.notify.summary import Summaries
from bot.persist import TIME, persist
from bot.workspace_check import BATCH_TASKS, Batch, check_batch, owner_batches
from engine.evaluate import evaluate
from storage.uow import UnitOfWork

# Tasks per committed batch on SQLite, whose one writer a chat message waits for:
# about what it may wait. PostgreSQL has no such lock: the bigger batches of
# ``vigil check --full`` there (each batch has a fixed cost of its own).
CHECK_BATCH = 500
Progress = Callable[[int, int], None]


def check_touched(uow: UnitOfWork, ws: int, now: datetime, touched: set[int],
                  project_ids: Iterable[int], summaries: Summaries) -> None:
    """Evaluate the imported tasks with their neighbourhood, owners and the projects.

    The same evaluation as ``bot.evaluation.reevaluate``, whose notify step is
    fixed to one alert per problem; here it is the summaries.
    """
    targets = neighbourhood(uow, ws, touched, structural=True)
    persons = uow.tasks.owner_ids(ws, targets)
    projects = set(project_ids)
    world = uow.tasks.load_world(ws, targets, persons, projects, stored_verdicts=True)
    result = evaluate(world, now, targets, persons, projects)
    stored = uow.violations.firing(ws, task_ids=result.task_ids, person_ids=result.person_ids,
                                   project_ids=result.project_ids)
    persist(uow, ws, now, result, stored, TIME, summaries)


def batches(uow: UnitOfWork, ws: int, touched: set[int], size: int = CHECK_BATCH
            ) -> list[Batch]:
    """Whole owners of the touched tasks, about ``size`` tasks a batch; then the rest."""
    owners = sorted(uow.tasks.owner_ids(ws, touched))
    owned = uow.tasks.owned_ids(ws, owners) if owners else set()
    out = owner_batches(owners, uow.tasks.owner_counts(ws), sorted(touched - owned), size)
    out.append(Batch(projects=True))
    return out


def check_in_batches(uow_factory: Callable[[], UnitOfWork], ws: int, now: datetime,
                     touched: set[int], summaries: Summaries, pause: float = 0.0,
                     progress: Progress | None = None) -> None:
    """Check a large import batch by batch, each batch committed, ``pause`` s between
    (a pause: SQLite, small batches; none: PostgreSQL, the full check's batches)."""
    with uow_factory() as uow:
        plan = batches(uow, ws, touched, CHECK_BATCH if pause > 0 else BATCH_TASKS)
    total, done = sum(b.tasks for b in plan), 0
    for batch in plan:
        with uow_factory() as uow:
            check_batch(uow, ws, now, batch, TIME, summaries)
            uow.commit()
        done += batch.tasks
        if progress is not None:
            progress(done, total)
        time.sleep(pause)
