"""The engine's verdicts over generated worlds are exactly those of a known commit.

Speed work on the engine (issue #18) must not change one verdict. Each seed
below builds a random world (several calendars and zones, holidays, project
settings and rule switches, subtasks, dependency cycles, out-of-office owners,
recurring work) and evaluates it at explicit instants around a DST change;
everything the evaluation returns — every violation with its wording, fixes
and stage, every task's and person's next check — is hashed and compared with
``equivalence_golden.json``, written by the engine before the speed work
(commit 360d0f8).

Regenerate (``python tests/engine/test_equivalence.py --write``) only for a
change that is meant to change verdicts, and say so in the commit.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from engine.evaluate import evaluate
from engine.model import Evaluation, Person, Project, Status, Task, WorkCalendar
from engine.world import World

GOLDEN = Path(__file__).with_name("equivalence_golden.json")
SEEDS = range(40)
BASE = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)  # Europe springs forward Sun 29 Mar
CALENDARS = (
    WorkCalendar(),
    WorkCalendar(tz="Europe/London", holidays=frozenset({date(2026, 3, 27), date(2026, 4, 6)})),
    WorkCalendar(tz="America/New_York", day_start=time(8, 30), day_end=time(18, 0)),
    WorkCalendar(tz="Australia/Sydney", workdays=frozenset({0, 1, 2, 3, 4, 5})),
    WorkCalendar(tz="Asia/Dubai", workdays=frozenset({6, 0, 1, 2, 3})),
)
PROJECT_SETTINGS = (
    {},
    {"task.stalled.after": "36h", "task.deadline_approaching.lead": ["5d", "2wd", "4h"]},
    {"task.behind_schedule.tolerance": 10, "task.missing_owner.critical_within": "3d"},
    {"task.overdue.enabled": False, "task.stalled.enabled": False},
    {"task.review_stale.after": "20h", "recurring.missed.grace": "2h"},
    {"task.dependency_conflict.enabled": False, "task.subtask_at_risk.enabled": False},
)
WORKSPACE_SETTINGS = (
    {},
    {"task.review_stale.after": "20h", "person.overloaded.capacity": 3},
    {"person.inactive.after": "2wd", "task.long_blocked.after": "30h",
     "recurring.repeat_failure.misses": 1, "recurring.repeat_failure.last": 3},
    {"task.deadline_approaching.quiet": "1d", "person.overloaded.window": "2wd",
     "task.owner_unavailable.enabled": False},
)


def _instant(rng: random.Random, days: int = 30) -> datetime:
    return BASE + timedelta(minutes=rng.randint(-days * 24 * 60, days * 24 * 60))


def _maybe(rng: random.Random, p: float, days: int = 30) -> datetime | None:
    return _instant(rng, days) if rng.random() < p else None


def generated_world(seed: int) -> tuple[World, list[datetime]]:
    """A random world and the instants to evaluate it at."""
    rng = random.Random(seed)
    n_people = rng.randint(3, 12)
    people = []
    for i in range(1, n_people + 1):
        ooo_from = _maybe(rng, 0.2, 10)
        people.append(Person(
            id=i, name=f"P{i}", active=rng.random() > 0.1,
            ooo_from=ooo_from,
            ooo_until=(ooo_from or BASE) + timedelta(hours=rng.randint(-24, 240))
            if ooo_from is not None or rng.random() < 0.1 else None,
            backup_id=rng.choice([None, 1, 2]),
        ))
    projects = [
        Project(id=j, name=f"Project {j}", manager_id=rng.choice([None, 1, 2, 3]),
                due=_maybe(rng, 0.5, 40), active=rng.random() > 0.15,
                settings=rng.choice(PROJECT_SETTINGS))
        for j in range(1, rng.randint(2, 6) + 1)
    ]
    n = rng.randint(20, 160)
    tasks = []
    for i in range(1, n + 1):
        created = _instant(rng, 40)
        start = created + timedelta(hours=rng.randint(0, 48)) if rng.random() < 0.7 else None
        status = rng.choice(list(Status))
        last = _maybe(rng, 0.7)
        tasks.append(Task(
            id=i, number=i, title=f"Task {i}", created_at=created, start=start,
            project_id=rng.choice([None, *range(1, len(projects) + 1)]),
            parent_id=rng.randint(1, n) if rng.random() < 0.2 else None,
            depends_on=tuple(rng.randint(1, n) for _ in range(rng.choice([0, 0, 0, 1, 2]))),
            owner_id=rng.choice([None, *range(1, n_people + 1), n_people + 5])
            if rng.random() < 0.9 else None,
            due=_maybe(rng, 0.85),
            progress=rng.choice([0, 10, 25, 40, 60, 80, 100]),
            status=status,
            status_since=_maybe(rng, 0.6),
            blocked_reason="waiting" if status is Status.BLOCKED and rng.random() < 0.5 else None,
            last_progress_at=last if rng.random() < 0.8 else _maybe(rng, 0.5),
            last_activity_at=last,
            completed_at=_maybe(rng, 0.9) if status is Status.DONE else None,
        ))
    # Recurring work: obligations with occurrences, some proof-bound.
    tid = n
    for _ in range(rng.randint(0, 3)):
        tid += 1
        obligation = tid
        owner = rng.randint(1, n_people)
        tasks.append(Task(id=tid, number=tid, title=f"Obligation {tid}", created_at=BASE
                          - timedelta(days=30), owner_id=owner, recurrence="FREQ=DAILY",
                          status=rng.choice([Status.TODO, Status.DONE]),
                          project_id=rng.choice([None, 1])))
        for k in range(rng.randint(0, 7)):
            tid += 1
            due = BASE + timedelta(days=k - 4, hours=rng.randint(-3, 3))
            done = rng.choice(["open", "on_time", "late", "cancelled"])
            tasks.append(Task(
                id=tid, number=tid, title=f"Occurrence {tid}", created_at=due - timedelta(hours=5),
                occurrence_of=obligation, owner_id=owner, due=due,
                proof_required=rng.choice(["none", "photo", "text"]),
                proof=rng.choice([None, "", " ", "done.jpg"]),
                status={"open": Status.TODO, "cancelled": Status.CANCELLED}.get(done, Status.DONE),
                completed_at=None if done in ("open", "cancelled")
                else due + timedelta(hours=-1 if done == "on_time" else 5),
            ))
    world = World.build(rng.choice(CALENDARS), tasks, people, projects,
                        rng.choice(WORKSPACE_SETTINGS))
    nows = [BASE, *(_instant(rng, 12) for _ in range(3))]
    return world, nows


def canonical(ev: Evaluation) -> list[object]:
    """Everything an evaluation says, in a stable order (JSON-ready)."""
    violations = sorted(
        [v.rule_id, v.subject_kind.value, v.subject_id, v.severity.value, v.explanation,
         [[f.action, f.label, sorted((k, str(a)) for k, a in f.args.items())] for f in v.fixes],
         v.stage or ""]
        for v in ev.violations
    )

    def checks(m: object) -> list[list[object]]:
        return sorted([k, c.isoformat() if c else None] for k, c in m.items())  # type: ignore[attr-defined]

    return [ev.now.isoformat(), sorted(ev.task_ids), sorted(ev.person_ids),
            sorted(ev.project_ids), violations, checks(ev.task_next_check),
            checks(ev.person_next_check)]


def digest(seed: int) -> dict[str, object]:
    """The hash of a seed's evaluations (whole world, and each subject set apart)."""
    world, nows = generated_world(seed)
    h = hashlib.sha256()
    count = 0
    for now in nows:
        ev = evaluate(world, now)
        count += len(ev.violations)
        h.update(json.dumps(canonical(ev)).encode())
        # Incremental shape: a few tasks and people only (their neighbourhood is loaded).
        some = sorted(world.tasks)[::7]
        part = evaluate(world, now, some, sorted(world.people)[::3], [])
        h.update(json.dumps(canonical(part)).encode())
    return {"sha256": h.hexdigest(), "violations": count}


def _golden() -> dict[str, dict[str, object]]:
    return json.loads(GOLDEN.read_text())  # type: ignore[no-any-return]


def test_golden_covers_every_seed_and_fires_something() -> None:
    golden = _golden()
    assert sorted(golden, key=int) == [str(s) for s in SEEDS]
    assert sum(int(g["violations"]) for g in golden.values()) > 2000  # type: ignore[call-overload]


@pytest.mark.parametrize("seed", SEEDS)
def test_verdicts_are_those_of_the_reference_commit(seed: int) -> None:
    assert digest(seed) == _golden()[str(seed)]


@pytest.mark.parametrize("seed", SEEDS[::4])
def test_the_traits_shortcut_changes_nothing(seed: int) -> None:
    world, nows = generated_world(seed)
    for now in nows:
        fast = canonical(evaluate(world, now))
        assert fast == canonical(evaluate(world, now, shortcuts=False))
        assert fast[4], "the world fires something"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python tests/engine/test_equivalence.py --write")
    GOLDEN.write_text(json.dumps({str(s): digest(s) for s in SEEDS}, indent=1) + "\n")
