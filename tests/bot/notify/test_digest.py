"""The morning standup digest: content, timing in each person's zone, once a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.evaluation import tick
from bot.notify.digest import digest, queue_digests
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from engine.model import WorkCalendar

MON = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # Monday 08:00 in London


@pytest.fixture
def team(uow):
    with uow() as u:
        ws = u.workspaces.create(
            "test:digest", "Digest", tz="Europe/London", calendar=WorkCalendar(tz="Europe/London")
        )
        marcus = people_svc.add_person(u, ws.id, "Marcus", role="manager")
        priya = people_svc.add_person(u, ws.id, "Priya", reports_to_id=marcus.id)
        sam = people_svc.add_person(u, ws.id, "Sam", reports_to_id=marcus.id, tz="America/New_York")
        friday = MON - timedelta(days=3)
        filed = task_svc.create_task(
            u,
            ws.id,
            friday - timedelta(days=5),
            priya.id,
            "Q3 filing",
            owner_id=priya.id,
            due=MON + timedelta(days=2),
        )
        task_svc.update_task(
            u, ws.id, friday + timedelta(hours=2), priya.id, filed.task.id, status="done"
        )
        task_svc.create_task(
            u,
            ws.id,
            MON - timedelta(days=10),
            priya.id,
            "VAT return",
            owner_id=priya.id,
            due=MON + timedelta(hours=9),
            status="in_progress",
            progress=10,
        )
        task_svc.create_task(
            u,
            ws.id,
            MON - timedelta(days=1),
            priya.id,
            "Payroll",
            owner_id=priya.id,
            due=MON + timedelta(days=3),
        )
        blocked = task_svc.create_task(
            u,
            ws.id,
            MON - timedelta(days=1),
            sam.id,
            "Audit pack",
            owner_id=sam.id,
            due=MON + timedelta(days=20),
        ).task
        task_svc.update_task(
            u,
            ws.id,
            MON - timedelta(hours=20),
            sam.id,
            blocked.id,
            status="blocked",
            blocked_reason="bank statements",
        )
        tick(u, ws.id, MON + timedelta(hours=1))  # as the scheduler would have
        u.commit()
    return {"ws": ws.id, "marcus": marcus, "priya": priya, "sam": sam}


def test_member_digest_lists_risk_today_week_blocked_and_done(uow, team):
    with uow() as u:
        text = digest(u, team["ws"], team["priya"], MON + timedelta(hours=1)).text
    assert "Standup for Priya — Mon 9 Mar" in text
    assert text.index("At risk:") < text.index("Due today:")  # worst first
    assert "#2 VAT return" in text.split("Due today:")[1].split("Due this week:")[0]
    assert "#3 Payroll" in text.split("Due this week:")[1]
    assert "Done yesterday:\n• #1 Q3 filing" in text  # Friday counts as yesterday on Monday
    assert "Team:" not in text


def test_manager_digest_adds_the_team_table(uow, team):
    with uow() as u:
        text = digest(
            u, team["ws"], team["marcus"], MON + timedelta(hours=1), since=MON - timedelta(days=3)
        ).text
    assert "Team:" in text and "Priya: 🔴" in text and "Sam: 🔴0" in text
    assert "Since the last digest:" in text
    assert "Audit pack (Sam) — bank statements" in text


def test_digests_are_queued_at_each_persons_morning_once(uow, team):
    with uow() as u:
        assert queue_digests(u, team["ws"], MON) == []  # 08:00 London: too early
        at_nine = queue_digests(u, team["ws"], MON + timedelta(hours=1))
        assert {pid for pid, _ in at_nine} == {team["marcus"].id, team["priya"].id}
        assert queue_digests(u, team["ws"], MON + timedelta(hours=2)) == []  # once a day
        sam_morning = queue_digests(u, team["ws"], MON + timedelta(hours=6))  # 09:00 New York
        assert [pid for pid, _ in sam_morning] == [team["sam"].id]
        u.commit()
    with uow() as u:
        rows = [r for r in u.outbox.list(team["ws"]) if r.kind == "digest"]
    assert len(rows) == 3


def test_no_digest_on_weekends_or_out_of_office(uow, team):
    saturday = MON + timedelta(days=5, hours=2)
    with uow() as u:
        assert queue_digests(u, team["ws"], saturday) == []
        people_svc.update_person(
            u, team["ws"], MON, team["priya"].id, ooo_from=MON, ooo_until=MON + timedelta(days=2)
        )
        queued = queue_digests(u, team["ws"], MON + timedelta(hours=1))
    assert team["priya"].id not in {pid for pid, _ in queued}


def test_team_digest_is_posted_to_the_configured_channel_once_a_day(uow, team):
    from bot.notify.dispatcher import Dispatcher
    from bot.notify.ports import RecordingPort
    from bot.notify.team_digest import queue_team_digest

    with uow() as u:
        assert queue_team_digest(u, team["ws"], MON + timedelta(hours=1)) is False  # no channel
        u.workspaces.update_settings(team["ws"], {"digest.channel": "C-TEAM"})
        assert queue_team_digest(u, team["ws"], MON) is False  # before 09:00
        assert queue_team_digest(u, team["ws"], MON + timedelta(hours=1)) is True
        assert queue_team_digest(u, team["ws"], MON + timedelta(hours=3)) is False  # once
        u.commit()
    port = RecordingPort()
    Dispatcher(uow, {"*": port}).run_once(MON + timedelta(hours=1))
    posted = [s for s in port.sent if s.platform_identity == "C-TEAM"]
    assert len(posted) == 1
    assert "Team standup" in posted[0].message.text and "Priya:" in posted[0].message.text
