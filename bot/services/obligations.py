"""Recurring work: each cycle of an obligation becomes an occurrence task."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.evaluation import LifecycleEvent, neighbourhood, reevaluate
from engine import calendar as cal_ops
from engine.durations import Duration
from engine.model import Task, WorkCalendar
from engine.recurrence import occurrence_starts
from storage.uow import UnitOfWork

DEFAULT_WINDOW = "2h"
# Occurrences exist this long before their cycle starts, so people see tomorrow's checks.
LOOKAHEAD = timedelta(hours=24)


def occurrence_owner(uow: UnitOfWork, ws: int, obligation: Task, at: datetime) -> int | None:
    """The owner, or the backup when the owner is out of office or inactive at ``at``."""
    owner = uow.people.get(ws, obligation.owner_id) if obligation.owner_id else None
    if owner is not None and owner.active and not owner.is_out_of_office(at):
        return owner.id
    backup = obligation.backup_id or (owner.backup_id if owner else None)
    return backup if backup is not None else obligation.owner_id


def materialize(
    uow: UnitOfWork, ws: int, now: datetime, ahead: timedelta = LOOKAHEAD
) -> list[LifecycleEvent]:
    """Create every occurrence starting by ``now + ahead`` that is not there yet."""
    workspace = uow.workspaces.get(ws)
    assert workspace is not None
    created: list[int] = []
    for obligation in uow.tasks.obligations(ws):
        created += _materialize_one(uow, ws, workspace.calendar, obligation, now, now + ahead)
    if not created:
        return []
    uow.homes.mark(ws, now, owners_of=created)  # new occurrences show on their owners' Home
    targets = neighbourhood(uow, ws, created)
    obligations = {t.occurrence_of for t in uow.tasks.get_many(ws, created)}
    return reevaluate(uow, ws, now, targets | {o for o in obligations if o is not None})


def occurrence_due(cal: WorkCalendar, start: datetime, window: Duration) -> datetime:
    """When an occurrence starting at ``start`` is due, ``window`` later.

    An occurrence that starts inside working hours counts its hours and
    minutes in working time, so a 2-hour check at 16:30 in a 09:00-17:30
    workspace is due 10:00 the next working day instead of 18:30 that evening.
    One whose cadence puts it outside working hours ("every Saturday at
    10:00", "every day at 07:00") keeps its stated time: its window runs on
    the wall clock from there. Day windows already follow the calendar.
    """
    if window.unit in ("m", "h") and cal_ops.is_working_time(cal, start):
        minutes = window.amount * (60 if window.unit == "h" else 1)
        return cal_ops.add_working_seconds(cal, start, minutes * 60)
    return window.after(cal, start)


def _materialize_one(
    uow: UnitOfWork, ws: int, cal: WorkCalendar, obligation: Task, now: datetime,
    until: datetime,
) -> list[int]:
    assert obligation.recurrence is not None
    existing = uow.tasks.get_many(ws, uow.tasks.occurrence_ids(ws, obligation.id))
    last = max((t.effective_start for t in existing), default=None)
    anchor = obligation.effective_start
    # Without occurrences yet, start just before the anchor so it counts itself.
    after = last if last is not None else anchor - timedelta(seconds=1)
    window = Duration.parse(obligation.window or DEFAULT_WINDOW)
    ids = []
    for start in occurrence_starts(obligation.recurrence, anchor, cal, after, until):
        local = cal_ops.to_local(cal, start)
        task = uow.tasks.add(
            ws,
            f"{obligation.title} — {local:%a} {local.day} {local:%b}",
            created_at=min(start, now),
            start=start,
            due=occurrence_due(cal, start, window),
            owner_id=occurrence_owner(uow, ws, obligation, start),
            project_id=obligation.project_id,
            priority=obligation.priority,
            proof_required=obligation.proof_required,
            occurrence_of=obligation.id,
            backup_id=obligation.backup_id,
            status="todo",
            status_since=start,
        )
        uow.activity.add(
            ws,
            task.id,
            None,
            start,
            "created",
            None,
            {"occurrence_of": obligation.number},
            human=False,
        )
        ids.append(task.id)
    return ids
