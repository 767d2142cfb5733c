"""Reliability of a fix: resolved within one working day, out of all it resolved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.notify.reliability import labelled, scores
from engine.model import WorkCalendar
from storage.records import ViolationRecord

CAL = WorkCalendar(tz="Europe/London")
FRI = datetime(2026, 3, 6, 10, tzinfo=UTC)


def row(fired: datetime, resolved: datetime | None, fix: str | None, rule="task.overdue"):
    return ViolationRecord(
        id=1, workspace_id=1, fingerprint="f", rule_id=rule, subject_kind="task", subject_id=1,
        stage=None, severity="critical", explanation="x",
        state="resolved" if resolved else "firing", fired_at=fired, resolved_at=resolved,
        resolved_fix=fix,
    )


def test_within_one_working_day_counts_weekends_out():
    history = [
        row(FRI, FRI + timedelta(days=3), "task.extend"),  # Fri 10:00 -> Mon 10:00: 1 wd
        row(FRI, FRI + timedelta(days=4), "task.extend"),  # Tuesday: too late
        row(FRI, FRI + timedelta(hours=1), "task.done"),
        row(FRI, None, None),  # still firing: not counted
        row(FRI, FRI + timedelta(hours=1), None),  # resolved elsewhere: not a fix
    ]
    assert scores(history, CAL) == {
        ("task.overdue", "task.extend"): (1, 2),
        ("task.overdue", "task.done"): (1, 1),
    }


def test_labels_show_the_score_only_where_there_is_history():
    fixes = [{"action": "task.extend", "label": "Extend…", "args": {"task": 1}},
             {"action": "task.reassign", "label": "Reassign…", "args": {"task": 1}}]
    out = labelled("task.overdue", fixes, {("task.overdue", "task.extend"): (12, 14)})
    assert [f["label"] for f in out] == ["Extend… · 12/14 fixed within a day", "Reassign…"]
    assert out[0]["args"] == {"task": 1}
