"""Changes re-evaluate at once and report what they caused or cleared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import NotFound, VigilError
from bot.evaluation import Cause
from bot.lifecycle import ChangeKind
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from bot.services import violations as violation_svc
from engine.model import WorkCalendar

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def team(uow):
    with uow() as u:
        ws = u.workspaces.create(
            "test:team", "Team", tz="Europe/London", calendar=WorkCalendar(tz="Europe/London")
        )
        marcus = people_svc.add_person(u, ws.id, "Marcus", handle="marcus")
        priya = people_svc.add_person(u, ws.id, "Priya", handle="priya", reports_to_id=marcus.id)
        acme, _ = people_svc.add_project(u, ws.id, NOW, "Acme", manager_id=marcus.id)
        u.commit()
    return {"ws": ws.id, "marcus": marcus.id, "priya": priya.id, "acme": acme.id}


def fired(events, rule):
    return [e for e in events if e.kind is ChangeKind.FIRED and e.rule_id == rule]


def test_first_person_is_admin(uow, team):
    with uow() as u:
        assert u.people.get(team["ws"], team["marcus"]).role.value == "admin"
        assert u.people.get(team["ws"], team["priya"]).role.value == "member"


def test_task_without_owner_is_flagged_in_the_reply(uow, team):
    with uow() as u:
        out = task_svc.create_task(
            u,
            team["ws"],
            NOW,
            team["marcus"],
            "Send the Acme filing",
            project_id=team["acme"],
            due=NOW + timedelta(days=7),
        )
        u.commit()
    assert fired(out.events, "task.missing_owner")
    assert out.task.number == 1 and out.task.creator_id == team["marcus"]


def test_subtask_due_after_parent_is_flagged_when_created(uow, team):
    with uow() as u:
        parent = task_svc.create_task(
            u,
            team["ws"],
            NOW,
            team["marcus"],
            "Year end",
            owner_id=team["priya"],
            due=NOW + timedelta(days=5),
        ).task
        out = task_svc.create_task(
            u,
            team["ws"],
            NOW,
            team["marcus"],
            "Bank reconciliation",
            owner_id=team["priya"],
            parent_id=parent.id,
            due=NOW + timedelta(days=9),
        )
        u.commit()
    assert fired(out.events, "task.child_after_parent")


def test_fix_resolves_and_records_who_and_how(uow, team):
    with uow() as u:
        task = task_svc.create_task(
            u, team["ws"], NOW, team["marcus"], "Payroll", owner_id=team["priya"]
        ).task
        u.commit()
    with uow() as u:
        out = task_svc.update_task(
            u,
            team["ws"],
            NOW + timedelta(hours=1),
            team["priya"],
            task.id,
            cause=Cause(team["priya"], "Priya", fix="task.due_plus", description="deadline set"),
            due=NOW + timedelta(days=7),
        )
        u.commit()
    resolved = [e for e in out.events if e.kind is ChangeKind.RESOLVED]
    assert [e.rule_id for e in resolved] == ["task.missing_deadline"]
    with uow() as u:
        row = u.violations.get(team["ws"], resolved[0].violation_id)
    assert row.state == "resolved"
    assert row.resolution == "deadline set by Priya"
    assert row.resolved_by_id == team["priya"] and row.resolved_fix == "task.due_plus"


def test_overdue_task_fires_on_tick_and_done_clears_it(uow, team):
    from bot.evaluation import tick

    with uow() as u:
        task = task_svc.create_task(
            u,
            team["ws"],
            NOW,
            team["priya"],
            "VAT return",
            owner_id=team["priya"],
            project_id=team["acme"],
            due=NOW + timedelta(hours=3),
            status="in_progress",
            progress=80,
        ).task
        u.commit()
    with uow() as u:
        assert tick(u, team["ws"], NOW + timedelta(hours=2)) == []
        events = tick(u, team["ws"], NOW + timedelta(hours=3, minutes=1))
        u.commit()
    assert fired(events, "task.overdue")
    with uow() as u:
        out = task_svc.update_task(
            u, team["ws"], NOW + timedelta(hours=4), team["priya"], task.id, status="done"
        )
        u.commit()
    assert [e.rule_id for e in out.events if e.kind is ChangeKind.RESOLVED] == ["task.overdue"]
    assert out.task.progress == 100 and out.task.completed_at is not None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"progress": 140}, "between 0% and 100%"),
        ({"progress": "lots"}, "number from 0 to 100"),
        ({"status": "finished"}, "Unknown status"),
        ({"priority": 9}, "p1"),
        ({"depends_on": [999999]}, "not in this workspace"),
        ({"owner_id": 999999}, "not in this workspace"),
        ({"title": "  "}, "needs a title"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(uow, team, changes, message):
    with uow() as u:
        task = task_svc.create_task(
            u,
            team["ws"],
            NOW,
            team["priya"],
            "Payroll",
            owner_id=team["priya"],
            due=NOW + timedelta(days=3),
        ).task
        u.commit()
    with uow() as u, pytest.raises(VigilError, match=message):
        task_svc.update_task(u, team["ws"], NOW, team["priya"], task.id, **changes)
    with uow() as u:
        assert u.tasks.get(team["ws"], task.id) == task
        assert len(u.activity.for_task(team["ws"], task.id)) == 1  # only "created"


def test_a_task_cannot_become_its_own_ancestor(uow, team):
    with uow() as u:
        a = task_svc.create_task(u, team["ws"], NOW, team["priya"], "A").task
        b = task_svc.create_task(u, team["ws"], NOW, team["priya"], "B", parent_id=a.id).task
        with pytest.raises(VigilError, match="cannot be its parent"):
            task_svc.update_task(u, team["ws"], NOW, team["priya"], a.id, parent_id=b.id)


def test_other_workspace_rows_are_invisible(uow, team):
    with uow() as u:
        other = u.workspaces.create("test:other", "Other")
        stranger = people_svc.add_person(u, other.id, "Stranger")
        task = task_svc.create_task(u, team["ws"], NOW, team["priya"], "Payroll").task
        with pytest.raises(NotFound):
            task_svc.update_task(u, team["ws"], NOW, team["priya"], task.id, owner_id=stranger.id)
        with pytest.raises(NotFound):
            task_svc.update_task(u, other.id, NOW, stranger.id, task.id, progress=10)


def test_progress_by_a_person_counts_as_activity_but_vigil_changes_do_not(uow, team):
    with uow() as u:
        task = task_svc.create_task(u, team["ws"], NOW, team["priya"], "Payroll").task
        later = NOW + timedelta(hours=5)
        by_vigil = task_svc.update_task(u, team["ws"], later, None, task.id, priority=1).task
        assert by_vigil.last_activity_at == NOW
        by_person = task_svc.update_task(
            u, team["ws"], later, team["priya"], task.id, progress=30
        ).task
        assert by_person.last_progress_at == later and by_person.status.value == "in_progress"
        kinds = [a.kind for a in u.activity.for_task(team["ws"], task.id)]
        assert kinds == ["created", "priority", "progress", "status"]


def test_ack_and_snooze_never_clear_a_violation(uow, team):
    with uow() as u:
        out = task_svc.create_task(
            u, team["ws"], NOW, team["marcus"], "Orphan", due=NOW + timedelta(days=20)
        )
        vid = fired(out.events, "task.missing_owner")[0].violation_id
        acked = violation_svc.acknowledge(u, team["ws"], vid, team["marcus"], NOW)
        snoozed = violation_svc.snooze(u, team["ws"], vid, NOW + timedelta(days=1), NOW)
        u.commit()
    assert acked.state == "firing" and acked.acked_by_id == team["marcus"]
    assert snoozed.state == "firing" and snoozed.snoozed_until == NOW + timedelta(days=1)
    with uow() as u, pytest.raises(VigilError, match="future"):
        violation_svc.snooze(u, team["ws"], vid, NOW - timedelta(hours=1), NOW)
