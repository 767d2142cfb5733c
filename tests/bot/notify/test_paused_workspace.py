"""A paused workspace (its chat removed Vigil): scheduled notices stop, nothing is lost."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FixedClock
from bot.jobs import digest_all, escalate_all, tick_all
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import MON, Team

FRI = MON


def _overdue_task(team: Team) -> None:
    with team.uow() as u:
        task_svc.create_task(u, team.ws, FRI, team.pam, "Send the Acme filing",
                             owner_id=team.priya, project_id=team.acme,
                             due=FRI + timedelta(hours=1))
        u.commit()


def _set_paused(team: Team, at) -> None:
    with team.uow() as u:
        u.workspaces.set_paused(team.ws, at)
        u.commit()


def test_a_paused_workspace_gets_no_tick_ladder_or_digest_until_it_resumes(team: Team):
    _overdue_task(team)
    _set_paused(team, FRI)
    clock = FixedClock(FRI + timedelta(days=3))
    queued_before = len(team.rows())
    assert tick_all(team.uow, clock) == {}
    assert escalate_all(team.uow, clock) == {}
    assert digest_all(team.uow, clock) == 0
    assert len(team.rows()) == queued_before  # nothing new queued while paused
    with team.uow() as u:  # nothing was deleted
        assert [t.title for t in u.tasks.list(team.ws)] == ["Send the Acme filing"]
    _set_paused(team, None)
    changes = tick_all(team.uow, clock)
    assert team.ws in changes and changes[team.ws]  # the overdue task fires now
    assert len(team.rows()) > queued_before
