"""Reading the outbox: one row, rows by key or by violation, the rows of one platform
message, and what the notifier needs of the recipients (identities, working hours) —
the read half of ``OutboxRepository``."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import time

from sqlalchemy import select

from storage import models as m
from storage.records import NotificationRecord
from storage.repositories._base import Repository
from storage.repositories.outbox_sql import _COLUMNS, _N, _record


class OutboxReads(Repository):
    """Queries of the outbox rows and of their recipients."""

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

    def by_dedup_keys(
        self, workspace_id: int, dedup_keys: Iterable[str], lock: bool = False
    ) -> dict[str, NotificationRecord]:
        """The outbox rows queued under these keys, by key (keys never queued left out).

        ``lock``: on PostgreSQL the rows are locked (FOR UPDATE) until the
        transaction ends, so their status as read stays true meanwhile: a
        dispatcher's claim skips them (SKIP LOCKED). SQLite's one writer needs none.
        """
        keys = sorted(set(dedup_keys))
        found: dict[str, NotificationRecord] = {}
        for start in range(0, len(keys), 500):  # 500 binds a statement: within both limits
            stmt = select(*_COLUMNS).where(
                _N.c.workspace_id == workspace_id, _N.c.dedup_key.in_(keys[start : start + 500])
            )
            if lock and self._dialect == "postgresql":
                stmt = stmt.order_by(_N.c.id).with_for_update()
            found.update((r.dedup_key, r) for r in map(_record, self._s.execute(stmt)))
        return found

    def for_violation(
        self, workspace_id: int, violation_id: int, kind: str | None = "alert"
    ) -> builtins.list[NotificationRecord]:
        """Rows queued for one violation (of one kind), oldest first."""
        stmt = select(*_COLUMNS).where(
            _N.c.workspace_id == workspace_id, _N.c.violation_id == violation_id
        )
        if kind is not None:
            stmt = stmt.where(_N.c.kind == kind)
        return [_record(row) for row in self._s.execute(stmt.order_by(_N.c.id))]

    def for_violations(
        self, workspace_id: int, violation_ids: Iterable[int], kind: str = "alert"
    ) -> dict[int, builtins.list[NotificationRecord]]:
        """``for_violation`` for many violations in one statement: rows by violation id,
        oldest first (a violation without rows maps to [])."""
        ids = set(violation_ids)
        out: dict[int, builtins.list[NotificationRecord]] = {vid: [] for vid in ids}
        if not ids:
            return out
        stmt = select(*_COLUMNS).where(
            _N.c.workspace_id == workspace_id,
            self._in(_N.c.violation_id, ids),
            _N.c.kind == kind,
        )
        for row in map(_record, self._s.execute(stmt.order_by(_N.c.id))):
            out[row.violation_id].append(row)  # type: ignore[index]
        return out

    def in_message(
        self, workspace_id: int, recipient_id: int, platform: str, platform_ref: str
    ) -> builtins.list[NotificationRecord]:
        """The alert rows delivered together in one platform message."""
        stmt = select(*_COLUMNS).where(
            _N.c.workspace_id == workspace_id,
            _N.c.recipient_id == recipient_id,
            _N.c.platform == platform,
            _N.c.platform_ref == platform_ref,
            _N.c.kind == "alert",
        )
        return [_record(row) for row in self._s.execute(stmt.order_by(_N.c.id))]

    # -- helpers for the notifier -----------------------------------------------

    def identities_of(
        self, workspace_id: int, person_ids: Iterable[int]
    ) -> dict[int, builtins.list[tuple[str, str]]]:
        """``person id -> [(platform, external id), ...]`` in one query."""
        ids = set(person_ids)
        out: dict[int, builtins.list[tuple[str, str]]] = {pid: [] for pid in ids}
        if not ids:
            return out
        i = m.identities
        rows = self._s.execute(
            select(i.c.person_id, i.c.platform, i.c.external_id)
            .where(i.c.workspace_id == workspace_id, self._in(i.c.person_id, ids))
            .order_by(i.c.id)
        )
        for row in rows:
            out[row.person_id].append((row.platform, row.external_id))
        return out

    def working_hours(
        self, workspace_id: int, person_ids: Iterable[int]
    ) -> dict[int, tuple[time | None, time | None]]:
        """``person id -> (work_start, work_end)`` (None: the workspace's hours)."""
        ids = set(person_ids)
        if not ids:
            return {}
        p = m.people
        rows = self._s.execute(
            select(p.c.id, p.c.work_start, p.c.work_end).where(
                p.c.workspace_id == workspace_id, self._in(p.c.id, ids)
            )
        )
        return {row.id: (row.work_start, row.work_end) for row in rows}
