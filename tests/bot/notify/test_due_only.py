"""The scheduled jobs read only what is due: the ladder's stored next climb, the
digest's stored next morning, both in small committed batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.jobs import digest_all, escalate_all
from bot.notify import digest as digest_mod
from bot.notify import escalation
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from bot.services import violations as violation_svc
from tests.bot.notify.conftest import Team

FRI = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)  # Friday 15:00 London
MON_9 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def fire(team: Team, at: datetime, title: str = "Q3 filing", **fields) -> int:
    fields.setdefault("owner_id", team.priya)
    fields.setdefault("project_id", team.acme)
    with team.uow() as u:
        out = task_svc.create_task(u, team.ws, at, team.pam, title, **fields)
        u.commit()
    return next(e.violation_id for e in out.events if e.rule_id == "task.missing_deadline")


def stored(team: Team, vid: int):
    with team.uow() as u:
        return u.violations.get(team.ws, vid)


def test_a_new_violation_stores_the_instant_it_first_climbs(team: Team):
    vid = fire(team, FRI)
    # one working day after Friday 15:00 is Monday 15:00 (the weekend does not count)
    assert stored(team, vid).next_escalation_at == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    with team.uow() as u:  # before it: the ladder reads nothing
        assert u.violations.escalation_due(team.ws, MON_9, 100) == []


def test_after_a_climb_the_next_instant_is_one_step_later(team: Team):
    vid = fire(team, FRI)
    monday = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    escalate_all(team.uow, FixedClock(monday))
    row = stored(team, vid)
    assert row.level == 1 and row.next_escalation_at == monday + timedelta(days=1)


def test_acknowledged_and_resolved_rows_leave_the_ladder(team: Team):
    acked, resolved = fire(team, FRI), fire(team, FRI, "Other")
    with team.uow() as u:
        violation_svc.acknowledge(u, team.ws, acked, team.priya, FRI + timedelta(hours=1))
        task = u.tasks.list(team.ws)[-1]
        task_svc.update_task(u, team.ws, FRI, team.pam, task.id, due=FRI + timedelta(days=30))
        u.commit()
    assert stored(team, resolved).state == "resolved"
    assert stored(team, resolved).next_escalation_at is None
    assert escalate_all(team.uow, FixedClock(FRI + timedelta(days=10))) == {team.ws: []}
    assert stored(team, acked).next_escalation_at is None  # looked at once, then never again


def test_an_outage_climbs_one_level_per_pass(team: Team):
    vid = fire(team, FRI)
    late = FRI + timedelta(days=10)  # every level is long overdue
    escalate_all(team.uow, FixedClock(late))
    assert stored(team, vid).level == 1
    escalate_all(team.uow, FixedClock(late + timedelta(minutes=1)))
    assert stored(team, vid).level == 2


def test_more_due_rows_than_a_batch_all_climb_in_one_pass(team: Team, monkeypatch):
    monkeypatch.setattr("bot.jobs.ESCALATION_BATCH", 2)
    ids = [fire(team, FRI, f"Task {i}") for i in range(5)]
    notices = escalate_all(team.uow, FixedClock(datetime(2026, 3, 9, 15, 0, tzinfo=UTC)))
    assert {n.violation_id for n in notices[team.ws]} == set(ids)
    assert {stored(team, v).level for v in ids} == {1}


def test_rows_from_before_the_upgrade_are_looked_at_once(team: Team):
    vid = fire(team, FRI)
    with team.uow() as u:  # what the migration leaves: "look at it now"
        u.violations.set_next_escalation(team.ws, {vid: FRI})
        u.commit()
    with team.uow() as u:
        notices, looked = escalation.escalate_batch(u, team.ws, FRI + timedelta(hours=1), 10)
        u.commit()
    assert (notices, looked) == ([], 1)
    assert stored(team, vid).next_escalation_at == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


# -- digests -----------------------------------------------------------------------------


def digests(team: Team) -> list:
    return team.rows(kind="digest")


def test_next_digest_is_this_morning_until_it_is_out_then_the_next_working_morning():
    from engine.model import WorkCalendar

    cal = WorkCalendar(tz="Europe/London")
    at = digest_mod.DIGEST_TIME
    friday_8 = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    friday_9 = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    assert digest_mod.next_digest_at(cal, friday_8, at, sent_today=False) == friday_9
    assert digest_mod.next_digest_at(cal, friday_9, at, sent_today=True) == MON_9
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    assert digest_mod.next_digest_at(cal, saturday, at, sent_today=False) == MON_9


def test_a_morning_builds_each_digest_once(team: Team, monkeypatch):
    built = []
    real = digest_mod.digest
    monkeypatch.setattr(digest_mod, "digest", lambda u, ws, p, *a: built.append(p.id) or real(
        u, ws, p, *a))
    clock = FixedClock(MON_9)
    digest_all(team.uow, clock)
    everyone = {team.ada, team.boss, team.pam, team.priya, team.sam, team.bea}
    assert set(built) == everyone and len(built) == len(everyone)
    for minutes in (1, 30, 120):  # later passes the same morning build nothing
        digest_all(team.uow, FixedClock(MON_9 + timedelta(minutes=minutes)))
    assert len(built) == len(everyone) and len(digests(team)) == len(everyone)
    digest_all(team.uow, FixedClock(MON_9 + timedelta(days=1)))  # Tuesday morning
    assert len(digests(team)) == 2 * len(everyone)


def test_back_from_leave_at_noon_gets_the_digest_at_noon(team: Team):
    noon = MON_9 + timedelta(hours=3)
    with team.uow() as u:
        people_svc.update_person(
            u, team.ws, MON_9, team.priya, ooo_from=MON_9 - timedelta(days=3), ooo_until=noon
        )
        u.commit()
    digest_all(team.uow, FixedClock(MON_9))
    assert team.priya not in {r.recipient_id for r in digests(team)}
    digest_all(team.uow, FixedClock(noon - timedelta(minutes=1)))
    assert team.priya not in {r.recipient_id for r in digests(team)}
    digest_all(team.uow, FixedClock(noon))
    assert team.priya in {r.recipient_id for r in digests(team)}


def test_a_big_morning_goes_out_in_committed_batches(team: Team, monkeypatch):
    monkeypatch.setattr("bot.jobs.DIGEST_BATCH", 2)
    commits = []
    real = team.uow

    def counting():
        uow = real()
        inner = uow.commit
        uow.commit = lambda: (commits.append(1), inner())[1]  # type: ignore[method-assign]
        return uow

    digest_all(counting, FixedClock(MON_9))
    assert len(digests(team)) == 6
    assert len(commits) >= 3  # 6 people, 2 per batch (+ the team digest's transaction)


def test_a_pass_stops_after_its_budget_and_the_next_carries_on(team: Team, monkeypatch):
    monkeypatch.setattr("bot.jobs.DIGEST_BATCH", 2)
    digest_all(team.uow, FixedClock(MON_9), budget_seconds=0.0)
    assert len(digests(team)) == 0  # no time at all: nothing started, nothing half-done
    digest_all(team.uow, FixedClock(MON_9 + timedelta(minutes=1)))
    assert len(digests(team)) == 6


@pytest.mark.parametrize("reports", [True, False])
def test_is_manager_looks_up_reports_without_listing_everyone(team: Team, reports: bool):
    with team.uow() as u:
        person = u.people.get(team.ws, team.boss if reports else team.sam)
        assert digest_mod.is_manager(u, team.ws, person) is reports


# -- only the workspaces with something due; batches bounded in seconds ------------------


def _other_workspace(team: Team, key: str = "slack:T2", **settings) -> int:
    with team.uow() as u:
        ws = u.workspaces.create(key, "Other", settings=settings, created_at=FRI)
        people_svc.add_person(u, ws.id, "Olga", handle="olga")
        u.commit()
    return ws.id


def test_the_ladder_visits_only_workspaces_with_a_climb_due(team: Team):
    fire(team, FRI)
    other = _other_workspace(team)
    monday = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    with team.uow() as u:
        assert u.workspaces.escalation_due(monday - timedelta(minutes=1)) == set()
        assert u.workspaces.escalation_due(monday) == {team.ws}
    assert set(escalate_all(team.uow, FixedClock(monday))) == {team.ws}  # not `other`
    assert other not in escalate_all(team.uow, FixedClock(monday + timedelta(days=1)))


@pytest.mark.parametrize(
    ("channel", "at", "expected"),
    [
        ("", MON_9 - timedelta(days=3), "both"),  # never worked out: due
        ("", MON_9 + timedelta(hours=20), "none"),  # everyone's next digest: Tuesday 09:00
        ("#standup", MON_9 + timedelta(hours=20), "other"),  # a team channel: always looked at
    ],
)
def test_the_digest_job_visits_only_workspaces_with_a_digest_due(
    team: Team, channel: str, at: datetime, expected: str
):
    settings = {"digest.channel": channel} if channel else {}
    other = _other_workspace(team, **settings)
    if expected != "both":
        digest_all(team.uow, FixedClock(MON_9))  # every person's next digest: Tuesday 09:00
    with team.uow() as u:
        due = u.workspaces.digest_due(at)
    assert due == {"both": {team.ws, other}, "none": set(), "other": {other}}[expected]


def test_a_digest_batch_cut_short_decides_one_and_leaves_the_rest_due(team: Team):
    with team.uow() as u:
        queued, more = digest_mod.queue_digest_batch(u, team.ws, MON_9, 10, stop_at=0.0)
        u.commit()
    assert (len(queued), more) == (1, True)  # at least one person per batch: progress
    with team.uow() as u:
        assert len(u.people.digest_due(team.ws, MON_9, 10)) == 5
        queued, more = digest_mod.queue_digest_batch(u, team.ws, MON_9, 10)
        u.commit()
    assert (len(queued), more) == (5, False)
    assert len(digests(team)) == 6
