"""Every notice is worded as of the moment it is sent (#13, item 8).

The explanation stored with a violation was written when it fired; a notice
sent later (an escalation, one held by quiet hours) says how late it is at
its own moment, and ``show #n`` words its problems as of the asking.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.jobs import tick_all
from bot.notify import escalate
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import MON, Team


def _overdue(team: Team, due: datetime) -> None:
    with team.uow() as u:
        u.workspaces.update_settings(team.ws, {"escalate.after": "2h"})
        task_svc.create_task(u, team.ws, MON, team.pam, "Q3 filing", owner_id=team.priya,
                             project_id=team.acme, due=due)
        u.commit()


def _texts(port, person: int) -> list[str]:
    return [s.message.text for s in port.to(person)]


def test_an_escalation_two_hours_after_firing_says_two_hours(team: Team):
    due = MON + timedelta(hours=1)  # Mon 11:00 London
    _overdue(team, due)
    fired = due + timedelta(minutes=1)
    tick_all(team.uow, FixedClock(fired))
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(fired)
    (first,) = _texts(port, team.priya)
    assert "1 minute past its deadline (Mon 2 Mar 11:00)" in first
    later = fired + timedelta(hours=2)  # the ladder's first step
    with team.uow() as u:
        assert escalate(u, team.ws, later)
        u.commit()
    dispatcher.run_once(later)
    (escalation,) = _texts(port, team.boss)  # Pam, the project manager, heard at once
    assert "Escalated (level 1): no action from Priya for 2 hours." in escalation
    assert "2 hours past its deadline (Mon 2 Mar 11:00)" in escalation
    assert "1 minute" not in escalation
    # What was sent is what the outbox keeps (an edit on resolution re-renders it).
    (row,) = team.rows(recipient_id=team.boss)
    assert "2 hours past its deadline" in row.payload["explanation"]


def test_a_notice_held_overnight_is_worded_when_it_goes_out(team: Team):
    due = MON + timedelta(hours=7)  # Mon 17:00: the alert waits for Tue 09:00
    _overdue(team, due)
    tick_all(team.uow, FixedClock(due + timedelta(minutes=1)))
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(due + timedelta(minutes=1))
    assert _texts(port, team.priya) == []
    morning = due + timedelta(hours=16)  # Tue 09:00
    dispatcher.run_once(morning)
    (text,) = _texts(port, team.priya)
    assert "16 hours past its deadline (Mon 2 Mar 17:00)" in text, text


@pytest.mark.parametrize(("after", "words"), [(timedelta(minutes=1), "1 minute past"),
                                              (timedelta(minutes=61), "1 hour 1 minute past"),
                                              (timedelta(hours=3), "3 hours past")])
def test_show_words_the_problem_as_of_the_asking(team: Team, after: timedelta, words: str):
    from bot.conversation import Conversation
    from bot.messages import Incoming

    due = MON + timedelta(hours=1)
    _overdue(team, due)
    tick_all(team.uow, FixedClock(due + timedelta(minutes=1)))  # worded at 11:01
    conv = Conversation(team.uow, FixedClock(due + after))
    text = conv.handle(Incoming(team.ws, team.priya, text="show #1")).text
    assert f"overdue (critical) — 0% done and {words} its deadline" in text, text
