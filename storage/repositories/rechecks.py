"""Subjects a PostgreSQL tick batch hands on: decided again by their shard's next batch."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select

from storage import models as m
from storage.repositories._base import Repository

_R, _T = m.rechecks, m.tasks


@dataclass
class Claimed:
    """The recheck rows one batch took: their ids (deleted when it commits) and subjects."""

    row_ids: builtins.list[int] = field(default_factory=list)
    task_ids: set[int] = field(default_factory=set)
    person_ids: set[int] = field(default_factory=set)


class RecheckRepository(Repository):
    """``rechecks``: tasks and people whose neighbour's verdict moved while they were busy."""

    def add(self, workspace_id: int, task_ids: Iterable[int], person_ids: Iterable[int]) -> None:
        """Queue these tasks and people to be decided again (INSERT ... SELECT).

        Ids no longer in the workspace (deleted meanwhile) are left out.
        """
        for table, column, ids in ((_T, "task_id", set(task_ids)),
                                   (m.people, "person_id", set(person_ids))):
            if not ids:
                continue
            pick = (
                select(table.c.workspace_id, table.c.id)
                .where(table.c.workspace_id == workspace_id, self._in(table.c.id, ids))
                .order_by(table.c.id)
            )
            self._s.execute(insert(_R).from_select(["workspace_id", column], pick))

    def claim(self, workspace_id: int, shard: int, shards: int, limit: int) -> Claimed:
        """The oldest ``limit`` rows of one shard (tasks by owner id, people by id,
        modulo ``shards``, as ``TaskChecks.claim_due`` splits them).

        Not locked: the tick job's shard advisory lock is the claim, and a row
        written after this read (by a batch still deciding) stays for the next batch.
        """
        owner = func.coalesce(_T.c.owner_id, 0)
        stmt = (
            select(_R.c.id, _R.c.task_id, _R.c.person_id)
            .select_from(_R.outerjoin(_T, _T.c.id == _R.c.task_id))
            .where(_R.c.workspace_id == workspace_id)
            .order_by(_R.c.id)
            .limit(limit)
        )
        if shards > 1:
            stmt = stmt.where(
                ((_R.c.task_id.is_not(None)) & (owner % shards == shard))
                | ((_R.c.person_id.is_not(None)) & (_R.c.person_id % shards == shard))
            )
        out = Claimed()
        for row_id, task_id, person_id in self._s.execute(stmt):
            out.row_ids.append(row_id)
            if task_id is not None:
                out.task_ids.add(task_id)
            if person_id is not None:
                out.person_ids.add(person_id)
        return out

    def clear(self, row_ids: Iterable[int]) -> None:
        """Delete these rows (their subjects were decided in this transaction)."""
        ids = set(row_ids)
        if ids:
            self._s.execute(delete(_R).where(self._in(_R.c.id, ids)))

    def workspaces(self) -> set[int]:
        """The workspaces with any recheck queued."""
        return set(self._s.scalars(select(_R.c.workspace_id).distinct()))
