"""The append-only activity log of task changes."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from storage import models as m
from storage.records import ActivityRecord
from storage.repositories._base import Repository, utc_or_none

_A = m.activity
_COLUMNS = (
    _A.c.id,
    _A.c.workspace_id,
    _A.c.task_id,
    _A.c.actor_id,
    _A.c.at,
    _A.c.kind,
    _A.c.before,
    _A.c.after,
    _A.c.human,
)


class ActivityRepository(Repository):
    """Append and read activity entries; there is no update or delete."""

    def add(
        self,
        workspace_id: int,
        task_id: int | None,
        actor_id: int | None,
        at: datetime,
        kind: str,
        before: Any = None,
        after: Any = None,
        human: bool = True,
    ) -> ActivityRecord:
        """Append one entry; ``human=False`` for changes Vigil made itself."""
        self._check_refs(workspace_id, people=(actor_id,), tasks=(task_id,))
        values = {
            "workspace_id": workspace_id,
            "task_id": task_id,
            "actor_id": actor_id,
            "at": utc_or_none(at, "at"),
            "kind": kind,
            "before": before,
            "after": after,
            "human": bool(human),
        }
        stmt = self._template("activity_add", lambda: insert(_A).returning(*_COLUMNS))
        row = self._s.execute(stmt, values).one()
        return ActivityRecord(*row)

    def add_many(self, workspace_id: int, entries: builtins.list[dict[str, Any]]) -> None:
        """Append many entries in one statement (bulk import); each has the ``add`` fields."""
        if not entries:
            return
        self._check_refs(workspace_id, people={e.get("actor_id") for e in entries},
                         tasks={e.get("task_id") for e in entries})
        rows = [
            {
                "workspace_id": workspace_id,
                "task_id": e.get("task_id"),
                "actor_id": e.get("actor_id"),
                "at": utc_or_none(e["at"], "at"),
                "kind": e["kind"],
                "before": e.get("before"),
                "after": e.get("after"),
                "human": bool(e.get("human", False)),
            }
            for e in entries
        ]
        self._s.execute(insert(_A), rows)

    def of_kind(self, workspace_id: int, kind: str) -> builtins.list[ActivityRecord]:
        """Every entry of one kind (e.g. ``imported``), oldest first."""
        stmt = select(*_COLUMNS).where(_A.c.workspace_id == workspace_id, _A.c.kind == kind)
        return [ActivityRecord(*row) for row in self._s.execute(stmt.order_by(_A.c.id))]

    def for_task(self, workspace_id: int, task_id: int) -> builtins.list[ActivityRecord]:
        """A task's entries, oldest first."""
        stmt = select(*_COLUMNS).where(_A.c.workspace_id == workspace_id, _A.c.task_id == task_id)
        return [ActivityRecord(*row) for row in self._s.execute(stmt.order_by(_A.c.at, _A.c.id))]

    def list(
        self, workspace_id: int, since: datetime | None = None
    ) -> builtins.list[ActivityRecord]:
        """Every entry of the workspace (optionally at or after ``since``), oldest first."""
        stmt = select(*_COLUMNS).where(_A.c.workspace_id == workspace_id)
        if since is not None:
            stmt = stmt.where(_A.c.at >= utc_or_none(since, "since"))
        return [ActivityRecord(*row) for row in self._s.execute(stmt.order_by(_A.c.at, _A.c.id))]
