"""When the morning digest comes: digest.time, digest.days, and a person's own time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.notify.digest import queue_digests
from bot.notify.digest_time import (
    digest_clock,
    digest_due,
    is_digest_day,
    previous_digest_day,
    since_last_digest,
)
from bot.services import people as people_svc
from engine.model import WorkCalendar

LONDON = WorkCalendar(tz="Europe/London")
MON, TUE, SAT, SUN = date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 14), date(2026, 3, 15)


@pytest.mark.parametrize(
    ("settings", "own", "expected"),
    [
        ({}, None, time(9, 0)),
        ({"digest.time": "07:45"}, None, time(7, 45)),
        ({"digest.time": "07:45"}, time(8, 30), time(8, 30)),  # the person's own wins
        ({"digest.time": "garbage"}, None, time(9, 0)),  # never stops the digests
    ],
)
def test_digest_clock(settings, own, expected):
    assert digest_clock(settings, own) == expected


@pytest.mark.parametrize(
    ("days", "day", "expected"),
    [
        ("workdays", MON, True), ("workdays", SAT, False),
        ("daily", SUN, True),
        ("mon,wed,fri", MON, True), ("mon,wed,fri", TUE, False), ("sat", SAT, True),
    ],
)
def test_digest_days(days, day, expected):
    assert is_digest_day(LONDON, {"digest.days": days}, day) is expected


@pytest.mark.parametrize(
    ("days", "day", "expected"),
    [("workdays", MON, date(2026, 3, 6)), ("daily", MON, date(2026, 3, 8)), ("mon,wed,fri", MON,
                                                                 date(2026, 3, 6)),
     ("mon,wed,fri", date(2026, 3, 11), MON)],
)
def test_previous_digest_day(days, day, expected):
    assert previous_digest_day(LONDON, {"digest.days": days}, day) == expected


@pytest.mark.parametrize(
    ("now", "settings", "own", "due"),
    [
        (datetime(2026, 3, 9, 8, 59, tzinfo=UTC), {}, None, False),
        (datetime(2026, 3, 9, 9, 0, tzinfo=UTC), {}, None, True),
        (datetime(2026, 3, 9, 8, 30, tzinfo=UTC), {}, time(8, 30), True),
        (datetime(2026, 3, 9, 7, 0, tzinfo=UTC), {"digest.time": "07:00"}, None, True),
        (datetime(2026, 3, 10, 10, 0, tzinfo=UTC), {"digest.days": "mon,wed"}, None, False),
        (datetime(2026, 3, 14, 10, 0, tzinfo=UTC), {"digest.days": "daily"}, None, True),
        # London in summer time: 08:30 BST is 07:30 UTC.
        (datetime(2026, 6, 1, 7, 30, tzinfo=UTC), {}, time(8, 30), True),
    ],
)
def test_digest_due(now, settings, own, due):
    assert digest_due(LONDON, settings, own, now) is due


def test_since_last_digest_uses_the_time_and_days():
    since = since_last_digest(LONDON, {"digest.days": "mon,wed,fri"}, time(8, 30),
                              date(2026, 3, 11))
    assert since == datetime(2026, 3, 9, 8, 30, tzinfo=UTC)


def test_queue_digests_follows_workspace_and_personal_times(uow):
    with uow() as u:
        ws = u.workspaces.create("test:dt", "Digest times", tz="Europe/London",
                                 calendar=WorkCalendar(tz="Europe/London"))
        ana = people_svc.add_person(u, ws.id, "Ana", handle="ana")
        ben = people_svc.add_person(u, ws.id, "Ben", handle="ben")
        u.commit()
    conversation = Conversation(uow, FixedClock(datetime(2026, 3, 9, 6, 0, tzinfo=UTC)))
    said = [conversation.handle(Incoming(ws.id, ana.id, text=t)).text for t in
            ("settings digest.time 07:00", "settings digest.days mon,wed,fri")]
    said.append(conversation.handle(Incoming(ws.id, ben.id, text="settings me digest 8:30am")
                                    ).text)
    assert said == ["digest.time is now 07:00", "digest.days is now mon,wed,fri",
                    "Your morning digest now comes at 08:30 (Europe/London), on Mon, Wed, "
                    "Fri."]

    def queued_at(hour: int, minute: int, day: int = 9) -> set[str]:
        with uow() as u:
            rows = queue_digests(u, ws.id, datetime(2026, 3, day, hour, minute, tzinfo=UTC))
            u.commit()
        names = {ana.id: "Ana", ben.id: "Ben"}
        return {names[pid] for pid, _ in rows}

    assert queued_at(6, 59) == set()
    assert queued_at(7, 0) == {"Ana"}  # the workspace's 07:00
    assert queued_at(8, 29) == set()
    assert queued_at(8, 30) == {"Ben"}  # his own 08:30
    assert queued_at(12, 0, day=10) == set()  # Tuesday is not a digest day
    assert queued_at(12, 0, day=11) == {"Ana", "Ben"}


def test_a_personal_digest_time_is_checked_and_can_be_reset(uow):
    conversation = Conversation(uow, FixedClock(datetime(2026, 3, 9, 6, 0, tzinfo=UTC)))
    ws, me = conversation.onboard("console:default", "Console", "console", "ana", "Ana",
                                  tz="Europe/London")
    refused = conversation.handle(Incoming(ws, me, text="settings me digest 25:00")).text
    assert refused == ("⚠ Your digest time must be a time of day like 08:30 or 8am, "
                       "not '25:00'. Nothing was changed.")
    conversation.handle(Incoming(ws, me, text="settings me digest 07:15"))
    shown = conversation.handle(Incoming(ws, me, text="settings me")).text
    assert "digest at 07:15 (yours), Europe/London, on working days" in shown
    reset = conversation.handle(Incoming(ws, me, text="settings me digest default")).text
    assert reset.startswith("Your morning digest follows the workspace again: 09:00")
    with uow() as u:
        assert u.people.digest_times(ws) == {}
