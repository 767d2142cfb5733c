"""A small organisation to notify: Ada (admin) > Boss > Pam (project manager), Priya, Sam."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.notify.dispatcher import Dispatcher
from bot.notify.ports import RecordingPort
from bot.services import people as people_svc
from engine.model import WorkCalendar
from storage.uow import UnitOfWork

MON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 10:00 in London (GMT)


@dataclass
class Team:
    uow: Callable[[], UnitOfWork]
    ws: int
    ada: int
    boss: int
    pam: int
    priya: int
    sam: int
    bea: int
    acme: int

    def dispatcher(self, port: RecordingPort | None = None, **kwargs) -> tuple[Dispatcher,
                                                                               RecordingPort]:
        port = port or RecordingPort()
        return Dispatcher(self.uow, {"*": port}, **kwargs), port

    def rows(self, **where):
        with self.uow() as u:
            rows = u.outbox.list(self.ws)
        return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


@pytest.fixture
def team(uow) -> Team:
    with uow() as u:
        ws = u.workspaces.create(
            "slack:T1", "Team", calendar=WorkCalendar(tz="Europe/London"), created_at=MON
        )
        ada = people_svc.add_person(u, ws.id, "Ada", handle="ada")
        boss = people_svc.add_person(u, ws.id, "Boss", handle="boss", reports_to_id=ada.id)
        pam = people_svc.add_person(u, ws.id, "Pam", handle="pam", reports_to_id=boss.id)
        priya = people_svc.add_person(u, ws.id, "Priya", handle="priya", reports_to_id=boss.id)
        sam = people_svc.add_person(u, ws.id, "Sam", handle="sam", reports_to_id=boss.id)
        bea = people_svc.add_person(u, ws.id, "Bea", handle="bea")
        acme, _ = people_svc.add_project(u, ws.id, MON, "Acme", manager_id=pam.id)
        u.commit()
    return Team(uow, ws.id, ada.id, boss.id, pam.id, priya.id, sam.id, bea.id, acme.id)
