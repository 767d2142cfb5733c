"""The batched full check decides every subject as the whole-workspace evaluation does."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from bot import workspace_check
from bot.notify.notifier import notify_events
from bot.notify.summary import Summaries
from engine.evaluate import evaluate
from tests.bot.test_incremental_agrees import START, _build, _random_change


def _firing(u, ws) -> set[tuple[str, str, str]]:
    return {(r.fingerprint, str(r.severity), r.explanation) for r in u.violations.all_firing(ws)}


def _history(uow, seed: int):
    """A random organisation with a random history, never checked in full."""
    rng = random.Random(seed)
    with uow() as u:
        ws, people, projects, tasks = _build(u, rng)
        u.commit()
    now = START
    for _ in range(12):
        now += timedelta(minutes=rng.randint(10, 60 * 40))
        with uow() as u:
            _random_change(u, rng, ws, now, people, projects, tasks)
            u.commit()
    return ws, now + timedelta(hours=rng.randint(1, 72))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("size", [1, 3, 1000])
def test_batches_of_any_size_store_what_the_whole_world_sees(uow, seed, size):
    ws, now = _history(uow, seed)
    with uow() as u:
        progress = list(workspace_check.check_committed(uow, ws, now, notify_events, size=size))
    assert progress[-1].done == progress[-1].total
    with uow() as u:
        stored = _firing(u, ws)
        full = evaluate(u.tasks.load_full_world(ws), now)
        next_checks = u.tasks.next_checks(ws, full.task_next_check)
    assert stored == {(v.fingerprint, v.severity.value, v.explanation) for v in full.violations}
    assert next_checks == dict(full.task_next_check)


@pytest.mark.parametrize("seed", range(6))
def test_later_full_checks_store_what_the_whole_world_sees(uow, seed):
    """Time moves between full checks: problems fire, resolve, climb and are
    reworded, and only those subjects go through the diff (``_moved``); what is
    stored after each check is the whole world's verdict, next checks included."""
    ws, now = _history(uow, seed)
    list(workspace_check.check_committed(uow, ws, now, notify_events, size=7))
    moved = 0
    for hours in (1, 9, 30, 80, 200):
        at = now + timedelta(hours=hours)
        progress = list(workspace_check.check_committed(uow, ws, at, notify_events, size=7))
        moved += progress[-1].events
        with uow() as u:
            stored = _firing(u, ws)
            full = evaluate(u.tasks.load_full_world(ws), at)
            tasks = u.tasks.next_checks(ws, full.task_next_check)
            people = u.people.next_checks(ws, full.person_next_check)
        assert stored == {(v.fingerprint, v.severity.value, v.explanation) for v in full.violations}
        assert tasks == dict(full.task_next_check)
        assert people == dict(full.person_next_check)
    assert moved > 0  # the checks did have verdicts to move


def test_a_steady_full_check_writes_nothing(uow, engine):
    """Nothing changed since the last full check at the same instant: no row is
    inserted, updated or deleted."""
    from sqlalchemy import event

    ws, now = _history(uow, 4)
    list(workspace_check.check_committed(uow, ws, now, notify_events, size=5))
    writes: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        list(workspace_check.check_committed(uow, ws, now, notify_events, size=5))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert writes == []


def test_a_person_with_more_tasks_than_a_batch_is_a_batch_alone(uow):
    ws, _ = _history(uow, 3)
    with uow() as u:
        counts = u.tasks.owner_counts(ws)
        batches = workspace_check.plan(u, ws, size=2)
        people = {p.id for p in u.people.list(ws)}
    assert [b for b in batches if b.projects] == [batches[-2]]
    assert [b for b in batches if b.orphans] == [batches[-1]]
    assert set().union(*(b.people for b in batches)) == people
    assert sum(b.tasks for b in batches) == sum(counts.values())
    for b in batches:
        assert len(b.people) == 1 or b.tasks <= 2


def test_a_second_full_check_changes_nothing(uow):
    ws, now = _history(uow, 5)
    list(workspace_check.check_committed(uow, ws, now, notify_events, size=4))
    with uow() as u:
        before = _firing(u, ws)
    again = list(workspace_check.check_committed(uow, ws, now, notify_events, size=4))
    assert again[-1].events == 0
    with uow() as u:
        assert _firing(u, ws) == before


@pytest.mark.parametrize("kind", ["task", "person", "project"])
def test_a_full_check_resolves_the_problems_of_subjects_that_are_gone(uow, kind):
    """A subject deleted behind the evaluation's back (a cascade, an old version's
    delete) leaves firing rows no batch looks at: the full check resolves them."""
    from sqlalchemy import delete

    from storage import models

    ws, now = _history(uow, 2)
    list(workspace_check.check_committed(uow, ws, now, notify_events, size=4))
    with uow() as u:
        firing = [r for r in u.violations.all_firing(ws) if r.subject_kind == kind]
        if not firing:  # every history has task problems; give the others one by hand
            from engine.model import Severity, SubjectKind, Violation

            subject = {"person": u.people.list(ws)[0].id, "project": u.projects.list(ws)[0].id}
            v = Violation("stale.manual", SubjectKind(kind), subject[kind], Severity.WARNING,
                          "made by the test")
            u.violations.insert(ws, v, now)
            u.commit()
            firing = [r for r in u.violations.all_firing(ws) if r.subject_kind == kind]
    gone = firing[0].subject_id
    table = {"task": models.TaskRow, "person": models.PersonRow,
             "project": models.ProjectRow}[kind]
    with uow() as u:
        u.session.execute(delete(table).where(table.id == gone))
        u.commit()
    progress = list(workspace_check.check_committed(uow, ws, now, notify_events, size=4))
    with uow() as u:
        still = [r for r in u.violations.all_firing(ws)
                 if r.subject_kind == kind and r.subject_id == gone]
        full = evaluate(u.tasks.load_full_world(ws), now)
        stored = _firing(u, ws)
    assert still == []
    assert progress[-1].batches[-1] == len([r for r in firing if r.subject_id == gone])
    assert stored == {(v.fingerprint, v.severity.value, v.explanation) for v in full.violations}


def test_each_batch_s_progress_says_its_cpu_seconds_by_phase(uow):
    ws, now = _history(uow, 3)
    progress = workspace_check.check_committed(uow, ws, now, notify_events, size=4)
    phases = [dict(p.cpu) for p in progress]
    deciding = phases[:-1]  # the last batch resolves orphans: no read, no rules
    assert deciding and all(
        {"read", "rules", "verdicts", "writes", "notify", "commit", "give back"} <= set(p)
        for p in deciding)
    assert {"writes", "commit", "give back"} <= set(phases[-1])  # nothing to notify
    assert all(v >= 0 for p in phases for v in p.values())


def test_laps_charge_the_time_of_notify_to_its_own_phase():
    laps = workspace_check.Laps()
    calls: list[int] = []

    def busy_notify(u, ws, now, events):
        calls.append(len(events))
        sum(i * i for i in range(1_000_000))  # CPU spent in the notify step only
        return []

    laps.timed(busy_notify)(None, 1, START, [])  # type: ignore[arg-type]
    laps.lap("writes")
    assert calls == [0]
    assert laps.cpu["notify"] > laps.cpu["writes"] >= 0


class _CheckingSummaries(Summaries):
    """Summaries that hold the tasks a batch hands over against a fresh read."""

    handed: int = 0

    def __call__(self, uow, ws, now, events, known=None):  # type: ignore[no-untyped-def]
        assert known is not None
        fresh = {t.id: t for t in uow.tasks.get_many(ws, set(known.tasks))}
        assert dict(known.tasks) == fresh  # the same rows a notice would read itself
        self.handed += len(known.tasks)
        return super().__call__(uow, ws, now, events, known)


@pytest.mark.parametrize("seed", range(3))
def test_a_batch_hands_its_notices_the_tasks_it_decided_as_read(uow, seed):
    ws, now = _history(uow, seed)
    summaries = _CheckingSummaries(imported=True)
    list(workspace_check.check_committed(uow, ws, now, summaries, size=3))
    with uow() as u:
        assert summaries.handed == len(u.tasks.list(ws))  # every task, in its own batch
    assert summaries.problems  # and the summaries were made from them
