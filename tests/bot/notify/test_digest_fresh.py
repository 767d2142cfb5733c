"""A digest that waited is rebuilt when it goes out: it never says "nothing due"
about someone whose work has changed since it was queued (the console keeps a
person's notices until they sit down; a platform outage delays them)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.notify.digest import queue_digests
from bot.notify.team_digest import queue_team_digest
from bot.services import tasks as task_svc
from tests.bot.notify.conftest import MON, Team

NINE = MON - timedelta(hours=1)  # Monday 09:00 London: everyone's digest is due


def _queue(team: Team) -> None:
    with team.uow() as u:
        queue_digests(u, team.ws, NINE)
        u.commit()


def _give_priya_work(team: Team, at) -> None:  # type: ignore[no-untyped-def]
    with team.uow() as u:
        task_svc.create_task(u, team.ws, at, team.pam, "Bank rec", owner_id=team.priya,
                             project_id=team.acme, due=NINE + timedelta(hours=8))
        u.commit()


def _sent_to_priya(team: Team, at) -> str:  # type: ignore[no-untyped-def]
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(at)
    (sent,) = [s.message.text for s in port.to(team.priya) if "Standup" in s.message.text]
    return sent


@pytest.mark.parametrize(("sent_after", "rebuilt"), [
    (timedelta(seconds=30), False),  # sent within the minute: as it was built
    (timedelta(minutes=5), False),  # a morning queue draining: still this morning's
    (timedelta(minutes=20), True),  # waited: says what is true now
    (timedelta(hours=3), True),  # a platform was down all morning
])
def test_a_digest_that_waited_says_what_is_true_when_it_goes_out(
    team: Team, sent_after: timedelta, rebuilt: bool
) -> None:
    _queue(team)
    (queued,) = [r for r in team.rows(recipient_id=team.priya) if r.kind == "digest"]
    assert "Bank rec" not in queued.payload["text"]
    _give_priya_work(team, NINE + timedelta(seconds=10))
    text = _sent_to_priya(team, NINE + sent_after)
    assert ("Bank rec" in text) is rebuilt, text
    (row,) = [r for r in team.rows(recipient_id=team.priya) if r.kind == "digest"]
    assert row.status == "sent"
    assert row.payload["text"] == text  # the outbox keeps what was sent


def test_a_rebuilt_digest_keeps_its_since_and_its_day(team: Team) -> None:
    _queue(team)
    (queued,) = [r for r in team.rows(recipient_id=team.boss) if r.kind == "digest"]
    _give_priya_work(team, NINE + timedelta(minutes=1))
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(NINE + timedelta(minutes=30))
    (row,) = [r for r in team.rows(recipient_id=team.boss) if r.kind == "digest"]
    assert row.payload["since"] == queued.payload["since"]
    assert row.payload["built_at"] == (NINE + timedelta(minutes=30)).isoformat()
    assert row.payload["text"].startswith("☀ Standup for Boss — Mon 2 Mar")


def test_the_team_digest_in_a_channel_is_rebuilt_too(team: Team) -> None:
    with team.uow() as u:
        u.workspaces.update_settings(team.ws, {"digest.channel": "C-TEAM"})
        assert queue_team_digest(u, team.ws, NINE)
        u.commit()
    (queued,) = [r for r in team.rows() if r.dedup_key.startswith("team-digest:")]
    _give_priya_work(team, NINE + timedelta(seconds=5))
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(NINE + timedelta(hours=1))
    (posted,) = [s for s in port.sent if s.platform_identity == "C-TEAM"]
    assert posted.message.text.startswith("☀ Team standup — Mon 2 Mar")
    assert posted.message.text != queued.payload["text"]  # Priya's new work counts
    (row,) = [r for r in team.rows() if r.dedup_key.startswith("team-digest:")]
    assert row.payload["channel"] == "C-TEAM" and row.payload["text"] == posted.message.text
