"""Home refresh marks: whose Home (Slack App Home) must be published again.

The change path only calls ``mark``, which costs nothing until the unit of
work commits: then ``flush`` writes every mark of the transaction as ONE
``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` (a row per person, its
``version`` bumped when it exists). The publisher claims due marks with a
lease, publishes, and clears a mark only if its version is still the one it
claimed — a change during the publish leaves the person marked.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Integer, bindparam, delete, select, text, update
from sqlalchemy.orm import Session

from storage import models as m
from storage.records import HomeMark
from storage.repositories._base import Repository, utc_or_none
from storage.types import UTCDateTime

_H = m.home_refresh


@dataclass
class _Pending:
    at: datetime
    people: set[int] = field(default_factory=set)
    owners_of: set[int] = field(default_factory=set)


def _mark(row: Any) -> HomeMark:
    return HomeMark(row.person_id, row.workspace_id, row.version, row.dirty_since, row.attempts)


class HomeRefreshRepository(Repository):
    """Marks written at commit (one statement) and claimed by the Home publisher."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._pending: dict[int, _Pending] = {}

    # -- the change path ----------------------------------------------------------

    def mark(
        self,
        workspace_id: int,
        at: datetime,
        people: Iterable[int | None] = (),
        owners_of: Iterable[int] = (),
    ) -> None:
        """Note that ``people`` and the owners of tasks ``owners_of`` need their Home again.

        Nothing is written now: the unit of work's commit flushes every mark of
        the transaction in one statement (owners are read at that moment).
        """
        persons = {p for p in people if p is not None}
        tasks = set(owners_of)
        if not persons and not tasks:
            return
        pending = self._pending.get(workspace_id)
        if pending is None:
            at = utc_or_none(at, "at")  # type: ignore[assignment]
            pending = self._pending[workspace_id] = _Pending(at)
        pending.people |= persons
        pending.owners_of |= tasks

    def flush(self) -> None:
        """Write the pending marks (called by ``UnitOfWork.commit``)."""
        pending, self._pending = self._pending, {}
        for ws, marks in sorted(pending.items()):
            people, tasks = bool(marks.people), bool(marks.owners_of)
            stmt = self._template(("home_refresh.mark", people, tasks),
                                  partial(self._upsert, people, tasks))
            params: dict[str, Any] = {"ws": ws, "at": marks.at}
            if people:
                params["people"] = self._ids_value(marks.people)
            if tasks:
                params["tasks"] = self._ids_value(marks.owners_of)
            self._s.execute(stmt, params)

    def discard(self) -> None:
        """Forget the pending marks (the transaction rolled back)."""
        self._pending = {}

    def _upsert(self, people: bool, tasks: bool) -> Any:
        """INSERT ... SELECT ... ON CONFLICT bumping the version; built once per shape.

        Written as SQL text: SQLAlchemy never caches the compiled form of the
        dialects' ON CONFLICT inserts, and compiling this one costs more than
        running it — on every change.
        """
        postgres = self._dialect == "postgresql"

        def among(column: str, param: str) -> str:
            if postgres:
                return f"{column} = ANY(CAST(:{param} AS INTEGER[]))"
            return f"{column} IN (SELECT value FROM json_each(:{param}))"

        sources = []
        if people:  # from people, so an unknown id marks nobody
            sources.append(
                "SELECT people.id AS id FROM people "
                f"WHERE people.workspace_id + 0 = :ws AND {among('people.id', 'people')}"
            )
        if tasks:
            sources.append(
                "SELECT tasks.owner_id AS id FROM tasks "
                f"WHERE tasks.workspace_id + 0 = :ws AND {among('tasks.id', 'tasks')} "
                "AND tasks.owner_id IS NOT NULL"
            )
        sql = (
            "INSERT INTO home_refresh (person_id, workspace_id, version, dirty_since, due_at) "
            # DISTINCT: one owner of several tasks is one row (PostgreSQL refuses to
            # update a row twice in one INSERT ... ON CONFLICT); WHERE true: SQLite
            # needs a WHERE before ON CONFLICT in INSERT ... SELECT; ORDER BY: one
            # lock order for every writer (no deadlocks).
            f"SELECT DISTINCT ids.id, :ws, 1, :at, :at FROM ({' UNION '.join(sources)}) AS ids "
            "WHERE true ORDER BY ids.id "
            "ON CONFLICT (person_id) DO UPDATE SET version = home_refresh.version + 1"
        )
        return text(sql).bindparams(
            bindparam("ws", type_=Integer), bindparam("at", type_=UTCDateTime())
        )

    # -- the publisher ----------------------------------------------------------------

    def claim_due(self, now: datetime, lease: timedelta, limit: int = 100) -> list[HomeMark]:
        """Claim up to ``limit`` due marks: their ``due_at`` moves to ``now + lease``.

        PostgreSQL picks rows with ``FOR UPDATE SKIP LOCKED``, so two publishers
        never claim the same person; SQLite has a single writer. A publisher
        that dies mid-way leaves its marks to be claimed again after the lease.
        Commit right after claiming.
        """
        now = utc_or_none(now, "now")  # type: ignore[assignment]
        pick = select(_H.c.person_id).where(_H.c.due_at <= now)
        pick = pick.order_by(_H.c.due_at, _H.c.person_id).limit(limit)
        ids = self._pick_locked(pick)
        if not ids:
            return []
        stmt = (
            update(_H)
            .where(self._in(_H.c.person_id, ids), _H.c.due_at <= now)
            .values(due_at=now + lease)
            .returning(*_H.c)
        )
        return sorted((_mark(row) for row in self._s.execute(stmt)),
                      key=lambda h: h.person_id)

    def clear(self, mark: HomeMark, now: datetime) -> bool:
        """Remove the mark if nobody marked the person since it was claimed.

        True when removed. Otherwise the person changed during the publish: the
        mark stays and is due again at ``now`` (its attempts start over).
        """
        gone = self._s.execute(
            delete(_H)
            .where(_H.c.person_id == mark.person_id, _H.c.version == mark.version)
            .returning(_H.c.person_id)
        ).first()
        if gone is not None:
            return True
        self._s.execute(
            update(_H)
            .where(_H.c.person_id == mark.person_id)
            .values(due_at=utc_or_none(now, "now"), attempts=0)
        )
        return False

    def retry(self, mark: HomeMark, at: datetime) -> None:
        """Publishing failed for now: try again at ``at`` (the mark is kept)."""
        self._s.execute(
            update(_H)
            .where(_H.c.person_id == mark.person_id)
            .values(due_at=utc_or_none(at, "at"), attempts=_H.c.attempts + 1)
        )

    def list(self, workspace_id: int | None = None) -> builtins.list[HomeMark]:
        """Marks waiting (of one workspace, or all), by person."""
        stmt = select(*_H.c)
        if workspace_id is not None:
            stmt = stmt.where(_H.c.workspace_id == workspace_id)
        return [_mark(row) for row in self._s.execute(stmt.order_by(_H.c.person_id))]

    def due_at(self, person_id: int) -> datetime | None:
        """When the person's mark is next due (None: not marked)."""
        return self._s.scalar(select(_H.c.due_at).where(_H.c.person_id == person_id))
