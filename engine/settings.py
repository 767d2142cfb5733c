"""Rule settings: defaults, workspace overrides, project overrides.

Keys are ``<rule id>.<name>``, e.g. ``task.stalled.after`` or
``task.overdue.enabled``. A project's value beats the workspace's, which beats
the default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from engine.durations import Duration

DEFAULTS: dict[str, object] = {
    "task.behind_schedule.tolerance": 25,
    "task.stalled.after": "3wd",
    "task.deadline_approaching.lead": ["2wd"],
    "task.deadline_approaching.quiet": "2wd",
    "task.long_blocked.after": "3wd",
    "task.long_blocked.critical_within": "2wd",
    "task.missing_owner.critical_within": "2wd",
    "task.review_stale.after": "2wd",
    "person.overloaded.at_risk": 3,
    "person.overloaded.capacity": 10,
    "person.overloaded.window": "5wd",
    "person.inactive.after": "5wd",
    "person.inactive.window": "10wd",
    "recurring.missed.grace": "0h",
    "recurring.missed.escalate_after": "1h",
    "recurring.repeat_failure.misses": 2,
    "recurring.repeat_failure.last": 5,
    "escalate.after": "1wd",
    "notify.critical_any_hour": False,
    "digest.channel": "",
    "digest.time": "09:00",
    "digest.days": "workdays",
    # How numeric dates are written: DMY, MDY, YMD, or auto (from the workspace zone's country).
    "language.date_order": "auto",
}
DATE_ORDERS = ("auto", "DMY", "MDY", "YMD")

# Settings that are plain text, not durations.
TEXT_KEYS = {"digest.channel"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$", re.I)
_DAILY = {"daily", "every day", "everyday", "all", "always"}


class SettingsError(ValueError):
    """An unknown key or a value of the wrong shape."""


def known_rule_keys() -> set[str]:
    from engine.rules import registry

    keys = set(DEFAULTS)
    keys.update(f"{rule_id}.enabled" for rule_id in registry.all_ids())
    return keys


def validate(key: str, value: object) -> object:
    """Check one override; return it normalised (raise SettingsError when bad)."""
    if key not in known_rule_keys():
        raise SettingsError(f"unknown setting '{key}'")
    if key.endswith(".enabled") or isinstance(DEFAULTS.get(key), bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "on", "yes", "1"):
            return True
        if text in ("false", "off", "no", "0"):
            return False
        raise SettingsError(f"{key} must be on or off, not '{value}'")
    default = DEFAULTS[key]
    if key == "digest.time":
        try:
            return parse_time_of_day(value).strftime("%H:%M")
        except SettingsError as exc:
            raise SettingsError(f"digest.time must be {exc}") from None
    if key == "digest.days":
        return parse_days(value)
    if key == "language.date_order":
        order = str(value).strip()
        order = order.lower() if order.lower() == "auto" else order.upper()
        if order not in DATE_ORDERS:
            raise SettingsError(f"{key} must be one of {', '.join(DATE_ORDERS)}, not '{value}'")
        return order
    if key in TEXT_KEYS:
        return str(value).strip()
    if isinstance(default, int):
        try:
            number = int(str(value))
        except ValueError:
            raise SettingsError(f"{key} must be a whole number, not '{value}'") from None
        if number < 0:
            raise SettingsError(f"{key} must not be negative")
        return number
    if isinstance(default, list):
        items = value if isinstance(value, (list, tuple)) else str(value).strip("[] ").split(",")
        parsed = [Duration.parse(str(item).strip()) for item in items if str(item).strip()]
        if not parsed:
            raise SettingsError(f"{key} needs at least one duration")
        return [str(d) for d in parsed]
    return str(Duration.parse(value))


def parse_time_of_day(value: object) -> time:
    """A local time of day: ``08:30``, ``8:30``, ``8``, ``8am``, ``6:15pm`` (SettingsError else)."""
    text = str(value).strip().lower()
    match = _TIME.match(text)
    if match:
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        ampm = match.group("ampm")
        if ampm is not None and 1 <= hour <= 12:
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        elif ampm is not None:
            hour = 99
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    raise SettingsError(f"a time of day like 08:30 or 8am, not '{value}'")


def parse_days(value: object) -> str:
    """``workdays`` (the calendar's working days), ``daily``, or weekdays like ``mon,wed,fri``."""
    text = str(value).strip().lower()
    if text in ("workdays", "working days", "weekdays"):
        return "workdays"
    if text in _DAILY:
        return "daily"
    names = [n.strip()[:3] for n in re.split(r"[,\s]+", text) if n.strip()]
    if names and all(n in WEEKDAYS for n in names):
        return ",".join(d for d in WEEKDAYS if d in names)
    raise SettingsError(f"digest.days is workdays, daily, or days like mon,wed,fri — "
                        f"not '{value}'")


def is_listed_day(days: str, day: date) -> bool | None:
    """Whether ``day`` is a digest day by ``digest.days``; None: "workdays" (ask the calendar)."""
    if days == "workdays":
        return None
    if days == "daily":
        return True
    return WEEKDAYS[day.weekday()] in days.split(",")


class RuleSettings:
    """Resolved settings for one evaluation subject."""

    def __init__(
        self, workspace: Mapping[str, object], project: Mapping[str, object] | None = None
    ) -> None:
        self._layers = (project or {}, workspace, DEFAULTS)
        # Rules ask for the same few keys once per task: parse each once.
        self._parsed: dict[tuple[str, str], Any] = {}

    def get(self, key: str) -> object:
        for layer in self._layers:
            if key in layer:
                return layer[key]
        raise KeyError(key)

    def enabled(self, rule_id: str) -> bool:
        key = f"{rule_id}.enabled"
        for layer in self._layers[:2]:
            if key in layer:
                return bool(layer[key])
        return True

    def duration(self, key: str) -> Duration:
        found = self._parsed.get(("d", key))
        if found is None:
            found = self._parsed[("d", key)] = Duration.parse(self.get(key))
        return found  # type: ignore[no-any-return]

    def durations(self, key: str) -> tuple[Duration, ...]:
        found = self._parsed.get(("ds", key))
        if found is None:
            value = self.get(key)
            items = value if isinstance(value, (list, tuple)) else [value]
            found = self._parsed[("ds", key)] = tuple(Duration.parse(v) for v in items)
        return found  # type: ignore[no-any-return]

    def number(self, key: str) -> int:
        found = self._parsed.get(("n", key))
        if found is None:
            found = self._parsed[("n", key)] = int(str(self.get(key)))
        return found  # type: ignore[no-any-return]
