"""Tasks: numbering, round trips, search, graph walks, next checks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from engine.model import Status
from storage.errors import InvalidReference, NotFound
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def test_numbers_are_per_workspace(uow: U, now: datetime) -> None:
    with uow() as u:
        a = u.workspaces.create("slack:A", "A").id
        b = u.workspaces.create("slack:B", "B").id
        numbers = [u.tasks.add(ws, f"t{i}", now).number for i, ws in enumerate([a, a, b, a, b])]
        u.commit()
    assert numbers == [1, 2, 1, 3, 2]
    with uow() as u:
        assert u.tasks.by_number(a, 3) is not None and u.tasks.by_number(b, 3) is None
        assert u.tasks.count(a) == 3 and u.tasks.count(b) == 2
        with pytest.raises(NotFound):
            u.tasks.add(999, "no workspace", now)


def test_rolled_back_numbers_are_not_lost(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        u.tasks.add(ws, "never kept", now)
    with uow() as u:
        assert u.tasks.add(ws, "kept", now).number == 1


def test_concurrent_writers_get_distinct_numbers(uow: U, ws: int, now: datetime) -> None:
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for i in range(8):
                with uow() as u:
                    u.tasks.add(ws, f"{name}-{i}", now)
                    u.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with uow() as u:
        assert sorted(t.number for t in u.tasks.list(ws)) == list(range(1, 33))


def test_task_round_trip_and_update(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        acme = u.projects.add(ws, "Acme").id
        parent = u.tasks.add(ws, "Q3 filing", now, owner_id=priya, project_id=acme)
        dep1 = u.tasks.add(ws, "Bank statements", now)
        dep2 = u.tasks.add(ws, "Receipts", now)
        task = u.tasks.add(
            ws,
            "  Draft  ",
            now,
            parent_id=parent.id,
            depends_on=[dep2.id, dep1.id],
            owner_id=priya,
            creator_id=priya,
            due=now + timedelta(days=3),
            status="in_progress",
            progress=40,
            priority=1,
            recurrence=None,
            proof_required="photo",
        )
        u.commit()
    with uow() as u:
        got = u.tasks.get(ws, task.id)
        assert got == task
        assert task.title == "Draft" and task.depends_on == (dep1.id, dep2.id)
        assert task.status is Status.IN_PROGRESS and task.progress == 40
        assert parent.status is Status.TODO and parent.priority == 3
        updated = u.tasks.update(
            ws, task.id, status=Status.BLOCKED, blocked_reason="bank", depends_on=[dep1.id]
        )
        assert updated.status is Status.BLOCKED and updated.depends_on == (dep1.id,)
        assert u.tasks.update(ws, task.id, depends_on=[]).depends_on == ()
        assert [t.id for t in u.tasks.get_many(ws, [task.id, dep1.id, 999])] == [dep1.id, task.id]
        with pytest.raises(TypeError):
            u.tasks.update(ws, task.id, number=7)
        with pytest.raises(ValueError):
            u.tasks.update(ws, task.id, status="sleeping")
        with pytest.raises(ValueError):
            u.tasks.update(ws, task.id, depends_on=[task.id])
        with pytest.raises(ValueError):
            u.tasks.update(ws, parent.id, parent_id=task.id)  # would make a parent cycle
        with pytest.raises(InvalidReference):
            u.tasks.update(ws, task.id, owner_id=999)
        with pytest.raises(NotFound):
            u.tasks.update(ws, 999, title="x")


def test_list_and_search(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        acme = u.projects.add(ws, "Acme").id
        done = u.tasks.add(ws, "Q3 filing for Acme", now, status="done", owner_id=priya)
        open_ = u.tasks.add(ws, "Acme Q4 FILING", now, project_id=acme)
        other = u.tasks.add(ws, "Hire 100% of staff_x", now, owner_id=priya)
        assert [t.id for t in u.tasks.search_title(ws, ["filing", "acme"])] == [open_.id, done.id]
        assert [t.id for t in u.tasks.search_title(ws, "q3 FILING")] == [done.id]
        assert [t.id for t in u.tasks.search_title(ws, ["100%"])] == [other.id]
        assert [t.id for t in u.tasks.search_title(ws, ["%"])] == [other.id]
        assert u.tasks.search_title(ws, ["f_ling"]) == []
        assert u.tasks.search_title(ws, []) == []
        assert [t.id for t in u.tasks.list(ws, owner_id=priya)] == [done.id, other.id]
        assert [t.id for t in u.tasks.list(ws, owner_id=priya, active_only=True)] == [other.id]
        assert [t.id for t in u.tasks.list(ws, project_id=acme)] == [open_.id]
        assert u.tasks.owned_ids(ws, [priya]) == {done.id, other.id}
        assert u.tasks.project_task_ids(ws, acme) == {open_.id}


def test_graph_walks(uow: U, ws: int, now: datetime) -> None:
    #   a          d -> e -> f -> d (cycle), e -> g
    #   +- b
    #      +- c
    with uow() as u:
        add = u.tasks.add
        a = add(ws, "a", now).id
        b = add(ws, "b", now, parent_id=a).id
        c = add(ws, "c", now, parent_id=b).id
        g = add(ws, "g", now).id
        f = add(ws, "f", now).id
        e = add(ws, "e", now, depends_on=[f, g]).id
        d = add(ws, "d", now, depends_on=[e]).id
        u.tasks.update(ws, f, depends_on=[d])
        t = u.tasks
        assert t.parent_ids(ws, [c, b]) == {b, a}
        assert t.ancestor_ids(ws, [c]) == {a, b}
        assert t.children_ids(ws, [a]) == {b}
        assert t.children_ids(ws, [a], transitive=True) == {b, c}
        assert t.dependency_ids(ws, [d]) == {e}
        assert t.dependency_ids(ws, [d], transitive=True) == {d, e, f, g}
        assert t.dependent_ids(ws, [g]) == {e}
        assert t.dependent_ids(ws, [g], transitive=True) == {d, e, f}
        assert t.dependency_ids(ws, [], transitive=True) == set()


def test_next_check_bulk(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        ids = [u.tasks.add(ws, f"t{i}", now).id for i in range(50)]
        u.tasks.set_next_check(ws, {i: now + timedelta(minutes=n) for n, i in enumerate(ids)})
        u.commit()
    with uow() as u:
        assert u.tasks.due_for_check(ws, now + timedelta(minutes=9)) == ids[:10]
        u.tasks.set_next_check(ws, dict.fromkeys(ids[:5]))
        assert u.tasks.due_for_check(ws, now + timedelta(minutes=9)) == ids[5:10]
        assert u.tasks.next_checks(ws, ids[:6]) == {
            **dict.fromkeys(ids[:5]),
            ids[5]: now + timedelta(minutes=5),
        }


def test_obligations_and_occurrences(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        daily = u.tasks.add(ws, "Open the till", now, recurrence="FREQ=DAILY", window="2h")
        u.tasks.add(ws, "plain", now)
        occurrences = {
            u.tasks.add(ws, f"Open the till {d}", now, occurrence_of=daily.id).id for d in range(3)
        }
        assert [t.id for t in u.tasks.obligations(ws)] == [daily.id]
        assert u.tasks.occurrence_ids(ws, daily.id) == occurrences
        assert daily.window == "2h"
