"""Structural, derived, person, project and recurring rules."""

from __future__ import annotations

import pytest
from builders import at, only, person, project, task, verdict, world
from builders import outcome as run_rule

NOW = at("2026-03-04 12:00")


@pytest.mark.parametrize(
    "child_due, parent_due, parent_status, expected",
    [
        ("2026-03-10 17:00", "2026-03-09 17:00", "todo", "warning"),
        ("2026-03-09 17:00", "2026-03-09 17:00", "todo", None),
        ("2026-03-10 17:00", "2026-03-09 17:00", "done", None),
    ],
)
def test_child_after_parent(child_due, parent_due, parent_status, expected):
    w = world(task(1, due=parent_due, status=parent_status), task(2, parent_id=1, due=child_due))
    assert verdict("task.child_after_parent", w, NOW, 2) == expected
    assert verdict("task.child_after_parent", w, NOW, 1) is None


@pytest.mark.parametrize(
    "dep_due, dep_status, expected",
    [("2026-03-11 17:00", "todo", "warning"), ("2026-03-09 17:00", "todo", None),
     ("2026-03-11 17:00", "done", None)],
)
def test_dependency_conflict_later_dependency(dep_due, dep_status, expected):
    w = world(task(1, due="2026-03-10 17:00", depends_on=(2,)),
              task(2, due=dep_due, status=dep_status))
    assert verdict("task.dependency_conflict", w, NOW) == expected


def test_dependency_cycle_is_named_with_its_path():
    w = world(task(1, depends_on=(2,)), task(2, depends_on=(3,)), task(3, depends_on=(1,)),
              task(4, depends_on=(1,)))
    v = only("task.dependency_conflict", w, NOW, 1)
    assert (v.stage, v.explanation) == (
        "cycle", "waits on itself through a dependency cycle: #1 → #2 → #3 → #1")
    assert verdict("task.dependency_conflict", w, NOW, 4) is None  # waits on a cycle, not on one
    w = world(task(1, depends_on=(1,)))
    assert only("task.dependency_conflict", w, NOW).explanation.endswith("#1 → #1")


@pytest.mark.parametrize(
    "dep_fields, expected",
    [
        ({"due": "2026-03-03 17:00"}, "info"),
        ({"due": "2026-03-20 17:00", "owner_id": 1, "progress": 50}, None),
        ({"due": "2026-03-03 17:00", "status": "done"}, None),
    ],
)
def test_dependency_at_risk(dep_fields, expected):
    w = world(person(1), task(1, owner_id=1, due="2026-03-30 17:00", depends_on=(2,)),
              task(2, **dep_fields))
    assert verdict("task.dependency_at_risk", w, NOW) == expected


def test_subtask_at_risk_takes_the_worst_descendant():
    w = world(person(1), task(1, owner_id=1),
              task(2, parent_id=1, owner_id=1, start="2026-03-04 09:00", due="2026-03-30 17:00"),
              task(3, parent_id=2, owner_id=1, due="2026-03-03 17:00"),
              task(4, parent_id=1, due="2026-03-20 17:00"))
    v = only("task.subtask_at_risk", w, NOW)
    assert v.severity.value == "critical"
    assert v.explanation == "2 subtasks at risk, worst: #3 overdue"
    assert verdict("task.subtask_at_risk", w, NOW, 4) is None
    calm = world(person(1), task(1, owner_id=1), task(2, parent_id=1, owner_id=1,
                                                       due="2026-03-20 17:00", progress=60))
    assert verdict("task.subtask_at_risk", calm, NOW) is None


@pytest.mark.parametrize(
    "task_due, project_due, expected",
    [("2026-03-10 17:00", "2026-03-09 17:00", "warning"),
     ("2026-03-09 17:00", "2026-03-09 17:00", None), ("2026-03-10 17:00", None, None)],
)
def test_after_project_deadline(task_due, project_due, expected):
    w = world(project(1, due=project_due), task(1, project_id=1, due=task_due))
    assert verdict("task.after_project_deadline", w, NOW) == expected


@pytest.mark.parametrize(
    "owner_fields, due, expected, next_check",
    [
        ({"active": False}, "2026-03-10 17:00", "warning", None),
        ({"ooo_until": "2026-03-11 00:00"}, "2026-03-10 17:00", "warning", "2026-03-11 00:00"),
        ({"ooo_until": "2026-03-11 00:00"}, None, "warning", "2026-03-11 00:00"),
        ({"ooo_until": "2026-03-09 00:00"}, "2026-03-10 17:00", None, "2026-03-09 00:00"),
        ({"ooo_from": "2026-03-05 00:00", "ooo_until": "2026-03-12 00:00"}, "2026-03-10 17:00",
         None, "2026-03-05 00:00"),
        ({}, "2026-03-10 17:00", None, None),
    ],
)
def test_owner_unavailable(owner_fields, due, expected, next_check):
    w = world(person(1, **owner_fields), task(1, owner_id=1, due=due))
    assert verdict("task.owner_unavailable", w, NOW) == expected
    got = run_rule("task.owner_unavailable", w, NOW).next_check
    assert got == (at(next_check) if next_check else None)


def _risky(id_: int, project_id: int) -> object:
    return task(id_, owner_id=1, project_id=project_id, due="2026-03-03 17:00")


@pytest.mark.parametrize(
    "projects, expected",
    [((1, 2, 3), "warning"), ((1, 1, 2), "warning"), ((1, 1, 1), None)],
)
def test_person_overloaded_across_projects(projects, expected):
    w = world(person(1), *(project(p) for p in {1, 2, 3}),
              *(_risky(i + 1, p) for i, p in enumerate(projects)))
    assert verdict("person.overloaded", w, NOW) == expected


@pytest.mark.parametrize("count, expected", [(11, "warning"), (10, None)])
def test_person_overloaded_by_capacity(count, expected):
    tasks = [task(i, owner_id=1, due="2026-03-10 17:00", last_activity_at="2026-03-04 09:00")
             for i in range(1, count + 1)]
    w = world(person(1), *tasks)
    assert verdict("person.overloaded", w, NOW) == expected
    later = [task(i, owner_id=1, due="2026-03-20 17:00") for i in range(1, count + 1)]
    out = run_rule("person.overloaded", world(person(1), *later), NOW)
    assert out.next_check == at("2026-03-13 17:00")  # 5wd before the deadlines


@pytest.mark.parametrize(
    "last_activity, due, expected, next_check",
    [
        ("2026-02-25 12:00", "2026-03-10 17:00", "warning", None),
        ("2026-02-26 12:00", "2026-03-10 17:00", None, "2026-03-05 12:00"),
        ("2026-02-25 12:00", "2026-03-30 17:00", None, "2026-03-16 17:00"),
    ],
)
def test_person_inactive(last_activity, due, expected, next_check):
    w = world(person(1), task(1, owner_id=1, due=due, last_activity_at=last_activity))
    assert verdict("person.inactive", w, NOW) == expected
    got = run_rule("person.inactive", w, NOW).next_check
    assert got == (at(next_check) if next_check else None)


@pytest.mark.parametrize(
    "fields, expected",
    [({}, "warning"), ({"manager_id": 1}, None), ({"active": False}, None)],
)
def test_project_missing_manager(fields, expected):
    assert verdict("project.missing_manager", world(project(1, **fields)), NOW) == expected


@pytest.mark.parametrize(
    "fields, settings, now, expected, next_check",
    [
        ({"due": "2026-03-04 09:00"}, {}, "2026-03-04 08:59", None, "2026-03-04 09:00"),
        ({"due": "2026-03-04 09:00"}, {}, "2026-03-04 09:00", "critical", None),
        ({"due": "2026-03-04 09:00"}, {"recurring.missed.grace": "30m"}, "2026-03-04 09:29",
         None, "2026-03-04 09:30"),
        ({"due": "2026-03-04 09:00", "status": "done"}, {}, "2026-03-05 09:00", None, None),
    ],
)
def test_recurring_missed(fields, settings, now, expected, next_check):
    w = world(task(9, recurrence="FREQ=DAILY"), task(1, occurrence_of=9, **fields),
              settings=settings)
    assert verdict("recurring.missed", w, at(now)) == expected
    got = run_rule("recurring.missed", w, at(now)).next_check
    assert got == (at(next_check) if next_check else None)


@pytest.mark.parametrize(
    "fields, expected",
    [({"proof_required": "photo"}, "warning"), ({"proof_required": "photo", "proof": "x.jpg"},
                                                None), ({}, None)],
)
def test_recurring_proof_missing(fields, expected):
    w = world(task(9, recurrence="FREQ=DAILY"),
              task(1, occurrence_of=9, status="done", due="2026-03-03 09:00", **fields))
    assert verdict("recurring.proof_missing", w, NOW) == expected


def _occurrences(outcomes: str) -> list[object]:
    """'.x.L.' -> one daily occurrence per char: . on time, x still open, L closed late."""
    out = []
    for i, c in enumerate(outcomes):
        due = at(f"2026-03-{2 + i:02d} 09:00")
        fields: dict[str, object] = {"due": due, "occurrence_of": 9}
        if c == ".":
            fields.update(status="done", completed_at=at(f"2026-03-{2 + i:02d} 08:00"))
        elif c == "L":
            fields.update(status="done", completed_at=at(f"2026-03-{2 + i:02d} 11:00"))
        out.append(task(100 + i, **fields))
    return out


@pytest.mark.parametrize(
    "history, expected",
    [(".x.L.", "critical"), ("....x", None), ("xx.....", None), ("x.x..", "critical")],
)
def test_recurring_repeat_failure(history, expected):
    w = world(task(9, recurrence="FREQ=DAILY"), *_occurrences(history))
    assert verdict("recurring.repeat_failure", w, at("2026-03-20 12:00"), 9) == expected


def test_repeat_failure_explanation_and_next_check():
    w = world(task(9, recurrence="FREQ=DAILY"), *_occurrences(".x.L.."))
    out = run_rule("recurring.repeat_failure", w, at("2026-03-06 12:00"), 9)
    assert out.violations[0].explanation == "missed 2 of the last 5 — the last fix did not hold"
    assert out.next_check == at("2026-03-07 09:00")
