"""A digest's lists read in deadline order and say how many they leave out."""

from __future__ import annotations

from datetime import timedelta

from bot.notify.digest import digest
from bot.notify.digest_sections import SHOWN
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import MON, Team


def _priyas_digest(team: Team, count: int) -> str:
    with team.uow() as u:
        for i in range(count):  # created latest-deadline first
            task_svc.create_task(u, team.ws, MON, team.pam, f"Return {i}", owner_id=team.priya,
                                 due=MON + timedelta(days=3, hours=-i))
        u.commit()
        person = u.people.get(team.ws, team.priya)
        assert person is not None
        return digest(u, team.ws, person, MON).text


def test_tasks_due_this_week_are_listed_soonest_first(team: Team) -> None:
    text = _priyas_digest(team, 3)
    assert text.index("Return 2") < text.index("Return 1") < text.index("Return 0")
    assert "more (send *tasks*" not in text


def test_a_long_list_says_how_many_more(team: Team) -> None:
    text = _priyas_digest(team, SHOWN + 3)
    assert "…and 3 more (send *tasks* to see them all)" in text
    assert f"Return {SHOWN + 2}" in text and "Return 0" not in text  # the soonest are shown


def test_the_team_s_blocked_list_says_how_many_more(team: Team) -> None:
    """A manager's "Blocked in the team" is bounded like the other lists, never cut silently."""
    with team.uow() as u:
        for i in range(SHOWN + 4):
            t = task_svc.create_task(u, team.ws, MON, team.pam, f"Stuck {i}", owner_id=team.priya,
                                     due=MON + timedelta(days=3)).task
            task_svc.update_task(u, team.ws, MON, team.priya, t.id, status="blocked",
                                 blocked_reason="client")
        u.commit()
        boss = u.people.get(team.ws, team.boss)
        assert boss is not None
        text = digest(u, team.ws, boss, MON + timedelta(hours=1)).text
    blocked = text[text.index("Blocked in the team:"):]
    assert blocked.count("— client") == SHOWN
    assert "…and 4 more (send *tasks* to see them all)" in blocked


def test_needs_you_lists_the_first_few_and_counts_the_rest(team: Team) -> None:
    """Pam manages Acme: its blocked work needs her; the digest lists SHOWN of it and counts
    the rest, however many there are (only those few are read in full)."""
    with team.uow() as u:
        for i in range(SHOWN + 5):
            t = task_svc.create_task(u, team.ws, MON, team.pam, f"Acme item {i}",
                                     owner_id=team.priya, project_id=team.acme,
                                     due=MON + timedelta(days=3)).task
            task_svc.update_task(u, team.ws, MON, team.priya, t.id, status="blocked",
                                 blocked_reason="the client")
        u.commit()
        pam = u.people.get(team.ws, team.pam)
        assert pam is not None
        text = digest(u, team.ws, pam, MON + timedelta(hours=1)).text
    needs = text[text.index("Needs you:"):]
    needs = needs[: needs.index("(send *tasks*") + 40]
    assert needs.count("Acme item") == SHOWN
    assert "Acme item 0 " in needs  # the first by number
    assert "…and 5 more (send *tasks* to see them all)" in needs
