"""Platform events already handled, remembered in the database.

Slack resends an event (same ``event_id``) when it did not see a quick answer.
The copy may reach another Vigil process, or this one after a restart, so the
ids are kept in the shared database (``seen_events``) rather than in memory,
for ``KEEP`` — far longer than Slack keeps retrying (three retries within
minutes) — and then pruned by a scheduled job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.clock import Clock
from storage.uow import UnitOfWork

KEEP = timedelta(days=1)


class EventLog:
    """``first_time(platform, event_id)``: True exactly once per id, for every process."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock,
                 keep: timedelta = KEEP) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.keep = keep

    def first_time(self, platform: str, event_id: str) -> bool:
        """Record the event (committed at once); False when it was handled before."""
        with self.uow_factory() as uow:
            first = uow.seen.first_time(platform, event_id, self.clock.now())
            uow.commit()
        return first

    def prune(self) -> int:
        """Forget events older than ``keep``; how many were forgotten."""
        with self.uow_factory() as uow:
            removed = uow.seen.prune(self.clock.now() - self.keep)
            uow.commit()
        return removed
