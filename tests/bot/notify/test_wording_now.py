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
from bot.notify.escalation import escalate
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


@pytest.mark.parametrize(("sent_after", "words"), [
    (timedelta(hours=2), "for 2 hours."),                  # sent as it climbed
    (timedelta(hours=3, minutes=20), "for 3 hours."),      # the dispatcher was late
    (timedelta(hours=26), "for 1 day 2 hours."),          # held until the next day
])
def test_an_escalation_says_the_time_really_passed_when_it_is_sent(team: Team, sent_after,
                                                                    words):
    due = MON + timedelta(hours=1)
    _overdue(team, due)
    fired = due + timedelta(minutes=1)
    tick_all(team.uow, FixedClock(fired))
    with team.uow() as u:
        assert escalate(u, team.ws, fired + timedelta(hours=2))  # the ladder's 2 h
        u.commit()
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(fired + sent_after)
    (escalation,) = _texts(port, team.boss)
    assert f"Escalated (level 1): no action from Priya {words}" in escalation, escalation
    (row,) = team.rows(recipient_id=team.boss)
    assert row.payload["waited"] == words.removeprefix("for ").rstrip(".")  # as sent


def test_a_second_escalation_counts_from_the_firing_not_the_ladders_step(team: Team):
    due = MON + timedelta(hours=1)
    _overdue(team, due)
    fired = due + timedelta(minutes=1)
    tick_all(team.uow, FixedClock(fired))
    for step in (2, 4):
        with team.uow() as u:
            assert escalate(u, team.ws, fired + timedelta(hours=step))
            u.commit()
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(fired + timedelta(hours=4))
    (level2,) = _texts(port, team.ada)
    assert "Escalated (level 2): no action from Priya for 4 hours." in level2, level2


@pytest.mark.parametrize(("fired", "snoozed_until", "now", "expected"), [
    (datetime(2026, 3, 2, 9), None, datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 9)),
    # a snooze that has ended: nobody is waited on from before it
    (datetime(2026, 3, 2, 9), datetime(2026, 3, 3, 9), datetime(2026, 3, 3, 11),
     datetime(2026, 3, 3, 9)),
    # a snooze still running (an early look): the firing
    (datetime(2026, 3, 2, 9), datetime(2026, 3, 3, 9), datetime(2026, 3, 2, 11),
     datetime(2026, 3, 2, 9)),
    (None, None, datetime(2026, 3, 2, 10), None),
])
def test_waited_since(fired, snoozed_until, now, expected):
    from bot.notify.wording import waited_since
    from storage.records import ViolationRecord

    row = ViolationRecord(1, 1, "f", "task.overdue", "task", 1, None, "high", "x",
                          fired_at=fired, snoozed_until=snoozed_until)
    assert waited_since(row, now) == expected


@pytest.mark.parametrize(("passed", "words"), [
    (timedelta(minutes=1), "1 minute"), (timedelta(hours=1), "1 hour"),
    (timedelta(hours=1, minutes=20), "1 hour 20 minutes"), (timedelta(hours=5), "5 hours"),
    (timedelta(hours=24), "1 day"), (timedelta(hours=40), "1 day 16 hours"),
    (timedelta(hours=71), "2 days 23 hours"), (timedelta(days=4), "4 days"),
])
def test_waited_words(passed, words):
    from bot.notify.wording import waited

    now = datetime(2026, 3, 2, 10)
    assert waited(now - passed, now) == words
