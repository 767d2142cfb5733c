"""Platform events already handled, shared by every Vigil process on the database.

Slack resends an event (same ``event_id``) when it did not see a quick
answer; whichever process gets the copy must not handle it again, also after
a restart. The first insert of an id wins; the rest are duplicates.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from storage import models as m
from storage.repositories._base import Repository, utc_or_none

_E = m.seen_events
MAX_ID = 200  # characters (the column's width)


class SeenEventRepository(Repository):
    """Event ids by platform; not workspace data (an event may come before its workspace)."""

    def first_time(self, platform: str, event_id: str, at: datetime) -> bool:
        """Record the event; True when no process recorded it before.

        INSERT ... ON CONFLICT DO NOTHING: two processes racing on one id cannot
        both see True (the second waits for the first to commit on PostgreSQL).
        """
        if not event_id or len(event_id) > MAX_ID:
            raise ValueError(f"an event id has 1 to {MAX_ID} characters, got {len(event_id)}")
        insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(_E)
            .values(platform=platform, event_id=event_id, created_at=utc_or_none(at, "at"))
            .on_conflict_do_nothing(index_elements=["platform", "event_id"])
            .returning(_E.c.event_id)
        )
        return self._s.execute(stmt).first() is not None

    def recorded(self, platform: str, event_id: str) -> bool:
        """Whether this event id was recorded (and committed, or in this transaction)."""
        stmt = select(_E.c.event_id).where(_E.c.platform == platform, _E.c.event_id == event_id)
        return self._s.execute(stmt).first() is not None

    def prune(self, before: datetime) -> int:
        """Forget the events recorded before ``before``; how many were removed."""
        stmt = delete(_E).where(_E.c.created_at < utc_or_none(before, "before"))
        return int(self._s.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
