"""A full (or first) check of a whole workspace, walked in batches of owners.

Memory stays bounded by the batch, not the workspace: each batch is a set of
people with every task they own (their person rules need exactly those), or
a slice of the ownerless tasks, and the projects come last. The storage
loader adds each batch's support — descendants, parents, dependencies, the
people and projects they reference — so every subject is decided as it would
be on the whole workspace (tests/bot/test_workspace_check.py holds the two
side by side). Each batch's changes are written with set-based statements
(``bot.persist``); ``check_committed`` commits batch by batch, so a check of a
million tasks never holds one long transaction or the write lock for long.

The people, projects, calendar and settings are read once per check, not per
batch (``storage.repositories.check_reads``); each batch reads again the people
it decides. A steady check (nothing changed) mostly confirms what is stored:
the stored verdicts are compared as plain tuples, and only the subjects whose
verdict moved go through the diff and its writes.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from operator import itemgetter

from bot.lifecycle import LifecycleEvent
from bot.memory import give_back
from bot.notify.notifier import notify_events
from bot.notify.summary import Summaries
from bot.persist import TIME, Cause, CheckNotify, Notify, persist
from engine.evaluate import evaluate
from engine.model import Evaluation, Violation
from engine.world import World
from storage.repositories.check_reads import Verdict, VerdictKey
from storage.uow import UnitOfWork

BATCH_TASKS = 5000  # tasks per batch (a person with more tasks is a batch alone)


@dataclass(frozen=True)
class Batch:
    """The subjects one batch decides."""

    people: frozenset[int] = frozenset()
    unowned: tuple[int, ...] = ()  # ownerless task ids
    projects: bool = False  # every project of the workspace
    orphans: bool = False  # firing violations whose subject no longer exists
    tasks: int = 0  # how many tasks the batch decides


@dataclass
class Progress:
    """Tasks decided so far out of the workspace's total (for a progress bar)."""

    total: int
    done: int = 0
    events: int = 0
    batches: list[int] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # the last batch's, by phase


class Laps:
    """CPU seconds per phase of one batch (read, rules, verdicts, writes, notify,
    commit), for ``vigil check --full``'s trace: a few clock reads a batch."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self._at = time.process_time()

    def lap(self, phase: str) -> None:
        """Charge the CPU seconds since the previous lap to ``phase``."""
        at = time.process_time()
        self.cpu[phase] = self.cpu.get(phase, 0.0) + at - self._at
        self._at = at

    def timed(self, notify: Notify) -> Notify:
        """``notify`` charged to its own phase (what ran before it, to the writes)."""

        def call(uow: UnitOfWork, ws: int, now: datetime,
                 events: Sequence[LifecycleEvent]) -> object:
            self.lap("writes")
            try:
                return notify(uow, ws, now, events)
            finally:
                self.lap("notify")

        return call


def owner_batches(people: Iterable[int], counts: Mapping[int | None, int], unowned: Sequence[int],
                  size: int = BATCH_TASKS) -> list[Batch]:
    """Whole owners, about ``size`` tasks a batch (``counts``: tasks per owner), in the order
    given; then the ownerless tasks in chunks of ``size``."""
    batches: list[Batch] = []
    group: set[int] = set()
    tasks = 0
    for person in people:
        n = counts.get(person, 0)
        if group and tasks + n > size:
            batches.append(Batch(people=frozenset(group), tasks=tasks))
            group, tasks = set(), 0
        group.add(person)
        tasks += n
    if group:
        batches.append(Batch(people=frozenset(group), tasks=tasks))
    for start in range(0, len(unowned), size):
        chunk = tuple(unowned[start : start + size])
        batches.append(Batch(unowned=chunk, tasks=len(chunk)))
    return batches


def plan(uow: UnitOfWork, ws: int, size: int = BATCH_TASKS) -> list[Batch]:
    """Split the workspace into batches of about ``size`` tasks (whole owners each)."""
    people = sorted(p.id for p in uow.people.list(ws))
    batches = owner_batches(people, uow.tasks.owner_counts(ws), uow.tasks.unowned_ids(ws), size)
    batches.append(Batch(projects=True))
    batches.append(Batch(orphans=True))
    return batches


def check_batch(
    uow: UnitOfWork, ws: int, now: datetime, batch: Batch, cause: Cause, notify: CheckNotify,
    shared: World | None = None, laps: Laps | None = None,
) -> list[LifecycleEvent]:
    """Evaluate one batch's subjects with their support and persist what changed.

    ``shared``: the workspace's people, projects, calendar and settings as this
    check read them at its start (``FullCheckReads.shared``; read here when None).
    ``laps``: where the batch's CPU seconds by phase go (none: not timed).

    The cyclic collector is paused meanwhile: a batch builds many long-lived
    objects and no reference cycles worth collecting. It resumes only once
    the batch's world is gone, or its first pass would walk all of it.
    """
    laps = laps or Laps()
    if batch.orphans:
        events = _resolve_orphans(uow, ws, now, cause, laps.timed(notify))
        laps.lap("writes")
        return events
    paused = gc.isenabled()
    gc.disable()
    try:
        return _decide(uow, ws, now, batch, cause, notify, shared, laps)
    finally:
        if paused:
            gc.enable()


def _decide(
    uow: UnitOfWork, ws: int, now: datetime, batch: Batch, cause: Cause, notify: CheckNotify,
    shared: World | None, laps: Laps,
) -> list[LifecycleEvent]:
    reads = uow.check_reads
    if shared is None or batch.projects:
        shared = reads.shared(ws)  # the projects batch decides them from fresh rows
    project_ids = set(shared.projects) if batch.projects else set()
    shared, person_checks = reads.with_people(shared, ws, batch.people)
    read = reads.batch(shared, ws, batch.people, batch.unowned, project_ids)
    laps.lap("read")
    result = evaluate(read.world, now, read.targets, batch.people, project_ids)
    laps.lap("rules")
    task_checks = read.next_checks
    # The tasks it decided, as read in this transaction, and the people and projects
    # it decided them with (the check's shared rows, its own people read again) go to
    # the notices (their labels and routes) instead of being read again, batch after
    # batch; the rest of the world is freed before the writes.
    decided = {i: read.world.tasks[i] for i in result.task_ids if i in read.world.tasks}
    known = World(read.world.calendar, decided, read.world.people, read.world.projects)
    told = laps.timed(partial(notify, known=known))
    del read
    stored = reads.verdicts(ws, result.task_ids, result.person_ids, result.project_ids)
    moved = _moved(stored, result.violations)
    records = []
    if moved:
        records = uow.violations.firing(
            ws,
            task_ids=[i for kind, i in moved if kind == "task"],
            person_ids=[i for kind, i in moved if kind == "person"],
            project_ids=[i for kind, i in moved if kind == "project"],
            fixes=False,
            lifecycle=False,  # the diff reads the verdicts only
        )
    # The diff goes subject by subject (a fingerprint names its subject): over the
    # moved subjects alone it finds every change the whole batch's would.
    found = tuple(
        v for v in result.violations if (v.subject_kind.value, v.subject_id) in moved
    ) if moved else ()
    changed = replace(
        result,
        violations=found,
        task_next_check=_changed(result.task_next_check, task_checks),
        person_next_check=_changed(result.person_next_check, person_checks),
    )
    laps.lap("verdicts")
    # Only next checks that differ from the stored ones are left: written unread.
    events = persist(uow, ws, now, changed, records, cause, told, checks_due=True)
    laps.lap("writes")
    return events


def _changed(
    decided: Mapping[int, datetime | None], stored: Mapping[int, datetime | None]
) -> dict[int, datetime | None]:
    """The decided next checks that differ from the stored ones (or have none stored)."""
    missing = object()
    return {k: at for k, at in decided.items() if stored.get(k, missing) != at}


# What names a violation's problem (its fingerprint's parts) and what the diff
# compares of it: C-level slices of the named tuple, not a fingerprint string per
# violation (a steady check compares some 100,000 of them at 100k tasks).
_KEY = itemgetter(0, 1, 2, 6)  # rule_id, subject_kind, subject_id, stage
_SAID = itemgetter(3, 4)  # severity, explanation


def _moved(stored: dict[VerdictKey, Verdict], found: Sequence[Violation]) -> set[tuple[str, int]]:
    """The subjects (kind, id) whose verdict differs from the stored one: a
    violation fired, resolved, or changed severity or wording (what the diff
    compares, ``bot.lifecycle.diff``). Tuples compared, no records built.

    Keyed by (rule, kind, subject, stage) where the diff keys by fingerprint: two
    keys are equal only if their fingerprints are, so nothing the diff would see
    is missed (a moved subject only costs the diff's look at it)."""
    mine: dict[VerdictKey, Verdict] = dict(zip(map(_KEY, found), map(_SAID, found), strict=True))
    if mine == stored:
        return set()
    moved = {(key[1].value, key[2]) for key, said in stored.items() if mine.get(key) != said}
    moved.update((key[1].value, key[2]) for key, said in mine.items() if stored.get(key) != said)
    return moved


def _resolve_orphans(
    uow: UnitOfWork, ws: int, now: datetime, cause: Cause, notify: Notify
) -> list[LifecycleEvent]:
    """Resolve the firing violations of deleted tasks, people and projects.

    No batch evaluates a subject that is gone, so without this its problem
    would stay firing (and keep escalating) for ever.
    """
    events: list[LifecycleEvent] = []
    while True:
        stored = uow.violations.firing_orphans(ws, BATCH_TASKS)
        if not stored:
            return events
        nothing = Evaluation(now, frozenset(), frozenset(), frozenset(), (), {}, {})
        events += persist(uow, ws, now, nothing, stored, cause, notify)


def check_all(
    uow: UnitOfWork, ws: int, now: datetime, cause: Cause = TIME,
    notify: CheckNotify | None = None,
) -> list[LifecycleEvent]:
    """Every batch in the caller's transaction (memory bounded; one commit by the caller)."""
    events: list[LifecycleEvent] = []
    shared = uow.check_reads.shared(ws)
    for batch in plan(uow, ws):
        events += check_batch(uow, ws, now, batch, cause, notify or notify_events, shared)
    return events


def check_committed(
    uow_factory: Callable[[], UnitOfWork],
    ws: int,
    now: datetime,
    notify: CheckNotify,
    cause: Cause = TIME,
    size: int = BATCH_TASKS,
) -> Iterator[Progress]:
    """Check the workspace batch by batch, each in its own committed transaction.

    Yields the progress after each batch (for ``vigil check --full``'s bar).
    A batch that fails rolls back alone; the error propagates and the batches
    already committed stay (a re-run decides the rest). Summaries hold their
    later parts (``Summaries.hold``) and write them at the end, or when it fails.
    """
    with uow_factory() as uow:
        batches = plan(uow, ws, size)
        shared = uow.check_reads.shared(ws)
    progress = Progress(total=sum(b.tasks for b in batches))
    held = notify if isinstance(notify, Summaries) else None
    if held is not None:
        held.hold()
    try:
        for batch in batches:
            laps = Laps()
            with uow_factory() as uow:
                count = len(check_batch(uow, ws, now, batch, cause, notify, shared, laps))
                uow.commit()
                if held is not None:
                    held.committed()
                laps.lap("commit")
            give_back()  # the batch's world is gone: its heap pages go back to the OS
            laps.lap("give back")
            progress.cpu = laps.cpu
            progress.done += batch.tasks
            progress.events += count
            progress.batches.append(count)
            yield progress
    finally:
        if held is not None:  # the committed batches' parts (a failed batch's are dropped)
            held.flush_held(uow_factory, ws, now)
