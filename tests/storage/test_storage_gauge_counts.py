"""The gauges' counts (storage.operations) agree with counting every row, at every step.

The firing gauge reads a partial index; the outbox gauge reads a partial index
for the rows on their way and ``outbox_tally`` (kept by triggers) for the
``sent`` and ``failed`` ones. Each step below changes the tables the way the
application does, and after each the gauges must equal a plain count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from engine.model import Severity, SubjectKind, Violation
from storage import models as m
from storage import operations
from storage.db import upgrade
from storage.uow import UnitOfWork, make_uow_factory

U = Callable[[], UnitOfWork]
LEASE = timedelta(minutes=5)


def counted_outbox(engine: Engine) -> dict[tuple[str, str], int]:
    """Every outbox row counted, as the gauge did before the tally."""
    n = m.notifications
    stmt = select(n.c.platform, n.c.status, func.count()).group_by(n.c.platform, n.c.status)
    with engine.connect() as conn:
        return {(p, s): int(c) for p, s, c in conn.execute(stmt)}


def counted_firing(engine: Engine) -> dict[tuple[str, str], int]:
    """Every violation row read, as the gauge did before the index."""
    v = m.violations
    stmt = (select(v.c.rule_id, v.c.severity, func.count())
            .where(v.c.state == "firing").group_by(v.c.rule_id, v.c.severity))
    with engine.connect() as conn:
        return {(r, s): int(c) for r, s, c in conn.execute(stmt)}


def _seed(uow: U, ws: int, now: datetime) -> dict[str, Any]:
    """Two people, three violations, five notices (slack and telegram), all pending."""
    with uow() as u:
        priya = u.people.add(ws, "Priya").id
        omar = u.people.add(ws, "Omar").id
        vs = [
            u.violations.insert(ws, Violation(rule, SubjectKind.TASK, i, sev, "x"), now).id
            for i, (rule, sev) in enumerate((("task.overdue", Severity.CRITICAL),
                                             ("task.overdue", Severity.CRITICAL),
                                             ("task.stale", Severity.WARNING)), start=1)
        ]
        ids = [
            u.outbox.add(ws, who, platform, "alert", {}, f"alert:{k}", now, vs[k % 3]).id
            for k, (who, platform) in enumerate(((priya, "slack"), (priya, "slack"),
                                                 (omar, "slack"), (omar, "telegram"),
                                                 (priya, "telegram")))
        ]
        u.commit()
    return {"people": (priya, omar), "violations": vs, "notices": ids}


def _claim(u: UnitOfWork, now: datetime) -> None:
    u.outbox.claim_due(now, LEASE, limit=100, token="t1")


def _claim_all(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    _claim(u, now)


def _sent(ids: list[int]) -> Callable[[UnitOfWork, dict[str, Any], datetime], None]:
    def step(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
        for i in ids:
            u.outbox.mark_sent(seeded["notices"][i], now, f"ref{i}", token="t1")
    return step


def _failed(ids: list[int]) -> Callable[[UnitOfWork, dict[str, Any], datetime], None]:
    def step(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
        for i in ids:
            u.outbox.mark_failed(seeded["notices"][i], "gone", token="t1")
    return step


def _retry_later(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    u.outbox.mark_retry(seeded["notices"][4], now + timedelta(minutes=1), "busy", token="t1")


def _retry_failed(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    u.outbox.retry_failed(now)


def _resolve_first(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    u.violations.resolve(seeded["ws"], seeded["violations"][0], now, "changed elsewhere")


def _cancel_pending(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    u.outbox.cancel_pending_many(seeded["ws"], seeded["violations"], now, "resolved")


def _fire_again(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    u.violations.insert(
        seeded["ws"], Violation("task.overdue", SubjectKind.TASK, 1, Severity.CRITICAL, "x"), now
    )


def _move_platform(u: UnitOfWork, seeded: dict[str, Any], now: datetime) -> None:
    n = m.notifications
    u.session.execute(n.update().where(n.c.id == seeded["notices"][0]).values(platform="teams"))


STEPS: list[tuple[str, Any, dict[tuple[str, str], int], dict[tuple[str, str], int]]] = [
    # (what, step, outbox gauge after, firing gauge after)
    ("queued", None,
     {("slack", "pending"): 3, ("telegram", "pending"): 2},
     {("task.overdue", "critical"): 2, ("task.stale", "warning"): 1}),
    ("claimed", _claim_all,
     {("slack", "sending"): 3, ("telegram", "sending"): 2},
     {("task.overdue", "critical"): 2, ("task.stale", "warning"): 1}),
    ("two sent, one failed, one retried later", None,
     {("slack", "sent"): 2, ("slack", "failed"): 1, ("telegram", "sending"): 1,
      ("telegram", "pending"): 1},
     {("task.overdue", "critical"): 2, ("task.stale", "warning"): 1}),
    ("failed queued again; a violation clears", None,
     {("slack", "sent"): 2, ("slack", "pending"): 1, ("telegram", "sending"): 1,
      ("telegram", "pending"): 1},
     {("task.overdue", "critical"): 1, ("task.stale", "warning"): 1}),
    ("pending alerts cancelled (marked sent); the cleared one fires again", _cancel_pending,
     {("slack", "sent"): 3, ("telegram", "sending"): 1, ("telegram", "sent"): 1},
     {("task.overdue", "critical"): 2, ("task.stale", "warning"): 1}),
    ("a sent row moves platform", _move_platform,
     {("slack", "sent"): 2, ("teams", "sent"): 1, ("telegram", "sending"): 1,
      ("telegram", "sent"): 1},
     {("task.overdue", "critical"): 2, ("task.stale", "warning"): 1}),
]


def test_gauges_match_a_plain_count_at_every_step(
    engine: Engine, uow: U, ws: int, now: datetime
) -> None:
    seeded = _seed(uow, ws, now) | {"ws": ws}
    composite: dict[str, list[Any]] = {
        "two sent, one failed, one retried later": [_sent([0, 1]), _failed([2]), _retry_later],
        "failed queued again; a violation clears": [_retry_failed, _resolve_first],
        "pending alerts cancelled (marked sent); the cleared one fires again": [
            _cancel_pending, _fire_again],
    }
    for what, step, outbox, firing in STEPS:
        with uow() as u:
            for one in composite.get(what, [step] if step else []):
                one(u, seeded, now)
            u.commit()
        assert operations.outbox_counts(engine) == counted_outbox(engine) == outbox, what
        assert operations.firing_counts(engine) == counted_firing(engine) == firing, what


def test_a_rolled_back_change_leaves_the_tally(
    engine: Engine, uow: U, ws: int, now: datetime
) -> None:
    seeded = _seed(uow, ws, now) | {"ws": ws}
    with uow() as u:
        _claim(u, now)
        _sent([0, 3])(u, seeded, now)
        u.commit()
    with uow() as u:
        _sent([1, 2])(u, seeded, now)  # not committed
    assert operations.outbox_counts(engine) == counted_outbox(engine) == {
        ("slack", "sent"): 1, ("slack", "sending"): 2,
        ("telegram", "sent"): 1, ("telegram", "sending"): 1,
    }


def test_deleting_a_workspace_takes_its_rows_off_the_gauges(
    engine: Engine, uow: U, ws: int, now: datetime
) -> None:
    seeded = _seed(uow, ws, now) | {"ws": ws}
    with uow() as u:
        other = u.workspaces.create("console:other", "Other").id
        kept = u.people.add(other, "Ana").id
        u.outbox.add(other, kept, "slack", "reply", {}, "r", now)
        _claim(u, now)
        _sent([0, 1, 2, 3, 4])(u, seeded, now)
        u.commit()
    assert operations.outbox_counts(engine)[("slack", "sent")] == 3
    with engine.begin() as conn:  # the cascades delete its people, violations and notices
        conn.execute(m.workspaces.delete().where(m.workspaces.c.id == ws))
    assert operations.outbox_counts(engine) == counted_outbox(engine) == {
        ("slack", "sending"): 1}
    assert operations.firing_counts(engine) == counted_firing(engine) == {}


@pytest.mark.parametrize("statuses", [("sent", "sent", "failed", "pending"), ()])
def test_the_upgrade_tallies_the_rows_already_there(
    empty_engine: Engine, now: datetime, statuses: tuple[str, ...]
) -> None:
    upgrade(empty_engine, "i21_chat_topics")
    with make_uow_factory(empty_engine)() as u:
        ws = u.workspaces.create("console:default", "Default").id
        who = u.people.add(ws, "Priya").id
        ids = [u.outbox.add(ws, who, "slack", "reply", {}, f"k{i}", now).id
               for i in range(len(statuses))]
        u.commit()
    with empty_engine.begin() as conn:
        for i, status in zip(ids, statuses, strict=True):
            conn.execute(text("UPDATE notifications SET status = :s WHERE id = :i"),
                         {"s": status, "i": i})
    upgrade(empty_engine)
    assert operations.outbox_counts(empty_engine) == counted_outbox(empty_engine)
    with make_uow_factory(empty_engine)() as u:  # and the triggers keep it from there
        u.outbox.add(ws, who, "telegram", "reply", {}, "later", now)
        u.session.execute(m.notifications.update().values(status="sent"))
        u.commit()
    expected = {("slack", "sent"): len(statuses)} if statuses else {}
    assert operations.outbox_counts(empty_engine) == counted_outbox(empty_engine) == {
        **expected, ("telegram", "sent"): 1}


@pytest.mark.parametrize("counts, index", [
    (operations.FIRING_GAUGE, "COVERING INDEX ix_violations_firing_subject"),
    (operations.OPEN_NOTICES_GAUGE, "COVERING INDEX ix_notifications_status_next_attempt"),
])
def test_the_gauges_read_indexes_not_tables(engine: Engine, counts: Any, index: str) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL picks by statistics")
    sql = str(counts.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert index in plan, plan
