"""The hot and user-facing reads of violations, tasks, people and the outbox use an index.

Each case runs a repository read as the application does, captures the SELECTs
it sends and asks the database for their plans: on SQLite, the table is
SEARCHed through one of the named indexes (no full scan of the table, nor of
an index); on PostgreSQL, with sequential scans disabled, no table is read by
a sequential scan and an index condition is used (the planner picks among the
indexes by statistics, so which one is not asserted there). An index dropped
or narrowed so that a query no longer fits it fails here, not in production
as a slow tick (migration i23_lean_indexes merged and narrowed several).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from engine.model import Severity, SubjectKind, Violation
from storage.repositories.portfolios import PortfolioReader
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
Read = Callable[[UnitOfWork, int, datetime], Any]

V, T, P, N, R = "violations", "tasks", "people", "notifications", "task_risk"
FIRING_SUBJECT = "ix_violations_firing_subject"
DIGEST_DUE = "ix_notifications_digest_due"

# (name, the read, table, SQLite: the indexes any of which may serve it — a name,
# or what the plan says of it: "COVERING INDEX name (the columns searched)")
CASES: list[tuple[str, Read, str, tuple[str, ...]]] = [
    ("a tick's firing rows of its tasks and people",
     lambda u, ws, now: u.violations.firing(ws, task_ids=[1, 2], person_ids=[1]),
     V, (FIRING_SUBJECT,)),
    # An owner's tasks from the (workspace, owner, ...) index alone, and one lookup of
    # each in task_risk (i25_task_risk; before, a search of the firing index per task).
    ("an owner's portfolio: their tasks",
     lambda u, ws, now: PortfolioReader(u.session).read(ws, [1, 2], []),
     T, ("COVERING INDEX ix_tasks_workspace_owner (workspace_id=? AND owner_id=?)",)),
    ("an owner's portfolio: which of their tasks are at risk",
     lambda u, ws, now: PortfolioReader(u.session).read(ws, [1, 2], []),
     R, ("PRIMARY KEY (workspace_id=? AND task_id=?)",)),
    ("the verdicts of counted tasks",
     lambda u, ws, now: u.violations.firing_verdicts(ws, [1, 2]), V, (FIRING_SUBJECT,)),
    ("the escalation ladder's due rows",
     lambda u, ws, now: u.violations.escalation_due(ws, now, 100),
     V, ("ix_violations_workspace_escalation",)),
    ("a workspace's firing rows",
     lambda u, ws, now: u.violations.all_firing(ws),
     V, (FIRING_SUBJECT, "uq_violations_firing_fingerprint")),
    ("a workspace's firing counts",
     lambda u, ws, now: u.violations.firing_counts(ws), V, (FIRING_SUBJECT,)),
    ("a firing row by fingerprint",
     lambda u, ws, now: u.violations.by_fingerprint(ws, "task.overdue:task:1"),
     V, ("uq_violations_firing_fingerprint",)),
    ("the fixed rows of a rule (reliability scores)",
     lambda u, ws, now: u.violations.fixed(ws, ["task.overdue"]), V, ("ix_violations_fixed",)),
    ("a rule's history",
     lambda u, ws, now: u.violations.history(ws, rule_id="task.overdue"),
     V, ("ix_violations_workspace_rule",)),
    ("a tick's due tasks",
     lambda u, ws, now: u.tasks.claim_due(ws, now, 100, 0, 1),
     T, ("ix_tasks_workspace_next_check",)),
    ("whether any task is due",
     lambda u, ws, now: u.tasks.any_due(now), T, ("ix_tasks_next_check",)),
    ("a tick's due people",
     lambda u, ws, now: u.people.claim_due(ws, now, 100, 0, 1),
     P, ("ix_people_workspace_next_check",)),
    # Two picks: the due digests (their own lane, test below), then the rest.
    ("the dispatcher's due notices",
     lambda u, ws, now: u.outbox.claim_due(now, timedelta(minutes=5), 10),
     N, ("ix_notifications_status_next_attempt", DIGEST_DUE)),
    ("the dispatcher's due notices of some platforms and people",
     lambda u, ws, now: u.outbox.claim_due(now, timedelta(minutes=5), 10, ["slack"],
                                           recipients=[1]),
     N, ("ix_notifications_status_next_attempt", DIGEST_DUE)),
]


def _seed(uow: U, ws: int, now: datetime) -> None:
    """A few rows in every table read, so no plan is decided by an empty table alone."""
    with uow() as u:
        person = u.people.add(ws, "Priya").id
        tasks = [u.tasks.add(ws, f"task {i}", now, owner_id=person).id for i in range(1, 4)]
        u.tasks.set_next_check(ws, dict.fromkeys(tasks, now))
        u.people.set_next_check(ws, {person: now})
        for i in tasks:
            found = Violation("task.overdue", SubjectKind.TASK, i, Severity.CRITICAL, "late")
            vid = u.violations.insert(ws, found, now).id
            u.outbox.add(ws, person, "slack", "alert", {}, f"alert:{i}", now, vid)
            u.outbox.add(ws, person, "slack", "digest", {}, f"digest:{i}", now)
        u.commit()


@contextmanager
def _captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
               executemany: bool) -> None:
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plans(engine: Engine, sent: list[tuple[str, Any]]) -> list[str]:
    out = []
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET enable_seqscan = off")
            for sql, params in sent:
                rows = conn.exec_driver_sql(f"EXPLAIN {sql}", params)
                out.append("\n".join(row[0] for row in rows))
        else:
            for sql, params in sent:
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
                out.append("\n".join(row[-1] for row in rows))
        conn.rollback()
    return out


@pytest.mark.parametrize("name, read, table, indexes", CASES, ids=[c[0] for c in CASES])
def test_the_read_uses_an_index(
    engine: Engine, uow: U, ws: int, now: datetime,
    name: str, read: Read, table: str, indexes: tuple[str, ...],
) -> None:
    _seed(uow, ws, now)
    with _captured(engine) as sent, uow() as u:
        read(u, ws, now + timedelta(hours=1))
    plans = [p for p in _plans(engine, sent) if f" {table}" in p]
    assert plans, f"{name}: no statement read {table}: {sent}"
    for plan in plans:
        if engine.dialect.name == "postgresql":
            assert f"Seq Scan on {table}" not in plan, plan
            assert "Index Cond" in plan, plan
            continue
        lines = [ln for ln in plan.splitlines() if f" {table} " in f" {ln} "]
        assert lines, plan
        for line in lines:
            assert line.startswith(f"SEARCH {table} "), plan
            assert any(f" {index} " in f"{line} " for index in indexes), plan



@pytest.mark.parametrize("limit", [2, 10], ids=["more digests than the claim", "all of them"])
def test_the_digest_lane_reads_its_index_in_claim_order(
    engine: Engine, uow: U, ws: int, now: datetime, limit: int
) -> None:
    """The digests ahead of the held alerts (i24_digest_first) without sorting every due row:
    SQLite SEARCHes the partial index in (next attempt, id) order, no temporary B-tree."""
    _seed(uow, ws, now)
    with _captured(engine) as sent, uow() as u:
        u.outbox.claim_due(now + timedelta(hours=1), timedelta(minutes=5), limit)
    lane = [(sql, params) for sql, params in sent if "kind = 'digest' AND status" in sql]
    assert len(lane) == 1, sent
    (plan,) = _plans(engine, lane)
    if engine.dialect.name == "postgresql":
        assert f"Seq Scan on {N}" not in plan and "Index Cond" in plan, plan
        return
    assert plan.startswith(f"SEARCH {N} USING INDEX {DIGEST_DUE} "), plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("rows", [3, 20], ids=["a few ids", "more ids than an IN list"])
def test_the_claim_updates_its_rows_by_id(engine: Engine, uow: U, ws: int, now: datetime,
                                          rows: int) -> None:
    """The claim's UPDATE finds its rows by primary key, not by reading every due row."""
    with uow() as u:
        person = u.people.add(ws, "Priya").id
        for i in range(rows):
            u.outbox.add(ws, person, "slack", "alert", {}, f"alert:{i}", now)
        u.commit()
    sent: list[tuple[str, Any]] = []

    def record(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any,
               _many: bool) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with uow() as u:
            assert len(u.outbox.claim_due(now, timedelta(minutes=5), 50)) == rows
    finally:
        event.remove(engine, "before_cursor_execute", record)
    (plan,) = _plans(engine, sent)
    if engine.dialect.name == "postgresql":
        assert f"Seq Scan on {N}" not in plan and "Index Cond" in plan, plan
        return
    lines = [ln for ln in plan.splitlines() if f" {N} " in f" {ln} "]
    by_id = f"SEARCH {N} USING INTEGER PRIMARY KEY"
    assert lines and all(ln.startswith(by_id) for ln in lines), plan
