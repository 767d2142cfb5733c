"""A digest's "Due today" holds only today's work: yesterday's is under "Overdue"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.evaluation import tick
from bot.notify.digest import digest
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import MON, Team

WED = MON + timedelta(days=2, hours=-1)  # Wednesday 09:00 London, the digest's morning

CASES = [  # (deadline, the heading it is listed under)
    (WED - timedelta(days=1, hours=-8), "Overdue"),  # yesterday 17:00
    (WED - timedelta(days=5), "Overdue"),  # last week
    (WED - timedelta(hours=2), "Due today"),  # 07:00 today: late, but today's work
    (WED + timedelta(hours=8), "Due today"),  # 17:00 today
    (WED + timedelta(days=1), "Due this week"),  # tomorrow
]


def _sections(team: Team, due, *, ticked: bool = False) -> dict[str, str]:
    with team.uow() as u:
        task_svc.create_task(u, team.ws, WED - timedelta(days=9), team.pam, "VAT return",
                             owner_id=team.priya, due=due)
        if ticked:
            tick(u, team.ws, WED)
        u.commit()
        person = u.people.get(team.ws, team.priya)
        assert person is not None
        out = digest(u, team.ws, person, WED)
    return {s.text.split(":\n")[0]: s.text for s in out.sections if ":\n" in s.text}


@pytest.mark.parametrize(("due", "heading"), CASES)
def test_each_deadline_is_listed_under_its_own_heading(team: Team, due, heading) -> None:
    sections = _sections(team, due)
    holding = [h for h, body in sections.items() if "VAT return" in body]
    assert holding == [heading]


def test_overdue_work_a_rule_fired_on_is_listed_once_under_at_risk(team: Team) -> None:
    sections = _sections(team, WED - timedelta(days=1, hours=-8), ticked=True)
    holding = [h for h, body in sections.items() if "VAT return" in body]
    assert holding == ["At risk"]
