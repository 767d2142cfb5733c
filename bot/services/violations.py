"""Acknowledge and snooze: recorded on the violation, never clearing it."""

from __future__ import annotations

from datetime import datetime

from bot.errors import NotFound, VigilError
from storage.records import ViolationRecord
from storage.uow import UnitOfWork


def _firing(uow: UnitOfWork, ws: int, violation_id: int) -> ViolationRecord:
    row = uow.violations.get(ws, violation_id)
    if row is None:
        raise NotFound("That alert is not in this workspace.")
    if row.state != "firing":
        raise VigilError("That problem is already resolved.")
    return row


def acknowledge(
    uow: UnitOfWork, ws: int, violation_id: int, person_id: int, now: datetime
) -> ViolationRecord:
    """Ack stops the escalation ladder; the violation stays firing and visible."""
    _firing(uow, ws, violation_id)
    uow.violations.ack(ws, violation_id, person_id, now)
    return _firing(uow, ws, violation_id)


def snooze(
    uow: UnitOfWork, ws: int, violation_id: int, until: datetime, now: datetime
) -> ViolationRecord:
    """Mute notices until ``until``; the violation stays firing and visible."""
    _firing(uow, ws, violation_id)
    if until <= now:
        raise VigilError("Snooze needs a time in the future.")
    uow.violations.snooze(ws, violation_id, until)
    return _firing(uow, ws, violation_id)
