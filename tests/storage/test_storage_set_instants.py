"""One helper stores an instant column for many ids: next checks, digests, escalations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from storage import models as m
from storage.repositories._base import set_instants
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def test_set_instants_writes_the_given_ids_only(uow: U, ws: int, now: datetime) -> None:
    later = now + timedelta(hours=3)
    with uow() as u:
        a, b, c = (u.people.add(ws, name).id for name in ("Ann", "Bob", "Cy"))
        other = u.workspaces.create("console:other", "Other").id
        d = u.people.add(other, "Dee").id
        set_instants(u.people, m.people, "next_digest_at", ws, {a: now, b: later, d: now})
        set_instants(u.people, m.people, "next_digest_at", ws, {})
        u.people.set_next_digest(ws, {c: later})
        u.people.set_next_check(ws, {a: later, b: None})
        u.commit()
    with uow() as u:
        people = {p.id: p for p in u.people.list(ws)} | {d: u.people.get(other, d)}
        stored = {
            pid: u.session.execute(
                m.people.select().where(m.people.c.id == pid)
            ).one()._mapping
            for pid in people
        }
    assert [stored[p]["next_digest_at"] for p in (a, b, c, d)] == [now, later, later, None]
    assert [stored[p]["next_check_at"] for p in (a, b)] == [later, None]


def test_set_instants_refuses_a_naive_instant_and_writes_nothing(
    uow: U, ws: int, now: datetime
) -> None:
    with uow() as u:
        a, b = u.people.add(ws, "Ann").id, u.people.add(ws, "Bob").id
        with pytest.raises(ValueError):
            set_instants(u.people, m.people, "next_digest_at", ws,
                         {a: now, b: datetime(2026, 3, 10, 12, 0)})
        rows = u.session.execute(m.people.select().where(m.people.c.workspace_id == ws)).all()
    assert all(r._mapping["next_digest_at"] is None for r in rows)
