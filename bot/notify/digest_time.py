"""When a person's morning digest is due: ``digest.time``, ``digest.days`` and their own time.

* ``digest.time`` (workspace setting, default 09:00): local time of the digest;
* a person's own time (``settings me digest 08:30``) beats the workspace's;
* ``digest.days`` (default ``workdays``): the calendar's working days, ``daily``,
  or weekdays such as ``mon,wed,fri``.

Pure functions of the settings, the person's calendar and ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from engine import calendar as cal_ops
from engine.model import WorkCalendar
from engine.settings import DEFAULTS, SettingsError, is_listed_day, parse_time_of_day

FALLBACK_TIME = time(9, 0)


def digest_clock(settings: Mapping[str, object], own: time | None = None) -> time:
    """The local time of day of this person's digest: their own, else the workspace's."""
    if own is not None:
        return own
    try:
        return parse_time_of_day(settings.get("digest.time") or DEFAULTS["digest.time"])
    except SettingsError:  # validated when set; an old bad value must not stop digests
        return FALLBACK_TIME


def _days(settings: Mapping[str, object]) -> str:
    return str(settings.get("digest.days") or DEFAULTS["digest.days"])


def is_digest_day(cal: WorkCalendar, settings: Mapping[str, object], day: date) -> bool:
    """Whether a digest goes out on ``day`` (the person's local date)."""
    listed = is_listed_day(_days(settings), day)
    if listed is None:
        return cal_ops.is_working_day(cal, day) if cal.workdays else True
    return listed


def previous_digest_day(cal: WorkCalendar, settings: Mapping[str, object], day: date) -> date:
    """The digest day before ``day`` (Monday's looks back to Friday on working days)."""
    for back in range(1, 15):
        earlier = day - timedelta(days=back)
        if is_digest_day(cal, settings, earlier):
            return earlier
    return day - timedelta(days=1)


def next_digest_day(cal: WorkCalendar, settings: Mapping[str, object], day: date) -> date:
    """The first digest day after ``day``."""
    for ahead in range(1, 15):
        later = day + timedelta(days=ahead)
        if is_digest_day(cal, settings, later):
            return later
    return day + timedelta(days=1)


def digest_due(cal: WorkCalendar, settings: Mapping[str, object], own: time | None,
               now: datetime) -> bool:
    """True once this person's digest time has come today and today is a digest day."""
    local = cal_ops.to_local(cal, now)
    return is_digest_day(cal, settings, local.date()) and local.time() >= digest_clock(
        settings, own)


def since_last_digest(cal: WorkCalendar, settings: Mapping[str, object], own: time | None,
                      today: date) -> datetime:
    """The instant of the previous digest: what "since the last digest" counts from."""
    at = digest_clock(settings, own)
    return cal_ops.from_local(cal, datetime.combine(previous_digest_day(cal, settings, today),
                                                    at))
