"""Randomised histories: the incremental path must agree with a full evaluation.

Each history applies random changes through the production services at random
instants, with ticks in between (tasks whose next check has come). At the end
the stored firing violations must equal what a full evaluation sees.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.evaluation import Cause, tick
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from engine.evaluate import evaluate
from engine.model import WorkCalendar

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
STATUSES = ["todo", "in_progress", "blocked", "in_review", "done", "cancelled"]


def _random_due(rng: random.Random, now: datetime) -> datetime | None:
    if rng.random() < 0.15:
        return None
    return now + timedelta(hours=rng.randint(-72, 24 * 20))


def _build(uow, rng: random.Random) -> tuple[int, list[int], list[int], list[int]]:
    cal = WorkCalendar(tz="Europe/London", holidays=frozenset({START.date() + timedelta(days=9)}))
    ws = uow.workspaces.create(
        "test:random",
        "Random",
        tz="Europe/London",
        calendar=cal,
        # A low overload bar: owners must be re-decided when a task of theirs turns
        # at risk with time alone (bot.tick_rounds._decide_due).
        settings={"task.stalled.after": "2wd", "person.overloaded.at_risk": 2},
    )
    people = [people_svc.add_person(uow, ws.id, f"P{i}").id for i in range(6)]
    for pid in people[1:]:
        uow.people.update(ws.id, pid, reports_to_id=people[0])
    projects = [
        people_svc.add_project(
            uow, ws.id, START, "Alpha", manager_id=people[0], due=START + timedelta(days=12)
        )[0].id,
        people_svc.add_project(
            uow, ws.id, START, "Beta", manager_id=people[1], settings={"task.stalled.after": "36h"}
        )[0].id,
        people_svc.add_project(uow, ws.id, START, "Gamma")[0].id,
    ]
    tasks: list[int] = []
    for i in range(24):
        fields = dict(
            owner_id=rng.choice(people + [None]),
            project_id=rng.choice(projects + [None]),
            due=_random_due(rng, START),
            start=START - timedelta(days=rng.randint(0, 10)),
            progress=rng.choice([0, 10, 40, 70]),
            status=rng.choice(STATUSES[:4]),
        )
        if tasks and rng.random() < 0.3:
            fields["parent_id"] = rng.choice(tasks)
        if tasks and rng.random() < 0.2:
            fields["depends_on"] = rng.sample(tasks, k=min(2, len(tasks)))
        tasks.append(
            task_svc.create_task(
                uow, ws.id, START, rng.choice(people), f"Task {i}", **fields
            ).task.id
        )
    return ws.id, people, projects, tasks


def _random_change(uow, rng, ws, now, people, projects, tasks) -> None:
    actor = rng.choice(people)
    tid = rng.choice(tasks)
    op = rng.randrange(11)
    if op == 0:
        task_svc.update_task(uow, ws, now, actor, tid, progress=rng.choice([0, 20, 50, 90, 100]))
    elif op == 1:
        task_svc.update_task(uow, ws, now, actor, tid, status=rng.choice(STATUSES))
    elif op == 2:
        task_svc.update_task(uow, ws, now, actor, tid, due=_random_due(rng, now))
    elif op == 3:
        task_svc.update_task(uow, ws, now, actor, tid, owner_id=rng.choice(people + [None]))
    elif op == 4:
        parent = rng.choice(tasks + [None])
        if parent != tid and (parent is None or tid not in uow.tasks.ancestor_ids(ws, [parent])):
            task_svc.update_task(uow, ws, now, actor, tid, parent_id=parent)
    elif op == 5:
        deps = [d for d in rng.sample(tasks, k=rng.randint(0, 2)) if d != tid]
        task_svc.update_task(uow, ws, now, actor, tid, depends_on=deps)
    elif op == 6:
        task_svc.add_note(uow, ws, now, actor, tid, "checked in")
    elif op == 7:
        person = rng.choice(people)
        until = now + timedelta(days=rng.randint(1, 10)) if rng.random() < 0.7 else None
        people_svc.update_person(
            uow, ws, now, person, ooo_from=now, ooo_until=until, cause=Cause(actor)
        )
    elif op == 8:
        people_svc.update_project(uow, ws, now, rng.choice(projects), due=_random_due(rng, now))
    elif op == 9:
        people_svc.update_project(
            uow, ws, now, rng.choice(projects), manager_id=rng.choice(people + [None])
        )
    else:
        new = task_svc.create_task(
            uow,
            ws,
            now,
            actor,
            "Late addition",
            owner_id=rng.choice(people + [None]),
            due=_random_due(rng, now),
            status="in_progress",
            parent_id=rng.choice(tasks + [None]),
        )
        tasks.append(new.task.id)


def _firing(uow, ws) -> set[tuple[str, str]]:
    return {(r.fingerprint, str(r.severity)) for r in uow.violations.all_firing(ws)}


@pytest.mark.parametrize("seed", range(16))
def test_incremental_path_agrees_with_full_evaluation(uow, seed):
    rng = random.Random(seed)
    with uow() as u:
        ws, people, projects, tasks = _build(u, rng)
        u.commit()
    now = START
    for _ in range(30):
        now += timedelta(minutes=rng.randint(10, 60 * 40))
        with uow() as u:
            tick(u, ws, now)
            _random_change(u, rng, ws, now, people, projects, tasks)
            u.commit()
    now += timedelta(hours=rng.randint(1, 72))
    with uow() as u:
        tick(u, ws, now)
        u.commit()
    with uow() as u:
        stored = _firing(u, ws)
        full = evaluate(u.tasks.load_full_world(ws), now)
        expected = {(v.fingerprint, v.severity.value) for v in full.violations}
    assert stored == expected
    assert stored, "a random history should leave some problems firing"
