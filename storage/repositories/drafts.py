"""Drafts waiting for a tap: a captured task to create, a date to choose (issue #12).

A draft belongs to the person who asked; taking it deletes it, so a second tap
on the same button finds nothing and creates nothing twice. Drafts older than
``KEEP`` are pruned whenever a new one is written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select

from storage import models as m
from storage.repositories._base import Repository, utc_or_none

_D = m.capture_drafts
KEEP = timedelta(days=2)


class DraftRepository(Repository):
    """Per-person drafts, handed out as plain dicts."""

    def add(self, ws: int, person_id: int, intent: dict[str, Any], at: datetime) -> int:
        """Store a draft; return its id. Drafts older than KEEP are removed first."""
        when = utc_or_none(at, "at")
        assert when is not None
        self._s.execute(delete(_D).where(_D.c.created_at < when - KEEP))
        stmt = insert(_D).values(workspace_id=ws, person_id=person_id, intent=intent,
                                 created_at=when).returning(_D.c.id)
        return int(self._s.execute(stmt).scalar_one())

    def take(self, ws: int, person_id: int, draft_id: int) -> dict[str, Any] | None:
        """The draft's intent, removed; None when it is gone or someone else's."""
        where = (_D.c.id == draft_id) & (_D.c.workspace_id == ws) & (_D.c.person_id == person_id)
        row = self._s.execute(select(_D.c.intent).where(where).with_for_update()).first()
        if row is None:
            return None
        self._s.execute(delete(_D).where(where))
        return dict(row.intent)
