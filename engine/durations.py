"""Duration strings of the settings: ``48h`` clock hours, ``5d`` calendar days,
``3wd`` working days (also ``30m``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from engine import calendar as cal_ops
from engine.model import WorkCalendar

_PATTERN = re.compile(r"^\s*(\d+)\s*(m|h|d|wd)\s*$")
_UNIT_WORDS = {"m": "minute", "h": "hour", "d": "day", "wd": "working day"}


class DurationError(ValueError):
    """A duration string that cannot be understood."""


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # "m" | "h" | "d" | "wd"

    @classmethod
    def parse(cls, text: object) -> Duration:
        """Parse ``48h`` / ``5d`` / ``3wd`` / ``30m``; raise DurationError otherwise."""
        if isinstance(text, Duration):
            return text
        return _parse_text(str(text))

    def after(self, cal: WorkCalendar, at: datetime) -> datetime:
        """The instant this long after ``at`` on the calendar."""
        if self.unit == "m":
            return at + timedelta(minutes=self.amount)
        if self.unit == "h":
            return at + timedelta(hours=self.amount)
        if self.unit == "d":
            return cal_ops.add_days(cal, at, self.amount)
        return cal_ops.add_working_days(cal, at, self.amount)

    def before(self, cal: WorkCalendar, at: datetime) -> datetime:
        """The instant this long before ``at`` on the calendar."""
        if self.unit == "m":
            return at - timedelta(minutes=self.amount)
        if self.unit == "h":
            return at - timedelta(hours=self.amount)
        if self.unit == "d":
            return cal_ops.add_days(cal, at, -self.amount)
        return cal_ops.add_working_days(cal, at, -self.amount)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def words(self) -> str:
        """Plain words: '3 working days', '48 hours'."""
        word = _UNIT_WORDS[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


@lru_cache(maxsize=512)
def _parse_text(text: str) -> Duration:
    # Settings hold a handful of distinct strings; rules parse them per task.
    match = _PATTERN.match(text.lower())
    if not match:
        raise DurationError(
            f"'{text}' is not a duration; use e.g. 48h (hours), 5d (days) or 3wd (working days)"
        )
    return Duration(int(match.group(1)), match.group(2))
