"""Which workspaces the tick visits: those with a task or a person whose next check has come."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("task_checks", "person_checks", "tasks_due", "people_due"),
    [
        # offsets from now of each workspace's next checks: (first, second, third workspace)
        ((-H, +H, None), (None, None, None), {0}, set()),
        ((+H, +H, +H), (None, -H, None), set(), {1}),
        ((0 * H, None, -2 * H), (-H, None, -H), {0, 2}, {0, 2}),  # "at now" is due
        ((None, None, None), (None, None, None), set(), set()),
    ],
)
def test_the_workspaces_with_something_due(
    uow: U, ws: int, now: datetime, task_checks, person_checks, tasks_due, people_due
) -> None:
    with uow() as u:
        spaces = [ws] + [u.workspaces.create(f"console:w{i}", f"W{i}").id for i in (1, 2)]
        for space, offset, person_offset in zip(spaces, task_checks, person_checks, strict=True):
            task = u.tasks.add(space, "job", now - 3 * H)
            other = u.tasks.add(space, "later job", now - 3 * H)
            person = u.people.add(space, f"P{space}")
            u.tasks.set_next_check(space, {task.id: None if offset is None else now + offset,
                                           other.id: now + 5 * H})
            u.people.set_next_check(space, {person.id: None if person_offset is None
                                            else now + person_offset})
        u.commit()
    with uow() as u:
        assert u.tasks.workspaces_due(now) == {spaces[i] for i in tasks_due}
        assert u.people.workspaces_due(now) == {spaces[i] for i in people_due}
