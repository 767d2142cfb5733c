"""Cadence of recurring work: RRULE strings expanded in a workspace's zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.rrule import rrulestr

from engine import calendar as cal_ops
from engine.model import WorkCalendar


class RecurrenceError(ValueError):
    """An RRULE that cannot be understood."""


def _normalise(rule: str) -> str:
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = dict(p.split("=", 1) for p in text.upper().split(";") if "=" in p)
    if "FREQ" not in parts:
        raise RecurrenceError(f"'{rule}' has no FREQ (e.g. FREQ=DAILY;BYHOUR=7)")
    # A cadence at an hour means on the hour, not at the anchor's minutes.
    if "BYHOUR" in parts and "BYMINUTE" not in parts:
        text += ";BYMINUTE=0"
    if "BYSECOND" not in parts:
        text += ";BYSECOND=0"
    return text


def validate_rrule(rule: str) -> str:
    """Return the rule normalised, or raise RecurrenceError with the reason."""
    text = _normalise(rule)
    try:
        rrulestr(text, dtstart=datetime(2026, 1, 1))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"'{rule}' is not a valid recurrence: {exc}") from None
    return rule.strip()


def occurrence_starts(
    rule: str, anchor: datetime, cal: WorkCalendar, after: datetime, until: datetime,
    skip_holidays: bool = True,
) -> list[datetime]:
    """Occurrence start instants in (after, until], in UTC.

    The rule is expanded on local wall-clock time from ``anchor`` (so "every
    day at 07:00" stays 07:00 across a DST change); dates that are holidays of
    the calendar are skipped.
    """
    local_anchor = cal_ops.to_local(cal, anchor).replace(tzinfo=None)
    local_anchor = local_anchor.replace(minute=local_anchor.minute, second=0, microsecond=0)
    try:
        rr = rrulestr(_normalise(rule), dtstart=local_anchor)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"'{rule}' is not a valid recurrence: {exc}") from None
    lo = cal_ops.to_local(cal, after).replace(tzinfo=None) - timedelta(hours=3)
    hi = cal_ops.to_local(cal, until).replace(tzinfo=None) + timedelta(hours=3)
    out: list[datetime] = []
    for local in rr.between(lo, hi, inc=True):  # type: ignore[union-attr]
        if skip_holidays and local.date() in cal.holidays:
            continue
        at = cal_ops.from_local(cal, local)
        if after < at <= until:
            out.append(at)
    return out
