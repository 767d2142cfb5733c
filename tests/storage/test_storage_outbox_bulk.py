"""The outbox's bulk paths: what ``queue_many`` writes is what ``queue`` row by row would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from engine.model import Severity, SubjectKind, Violation
from storage.repositories import outbox
from storage.repositories.outbox import Queued
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def _rows(priya: int, now: datetime, keys: list[str]) -> list[Queued]:
    return [Queued(priya, "slack", "alert", {"n": i}, key, now) for i, key in enumerate(keys)]


@pytest.mark.parametrize(
    ("stored", "keys", "written"),
    [
        ([], [], []),
        ([], ["a", "b"], [True, True]),
        (["a"], ["a", "b"], [False, True]),
        ([], ["a", "a", "b", "a"], [True, False, True, False]),  # a repeat: its first row only
        (["b"], ["a", "b", "b"], [True, False, False]),
    ],
)
def test_queue_many_writes_as_queue_would_row_by_row(
    uow: U, ws: int, now: datetime, stored: list[str], keys: list[str], written: list[bool]
) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        for key in stored:
            assert u.outbox.queue(ws, priya, "slack", "alert", {"old": True}, key, now)
        u.commit()
    with uow() as u:
        assert u.outbox.queue_many(ws, _rows(priya, now, keys)) == written
        u.commit()
    with uow() as u:
        rows = {n.dedup_key: n for n in u.outbox.list(ws)}
    assert set(rows) == set(stored) | set(keys)
    for key in set(keys) - set(stored):
        assert rows[key].payload == {"n": keys.index(key)}  # the first row with the key
        assert rows[key].status == "pending" and rows[key].next_attempt_at == now
    for key in stored:
        assert rows[key].payload == {"old": True}


def test_queue_many_chunks_and_keeps_every_column(
    uow: U, ws: int, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "CHUNK", 3)  # 7 rows: chunks of 3, 3 and 1
    later = now + timedelta(hours=2)
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        v = u.violations.insert(
            ws, Violation("task.overdue", SubjectKind.TASK, 1, Severity.CRITICAL, "late"), now
        )
        rows = [Queued(priya, "telegram", "resolved", {"i": i}, f"k{i}", now, later, v.id)
                for i in range(7)]
        assert u.outbox.queue_many(ws, rows) == [True] * 7
        u.commit()
    with uow() as u:
        found = u.outbox.by_dedup_keys(ws, [f"k{i}" for i in range(9)])
    assert sorted(found) == [f"k{i}" for i in range(7)]
    for i in range(7):
        n = found[f"k{i}"]
        assert (n.recipient_id, n.platform, n.kind, n.payload) == (
            priya, "telegram", "resolved", {"i": i})
        assert (n.created_at, n.next_attempt_at, n.violation_id, n.attempts) == (
            now, later, v.id, 0)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "shout"},
        {"at": datetime(2026, 3, 10, 12, 0)},  # naive
        {"next_attempt_at": datetime(2026, 3, 10, 12, 0)},
    ],
)
def test_queue_many_refuses_bad_rows_and_writes_none(
    uow: U, ws: int, now: datetime, bad: dict[str, object]
) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        good = Queued(priya, "slack", "alert", {}, "good", now)
        fields = {**good.__dict__, "dedup_key": "bad", **bad}
        with pytest.raises(ValueError):
            u.outbox.queue_many(ws, [good, Queued(**fields)])  # type: ignore[arg-type]
        assert u.outbox.list(ws) == []


def test_for_violations_and_cancel_pending_many(uow: U, ws: int, now: datetime) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        ids = [
            u.violations.insert(
                ws, Violation("task.overdue", SubjectKind.TASK, t, Severity.WARNING, "late"), now
            ).id
            for t in (1, 2, 3)
        ]
        a, b, c = ids
        u.outbox.queue_many(ws, [
            Queued(priya, "slack", "alert", {}, "a1", now, violation_id=a),
            Queued(priya, "telegram", "alert", {}, "a2", now, violation_id=a),
            Queued(priya, "slack", "resolved", {}, "a3", now, violation_id=a),
            Queued(priya, "slack", "alert", {}, "b1", now, violation_id=b),
        ])
        sent = u.outbox.by_dedup_key(ws, "a2")
        assert sent is not None
        u.outbox.mark_sent(sent.id, now, "ts-1")
        alerts = u.outbox.for_violations(ws, ids)
        assert {vid: [n.dedup_key for n in rows] for vid, rows in alerts.items()} == {
            a: ["a1", "a2"], b: ["b1"], c: []}
        assert [n.dedup_key for n in u.outbox.for_violations(ws, [a], "resolved")[a]] == ["a3"]
        skipped = u.outbox.cancel_pending_many(ws, [a, c], now, "resolved before delivery")
        assert skipped == [u.outbox.by_dedup_key(ws, "a1").id]  # type: ignore[union-attr]
        assert u.outbox.cancel_pending_many(ws, [], now, "x") == []
        rows = {n.dedup_key: n for n in u.outbox.list(ws)}
    assert rows["a1"].status == "sent"
    assert rows["a1"].last_error == "skipped: resolved before delivery"
    assert rows["a2"].platform_ref == "ts-1" and rows["a2"].last_error is None
    assert rows["a3"].status == "pending" and rows["b1"].status == "pending"


def test_replace_pending_payloads_leaves_rows_no_longer_pending(
    uow: U, ws: int, now: datetime
) -> None:
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        u.outbox.queue_many(ws, _rows(priya, now, ["a", "b", "c"]))
        u.commit()
    with uow() as u:
        rows = u.outbox.by_dedup_keys(ws, ["a", "b", "c", "nope"], lock=True)
        assert sorted(rows) == ["a", "b", "c"]
        u.outbox.mark_sent(rows["b"].id, now, "ts-1")
        u.outbox.replace_pending_payloads(ws, {r.id: {"new": k} for k, r in rows.items()})
        u.outbox.replace_pending_payloads(ws, {})
        u.commit()
    with uow() as u:
        payloads = {n.dedup_key: n.payload for n in u.outbox.list(ws)}
    assert payloads == {"a": {"new": "a"}, "b": {"n": 1}, "c": {"new": "c"}}
