"""Scenario events in words, and scenario times as local datetimes."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bot.simulate.scenario import EventSpec, _local
from engine import calendar as cal_ops
from engine.model import WorkCalendar


def change_words(e: EventSpec, cal: WorkCalendar) -> str:
    """What a scenario event changes, in words: 'progress 60%', 'blocked: waiting for IT'."""
    def when(at: datetime) -> str:
        local = at if at.tzinfo is None else cal_ops.to_local(cal, at)
        return f"{local:%a} {local.day} {local:%b %H:%M}"

    words = []
    if e.progress is not None:
        words.append(f"progress {e.progress}%")
    if e.status is not None:
        words.append(e.status.replace("_", " "))
    if e.owner is not None:
        words.append(f"gave it to {e.owner}")
    if e.due is not None:
        words.append(f"due {when(e.due)}")
    if e.block is not None:
        words.append(f"blocked: {e.block}")
    if e.unblock:
        words.append("unblocked")
    if e.proof is not None:
        words.append("proof added")
    if e.done:
        words.append("done")
    if e.note is not None:
        words.append(f"note: {e.note}")
    if e.ack:
        words.append("acknowledged the alert")
    if e.snooze is not None:
        words.append(f"snoozed until {when(e.snooze)}")
    if e.ooo is not None:
        until = (e.ooo or {}).get("until")
        words.append(f"out of office until {until}" if until else "back in the office")
    return ", ".join(words) or "no change"


def as_local(value: Any) -> datetime:
    """A scenario's local time; a bare date means 17:00 that day."""
    result = _local(value)
    if isinstance(value, str) and len(value) == 10:
        return datetime.combine(result.date(), time(17, 0))
    return result
