"""Chat topics: the task "it" means, per person and chat, only while fresh (SQLite and PG)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from storage.repositories.topics import FRESH
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


@pytest.fixture
def world(uow: U, now: datetime) -> tuple[int, int, int, int, int]:
    with uow() as u:
        ws = u.workspaces.create("topics", "Topics").id
        a = u.people.add(ws, "Ana", "ana").id
        b = u.people.add(ws, "Ben", "ben").id
        t1 = u.tasks.add(ws, "VAT return", now).id
        t2 = u.tasks.add(ws, "Bank rec", now).id
        u.commit()
    return ws, a, b, t1, t2


@pytest.mark.parametrize(
    ("who", "chat", "after", "expected"),
    [
        ("a", "C1", timedelta(0), "t1"),
        ("a", "C1", FRESH - timedelta(seconds=1), "t1"),
        ("a", "C1", FRESH, None),  # expired: "it" is no longer the VAT return
        ("a", "C2", timedelta(0), None),  # another chat has its own topic
        ("b", "C1", timedelta(0), None),  # another person in the same group chat
    ],
)
def test_a_topic_is_per_person_and_chat_and_expires(uow: U, now: datetime, world, who, chat,
                                                    after, expected) -> None:
    ws, a, b, t1, _ = world
    with uow() as u:
        u.topics.set(ws, a, "C1", t1, now)
        u.commit()
    with uow() as u:
        found = u.topics.current(ws, {"a": a, "b": b}[who], chat, now + after)
    assert found == {"t1": t1, None: None}[expected]


def test_the_last_task_talked_about_replaces_the_topic(uow: U, now: datetime, world) -> None:
    ws, a, _, t1, t2 = world
    with uow() as u:
        u.topics.set(ws, a, "C1", t1, now)
        u.topics.set(ws, a, "C1", t2, now + timedelta(minutes=1))
        u.commit()
    with uow() as u:
        assert u.topics.current(ws, a, "C1", now + timedelta(minutes=2)) == t2
        u.topics.forget(ws, a, "C1")
        assert u.topics.current(ws, a, "C1", now + timedelta(minutes=2)) is None


def test_stale_topics_are_pruned_and_uncommitted_ones_forgotten(uow: U, now: datetime,
                                                                world) -> None:
    ws, a, b, t1, _ = world
    with uow() as u:
        u.topics.set(ws, a, "C1", t1, now)
    with uow() as u:
        assert u.topics.current(ws, a, "C1", now) is None  # never committed
        u.topics.set(ws, a, "C1", t1, now)
        u.topics.set(ws, b, "C1", t1, now + FRESH)  # a's row is stale by now: deleted
        assert u.topics.prune(now + 2 * FRESH) == 1
        u.commit()


def test_long_chat_ids_are_refused(uow: U, now: datetime, world) -> None:
    ws, a, _, t1, _ = world
    with uow() as u, pytest.raises(ValueError):
        u.topics.set(ws, a, "x" * 201, t1, now)
