"""Quiet hours and ladder timing — pure working-time arithmetic.

A notice is delivered inside its recipient's working hours (the workspace's
working days and hours, or the person's own hours when set, in the person's
own time zone); outside them it is held until the start of the next working
period. A workspace may let critical notices through at any hour with the
setting ``notify.critical_any_hour: true``.

The escalation ladder counts working time of the workspace calendar only:
time outside working hours does not count (the ladder is paused).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from engine import calendar as cal_ops
from engine.durations import Duration
from engine.model import Severity, WorkCalendar
from engine.settings import RuleSettings

CRITICAL_ANY_HOUR = "notify.critical_any_hour"
ESCALATE_AFTER = "escalate.after"


def person_calendar(
    workspace: WorkCalendar,
    tz: str | None = None,
    work_start: time | None = None,
    work_end: time | None = None,
) -> WorkCalendar:
    """The workspace calendar seen from one person's zone and hours."""
    changes: dict[str, object] = {}
    if tz:
        changes["tz"] = tz
    if work_start is not None and work_end is not None and work_end > work_start:
        changes["day_start"], changes["day_end"] = work_start, work_end
    return workspace._replace(**changes) if changes else workspace  # type: ignore[arg-type]


def critical_any_hour(settings: Mapping[str, object]) -> bool:
    """The workspace lets critical notices through outside working hours."""
    value = settings.get(CRITICAL_ANY_HOUR, False)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "on", "yes", "1")
    return bool(value)


def deliver_at(
    cal: WorkCalendar,
    at: datetime,
    severity: Severity | str | None = None,
    any_hour_for_critical: bool = False,
) -> datetime:
    """When a notice written at ``at`` may be delivered to a person on ``cal``."""
    if any_hour_for_critical and severity is not None and Severity(severity) is Severity.CRITICAL:
        return at
    return cal_ops.next_working_start(cal, at)


def escalate_after(settings: Mapping[str, object]) -> Duration:
    """The workspace's ``escalate.after`` (default 1wd)."""
    return RuleSettings(settings).duration(ESCALATE_AFTER)


def escalation_due(cal: WorkCalendar, since: datetime, after: Duration) -> datetime:
    """The instant a ladder level started at ``since`` climbs, counting working time only.

    ``wd``/``d``: that many working days after the start of working time at or
    after ``since`` (Fri 15:00 + 1wd = Mon 15:00; Sat 10:00 + 1wd = Tue 09:00).
    ``h``/``m``: that many hours of working time.
    """
    start = cal_ops.next_working_start(cal, since)
    if after.unit in ("wd", "d"):
        return cal_ops.add_working_days(cal, start, after.amount)
    seconds = timedelta(hours=after.amount if after.unit == "h" else 0,
                        minutes=after.amount if after.unit == "m" else 0).total_seconds()
    return cal_ops.add_working_seconds(cal, start, seconds)
