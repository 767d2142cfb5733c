"""Workspaces: the tenants. The only repository not scoped by a workspace id."""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, bindparam, insert, select, update

from engine.model import WorkCalendar
from storage import models as m
from storage.errors import Duplicate, NotFound
from storage.records import WorkspaceRecord
from storage.repositories._base import Repository, utc_or_none
from storage.repositories._convert import calendar_columns, calendar_from

_COLUMNS = (
    m.workspaces.c.id,
    m.workspaces.c.key,
    m.workspaces.c.name,
    m.workspaces.c.tz,
    m.workspaces.c.workdays,
    m.workspaces.c.day_start,
    m.workspaces.c.day_end,
    m.workspaces.c.holidays,
    m.workspaces.c.settings,
    m.workspaces.c.created_at,
    m.workspaces.c.paused_at,
)


def _record(row: Row[Any]) -> WorkspaceRecord:
    return WorkspaceRecord(
        id=row.id,
        key=row.key,
        name=row.name,
        calendar=calendar_from(row.tz, row.workdays, row.day_start, row.day_end, row.holidays),
        settings=dict(row.settings or {}),
        created_at=row.created_at,
        paused_at=row.paused_at,
    )


_CACHE = "vigil.workspace_records"


def _copy(record: WorkspaceRecord) -> WorkspaceRecord:
    """The record with its own settings dict (callers may change theirs)."""
    return replace(record, settings=dict(record.settings))


class WorkspaceRepository(Repository):
    """Create, find and configure workspaces."""

    def create(
        self,
        key: str,
        name: str,
        tz: str = "UTC",
        settings: dict[str, Any] | None = None,
        calendar: WorkCalendar | None = None,
        created_at: datetime | None = None,
    ) -> WorkspaceRecord:
        """Create a workspace; ``calendar`` (when given) wins over ``tz``."""
        if self.by_key(key) is not None:
            raise Duplicate(f"workspace {key!r} already exists")
        cal = calendar or WorkCalendar(tz=tz)
        ZoneInfo(cal.tz)  # unknown zone -> ZoneInfoNotFoundError (a KeyError)
        values = {
            "key": key,
            "name": name,
            "settings": dict(settings or {}),
            "created_at": utc_or_none(created_at, "created_at") or datetime.now(UTC),
            **calendar_columns(cal),
        }
        new_id = self._s.execute(insert(m.workspaces).values(values).returning(m.workspaces.c.id))
        return self._require(new_id.scalar_one())

    def get(self, workspace_id: int) -> WorkspaceRecord | None:
        """The workspace with this id, or None.

        Read once per transaction: a tick batch asks for its workspace's
        calendar and settings several times (loading, persisting, routing), and
        only this repository writes the columns read here (``_update``, after
        which the transaction reads them afresh every time).
        """
        cache = self._cache()
        if cache is not None and workspace_id in cache:
            return _copy(cache[workspace_id])
        stmt = self._template(
            "workspace", lambda: select(*_COLUMNS).where(m.workspaces.c.id == bindparam("id"))
        )
        row = self._s.execute(stmt, {"id": workspace_id}).first()
        record = _record(row) if row else None
        if cache is not None and record is not None:
            cache[workspace_id] = _copy(record)
        return record

    def _cache(self) -> dict[int, WorkspaceRecord] | None:
        """This transaction's workspace records (None: not cached, it wrote one)."""
        txn = self._s.get_transaction()
        held = self._s.info.get(_CACHE)
        if held is None or held[0] is not txn:
            held = self._s.info[_CACHE] = (txn, {})
        return held[1]

    def by_key(self, key: str) -> WorkspaceRecord | None:
        """The workspace with this platform key (``slack:T123``...), or None."""
        row = self._s.execute(select(*_COLUMNS).where(m.workspaces.c.key == key)).first()
        return _record(row) if row else None

    def list(self) -> builtins.list[WorkspaceRecord]:
        """Every workspace, oldest first."""
        rows = self._s.execute(select(*_COLUMNS).order_by(m.workspaces.c.id))
        return [_record(row) for row in rows]

    def active_ids(self) -> builtins.list[int]:
        """Ids of the workspaces scheduled work runs for (not paused), oldest first.

        Ids only: the jobs ask every minute, and building 10,000 records (their
        settings, calendars) to keep the ids costs more than the work due.
        """
        w = m.workspaces
        stmt = self._template(
            "workspaces.active_ids",
            lambda: select(w.c.id).where(w.c.paused_at.is_(None)).order_by(w.c.id),
        )
        return list(self._s.scalars(stmt))

    def escalation_due(self, now: datetime) -> set[int]:
        """The workspaces with a violation whose stored next escalation has come.

        One read of the (workspace, next escalation) index, so the ladder visits
        only the workspaces with something to climb, not every tenant each minute.
        """
        v = m.violations
        stmt = self._template(
            "workspaces.escalation_due",
            lambda: select(v.c.workspace_id)
            .where(v.c.next_escalation_at <= bindparam("now"))
            .distinct(),
        )
        return set(self._s.scalars(stmt, {"now": utc_or_none(now, "now")}))

    def digest_due(self, now: datetime) -> set[int]:
        """The workspaces with an active person whose next digest has come (or was never
        worked out), plus those posting a team digest to a channel (``digest.channel``)."""
        p, w = m.people, m.workspaces
        people = self._template(
            "workspaces.digest_due",
            lambda: select(p.c.workspace_id)
            .where(
                p.c.active.is_(True),
                (p.c.next_digest_at.is_(None)) | (p.c.next_digest_at <= bindparam("now")),
            )
            .distinct(),
        )
        due = set(self._s.scalars(people, {"now": utc_or_none(now, "now")}))
        rows = self._s.execute(select(w.c.id, w.c.settings).where(w.c.paused_at.is_(None)))
        return due | {row.id for row in rows if (row.settings or {}).get("digest.channel")}

    def update_settings(self, workspace_id: int, settings: dict[str, Any]) -> WorkspaceRecord:
        """Replace the workspace's rule settings."""
        self._update(workspace_id, {"settings": dict(settings)})
        return self._require(workspace_id)

    def update_calendar(self, workspace_id: int, calendar: WorkCalendar) -> WorkspaceRecord:
        """Replace the workspace's calendar (zone, workdays, hours, holidays)."""
        ZoneInfo(calendar.tz)
        self._update(workspace_id, calendar_columns(calendar))
        return self._require(workspace_id)

    def rename(self, workspace_id: int, name: str) -> WorkspaceRecord:
        """Change the display name."""
        self._update(workspace_id, {"name": name})
        return self._require(workspace_id)

    def rekey(self, workspace_id: int, key: str) -> WorkspaceRecord:
        """Give the workspace a new platform key (its chat moved, e.g. a Telegram
        group upgraded to a supergroup); everything in it stays."""
        if self.by_key(key) is not None:
            raise Duplicate(f"workspace {key!r} already exists")
        self._update(workspace_id, {"key": key})
        return self._require(workspace_id)

    def set_paused(self, workspace_id: int, at: datetime | None) -> WorkspaceRecord:
        """Pause the workspace's scheduled notices from ``at`` (None: resume)."""
        self._update(workspace_id, {"paused_at": utc_or_none(at, "paused_at")})
        return self._require(workspace_id)

    def _update(self, workspace_id: int, values: dict[str, Any]) -> None:
        # No cached records for the rest of this transaction (a savepoint may roll back).
        self._s.info[_CACHE] = (self._s.get_transaction(), None)
        result = self._s.execute(
            update(m.workspaces).where(m.workspaces.c.id == workspace_id).values(values)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound(f"no workspace {workspace_id}")

    def _require(self, workspace_id: int) -> WorkspaceRecord:
        record = self.get(workspace_id)
        if record is None:
            raise NotFound(f"no workspace {workspace_id}")
        return record
