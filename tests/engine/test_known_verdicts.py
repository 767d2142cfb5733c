"""Person rules can count an owner's other tasks by their stored verdicts, or in summary."""

from datetime import UTC, datetime, timedelta

import pytest

from engine.context import RuleContext
from engine.evaluate import evaluate
from engine.model import (
    Person,
    Project,
    Severity,
    Status,
    SubjectKind,
    Task,
    Violation,
    WorkCalendar,
)
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


def _portfolio_world(loaded: set[int], tasks: list[Task], known: dict[int, tuple[Violation, ...]]
                     ) -> World:
    """The owner's tasks in ``loaded`` are in the world; the rest only as a portfolio."""
    projects = [Project(i, f"P{i}", manager_id=1) for i in (1, 2, 3)]
    world = World.build(WorkCalendar(), [t for t in tasks if t.id in loaded], [Person(1, "Ciara")],
                        projects)
    full = World.build(WorkCalendar(), tasks, [Person(1, "Ciara")], projects)
    ctx = RuleContext(World(**{**full.__dict__, "known": known}), NOW,
                      lambda tid: known.get(tid, ()))
    rest = World.build(WorkCalendar(), [t for t in tasks if t.id not in loaded],
                       [Person(1, "Ciara")], projects)
    summary = RuleContext(World(**{**rest.__dict__, "known": known}), NOW,
                          lambda tid: known.get(tid, ())).portfolio(1)
    assert ctx.portfolio(1).tasks == len(tasks)
    return World(**{**world.__dict__, "known": {k: v for k, v in known.items() if k in loaded},
                    "portfolios": {1: summary} if summary.tasks else {}})


QUIET_SINCE = datetime(2026, 2, 1, 9, tzinfo=UTC)  # long before NOW: person.inactive can fire
CASES = [
    # (what, tasks, known at-risk ids, the person rules that fire)
    ("three at risk across projects", [
        Task(i, i, f"T{i}", CREATED, project_id=i, owner_id=1) for i in (1, 2, 3)], {1, 2, 3},
     ["person.overloaded"]),
    ("due soon and idle", [
        Task(i, i, f"T{i}", QUIET_SINCE, owner_id=1, due=NOW + timedelta(hours=i),
             last_activity_at=QUIET_SINCE) for i in range(1, 13)], set(),
     ["person.inactive", "person.overloaded"]),
    ("closed work counts for activity only", [
        Task(1, 1, "T1", QUIET_SINCE, owner_id=1, due=NOW, status=Status.DONE,
             last_activity_at=NOW - timedelta(hours=1)),
        Task(2, 2, "T2", QUIET_SINCE, owner_id=1, due=NOW + timedelta(hours=2))], {1}, []),
    ("nothing owned", [], set(), []),
]


@pytest.mark.parametrize("what,tasks,risky,fire", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("loaded_share", [0.0, 0.5, 1.0])
def test_person_rules_agree_on_loaded_tasks_and_portfolios(
    what: str, tasks: list[Task], risky: set[int], fire: list[str], loaded_share: float
) -> None:
    known = {t.id: (at_risk(t.id),) if t.id in risky else () for t in tasks}
    everything = _portfolio_world({t.id for t in tasks}, tasks, known)
    loaded = {t.id for t in tasks[: int(len(tasks) * loaded_share)]}
    partial = _portfolio_world(loaded, tasks, known)
    whole = evaluate(everything, NOW, task_ids=[], person_ids=[1])
    part = evaluate(partial, NOW, task_ids=[], person_ids=[1])
    assert [(v.rule_id, v.explanation) for v in part.violations] == [
        (v.rule_id, v.explanation) for v in whole.violations]
    assert part.person_next_check == whole.person_next_check
    assert sorted(v.rule_id for v in whole.violations) == fire
