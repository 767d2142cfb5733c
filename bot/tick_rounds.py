"""The tick's due subjects, decided in committed batches and rounds.

``tick_batch`` claims at most a batch of due tasks and people (a shard of
them on PostgreSQL) and ``_decide_due`` decides them, then the neighbours
and owners their moved verdicts reach, round after round, through
``bot.reevaluation.reevaluate_round``.
"""

from __future__ import annotations

import gc
from datetime import datetime

from bot.lifecycle import LifecycleEvent
from bot.persist import TIME
from bot.reevaluation import neighbourhood, reevaluate_round
from engine.model import SubjectKind
from engine.world import World
from storage.repositories.rechecks import Claimed
from storage.uow import UnitOfWork

TICK_BATCH = 1000  # due tasks (and due people) per committed batch of the tick job


def tick(uow: UnitOfWork, ws: int, now: datetime) -> list[LifecycleEvent]:
    """The periodic pass: every task and person whose next check has come.

    In the caller's transaction, batch after batch (``tick_batch``); the rule
    tick job commits each batch instead (``bot.jobs.tick_all``).
    """
    events: list[LifecycleEvent] = []
    seen: set[tuple[str, int]] = set()
    while True:
        batch, fresh = tick_batch(uow, ws, now, TICK_BATCH, seen)
        events += batch
        if not fresh:
            return events


def tick_batch(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    limit: int,
    seen: set[tuple[str, int]] | None = None,
    shard: tuple[int, int] = (0, 1),
) -> tuple[list[LifecycleEvent], bool]:
    """Decide at most ``limit`` due tasks and ``limit`` due people, longest due first.

    Returns the events and whether the batch was full of subjects not seen
    before in this pass (``seen``, updated): True means more may be due. A
    subject whose next check stays at or before ``now`` is decided once per
    pass, never in a loop. ``shard`` = (k, n): only tasks whose owner id (and
    people whose id) is k modulo n — the slice one process claims while others
    take the rest (``bot.jobs.tick_all`` on PostgreSQL). On PostgreSQL the
    shard's queued rechecks (at most ``limit``, see ``_decide_due``) are
    decided with them, seen before or not, and their rows deleted.
    """
    seen = set() if seen is None else seen
    k, n = shard
    due_tasks = [t for t in uow.tasks.claim_due(ws, now, limit, k, n) if ("t", t) not in seen]
    due_people = [p for p in uow.people.claim_due(ws, now, limit, k, n) if ("p", p) not in seen]
    rechecks = uow.rechecks.claim(ws, k, n, limit) if uow.tasks.locks_rows() else Claimed()
    due_tasks += sorted(rechecks.task_ids - set(due_tasks))
    due_people += sorted(rechecks.person_ids - set(due_people))
    if not due_tasks and not due_people:
        return [], False
    seen.update(("t", t) for t in due_tasks)
    seen.update(("p", p) for p in due_people)
    paused = gc.isenabled()
    gc.disable()  # a batch builds thousands of long-lived objects, no cycles worth collecting
    try:
        events = _decide_due(uow, ws, now, due_tasks, due_people)
    finally:
        if paused:
            gc.enable()
    uow.rechecks.clear(rechecks.row_ids)
    return events, max(len(due_tasks), len(due_people), len(rechecks.row_ids)) >= limit


def _decide_due(
    uow: UnitOfWork, ws: int, now: datetime, due_tasks: list[int], due_people: list[int]
) -> list[LifecycleEvent]:
    """Decide due subjects in rounds, so a quiet due task costs only itself.

    Nothing but time moved since these subjects were last decided (a change of
    any field re-evaluates its neighbourhood at once), and each subject's
    stored next check covers its own changes with time. So a task's
    neighbours (ancestors, dependents) and its owner can only be affected
    through the task's verdict, and they read only its base rules' rule and
    severity, which depend on the task's fields and the instant alone. Round
    one decides the due tasks and people; each next round decides the
    neighbourhood of the tasks whose verdict moved (fired, resolved or
    changed severity) the first time they were decided this batch, and the
    owners of those whose at-risk flag flipped (all an owner's rules read of
    a task's verdict, ``_at_risk``), reading the verdicts the rounds before
    stored. Within a round the
    subjects see each other's fresh verdicts. A task's verdict moves at most
    once per batch, so the rounds end.

    Locking (PostgreSQL, several processes deciding different shards at once).

    Invariant: a subject is decided only by a transaction that holds its row
    lock, taken before anything about it is read. So two batches never decide one
    subject side by side from the same stored state (which would fire a violation
    twice or resolve it from a stale read): the second waits for the first's
    commit and then, under READ COMMITTED, reads what the first stored.

    What needs locking up front is only what the batch's shard owns. A shard
    (owner id modulo n, ownerless tasks in shard 0; people by id) is held by one
    batch at a time (its advisory lock), and its due tasks, due people and the due
    tasks' owners all lie in it: the owner of a task of shard k is in shard k by
    construction. Round two decides the owners of the tasks that moved: locked
    already. Person rules read only the person and their own tasks (never another
    person), and task rules read their owner's fields, not the owner's verdict, so
    no other person is read in a way a concurrent batch could make stale.

    Neighbours (ancestors, children, dependents: often of other shards) are locked
    lazily, in the round that re-decides them (only when a verdict moved), and
    without waiting (SKIP LOCKED). A neighbour Y that another transaction holds
    (a batch deciding Y, or a change) may be decided there from our task X's old
    verdict, so it is handed on: a ``rechecks`` row for Y, written in our
    transaction, so it becomes visible exactly when X's new verdict does. The
    next batch of Y's shard claims it, locks Y up front (waiting for the holder,
    holding nothing itself), decides Y from committed state — X's new verdict
    and whatever the holder stored — and deletes the row. So Y is always decided
    again after the last change that could move it, by some process; nothing is
    lost if a process dies (the row is durable with the move, or neither is).
    The same covers owners of other shards that a moved neighbour reaches.

    No deadlock: the only lock statement of a batch that waits is its first,
    taken while it holds no row lock (the shard lock is advisory and only ever
    tried); later rounds never wait. Before, every neighbour and every
    neighbour's owner was locked up front, in one global order: rows of every
    shard, so batches of different shards nearly always overlapped and took
    turns (more processes were slower); locking neighbours lazily *with* waits
    deadlocked most pairs of concurrent 1000-task batches instead (measured).
    As a safety net a batch waits at most its lock_timeout for a row lock (the
    up-front one, or a foreign key or unique index a change holds); a lock
    timeout or a deadlock rolls it back whole, nothing stored, its subjects
    still due, and the tick job runs it again (``bot.jobs.tick_all``).
    """
    locks = uow.tasks.locks_rows()
    held_tasks: set[int] = set()
    held_people: set[int] = set()
    if locks:
        # Up front only what this shard owns: the due tasks, the due people and
        # the due tasks' owners (whom round two decides when a task moves).
        # Other batches take disjoint sets up front; this waits only for one
        # that reached a due task lazily as a neighbour, or for a chat change,
        # and holds nothing they could wait for meanwhile (no deadlock here).
        held_tasks = set(due_tasks)
        held_people = set(due_people) | uow.tasks.owner_ids(ws, held_tasks)
        uow.tasks.lock(ws, held_tasks, held_people)
    events: list[LifecycleEvent] = []
    decided: set[int] = set()
    tasks, people = set(due_tasks), set(due_people)
    # Nothing but verdicts and next checks moves in a batch: the rows one round
    # read serve the next rounds (and their notices) as they are.
    rows: World | None = None
    while tasks or people:
        if locks and decided:
            # Lazily, without waiting: the neighbours a moved verdict reaches that
            # nobody else holds; the busy ones are handed on (see above).
            got_tasks, got_people = uow.tasks.lock_free(
                ws, tasks - held_tasks, people - held_people)
            busy_tasks = tasks - held_tasks - got_tasks
            busy_people = people - held_people - got_people
            uow.rechecks.add(ws, busy_tasks, busy_people)
            tasks, people = tasks - busy_tasks, people - busy_people
            held_tasks |= got_tasks
            held_people |= got_people
            if not tasks and not people:
                break
        found, flipped, rows = reevaluate_round(
            uow, ws, now, tasks, people, cause=TIME, owners=False, rows=rows, due=not decided)
        events += found
        first = tasks - decided
        decided |= tasks
        moved = {e.subject_id for e in found if e.subject_kind is SubjectKind.TASK} & first
        if not moved:
            break
        tasks = neighbourhood(uow, ws, moved) - tasks
        # An owner reads of a task only whether it is at risk (``_at_risk``): a
        # move that keeps that flag (a new stage, warning to critical, an info
        # rule, a second risky rule) cannot change their verdict or next check.
        # Their owners as the round loaded them (every decided task is loaded).
        assert rows is not None
        owners = {rows.tasks[t].owner_id for t in moved & flipped}
        people = {p for p in owners if p is not None} - people
    return events
