"""Violations lifecycle and the partial unique index on firing fingerprints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from engine.model import Fix, Severity, SubjectKind, Violation
from storage import models as m
from storage.errors import Duplicate, InvalidReference, NotFound
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def _violation(subject: int, rule: str = "task.overdue", kind: str = "task") -> Violation:
    return Violation(
        rule_id=rule,
        subject_kind=SubjectKind(kind),
        subject_id=subject,
        severity=Severity.CRITICAL,
        explanation="40% done and 2 days past its deadline",
        fixes=(Fix("task.done", "Mark done", {"task": subject}), Fix("task.extend", "Extend…")),
    )


def test_insert_and_read_back(uow: U, ws: int, now: datetime) -> None:
    v = _violation(7)
    with uow() as u:
        rec = u.violations.insert(ws, v, now)
        u.commit()
    with uow() as u:
        assert u.violations.get(ws, rec.id) == rec
        assert u.violations.by_fingerprint(ws, v.fingerprint) == rec
    assert rec.state == "firing" and rec.is_firing and rec.fired_at == now and rec.level == 0
    assert rec.fixes == [
        {"action": "task.done", "label": "Mark done", "args": {"task": 7}},
        {"action": "task.extend", "label": "Extend…", "args": {}},
    ]
    assert rec.to_violation() == v


def test_second_firing_row_is_refused_until_resolved(uow: U, ws: int, now: datetime) -> None:
    v = _violation(7)
    with uow() as u:
        first = u.violations.insert(ws, v, now)
        with pytest.raises(Duplicate):
            u.violations.insert(ws, v, now + timedelta(hours=1))
        # The database itself refuses it too, not just the repository.
        with pytest.raises(IntegrityError), u.session.begin_nested():
            u.session.execute(
                insert(m.violations).values(
                    workspace_id=ws,
                    fingerprint=v.fingerprint,
                    rule_id=v.rule_id,
                    subject_kind="task",
                    subject_id=7,
                    severity="critical",
                    explanation="x",
                    fixes=[],
                    state="firing",
                    fired_at=now,
                )
            )
        resolved = u.violations.resolve(ws, first.id, now + timedelta(hours=2), "changed elsewhere")
        assert resolved.state == "resolved" and resolved.resolution == "changed elsewhere"
        assert u.violations.by_fingerprint(ws, v.fingerprint) is None
        again = u.violations.insert(ws, v, now + timedelta(days=1))
        u.violations.resolve(ws, again.id, now + timedelta(days=2), "fixed")
        third = u.violations.insert(ws, v, now + timedelta(days=3))
        u.commit()
    with uow() as u:
        history = u.violations.history(ws, rule_id="task.overdue")
        assert [h.id for h in history] == [first.id, again.id, third.id]
        assert [h.state for h in history] == ["resolved", "resolved", "firing"]
        assert [h.id for h in u.violations.history(ws, since=now + timedelta(days=2))] == [
            again.id,
            third.id,
        ]
        assert u.violations.history(ws, rule_id="task.stalled") == []
        assert u.violations.by_fingerprint(ws, v.fingerprint) == third


def test_same_fingerprint_may_fire_in_two_workspaces(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        other = u.workspaces.create("slack:OTHER", "Other").id
        u.violations.insert(ws, _violation(7), now)
        u.violations.insert(other, _violation(7), now)
        assert len(u.violations.all_firing(ws)) == len(u.violations.all_firing(other)) == 1


def test_lifecycle_updates(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        boss = u.people.add(ws, "Marcus").id
        rec = u.violations.insert(ws, _violation(7), now)
        later = now + timedelta(hours=3)
        acked = u.violations.ack(ws, rec.id, boss, later)
        assert acked.acked_by_id == boss and acked.acked_at == later and acked.is_firing
        snoozed = u.violations.snooze(ws, rec.id, later + timedelta(days=1))
        assert snoozed.snoozed_until == later + timedelta(days=1)
        changed = u.violations.update(
            ws,
            rec.id,
            severity=Severity.WARNING,
            severity_changed_at=later,
            level=1,
            level_changed_at=later,
            fixes=[Fix("task.progress", "Update progress")],
        )
        assert changed.severity == "warning" and changed.level == 1
        assert changed.fixes == [
            {"action": "task.progress", "label": "Update progress", "args": {}}
        ]
        done = u.violations.resolve(ws, rec.id, later, "fixed", by_id=boss, fix="task.extend")
        assert (done.resolved_by_id, done.resolved_fix, done.resolved_at) == (
            boss,
            "task.extend",
            later,
        )
        with pytest.raises(InvalidReference):
            u.violations.ack(ws, rec.id, 999, later)
        with pytest.raises(NotFound):
            u.violations.snooze(ws, 999, later)
        with pytest.raises(TypeError):
            u.violations.update(ws, rec.id, state="resolved")


def test_firing_by_subject(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        t1 = u.violations.insert(ws, _violation(1), now)
        t2 = u.violations.insert(ws, _violation(2, "task.stalled"), now)
        p1 = u.violations.insert(ws, _violation(1, "person.overloaded", "person"), now)
        pr = u.violations.insert(ws, _violation(1, "project.missing_manager", "project"), now)
        u.violations.resolve(ws, t2.id, now, "fixed")
        ids = lambda rows: {r.id for r in rows}  # noqa: E731
        assert ids(u.violations.firing(ws, task_ids=[1, 2])) == {t1.id}
        assert ids(u.violations.firing(ws, person_ids=[1])) == {p1.id}
        assert ids(u.violations.firing(ws, task_ids=[1], project_ids=[1])) == {t1.id, pr.id}
        assert u.violations.firing(ws) == []
        assert ids(u.violations.all_firing(ws)) == {t1.id, p1.id, pr.id}


def test_reliability_reads_only_the_newest_fixed_rows_of_each_rule(
    uow: U, ws: int, now: datetime
) -> None:
    """A year of fixes must not be read on every reply: the newest N per rule, newest first."""
    with uow() as u:
        for i in range(7):
            rec = u.violations.insert(ws, _violation(100 + i), now)
            u.violations.resolve(ws, rec.id, now + timedelta(hours=i), "fixed", fix="task.extend")
        other = u.violations.insert(ws, _violation(200, rule="task.stalled"), now)
        u.violations.resolve(ws, other.id, now, "fixed", fix="task.progress")
        unfixed = u.violations.insert(ws, _violation(300), now)
        u.violations.resolve(ws, unfixed.id, now, "gone")
        u.commit()
    with uow() as u:
        rows = u.violations.fixed(ws, ["task.overdue", "task.stalled"], newest=3)
    overdue = [r for r in rows if r.rule_id == "task.overdue"]
    assert [r.resolved_at for r in overdue] == [now + timedelta(hours=h) for h in (6, 5, 4)]
    assert [r.subject_id for r in rows if r.rule_id == "task.stalled"] == [200]
    assert all(r.resolved_fix and r.fixes == [] for r in rows)
