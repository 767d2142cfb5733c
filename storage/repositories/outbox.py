"""The notification outbox: rows written with the change, sent by a dispatcher."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from storage import models as m
from storage.records import NotificationRecord
from storage.repositories._base import Repository, utc_or_none

_N = m.notifications
_COLUMNS = tuple(_N.c)


def _record(row: Any) -> NotificationRecord:
    return NotificationRecord(**row._mapping)


class OutboxRepository(Repository):
    """Queue notifications exactly once per dedup key."""

    def add(
        self,
        workspace_id: int,
        recipient_id: int,
        platform: str,
        kind: str,
        payload: dict[str, Any],
        dedup_key: str,
        at: datetime,
        violation_id: int | None = None,
    ) -> NotificationRecord | None:
        """Queue a notice; None (and nothing written) when ``dedup_key`` already exists.

        Uses INSERT ... ON CONFLICT DO NOTHING, so two processes racing on the
        same key cannot both queue it, and the transaction stays usable.
        """
        if kind not in m.NOTIFICATION_KINDS:
            raise ValueError(f"unknown notification kind {kind!r}")
        self._check_refs(workspace_id, people=(recipient_id,))
        if violation_id is not None and not self._existing(
            m.violations, workspace_id, {violation_id}
        ):
            raise ValueError(f"no violation {violation_id} in workspace {workspace_id}")
        at = utc_or_none(at, "at")  # type: ignore[assignment]
        values = {
            "workspace_id": workspace_id,
            "recipient_id": recipient_id,
            "platform": platform,
            "kind": kind,
            "payload": payload,
            "dedup_key": dedup_key,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": at,
            "violation_id": violation_id,
            "created_at": at,
        }
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        stmt = (
            dialect_insert(_N)
            .values(values)
            .on_conflict_do_nothing(index_elements=["workspace_id", "dedup_key"])
            .returning(*_COLUMNS)
        )
        row = self._s.execute(stmt).first()
        return _record(row) if row else None

    def get(self, workspace_id: int, notification_id: int) -> NotificationRecord | None:
        """The outbox row with this id in the workspace, or None."""
        row = self._s.execute(
            select(*_COLUMNS).where(_N.c.workspace_id == workspace_id, _N.c.id == notification_id)
        ).first()
        return _record(row) if row else None

    def by_dedup_key(self, workspace_id: int, dedup_key: str) -> NotificationRecord | None:
        """The outbox row queued under this key, or None."""
        row = self._s.execute(
            select(*_COLUMNS).where(_N.c.workspace_id == workspace_id, _N.c.dedup_key == dedup_key)
        ).first()
        return _record(row) if row else None

    def list(
        self, workspace_id: int, status: str | None = None
    ) -> builtins.list[NotificationRecord]:
        """Outbox rows of the workspace, oldest first, optionally of one status."""
        stmt = select(*_COLUMNS).where(_N.c.workspace_id == workspace_id)
        if status is not None:
            stmt = stmt.where(_N.c.status == status)
        return [_record(row) for row in self._s.execute(stmt.order_by(_N.c.id))]
