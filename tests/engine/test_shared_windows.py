"""task.deadline_approaching works out its lead windows once per (settings, deadline)
in an evaluation and shares them across the tasks with that deadline. Each case is
a group of tasks sharing one deadline (and one settings layer) that must each get,
evaluated together, exactly the verdict and next check they get evaluated alone:
whatever is shared must not carry one task's answer to another."""

from __future__ import annotations

import pytest

from engine.evaluate import evaluate
from engine.model import Task, Violation
from tests.engine.builders import LONDON, UTC_CAL, at, project, task, world

RULE = "task.deadline_approaching"
DUE = "2026-03-06 17:00"  # a Friday; the default lead is 2wd, quiet 2wd

# (name, now, tasks sharing DUE, project settings or None, calendar)
CASES = [
    # Windows not yet open for anyone: all quiet, next check the window's opening.
    ("ahead", "2026-03-02 09:00",
     [{"last_activity_at": "2026-03-01 09:00"}, {"last_activity_at": "2026-02-20 09:00"}],
     None, UTC_CAL),
    # Window open: the untouched task fires, the recently touched one must NOT
    # (its quiet time has not passed) although both share the deadline's windows.
    ("open, one untouched", "2026-03-05 10:00",
     [{"last_activity_at": "2026-02-24 09:00"}, {"last_activity_at": "2026-03-05 09:00"},
      {}], None, UTC_CAL),
    # Two leads, the tighter one open: the stage is the tighter lead's for each.
    ("two leads", "2026-03-05 10:00",
     [{"last_activity_at": "2026-02-20 09:00"}, {"last_activity_at": "2026-03-04 12:00"}],
     {"task.deadline_approaching.lead": ["5wd", "1wd"]}, UTC_CAL),
    # Same deadline under two settings layers (one in a project): not shared across them.
    ("two layers", "2026-03-03 10:00",
     [{"last_activity_at": "2026-02-20 09:00"},
      {"last_activity_at": "2026-02-20 09:00", "project_id": 1}],
     {"task.deadline_approaching.lead": ["5wd"]}, UTC_CAL),
    # A zone with its own working days: the windows are the calendar's.
    ("london", "2026-03-04 18:00",
     [{"last_activity_at": "2026-02-24 09:00"}, {"last_activity_at": "2026-03-04 17:00"}],
     None, LONDON),
]


def _tasks(specs: list[dict[str, object]], settings: dict[str, object] | None) -> list[Task]:
    out = []
    for i, spec in enumerate(specs, start=1):
        fields = {"due": DUE, "status": "in_progress", **spec}
        if settings is not None and "project_id" not in fields:
            fields["project_id"] = 2  # the project with the settings
        out.append(task(i, **fields))  # type: ignore[arg-type]
    return out


def _mine(found: tuple[Violation, ...], task_id: int) -> list[Violation]:
    return [v for v in found if v.rule_id == RULE and v.subject_id == task_id]


@pytest.mark.parametrize(
    "name,now,specs,settings,calendar", CASES, ids=[c[0] for c in CASES]
)
def test_tasks_sharing_a_deadline_get_their_own_verdicts(
    name: str, now: str, specs: list[dict[str, object]], settings: dict[str, object] | None,
    calendar: object,
) -> None:
    tasks = _tasks(specs, settings)
    projects = [project(1), project(2, settings=settings or {})]
    when = at(now)
    together = evaluate(world(*tasks, *projects, calendar=calendar), when)  # type: ignore[arg-type]
    kinds = set()
    for t in tasks:
        alone = evaluate(world(t, *projects, calendar=calendar), when)  # type: ignore[arg-type]
        assert _mine(together.violations, t.id) == _mine(alone.violations, t.id), name
        assert together.task_next_check[t.id] == alone.task_next_check[t.id], name
        kinds.add(bool(_mine(alone.violations, t.id)))
    if name in ("open, one untouched", "two leads", "london"):
        assert kinds == {True, False}, "the case must mix firing and quiet tasks"
