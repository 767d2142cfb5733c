"""From a violation change to a delivered (or edited) message, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.evaluation import Cause
from bot.notify.dispatcher import Dispatcher
from bot.notify.escalation import escalate
from bot.notify.notifier import notify_events
from bot.notify.ports import PermanentError, RecordingPort
from bot.notify.render import SHOW_ALL_ACTION
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from bot.services import violations as violation_svc
from tests.bot.notify.conftest import MON, Team


def add(team: Team, at: datetime, title: str = "Q3 filing", **fields):
    fields.setdefault("owner_id", team.priya)
    fields.setdefault("project_id", team.acme)
    with team.uow() as u:
        out = task_svc.create_task(u, team.ws, at, team.pam, title, **fields)
        u.commit()
    return out


def violation_id(out, rule: str) -> int:
    return next(e.violation_id for e in out.events if e.rule_id == rule)


# -- writing ------------------------------------------------------------------------------


def test_alert_rows_commit_with_the_violation_and_only_with_it(team: Team):
    with team.uow() as u:
        task_svc.create_task(u, team.ws, MON, team.pam, "Never kept", owner_id=team.priya)
        assert [r.kind for r in u.outbox.list(team.ws)] == ["alert"]
        # no commit: the rollback takes the violation and its notice away together
    assert team.rows() == []
    out = add(team, MON)
    [row] = team.rows()
    assert row.recipient_id == team.priya and row.platform == "slack"
    assert row.violation_id == violation_id(out, "task.missing_deadline")
    assert row.dedup_key == f"alert:{row.violation_id}:0:warning:{team.priya}:slack"
    assert row.next_attempt_at == MON  # Monday 10:00 is working time in London


def test_the_same_notice_cannot_be_queued_twice(team: Team):
    out = add(team, MON)
    with team.uow() as u:
        assert notify_events(u, team.ws, MON, out.events) == []  # dedup key already there
        assert notify_events(u, team.ws, MON + timedelta(hours=1), out.events) == []
        u.commit()
    assert len(team.rows()) == 1
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)
    dispatcher.run_once(MON + timedelta(hours=2))
    assert len(port.sent) == 1


def test_severity_up_notifies_severity_down_does_not(team: Team):
    out = add(team, MON, due=MON + timedelta(days=2))  # 0% done, nothing yet
    assert not team.rows()
    with team.uow() as u:  # overdue: critical -> owner and project manager
        task_svc.update_task(u, team.ws, MON, team.pam, out.task.id, due=MON - timedelta(hours=1))
        u.commit()
    assert {r.recipient_id for r in team.rows(kind="alert")} == {team.priya, team.pam}


# -- quiet hours ------------------------------------------------------------------------------


def test_quiet_hours_hold_until_nine_in_the_recipients_zone(team: Team):
    with team.uow() as u:
        u.people.update(team.ws, team.priya, tz="America/New_York")
        u.commit()
    add(team, MON)  # 10:00 London = 05:00 in New York
    [row] = team.rows()
    assert row.next_attempt_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # 09:00 EST
    dispatcher, port = team.dispatcher()
    assert dispatcher.run_once(MON).claimed == 0
    assert dispatcher.run_once(datetime(2026, 3, 2, 13, 59, tzinfo=UTC)).claimed == 0
    dispatcher.run_once(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    assert [s.recipient.person_id for s in port.sent] == [team.priya]


def test_quiet_hours_across_a_weekend_and_a_dst_change(team: Team):
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # clocks go forward on Sunday 29th
    add(team, saturday)
    [row] = team.rows()
    assert row.next_attempt_at == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Mon 09:00 BST


def test_own_working_hours_are_respected(team: Team):
    from datetime import time

    with team.uow() as u:
        u.people.update(team.ws, team.priya, work_start=time(11, 0), work_end=time(19, 0))
        u.commit()
    add(team, MON)
    assert team.rows()[0].next_attempt_at == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def test_critical_can_go_through_at_any_hour_when_the_workspace_allows(team: Team):
    night = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    add(team, night, "Held", due=night - timedelta(hours=1))
    held = {r.recipient_id: r.next_attempt_at for r in team.rows() if r.payload["severity"]
            == "critical"}
    assert set(held.values()) == {datetime(2026, 3, 3, 9, 0, tzinfo=UTC)}
    with team.uow() as u:
        u.workspaces.update_settings(team.ws, {"notify.critical_any_hour": True})
        u.commit()
    out = add(team, night, "Urgent", due=night - timedelta(hours=1))
    vid = violation_id(out, "task.overdue")
    assert {r.next_attempt_at for r in team.rows(violation_id=vid)} == {night}


def test_snoozed_alert_waits_for_the_snooze_to_end(team: Team):
    evening = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    out = add(team, evening)
    vid = violation_id(out, "task.missing_deadline")
    with team.uow() as u:
        violation_svc.snooze(u, team.ws, vid, datetime(2026, 3, 4, 11, 0, tzinfo=UTC), evening)
        u.commit()
    dispatcher, port = team.dispatcher()
    tuesday = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    result = dispatcher.run_once(tuesday)
    assert result.deferred and not port.sent
    assert team.rows()[0].next_attempt_at == datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    dispatcher.run_once(datetime(2026, 3, 4, 11, 0, tzinfo=UTC))
    assert len(port.sent) == 1


# -- out of office ------------------------------------------------------------------------------


def test_out_of_office_goes_to_the_backup(team: Team):
    with team.uow() as u:
        people_svc.update_person(u, team.ws, MON, team.priya, ooo_from=MON,
                                 ooo_until=MON + timedelta(days=5), backup_id=team.bea)
        u.commit()
    add(team, MON)
    [row] = [r for r in team.rows() if r.payload["rule"] == "task.missing_deadline"]
    assert row.recipient_id == team.bea and row.payload["instead_of"] == "Priya"
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)
    assert "for Priya, who is out of office" in port.to(team.bea)[0].message.text


# -- grouping -------------------------------------------------------------------------------------


def test_one_message_per_person_per_tick_top_five_and_show_all(team: Team):
    with team.uow() as u:  # one transaction, like one tick
        for n in range(7):
            task_svc.create_task(u, team.ws, MON, team.pam, f"Job {n}", owner_id=team.priya)
        task_svc.create_task(u, team.ws, MON, team.pam, "Sam's job", owner_id=team.sam)
        u.commit()
    dispatcher, port = team.dispatcher()
    result = dispatcher.run_once(MON)
    assert len(result.sent) == 2 and len(port.sent) == 2
    [to_priya] = port.to(team.priya)
    text = to_priya.message.text
    assert text.startswith("7 problems need your attention")
    assert sum("no deadline" in s.text or "missing deadline" in s.text
               for s in to_priya.message.sections) == 5
    show_all = to_priya.message.sections[-1].buttons
    assert [b.action for b in show_all] == [SHOW_ALL_ACTION] and "7" in show_all[0].label
    assert len({r.platform_ref for r in team.rows(recipient_id=team.priya)}) == 1
    [to_sam] = port.to(team.sam)
    assert len(to_sam.message.sections) == 1
    labels = [b.label for b in to_sam.message.buttons]
    assert "Acknowledge" in labels and len(labels) >= 3  # the rule's fixes + ack + snooze


# -- resolution edits the original message -------------------------------------------------------


def test_resolution_edits_the_original_alert_on_every_platform(team: Team):
    with team.uow() as u:
        u.people.add_identity(team.ws, team.priya, "slack", "U1")
        u.people.add_identity(team.ws, team.priya, "telegram", "42")
        u.commit()
    out = add(team, MON)
    slack, telegram = RecordingPort("slack"), RecordingPort("tg")
    dispatcher = Dispatcher(team.uow, {"slack": slack, "telegram": telegram})
    dispatcher.run_once(MON)
    assert [s.platform_identity for s in slack.sent] == ["U1"]
    assert [s.platform_identity for s in telegram.sent] == ["42"]
    later = MON + timedelta(hours=1)
    cause = Cause(team.priya, "Priya", fix="task.due_plus",
                  description="deadline moved to Fri 6 Mar 17:00")
    with team.uow() as u:
        task_svc.update_task(u, team.ws, later, team.priya, out.task.id, cause=cause,
                             due=datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
        u.commit()
    result = dispatcher.run_once(later)
    assert len(result.edited) == 2
    assert [e.ref for e in slack.edits] == [slack.sent[0].ref]
    assert [e.ref for e in telegram.edits] == [telegram.sent[0].ref]
    edited = slack.edits[0].message
    assert edited.edit_ref == slack.sent[0].ref
    assert edited.text.startswith("✅ Resolved by Priya — deadline moved to Fri 6 Mar 17:00")
    assert edited.buttons == ()


def test_resolving_one_item_of_a_group_keeps_the_others(team: Team):
    with team.uow() as u:
        first = task_svc.create_task(u, team.ws, MON, team.pam, "One", owner_id=team.priya)
        task_svc.create_task(u, team.ws, MON, team.pam, "Two", owner_id=team.priya)
        u.commit()
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(MON)
    with team.uow() as u:
        task_svc.update_task(u, team.ws, MON, team.priya, first.task.id,
                             cause=Cause(team.priya, "Priya"), due=MON + timedelta(days=3))
        u.commit()
    dispatcher.run_once(MON)
    [edit] = port.edits
    assert edit.ref == port.sent[0].ref
    lines = [s.text for s in edit.message.sections]
    assert any(line.startswith("✅ Resolved by Priya · #1 One") for line in lines)
    assert any("#2 Two" in line and not line.startswith("✅") for line in lines)


def test_alert_resolved_before_delivery_is_never_sent(team: Team):
    evening = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    out = add(team, evening)
    with team.uow() as u:
        task_svc.update_task(u, team.ws, evening, team.priya, out.task.id,
                             due=evening + timedelta(days=3))
        u.commit()
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert port.sent == [] and port.edits == []
    [row] = team.rows()
    assert row.status == "sent" and row.platform_ref is None
    assert row.last_error.startswith("skipped:")


# -- retries and failures --------------------------------------------------------------------------


def test_transient_errors_back_off_exponentially_and_honour_retry_after(team: Team):
    from bot.notify.ports import TransientError

    add(team, MON)
    port = RecordingPort(failures=[TransientError("429", retry_after=120), TransientError("502")])
    dispatcher, _ = team.dispatcher(port, base_backoff=timedelta(seconds=30))
    assert len(dispatcher.run_once(MON).retried) == 1
    [row] = team.rows()
    assert row.status == "pending" and row.attempts == 1 and "429" in row.last_error
    assert row.next_attempt_at == MON + timedelta(seconds=120)  # Retry-After beats 30 s
    assert dispatcher.run_once(MON + timedelta(seconds=119)).claimed == 0
    dispatcher.run_once(MON + timedelta(seconds=120))
    [row] = team.rows()
    assert row.attempts == 2 and row.next_attempt_at == MON + timedelta(seconds=180)  # 2 x 30 s
    result = dispatcher.run_once(MON + timedelta(seconds=180))
    assert len(result.sent) == 1
    [row] = team.rows()
    assert row.status == "sent" and row.attempts == 3 and row.platform_ref == port.sent[0].ref


def test_backoff_is_capped():
    d = Dispatcher(lambda: None, {}, base_backoff=timedelta(seconds=30),  # type: ignore[arg-type]
                   max_backoff=timedelta(minutes=10))
    assert [d.backoff(n, None).total_seconds() for n in (1, 2, 3, 4, 10)] == [
        30, 60, 120, 240, 600]
    assert d.backoff(1, 900).total_seconds() == 900


def test_permanent_failure_is_marked_failed_and_never_retried(team: Team):
    from bot.notify.ports import PermanentError

    add(team, MON)
    port = RecordingPort(failures=[PermanentError("user not found")])
    dispatcher, _ = team.dispatcher(port)
    assert len(dispatcher.run_once(MON).failed) == 1
    [row] = team.rows()
    assert row.status == "failed" and "user not found" in row.last_error
    assert dispatcher.run_once(MON + timedelta(days=1)).claimed == 0


def test_giving_up_after_max_attempts(team: Team):
    add(team, MON)
    port = RecordingPort(failures=[RuntimeError("socket closed"), RuntimeError("again")])
    dispatcher, _ = team.dispatcher(port, max_attempts=2)
    dispatcher.run_once(MON)
    dispatcher.run_once(MON + timedelta(hours=1))
    [row] = team.rows()
    assert row.status == "failed" and row.last_error.startswith("gave up after 2 attempts")


def test_crash_between_send_and_commit_resends_after_the_lease(team: Team):
    """At-least-once: a dispatcher that claimed (and maybe sent) then died is retried."""
    add(team, MON)
    with team.uow() as u:  # a dispatcher claims ... and the process dies
        assert len(u.outbox.claim_due(MON, timedelta(minutes=5))) == 1
        u.commit()
    dispatcher, port = team.dispatcher(lease=timedelta(minutes=5))
    assert dispatcher.run_once(MON + timedelta(minutes=1)).claimed == 0  # still leased
    dispatcher.run_once(MON + timedelta(minutes=5))
    assert len(port.sent) == 1 and team.rows()[0].status == "sent"


def test_rows_for_platforms_without_a_port_stay_pending(team: Team):
    add(team, MON)
    dispatcher = Dispatcher(team.uow, {"telegram": RecordingPort()})
    assert dispatcher.run_once(MON).claimed == 0
    assert team.rows()[0].status == "pending"


# -- escalation ladder ---------------------------------------------------------------------------


FRI = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


def climb(team: Team, at: datetime):
    with team.uow() as u:
        notices = escalate(u, team.ws, at)
        u.commit()
    return notices


def test_ladder_climbs_in_working_time_and_pauses_at_the_weekend(team: Team):
    out = add(team, FRI)
    vid = violation_id(out, "task.missing_deadline")
    for at in (FRI + timedelta(days=1), FRI + timedelta(days=2), FRI + timedelta(days=3) -
               timedelta(minutes=1)):
        assert climb(team, at) == []  # Sat, Sun, Mon 14:59: not a working day yet
    monday = FRI + timedelta(days=3)
    level1 = climb(team, monday)
    assert {(n.recipient_id, n.level) for n in level1} == {(team.pam, 1), (team.boss, 1)}
    assert climb(team, monday) == []  # no double escalation
    tuesday = monday + timedelta(days=1)
    assert [(n.recipient_id, n.level) for n in climb(team, tuesday)] == [(team.ada, 2)]
    assert climb(team, tuesday + timedelta(days=5)) == []  # nobody further up
    with team.uow() as u:
        assert u.violations.get(team.ws, vid).level == 2
    rows = team.rows(recipient_id=team.ada)
    assert rows[0].payload["escalated"] is True and rows[0].payload["level"] == 2
    dispatcher, port = team.dispatcher()
    dispatcher.run_once(tuesday)
    # fired Friday, level 2 on Tuesday: the real time since it fired, not a ladder step
    assert "Escalated (level 2): no action from Priya for 4 days." in port.to(
        team.ada)[0].message.text


def test_acknowledge_stops_the_ladder(team: Team):
    out = add(team, FRI)
    vid = violation_id(out, "task.missing_deadline")
    with team.uow() as u:
        violation_svc.acknowledge(u, team.ws, vid, team.priya, FRI + timedelta(hours=1))
        u.commit()
    assert climb(team, FRI + timedelta(days=10)) == []


def test_ladder_follows_the_escalate_after_setting(team: Team):
    with team.uow() as u:
        u.workspaces.update_settings(team.ws, {"escalate.after": "4h"})
        u.commit()
    add(team, FRI)  # 2 working hours left on Friday, 2 more on Monday from 09:00
    assert climb(team, datetime(2026, 3, 9, 10, 59, tzinfo=UTC)) == []
    assert climb(team, datetime(2026, 3, 9, 11, 0, tzinfo=UTC))


def test_jobs_and_status_report(team: Team, engine):
    from bot.jobs import dispatch_due, escalate_all, tick_all
    from bot.notify.status import status_report

    add(team, FRI)
    add(team, FRI, "Broken", owner_id=team.sam)
    clock = FixedClock(FRI)
    tick_all(team.uow, clock)
    port = RecordingPort(failures=[None, PermanentError("gone")])
    dispatcher, _ = team.dispatcher(port)
    result = dispatch_due(dispatcher, clock)
    assert len(result.sent) == 1 and len(result.failed) == 1
    clock.advance(timedelta(days=3))
    assert sum(len(v) for v in escalate_all(team.uow, clock).values()) > 0
    report = status_report(engine)
    assert report["counts"]["sent"] == 1 and report["counts"]["failed"] == 1
    assert report["counts"]["pending"] >= 2
    assert report["failed"][0]["last_error"].endswith("gone")
    assert {r["to"] for r in report["recent"]} <= {"Priya", "Sam"}
    assert all(r["level"] == 1 for r in report["pending"])


@pytest.mark.parametrize(("budget", "first_run"), [(0.0, 1), (60.0, 3)])
def test_the_dispatch_job_starts_no_pass_after_its_budget(team: Team, budget: float,
                                                          first_run: int):
    from bot.jobs import dispatch_due, tick_all

    for owner in (team.priya, team.sam, team.pam):  # one alert each
        add(team, FRI, f"Work of {owner}", owner_id=owner)
    clock = FixedClock(FRI)
    tick_all(team.uow, clock)
    dispatcher, port = team.dispatcher(batch=1)  # one notice per pass
    result = dispatch_due(dispatcher, clock, budget_seconds=budget)
    assert len(result.sent) == first_run  # no time left: one pass, never none
    dispatch_due(dispatcher, clock)  # the next run carries on
    assert {r.status for r in team.rows()} == {"sent"}
