"""The escalation ladder: violations that nobody acted on climb one level per
``escalate.after`` of working time, and each level tells the people it adds.

The next climb of each firing violation is stored with it (``next_escalation_at``),
so a pass reads only the rows whose time has come.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.notify import hours, wording
from bot.notify.escalation_summary import write_escalations
from bot.notify.notice_context import Notice, NoticeContext, Pending, subject_for
from bot.notify.notifier import queue_alerts
from bot.notify.routing import route
from engine.durations import Duration
from engine.model import Severity
from storage.records import ViolationRecord, WorkspaceRecord
from storage.uow import UnitOfWork


def escalation_due(record: WorkspaceRecord, row: ViolationRecord) -> datetime | None:
    """When ``row`` climbs to its next level (None: it does not climb)."""
    if row.state != "firing" or row.acked_at is not None or row.severity == Severity.INFO.value:
        return None
    since = row.level_changed_at or row.fired_at
    if since is None:
        return None
    if row.snoozed_until is not None and row.snoozed_until > since:
        since = row.snoozed_until  # the ladder starts again when the snooze ends
    return hours.escalation_due(record.calendar, since, _after(record, row.rule_id))


def first_escalation(
    record: WorkspaceRecord, rule_id: str, severity: Severity, fired_at: datetime
) -> datetime | None:
    """When a violation firing now first climbs (stored with it; None: it never does)."""
    if severity is Severity.INFO:
        return None
    return hours.escalation_due(record.calendar, fired_at, _after(record, rule_id))


def _after(record: WorkspaceRecord, rule_id: str) -> Duration:
    if rule_id == "recurring.missed":
        # Recurring checks are hours-scale work: the backup hears within the hour.
        return Duration.parse(record.settings.get("recurring.missed.escalate_after", "1h"))
    return hours.escalate_after(record.settings)


ESCALATION_BATCH = 500
STEP = timedelta(microseconds=1)


def escalate(uow: UnitOfWork, ws: int, now: datetime) -> list[Notice]:
    """Climb the ladder of every violation whose time has come, in this transaction."""
    notices: list[Notice] = []
    while True:
        batch, looked = escalate_batch(uow, ws, now, ESCALATION_BATCH)
        notices += batch
        if looked < ESCALATION_BATCH:
            return notices


def escalate_batch(
    uow: UnitOfWork, ws: int, now: datetime, limit: int
) -> tuple[list[Notice], int]:
    """Climb the ladder of at most ``limit`` violations whose stored next escalation has come.

    Reads only those rows, longest due first, and returns the notices queued
    and how many rows it looked at (a full batch: call again). Each row's
    next instant is stored again: the next climb, or None when it no longer
    climbs (acknowledged, info). A row climbs at most one level per pass of
    the job, as a long outage must not rush anyone up the whole ladder.
    """
    record = uow.workspaces.get(ws)
    if record is None:
        return [], 0
    rows = uow.violations.escalation_due(ws, now, limit)
    candidates, later = [], {}
    for row in rows:
        due = escalation_due(record, row)
        if due is None or due > now:
            later[row.id] = due
        elif row.snoozed_until is not None and row.snoozed_until > now:
            later[row.id] = row.snoozed_until
        else:
            candidates.append((row, due))
    notices: list[Notice] = []
    if candidates:
        notices = _climb(uow, record, now, candidates, later)
    uow.violations.set_next_escalation(ws, later)
    return notices, len(rows)


def _climb(
    uow: UnitOfWork,
    record: WorkspaceRecord,
    now: datetime,
    candidates: list[tuple[ViolationRecord, datetime]],
    later: dict[int, datetime | None],
) -> list[Notice]:
    ws = record.id
    task_ids = {r.subject_id for r, _ in candidates if r.subject_kind == "task"}
    ctx = NoticeContext(uow, ws, task_ids)
    # Who was alerted already, and the climbs, one statement each for the batch.
    alerted = uow.outbox.for_violations(ws, [r.id for r, _ in candidates], "alert")
    levels: dict[int, tuple[int, datetime]] = {}
    pending: Pending = []
    for row, due in candidates:
        # The time nobody acted since it fired, worded again when sent (bot.notify.wording).
        since = wording.waited_since(row, now)
        waited = wording.waited(since, now) if since else _after(record, row.rule_id).words()
        level = row.level + 1
        subject = subject_for(ctx, row)
        routes = route(row.rule_id, Severity(row.severity), subject, ctx.directory, now, level)
        if not routes:
            # Nobody further up now: look again one step later (a manager may be set by then).
            step = hours.escalation_due(record.calendar, due, _after(record, row.rule_id))
            later[row.id] = max(step, now + STEP)
            continue
        told = {n.recipient_id for n in alerted[row.id]}
        levels[row.id] = (level, due)
        upper = escalation_due(record, replace(row, level=level, level_changed_at=due))
        later[row.id] = None if upper is None else max(upper, now + STEP)
        fresh = [r for r in routes if r.person_id not in told]
        pending += queue_alerts(ctx, row, fresh, now, "escalated", level, waited, since)
    uow.violations.climb(ws, levels)
    climbing = {row.id: row for row, _ in candidates}
    return write_escalations(ctx, now, pending, climbing)
