"""Notices through the real SlackPort and Dispatcher while the fake Slack misbehaves.

Each scenario queues notices for 20 people, runs dispatch passes on a
simulated clock while Slack is faulty, then while it is healthy again, and
counts from the fake's own history how many notices reached their person
zero times (lost) or more than once (duplicated).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from adapters.slack.port import SlackPort
from bot.messages import Outgoing
from bot.notify.dispatcher import Dispatcher
from bot.notify.ports import Recipient
from bot.services import people as people_svc
from engine.model import WorkCalendar
from storage.uow import make_uow_factory
from tests.adapters.slack.fake_slack import start_fake_slack
from tests.faults.conftest import report
from tests.faults.faulty_slack import FaultySlack

pytestmark = pytest.mark.faults

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
PEOPLE = 20


@pytest.fixture
def slack() -> Iterator[FaultySlack]:
    fake, stop = start_fake_slack(FaultySlack())
    assert isinstance(fake, FaultySlack)
    yield fake
    stop()


def queue(uow, count: int) -> list[int]:
    """``count`` one-off notices (digest rows: one message each) spread over 20 people."""
    with uow() as u:
        ws = u.workspaces.create("slack:T1", "Team", calendar=WorkCalendar(tz="UTC"))
        people = []
        for i in range(PEOPLE):
            p = people_svc.add_person(u, ws.id, f"P{i}", handle=f"p{i}")
            u.people.add_identity(ws.id, p.id, "slack", f"U{i}")
            people.append(p.id)
        ids = []
        for n in range(count):
            row = u.outbox.add(ws.id, people[n % PEOPLE], "slack", "digest",
                               {"text": f"Notice {n}"}, f"fault:{n}", NOW)
            assert row is not None
            ids.append(row.id)
        u.commit()
    return ids


class WithoutLookup:
    """The same port without ``delivered``: a platform with no message tags (Telegram)."""

    def __init__(self, port: SlackPort) -> None:
        self.port = port

    def send(self, recipient: Recipient, identity: str | None, message: Outgoing) -> str:
        return self.port.send(recipient, identity, message)

    def edit(self, ref: str, message: Outgoing) -> None:
        self.port.edit(ref, message)


def run(uow, slack: FaultySlack, port, mode: str, faulty_passes: int, step: timedelta,
        count: int) -> tuple[int, int, int]:
    ids = queue(uow, count)
    dispatcher = Dispatcher(uow, {"slack": port}, max_backoff=timedelta(minutes=10))
    now = NOW
    slack.mode = mode
    for _ in range(faulty_passes):
        dispatcher.run_once(now)
        now += step
    slack.mode = "ok"
    for _ in range(20):
        now += timedelta(minutes=11)
        dispatcher.run_once(now)
    seen = slack.delivered_ids()
    lost = sum(1 for i in ids if seen[i] == 0)
    duplicated = sum(seen[i] - 1 for i in ids if seen[i] > 1)
    with uow() as u:
        statuses = {r.status for ws in u.workspaces.list() for r in u.outbox.list(ws.id)}
    assert statuses == {"sent"}, statuses
    return lost, duplicated, count


@pytest.mark.parametrize("mode", ["429", "500", "lost"])
def test_slack_faults_lose_nothing_and_send_nothing_twice(engine, slack, mode):
    uow = make_uow_factory(engine)
    port = SlackPort("xoxb-test", base_url=slack.api_url, timeout=5)
    lost, duplicated, count = run(uow, slack, port, mode, faulty_passes=3,
                                  step=timedelta(minutes=1), count=200)
    report(f"slack-{mode}", lost=f"{lost}/{count}", duplicated=f"{duplicated}/{count}")
    assert (lost, duplicated) == (0, 0)


def test_slack_timeouts_after_posting_are_found_not_resent(engine, slack):
    uow = make_uow_factory(engine)
    slack.hang_seconds = 1.5
    port = SlackPort("xoxb-test", base_url=slack.api_url, timeout=1)
    lost, duplicated, count = run(uow, slack, port, "timeout", faulty_passes=1,
                                  step=timedelta(minutes=1), count=20)
    report("slack-timeout", lost=f"{lost}/{count}", duplicated=f"{duplicated}/{count}")
    assert (lost, duplicated) == (0, 0)


def test_a_two_day_outage_loses_nothing(engine, slack):
    uow = make_uow_factory(engine)
    port = SlackPort("xoxb-test", base_url=slack.api_url, timeout=5)
    lost, duplicated, count = run(uow, slack, port, "500", faulty_passes=48,
                                  step=timedelta(hours=1), count=40)
    report("slack-outage-48h", lost=f"{lost}/{count}", duplicated=f"{duplicated}/{count}")
    assert (lost, duplicated) == (0, 0)


def test_without_message_tags_each_lost_answer_is_one_duplicate(engine, slack):
    """The stated at-least-once exception, measured (what Telegram gets)."""
    uow = make_uow_factory(engine)
    port = WithoutLookup(SlackPort("xoxb-test", base_url=slack.api_url, timeout=5))
    lost, duplicated, count = run(uow, slack, port, "lost", faulty_passes=1,
                                  step=timedelta(minutes=1), count=20)
    report("no-lookup-lost-answers", lost=f"{lost}/{count}",
           duplicated=f"{duplicated}/{count}")
    assert lost == 0 and duplicated == count  # every lost answer: sent again, once
