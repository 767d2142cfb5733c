"""Exactly once where the platform allows: fencing, lease renewal, no sleeping,
outages of any length, lost answers (fixed clocks throughout)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from bot.notify.dispatcher import Dispatcher
from bot.notify.ports import LostAnswer, PermanentError, RecordingPort, TransientError
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import MON, Team


def add_tasks(team: Team, owners: list[int], at: datetime = MON) -> None:
    """One task without a deadline per owner: one alert each, due at ``at``."""
    with team.uow() as u:
        for n, owner in enumerate(owners):
            task_svc.create_task(u, team.ws, at, team.pam, f"Job {n}", owner_id=owner,
                                 project_id=team.acme)
        u.commit()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_pass_that_outlives_its_lease_never_sends_what_another_pass_took_over(team: Team):
    """A slow platform: each of pass A's three sends takes 4 minutes (12 in all) of a
    5-minute lease, and pass B runs after each. A renews every row it still holds
    before each send, so B finds nothing to take over; without renewal B would
    claim the last two rows at minute 8 and send them as well.
    """
    add_tasks(team, [team.priya, team.sam, team.bea])
    clock = Clock(MON)
    other = RecordingPort(prefix="b")
    b = Dispatcher(team.uow, {"*": other}, lease=timedelta(minutes=5), clock=clock)

    class SlowPort(RecordingPort):
        def send(self, recipient, identity, message):
            clock.now += timedelta(minutes=4)  # each send takes 4 of the lease's 5 minutes
            ref = super().send(recipient, identity, message)
            b.run_once(clock.now)  # B runs while A is busy
            return ref

    a = Dispatcher(team.uow, {"*": SlowPort(prefix="a")}, lease=timedelta(minutes=5),
                   clock=clock)
    result = a.run_once(MON)
    assert len(result.sent) == 3 and not result.lost_claim
    assert other.sent == [], "B sent rows A still held"
    rows = team.rows(kind="alert")
    assert {r.status for r in rows} == {"sent"} and all(r.platform_ref.startswith("a-")
                                                        for r in rows)


def test_rows_another_pass_took_over_are_neither_sent_nor_recorded(team: Team):
    """The fencing check itself: A stalls (no renewal possible) past its lease."""
    add_tasks(team, [team.priya, team.sam])
    clock = Clock(MON)
    b_port = RecordingPort(prefix="b")
    b = Dispatcher(team.uow, {"*": b_port}, lease=timedelta(minutes=5), clock=clock)

    class StalledPort(RecordingPort):
        def send(self, recipient, identity, message):
            ref = super().send(recipient, identity, message)
            clock.now += timedelta(minutes=6)  # A hangs past its lease ...
            b.run_once(clock.now)  # ... and B takes the rest over and sends them
            return ref

    a_port = StalledPort(prefix="a")
    a = Dispatcher(team.uow, {"*": a_port}, lease=timedelta(minutes=5), clock=clock)
    result = a.run_once(MON)
    # A's first message had gone out; B, finding that row in doubt, could not know
    # (RecordingPort without lookup) and sent it again: the stated at-least-once case.
    # A's second row was taken over by B: A neither sent nor recorded it.
    assert len(a_port.sent) == 1 and result.lost_claim
    sent = [s.message.notice_ids for s in (*a_port.sent, *b_port.sent)]
    rows = team.rows(kind="alert")
    assert {r.status for r in rows} == {"sent"}
    assert sorted(i for ids in sent for i in ids).count(rows[1].id) == 1


def test_a_takeover_with_a_lookup_finds_the_message_instead_of_sending_it_again(team: Team):
    add_tasks(team, [team.priya])
    port = RecordingPort(lookup=True)
    crashed = Dispatcher(team.uow, {"*": port}, lease=timedelta(minutes=5))
    with team.uow() as u:  # a pass claims, sends ... and its process dies
        [row] = u.outbox.claim_due(MON, timedelta(minutes=5), token="dead")
        u.commit()
    from dataclasses import replace

    from bot.notify.ports import Recipient
    port.send(Recipient(team.ws, team.priya, "Priya"), None,
              replace(_any_message(), notice_ids=(row.id,)))
    result = crashed.run_once(MON + timedelta(minutes=5))
    assert result.recovered == [row.id] and len(port.sent) == 1
    [stored] = team.rows(kind="alert")
    assert stored.status == "sent" and stored.platform_ref == port.sent[0].ref
    assert not stored.in_doubt


def _any_message():
    from bot.messages import Outgoing
    return Outgoing.say("an alert")


def test_retry_after_reschedules_instead_of_sleeping_and_spares_the_platform(team: Team):
    add_tasks(team, [team.priya, team.sam, team.bea])
    port = RecordingPort(failures=[TransientError("rate limited", retry_after=3600)])
    dispatcher, _ = team.dispatcher(port)
    started = time.monotonic()
    result = dispatcher.run_once(MON)
    assert time.monotonic() - started < 2.0  # an hour's Retry-After: no sleep in the pass
    assert port.calls == 1, "the other messages must wait for the rate limit too"
    assert len(result.retried) == 1 and len(result.deferred) == 2
    rows = team.rows(kind="alert")
    assert {r.status for r in rows} == {"pending"}
    assert {r.next_attempt_at for r in rows} == {MON + timedelta(hours=1)}
    assert sorted(r.attempts for r in rows) == [0, 0, 1]  # waiting is not a failed attempt
    assert len(dispatcher.run_once(MON + timedelta(hours=1)).sent) == 3


def test_an_outage_of_two_days_loses_nothing_and_sends_once(team: Team):
    add_tasks(team, [team.priya, team.sam])
    port = RecordingPort()
    dispatcher, _ = team.dispatcher(port, max_backoff=timedelta(minutes=10))
    now = MON
    while now < MON + timedelta(days=2):  # Slack down: every call times out
        port.failures = [TransientError("timed out")] * 10
        dispatcher.run_once(now)
        now += timedelta(minutes=10)
    rows = team.rows(kind="alert")
    assert {r.status for r in rows} == {"pending"} and min(r.attempts for r in rows) > 200
    assert max(r.next_attempt_at for r in rows) <= now + timedelta(minutes=10)  # capped backoff
    port.failures = []
    dispatcher.run_once(now + timedelta(minutes=10))
    rows = team.rows(kind="alert")
    assert {r.status for r in rows} == {"sent"}
    delivered = sorted(i for s in port.sent for i in s.message.notice_ids)
    assert delivered == sorted(r.id for r in rows)  # each notice once, none lost


def test_gives_up_only_after_the_configured_age_then_retry_sends_it(team: Team, engine):
    from bot.notify.status import status_report

    add_tasks(team, [team.priya])
    port = RecordingPort()
    dispatcher, _ = team.dispatcher(port, max_age=timedelta(days=3))
    port.failures = [TransientError("502")]
    dispatcher.run_once(MON + timedelta(days=2, hours=23))
    assert team.rows(kind="alert")[0].status == "pending"
    port.failures = [TransientError("502")]
    dispatcher.run_once(MON + timedelta(days=3))
    [row] = team.rows(kind="alert")
    assert row.status == "failed" and row.last_error.startswith("gave up after 3.0 days")
    report = status_report(engine)
    assert report["counts"]["failed"] == 1 and report["failed"][0]["id"] == row.id

    later = MON + timedelta(days=5)
    with team.uow() as u:
        assert u.outbox.retry_failed(later, [row.id]) == [row.id]
        u.commit()
    port.failures = [TransientError("still 502")]
    dispatcher.run_once(later)  # the age counts afresh: one more failure is not the end
    assert team.rows(kind="alert")[0].status == "pending"
    dispatcher.run_once(later + timedelta(hours=1))
    [row] = team.rows(kind="alert")
    assert row.status == "sent" and len(port.sent) == 1


def test_permanent_errors_still_fail_at_once(team: Team):
    add_tasks(team, [team.priya])
    dispatcher, _ = team.dispatcher(RecordingPort(failures=[PermanentError("user_not_found")]))
    dispatcher.run_once(MON)
    assert team.rows(kind="alert")[0].status == "failed"


def test_a_lost_answer_is_found_by_the_lookup_not_sent_twice(team: Team):
    add_tasks(team, [team.priya])
    lost = LostAnswer(TransientError("read timed out", maybe_delivered=True))
    port = RecordingPort(failures=[lost], lookup=True)
    dispatcher, _ = team.dispatcher(port)
    assert len(dispatcher.run_once(MON).retried) == 1
    [row] = team.rows(kind="alert")
    assert row.status == "pending" and row.in_doubt and len(port.sent) == 1
    result = dispatcher.run_once(MON + timedelta(minutes=1))
    assert result.recovered == [row.id] and len(port.sent) == 1
    [row] = team.rows(kind="alert")
    assert row.status == "sent" and row.platform_ref == port.sent[0].ref


def test_without_a_lookup_a_lost_answer_is_sent_again(team: Team):
    """The stated exception (Telegram has no message tags): at least once."""
    add_tasks(team, [team.priya])
    lost = LostAnswer(TransientError("read timed out", maybe_delivered=True))
    port = RecordingPort(failures=[lost])
    dispatcher, _ = team.dispatcher(port)
    dispatcher.run_once(MON)
    dispatcher.run_once(MON + timedelta(minutes=1))
    assert len(port.sent) == 2 and team.rows(kind="alert")[0].status == "sent"


def test_a_refused_request_is_not_in_doubt(team: Team):
    add_tasks(team, [team.priya])
    port = RecordingPort(failures=[TransientError("429", retry_after=1)])
    dispatcher, _ = team.dispatcher(port)
    dispatcher.run_once(MON)
    assert not team.rows(kind="alert")[0].in_doubt
