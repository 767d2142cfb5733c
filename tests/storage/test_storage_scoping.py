"""Nothing ever crosses workspaces: reads are scoped, cross references refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from engine.model import Severity, SubjectKind, Violation
from storage.errors import InvalidReference
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def _populate(u: UnitOfWork, key: str, now: datetime) -> dict[str, int]:
    ws = u.workspaces.create(key, key).id
    person = u.people.add(ws, "Priya", "priya")
    u.people.add_identity(ws, person.id, "slack", "U1")
    project = u.projects.add(ws, "Acme", manager_id=person.id)
    parent = u.tasks.add(ws, "Acme filing", now, owner_id=person.id, project_id=project.id)
    task = u.tasks.add(ws, "Acme filing draft", now, parent_id=parent.id, depends_on=[parent.id])
    u.activity.add(ws, task.id, person.id, now, "created")
    v = Violation("task.overdue", SubjectKind.TASK, task.id, Severity.CRITICAL, "late")
    violation = u.violations.insert(ws, v, now)
    u.outbox.add(ws, person.id, "slack", "alert", {}, "alert:x", now, violation.id)
    u.tasks.set_next_check(ws, {task.id: now})
    u.people.set_next_check(ws, {person.id: now})
    return {
        "ws": ws,
        "person": person.id,
        "project": project.id,
        "parent": parent.id,
        "task": task.id,
        "violation": violation.id,
    }


def test_workspace_a_never_sees_b(uow: U, now: datetime) -> None:
    with uow() as u:
        a = _populate(u, "slack:A", now)
        b = _populate(u, "slack:B", now)
        u.commit()
    with uow() as u:
        ws = a["ws"]
        assert u.tasks.get(ws, b["task"]) is None
        assert [t.id for t in u.tasks.get_many(ws, [b["task"], a["task"]])] == [a["task"]]
        assert {t.id for t in u.tasks.list(ws)} == {a["parent"], a["task"]}
        assert [t.id for t in u.tasks.search_title(ws, ["acme"])] == [a["parent"], a["task"]]
        second = u.tasks.by_number(ws, 2)
        assert second is not None and second.id == a["task"]
        assert u.tasks.count(ws) == 2
        assert u.tasks.children_ids(ws, [b["parent"]], transitive=True) == set()
        assert u.tasks.dependent_ids(ws, [b["parent"]], transitive=True) == set()
        assert u.tasks.owned_ids(ws, [b["person"]]) == set()
        assert u.tasks.due_for_check(ws, now) == [a["task"]]
        assert u.people.get(ws, b["person"]) is None
        assert [p.id for p in u.people.list(ws)] == [a["person"]]
        assert u.people.by_handle(ws, "priya").id == a["person"]  # type: ignore[union-attr]
        assert u.people.by_identity(ws, "slack", "U1").id == a["person"]  # type: ignore[union-attr]
        assert u.people.due_for_check(ws, now) == [a["person"]]
        assert u.projects.get(ws, b["project"]) is None
        assert u.projects.by_name(ws, "acme").id == a["project"]  # type: ignore[union-attr]
        assert u.violations.get(ws, b["violation"]) is None
        assert [v.id for v in u.violations.all_firing(ws)] == [a["violation"]]
        assert [v.id for v in u.violations.history(ws)] == [a["violation"]]
        assert u.violations.firing(ws, task_ids=[b["task"]]) == []
        assert [n.workspace_id for n in u.outbox.list(ws)] == [ws]
        assert [r.task_id for r in u.activity.list(ws)] == [a["task"]]
        assert u.activity.for_task(ws, b["task"]) == []
        world = u.tasks.load_world(ws, [a["task"], b["task"]], [b["person"]], [b["project"]])
        assert set(world.tasks) == {a["parent"], a["task"]}
        assert set(world.people) == {a["person"]} and set(world.projects) == {a["project"]}
        full = u.tasks.load_full_world(ws)
        assert set(full.tasks) == {a["parent"], a["task"]} and set(full.people) == {a["person"]}


def test_cross_workspace_references_are_refused(uow: U, now: datetime) -> None:
    with uow() as u:
        a = _populate(u, "slack:A", now)
        b = _populate(u, "slack:B", now)
        ws = a["ws"]
        for fields in (
            {"owner_id": b["person"]},
            {"creator_id": b["person"]},
            {"backup_id": b["person"]},
            {"project_id": b["project"]},
            {"parent_id": b["task"]},
            {"occurrence_of": b["task"]},
            {"depends_on": [b["task"]]},
        ):
            with pytest.raises(InvalidReference):
                u.tasks.add(ws, "x", now, **fields)
            with pytest.raises(InvalidReference):
                u.tasks.update(ws, a["task"], **fields)
        with pytest.raises(InvalidReference):
            u.people.add(ws, "x", reports_to_id=b["person"])
        with pytest.raises(InvalidReference):
            u.projects.update(ws, a["project"], manager_id=b["person"])
        with pytest.raises(InvalidReference):
            u.activity.add(ws, b["task"], None, now, "note")
        with pytest.raises(InvalidReference):
            u.violations.ack(ws, a["violation"], b["person"], now)
        with pytest.raises(InvalidReference):
            u.outbox.add(ws, b["person"], "slack", "alert", {}, "k", now)
        with pytest.raises(ValueError):
            u.outbox.add(ws, a["person"], "slack", "alert", {}, "k", now, b["violation"])
        with pytest.raises(InvalidReference):
            u.people.add_identity(ws, b["person"], "slack", "U2")


def test_activity_log(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        p = u.people.add(ws, "Priya").id
        t = u.tasks.add(ws, "t", now).id
        first = u.activity.add(ws, t, p, now, "progress", {"progress": 0}, {"progress": 40})
        bot = u.activity.add(ws, t, None, now, "escalated", human=False)
        u.commit()
    with uow() as u:
        assert u.activity.for_task(ws, t) == [first, bot]
        assert first.before == {"progress": 0} and first.after == {"progress": 40}
        assert first.human and not bot.human and bot.actor_id is None
        assert u.activity.list(ws) == [first, bot]
