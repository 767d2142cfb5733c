"""A full check's reads (``storage.repositories.check_reads``).

A batch's world must hold exactly the tasks ``load_world`` loads for the same
targets (so every target is decided as on the whole workspace), with the
people and projects read once per check; the stored next checks and verdicts
come back as they are stored.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from engine.evaluate import evaluate
from engine.model import Severity, SubjectKind, Violation
from storage.uow import UnitOfWork
from tests.storage.test_storage_world import _part, build_random_workspace, rules  # noqa: F401

U = Callable[[], UnitOfWork]


@pytest.mark.parametrize("seed", [11, 29])
def test_a_batch_world_is_what_load_world_loads(uow: U, now: datetime, seed: int,
                                                rules: str) -> None:  # noqa: F811
    with uow() as u:
        ws = build_random_workspace(u, seed, now)
        u.commit()
    rng = random.Random(seed * 3)
    with uow() as u:
        full_world = u.tasks.load_full_world(ws)
        full = evaluate(full_world, now)
        shared = u.check_reads.shared(ws)
        people = sorted(full_world.people)
        unowned = sorted(t.id for t in full_world.tasks.values() if t.owner_id is None)
        assert shared.people == full_world.people and shared.projects == full_world.projects
        for _ in range(12):
            persons = set(rng.sample(people, rng.randint(0, 3)))
            loose = set(rng.sample(unowned, rng.randint(0, min(4, len(unowned)))))
            if not persons and not loose:
                continue
            targets = u.tasks.owned_ids(ws, persons) | loose
            read = u.check_reads.batch(shared, ws, persons, sorted(loose))
            loaded = u.tasks.load_world(ws, targets, persons)
            assert read.targets == targets
            assert read.world.tasks == loaded.tasks, (persons, loose)
            assert read.world.children == loaded.children
            assert read.world.occurrences == loaded.occurrences
            part = evaluate(read.world, now, targets, persons)
            assert _part(part, targets, persons, set()) == _part(full, targets, persons, set())
            for tid in targets:
                assert part.task_next_check[tid] == full.task_next_check[tid]
            for pid in persons:
                assert part.person_next_check[pid] == full.person_next_check[pid]


def test_a_batch_brings_the_stored_next_checks_of_its_targets(uow: U, now: datetime) -> None:
    with uow() as u:
        ws = build_random_workspace(u, 5, now, n_tasks=60)
        u.commit()
    with uow() as u:
        owner = u.people.list(ws)[0].id
        owned = sorted(u.tasks.owned_ids(ws, {owner}))
        stored = {tid: (now + timedelta(minutes=i) if i % 2 else None)
                  for i, tid in enumerate(owned)}
        u.tasks.set_next_check(ws, stored, read_first=False)
        u.commit()
    with uow() as u:
        read = u.check_reads.batch(u.check_reads.shared(ws), ws, {owner})
    assert read.next_checks == stored


def test_the_batch_people_are_read_again(uow: U, now: datetime) -> None:
    with uow() as u:
        ws = build_random_workspace(u, 7, now, n_tasks=20)
        u.commit()
    with uow() as u:
        shared = u.check_reads.shared(ws)
    first, other = sorted(shared.people)[:2]
    with uow() as u:
        u.people.update(ws, first, name="Renamed", ooo_until=now + timedelta(days=1))
        u.people.update(ws, other, name="Also renamed")
        u.people.set_next_check(ws, {first: now + timedelta(hours=3)}, read_first=False)
        u.commit()
    with uow() as u:
        fresh, next_checks = u.check_reads.with_people(shared, ws, {first})
    assert fresh.people[first].name == "Renamed"
    assert fresh.people[first].ooo_until == now + timedelta(days=1)
    assert fresh.people[other] == shared.people[other]  # as the check read it at its start
    assert next_checks == {first: now + timedelta(hours=3)}
    assert shared.people[first].name != "Renamed"  # the check's own rows are left alone


def test_verdicts_are_the_firing_rows_of_the_subjects_asked(uow: U, now: datetime) -> None:
    with uow() as u:
        ws = build_random_workspace(u, 9, now, n_tasks=10)
        u.commit()
    with uow() as u:
        task, other = sorted(u.tasks.load_full_world(ws).tasks)[:2]
        person = u.people.list(ws)[0].id
        project = u.projects.list(ws)[0].id
        rows = [
            Violation("t.one", SubjectKind.TASK, task, Severity.WARNING, "one", stage="s1"),
            Violation("t.two", SubjectKind.TASK, task, Severity.CRITICAL, "two"),
            Violation("t.gone", SubjectKind.TASK, task, Severity.INFO, "resolved"),
            Violation("t.other", SubjectKind.TASK, other, Severity.INFO, "not asked"),
            Violation("p.one", SubjectKind.PERSON, person, Severity.INFO, "person"),
            Violation("pr.one", SubjectKind.PROJECT, project, Severity.WARNING, "project"),
        ]
        ids = {v.rule_id: u.violations.insert(ws, v, now) for v in rows}
        u.violations.resolve(ws, ids["t.gone"].id, now, "fixed")
        u.commit()
    with uow() as u:
        found = u.check_reads.verdicts(ws, {task}, {person}, {project})
        none = u.check_reads.verdicts(ws)
    task_kind, person_kind, project_kind = SubjectKind.TASK, SubjectKind.PERSON, SubjectKind.PROJECT
    assert found == {
        ("t.one", task_kind, task, "s1"): (Severity.WARNING, "one"),
        ("t.two", task_kind, task, None): (Severity.CRITICAL, "two"),
        ("p.one", person_kind, person, None): (Severity.INFO, "person"),
        ("pr.one", project_kind, project, None): (Severity.WARNING, "project"),
    }
    # Keyed as the engine's violations name themselves: a fresh verdict's slices match.
    assert {(v.rule_id, v.subject_kind, v.subject_id, v.stage) for v in rows} >= set(found)
    assert none == {}
