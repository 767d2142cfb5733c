"""Row locks a tick batch takes on the tasks and people it decides (PostgreSQL only)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text

from storage import models as m
from storage.repositories._base import Repository

_T = m.tasks


class TaskLocks(Repository):
    """Lock a batch's subjects so two processes never decide one from the same read."""

    def locks_rows(self) -> bool:
        """Whether ``lock`` takes row locks (PostgreSQL) or is a no-op (SQLite's one writer)."""
        return self._dialect == "postgresql"

    def lock(
        self, workspace_id: int, task_ids: Iterable[int], person_ids: Iterable[int] = ()
    ) -> None:
        """PostgreSQL: lock exactly these tasks, then these people (FOR NO KEY
        UPDATE, each in id order), waiting for them, until the transaction ends.

        A tick batch locks every subject it decides before reading its state,
        so two processes never decide one subject from the same stale read
        (which would fire it twice or miss a change). SQLite has one writer
        already: nothing to do.
        """
        self._lock(workspace_id, task_ids, person_ids, skip_locked=False)

    def lock_free(
        self, workspace_id: int, task_ids: Iterable[int], person_ids: Iterable[int] = ()
    ) -> tuple[set[int], set[int]]:
        """Lock those of these tasks and people no other transaction holds, without
        waiting (SKIP LOCKED); returns (tasks locked, people locked).

        A batch that already holds rows takes more this way, so it never waits
        while holding (two batches waiting on each other deadlock). SQLite: all
        of them (one writer).
        """
        return self._lock(workspace_id, task_ids, person_ids, skip_locked=True)

    def _lock(
        self, workspace_id: int, task_ids: Iterable[int], person_ids: Iterable[int],
        skip_locked: bool,
    ) -> tuple[set[int], set[int]]:
        wanted = (set(task_ids), set(person_ids))
        if self._dialect != "postgresql":
            return wanted
        got: list[set[int]] = []
        for table, ids in zip((_T, m.people), wanted, strict=True):
            if not ids:
                got.append(set())
                continue
            stmt = (
                select(table.c.id)
                .where(table.c.workspace_id == workspace_id, self._in(table.c.id, ids))
                .order_by(table.c.id)
                # NO KEY UPDATE: the notices written meanwhile check their
                # foreign keys with KEY SHARE locks, which this must not block.
                .with_for_update(key_share=True, skip_locked=skip_locked)
            )
            got.append(set(self._s.scalars(stmt)))
        return got[0], got[1]

    def bound_lock_waits(self, seconds: float) -> None:
        """PostgreSQL: until the transaction ends, a statement waiting longer
        than ``seconds`` for a lock fails (SQLSTATE 55P03) instead of waiting on.

        A tick batch that waits on a long batch of another process gives up,
        rolls back and lets its process decide another shard meanwhile; a
        batch never waits without bound on a row a stuck transaction holds.
        SQLite: nothing to do (its busy timeout bounds the wait already).
        """
        if self._dialect != "postgresql":
            return
        # SET takes no bound parameters; the value is a number formatted here.
        self._s.execute(text(f"SET LOCAL lock_timeout = '{int(seconds * 1000)}ms'"))
