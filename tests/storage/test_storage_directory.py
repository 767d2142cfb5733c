"""Workspaces, people, identities and projects round trips."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest

from engine.model import Role, WorkCalendar
from storage.errors import Duplicate, InvalidReference, NotFound
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def test_workspace_round_trip(uow: U) -> None:
    cal = WorkCalendar(
        tz="Europe/London",
        workdays=frozenset({0, 1, 2, 3}),
        day_start=time(8, 30),
        day_end=time(16, 0),
        holidays=frozenset({date(2026, 12, 25), date(2026, 12, 26)}),
    )
    with uow() as u:
        a = u.workspaces.create("slack:T123", "Acme", settings={"task.stalled.after": "48h"})
        b = u.workspaces.create("telegram:-100200", "Group", calendar=cal)
        with pytest.raises(Duplicate):
            u.workspaces.create("slack:T123", "Again")
        u.commit()
    with uow() as u:
        assert u.workspaces.get(a.id) == a
        assert u.workspaces.by_key("telegram:-100200") == b
        assert u.workspaces.by_key("nope") is None and u.workspaces.get(999) is None
        assert b.calendar == cal and a.calendar == WorkCalendar()
        assert a.settings == {"task.stalled.after": "48h"}
        assert a.created_at.tzinfo is UTC
        assert [w.key for w in u.workspaces.list()] == ["slack:T123", "telegram:-100200"]
        updated = u.workspaces.update_settings(a.id, {"task.overdue.enabled": False})
        assert updated.settings == {"task.overdue.enabled": False}
        assert u.workspaces.update_calendar(a.id, cal).calendar == cal
        with pytest.raises(NotFound):
            u.workspaces.update_settings(999, {})


def test_people_round_trip(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        boss = u.people.add(ws, "Marcus Reed", "marcus", role="manager", created_at=now)
        priya = u.people.add(ws, "Priya", "@Priya", reports_to_id=boss.id, tz="Asia/Kolkata")
        sam = u.people.add(ws, "Sam", backup_id=priya.id, role=Role.ADMIN)
        u.commit()
    with uow() as u:
        assert u.people.get(ws, priya.id) == priya
        assert priya.handle == "Priya" and priya.reports_to_id == boss.id
        assert priya.role is Role.MEMBER and sam.role is Role.ADMIN and sam.handle == ""
        assert u.people.by_handle(ws, "@priya") == priya
        assert u.people.by_handle(ws, "MARCUS REED") == boss
        assert u.people.by_handle(ws, "sam") == sam
        assert u.people.by_handle(ws, "nobody") is None
        assert u.people.count(ws) == 3
        assert u.people.get_many(ws, [sam.id, boss.id, 999]) == [boss, sam]
        assert [p.id for p in u.people.list(ws)] == [boss.id, priya.id, sam.id]
        out = u.people.update(
            ws, sam.id, active=False, ooo_from=now, ooo_until=now + timedelta(days=3)
        )
        assert not out.active and out.is_out_of_office(now + timedelta(days=1))
        assert [p.id for p in u.people.list(ws, active_only=True)] == [boss.id, priya.id]
        with pytest.raises(TypeError):
            u.people.update(ws, sam.id, workspace_id=2)  # type: ignore[misc]
        with pytest.raises(NotFound):
            u.people.update(ws, 999, name="x")
        with pytest.raises(InvalidReference):
            u.people.update(ws, sam.id, backup_id=999)


def test_identities(uow: U, ws: int) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya", "priya")
        ident = u.people.add_identity(ws, priya.id, "slack", "U123")
        assert ident.person_id == priya.id and ident.external_id == "U123"
        u.people.add_identity(ws, priya.id, "telegram", 42)  # type: ignore[arg-type]
        assert u.people.by_identity(ws, "slack", "U123") == priya
        assert u.people.by_identity(ws, "telegram", "42") == priya
        assert u.people.by_identity(ws, "slack", "U999") is None
        assert [i.platform for i in u.people.identities(ws, priya.id)] == ["slack", "telegram"]
        u.commit()
    with uow() as u:
        with pytest.raises(Duplicate):
            u.people.add_identity(ws, priya.id, "slack", "U123")
        assert u.people.by_identity(ws, "slack", "U123") == priya  # transaction still usable


def test_people_next_check(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        a, b, c = (u.people.add(ws, name) for name in "abc")
        u.people.set_next_check(ws, {a.id: now, b.id: now + timedelta(hours=1), c.id: None})
        assert u.people.due_for_check(ws, now) == [a.id]
        assert u.people.due_for_check(ws, now + timedelta(hours=2)) == [a.id, b.id]
        u.people.set_next_check(ws, {a.id: None})
        assert u.people.next_checks(ws, [a.id, b.id]) == {
            a.id: None,
            b.id: now + timedelta(hours=1),
        }


def test_projects_round_trip(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        boss = u.people.add(ws, "Marcus")
        acme = u.projects.add(ws, "Acme", manager_id=boss.id, due=now)
        hiring = u.projects.add(ws, "Hiring", settings={"task.stalled.after": "48h"})
        with pytest.raises(Duplicate):
            u.projects.add(ws, "  acme ")
        with pytest.raises(InvalidReference):
            u.projects.add(ws, "Ghost", manager_id=999)
        u.commit()
    with uow() as u:
        assert u.projects.get(ws, acme.id) == acme and acme.due == now
        assert u.projects.by_name(ws, "ACME") == acme
        assert u.projects.by_name(ws, "nothing") is None
        assert hiring.settings == {"task.stalled.after": "48h"} and hiring.manager_id is None
        renamed = u.projects.update(ws, hiring.id, name="Recruiting", manager_id=boss.id)
        assert renamed.name == "Recruiting" and renamed.manager_id == boss.id
        with pytest.raises(Duplicate):
            u.projects.update(ws, hiring.id, name="acme")
        u.projects.update(ws, hiring.id, name="RECRUITING")  # its own name, other case: fine
        u.projects.update(ws, acme.id, active=False)
        assert [p.name for p in u.projects.list(ws, active_only=True)] == ["RECRUITING"]
        assert len(u.projects.list(ws)) == 2


def test_reports_under_follows_the_chain_down_and_stops_at_loops(uow: U) -> None:
    with uow() as u:
        ws = u.workspaces.create("test:reports", "Reports").id
        other = u.workspaces.create("test:other", "Other").id
        boss = u.people.add(ws, "Boss")
        lead = u.people.add(ws, "Lead", reports_to_id=boss.id)
        a = u.people.add(ws, "A", reports_to_id=lead.id)
        b = u.people.add(ws, "B", reports_to_id=a.id)
        peer = u.people.add(ws, "Peer", reports_to_id=boss.id)
        loner = u.people.add(ws, "Loner")
        x = u.people.add(ws, "X", reports_to_id=loner.id)
        u.people.update(ws, loner.id, reports_to_id=x.id)  # X and Loner report to each other
        u.people.add(other, "Elsewhere")
        u.commit()
    with uow() as u:
        assert u.people.reports_under(ws, boss.id) == {lead.id, a.id, b.id, peer.id}
        assert u.people.reports_under(ws, lead.id) == {a.id, b.id}
        assert u.people.reports_under(ws, b.id) == set()
        assert u.people.reports_under(ws, loner.id) == {x.id}  # the loop ends, Loner not counted
        assert u.people.reports_under(other, boss.id) == set()  # scoped to the workspace


def test_managed_by_lists_only_this_managers_projects(uow: U) -> None:
    with uow() as u:
        ws = u.workspaces.create("test:managed", "Managed").id
        ana, omar = u.people.add(ws, "Ana"), u.people.add(ws, "Omar")
        acme = u.projects.add(ws, "Acme", manager_id=ana.id)
        bolt = u.projects.add(ws, "Bolt", manager_id=ana.id)
        u.projects.add(ws, "Crane", manager_id=omar.id)
        u.projects.update(ws, bolt.id, active=False)
        u.commit()
    with uow() as u:
        assert u.projects.managed_by(ws, ana.id) == [acme.id]
        assert u.projects.managed_by(ws, ana.id, active_only=False) == [acme.id, bolt.id]
        assert u.projects.managed_by(ws, 999) == []


def test_admin_ids_are_the_active_admins_of_the_workspace(uow: U) -> None:
    with uow() as u:
        ws = u.workspaces.create("test:admins", "Admins").id
        other = u.workspaces.create("test:admins2", "Other").id
        ana = u.people.add(ws, "Ana", role="admin")
        gone = u.people.add(ws, "Gone", role="admin")
        u.people.add(ws, "Omar", role="manager")
        u.people.add(other, "Elsewhere", role="admin")
        u.people.update(ws, gone.id, active=False)
        u.commit()
    with uow() as u:
        assert u.people.admin_ids(ws) == [ana.id]
