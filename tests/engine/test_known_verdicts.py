"""Person rules can count an owner's other tasks by their stored verdicts."""

from datetime import UTC, datetime

from engine.evaluate import evaluate
from engine.model import Person, Project, Severity, SubjectKind, Task, Violation, WorkCalendar
from engine.world import World

NOW = datetime(2026, 3, 11, 12, tzinfo=UTC)
CREATED = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _world(known: dict[int, tuple[Violation, ...]]) -> World:
    tasks = [Task(i, i, f"T{i}", CREATED, project_id=i, owner_id=1) for i in (1, 2, 3)]
    projects = [Project(i, f"P{i}", manager_id=1) for i in (1, 2, 3)]
    world = World.build(WorkCalendar(), tasks, [Person(1, "Ciara")], projects)
    return World(**{**world.__dict__, "known": known})


def at_risk(task_id: int, rule: str = "task.behind_schedule") -> Violation:
    return Violation(rule, SubjectKind.TASK, task_id, Severity.WARNING, "x")


def test_stored_verdicts_feed_person_rules():
    known = {i: (at_risk(i),) for i in (1, 2, 3)}
    fired = evaluate(_world(known), NOW, task_ids=[], person_ids=[1]).violations
    assert [v.rule_id for v in fired] == ["person.overloaded"]


def test_stored_derived_verdicts_do_not_count():
    known = {i: (at_risk(i, "task.subtask_at_risk"),) for i in (1, 2, 3)}
    assert evaluate(_world(known), NOW, task_ids=[], person_ids=[1]).violations == ()
