"""Re-evaluate the neighbourhood of a change and persist what changed.

Runs inside the caller's unit of work, so violation changes land in the same
transaction as the change that caused them. The tick's rounds
(``bot.tick_rounds``) decide through ``reevaluate_round``; ``bot.evaluation``
gathers the public entry points.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from bot.lifecycle import LifecycleEvent
from bot.notify.notifier import notify_events
from bot.persist import TIME, Cause, persist
from engine.evaluate import evaluate
from engine.model import AT_RISK, SubjectKind
from engine.rules import registry
from engine.world import World
from storage.uow import UnitOfWork


def neighbourhood(
    uow: UnitOfWork, ws: int, seeds: Iterable[int], structural: bool = False
) -> set[int]:
    """Tasks whose verdict can change when ``seeds`` change.

    The seeds, their ancestors (subtask risk), children (child after parent)
    and direct dependents (date conflicts, dependency risk). When the change
    touched the graph (parent or dependencies), also the transitive dependents
    and dependencies: cycle membership can change along the whole chain.
    """
    seed_set = set(seeds)
    if not seed_set:
        return set()
    return seed_set | uow.tasks.related_ids(ws, seed_set, structural)


def reevaluate(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    task_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
    cause: Cause = TIME,
    owners: bool = True,
) -> list[LifecycleEvent]:
    """Evaluate exactly these subjects (plus, with ``owners``, the tasks' owners) and persist."""
    return reevaluate_round(uow, ws, now, task_ids, person_ids, project_ids, cause, owners)[0]


def reevaluate_round(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    task_ids: Iterable[int] = (),
    person_ids: Iterable[int] = (),
    project_ids: Iterable[int] = (),
    cause: Cause = TIME,
    owners: bool = True,
    rows: World | None = None,
    due: bool = False,
) -> tuple[list[LifecycleEvent], set[int], World]:
    """``reevaluate``, also answering the decided tasks whose at-risk flag flipped
    (what their owners' person rules read of them, see ``_at_risk``) and the
    rows read so far (``rows`` and this world's).

    ``rows``: task, person and project rows this transaction read already and
    no change has moved since (a tick's earlier rounds), not read again.
    ``due``: the subjects were due (a tick's first round), so their stored next
    checks nearly all differ from the new ones: written without reading them first.
    """
    targets = set(task_ids)
    persons = set(person_ids)
    if owners:
        persons |= uow.tasks.owner_ids(ws, targets)
    # The owners' other tasks count with their stored verdicts (current by the
    # next-check invariant) instead of being re-evaluated with all their support.
    world = uow.tasks.load_world(
        ws, targets, persons, set(project_ids), stored_verdicts=True, cached=rows
    )
    rows = _merged(rows, world)
    result = evaluate(world, now, targets, persons, project_ids)
    stored = uow.violations.firing(
        ws,
        task_ids=result.task_ids,
        person_ids=result.person_ids,
        project_ids=result.project_ids,
        fixes=False,
    )
    flipped = _at_risk((v.subject_kind, v.subject_id, v.rule_id, v.severity) for v in stored)
    flipped ^= _at_risk(
        (v.subject_kind.value, v.subject_id, v.rule_id, v.severity.value)
        for v in result.violations
    )
    notify = partial(notify_events, known=rows)  # the rows loaded are not read again
    events = persist(uow, ws, now, result, stored, cause, notify, checks_due=due)
    return events, flipped & result.task_ids, rows


def _merged(rows: World | None, world: World) -> World:
    """The task, person and project rows of both (only those and the workspace's
    calendar and settings are read of the result: no indexes are built)."""
    if rows is None:
        return world
    return World(
        rows.calendar,
        {**rows.tasks, **world.tasks},
        {**rows.people, **world.people},
        {**rows.projects, **world.projects},
        rows.settings,
    )


_BASE_TASK_RULES = frozenset(r.id for r in registry.for_subject(SubjectKind.TASK, False))
_AT_RISK = frozenset(s.value for s in AT_RISK)


def _at_risk(violations: Iterable[tuple[str, int, str, str]]) -> set[int]:
    """The tasks among (subject kind, subject id, rule, severity) rows that are at
    risk: a firing base rule of warning or critical severity. That flag (with the
    task's fields, which time does not move) is all the person rules read of a
    task (``engine.context.RuleContext.portfolio``, ``World.portfolios``)."""
    task = SubjectKind.TASK.value
    return {
        subject for kind, subject, rule, severity in violations
        if kind == task and severity in _AT_RISK and rule in _BASE_TASK_RULES
    }
