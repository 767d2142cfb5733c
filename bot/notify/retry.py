"""When a failed notice is tried again, and when Vigil stops trying (pure).

A platform outage of any length must lose nothing: transient failures are
retried with a capped exponential backoff for as long as the notice is younger
than ``max_age`` (default three days); only then is it marked failed, shown by
``vigil status`` and queued again with ``vigil notices retry``. Permanent
errors (unknown user, uninstalled app) fail at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.notify.ports import PermanentError, TransientError
from storage.records import NotificationRecord

DEFAULT_MAX_AGE = timedelta(days=3)


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff and giving up for outbox rows."""

    base_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=10)
    max_age: timedelta = DEFAULT_MAX_AGE
    max_attempts: int | None = None  # None: bounded by age alone

    def backoff(self, attempts: int, retry_after: float | None) -> timedelta:
        """Delay before the next try after ``attempts`` failed ones (>= Retry-After)."""
        delay = self.base_backoff * (2 ** min(max(0, attempts - 1), 30))
        delay = min(delay, self.max_backoff)
        if retry_after is not None and retry_after > 0:
            delay = max(delay, timedelta(seconds=min(retry_after, 86_400.0)))
        return delay

    def give_up(self, row: NotificationRecord, error: BaseException, now: datetime) -> str | None:
        """Why ``row`` is not tried again after ``error`` at ``now`` (None: retry it)."""
        message = f"{type(error).__name__}: {error}"
        if isinstance(error, PermanentError):
            return message
        attempts = row.attempts + 1
        if self.max_attempts is not None and attempts >= self.max_attempts:
            return f"gave up after {attempts} attempts: {message}"
        age = now - (row.attempts_since or row.created_at)
        if age >= self.max_age:
            return f"gave up after {_span(age)} of trying ({attempts} attempts): {message}"
        return None


def maybe_delivered(error: BaseException) -> bool:
    """Whether the failed call may still have reached the platform."""
    if isinstance(error, TransientError):
        return error.maybe_delivered
    return not isinstance(error, PermanentError)  # an unknown failure: assume it might have


def _span(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"
