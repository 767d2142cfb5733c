"""When each person is next checked and next sent a digest: the due queries and writes."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select, update

from engine.model import Person
from storage import models as m
from storage.repositories._base import Repository, same_workspace, set_instants, utc_or_none
from storage.repositories._convert import PERSON_SELECT, person_from
from storage.repositories.next_checks import due_ids, set_next_check

_P = m.people


class PersonSchedule(Repository):
    """The people half of a tick's due work: whose check or digest has come."""

    def due_for_check(
        self, workspace_id: int, now: datetime, limit: int | None = None
    ) -> builtins.list[int]:
        """Ids of people whose ``next_check_at`` has come (<= now), longest due first.

        ``limit``: at most that many (a tick's bounded batch).
        """
        return due_ids(self, _P, workspace_id, now, limit)

    def claim_due(
        self, workspace_id: int, now: datetime, limit: int, shard: int, shards: int
    ) -> builtins.list[int]:
        """Due people of one shard (id modulo ``shards``), longest due first.

        Claimed through the shard's advisory lock, like ``tasks.claim_due``.
        """
        def build() -> Any:
            stmt = (
                select(_P.c.id)
                .where(_P.c.workspace_id == bindparam("ws"),
                       _P.c.next_check_at <= bindparam("now", type_=_P.c.next_check_at.type))
                .order_by(_P.c.next_check_at, _P.c.id)
                .limit(bindparam("limit"))
            )
            if shards > 1:
                stmt = stmt.where(_P.c.id % bindparam("shards") == bindparam("shard"))
            return stmt

        stmt = self._template(("people_due", shards > 1), build)
        values = {"ws": workspace_id, "now": now, "limit": limit, "shards": shards, "shard": shard}
        return list(self._s.scalars(stmt, values if shards > 1 else
                                    {k: values[k] for k in ("ws", "now", "limit")}))

    def any_due(self, now: datetime) -> bool:
        """Whether any person's check has come (one probe of the next-check index)."""
        stmt = select(_P.c.id).where(_P.c.next_check_at <= now).limit(1)
        return self._s.scalar(stmt) is not None

    def workspaces_due(self, now: datetime) -> set[int]:
        """The workspaces with any of their people due at ``now``: one index probe per
        workspace (see ``TaskChecks.workspaces_due``)."""
        w = m.workspaces
        due = (select(_P.c.id).where(_P.c.workspace_id == w.c.id, _P.c.next_check_at <= now)
               .exists())
        return set(self._s.scalars(select(w.c.id).where(due)))

    def next_checks(
        self, workspace_id: int, person_ids: Iterable[int]
    ) -> dict[int, datetime | None]:
        """The stored ``next_check_at`` of each given person."""
        rows = self._s.execute(
            select(_P.c.id, _P.c.next_check_at).where(
                same_workspace(_P.c.workspace_id, workspace_id), self._in(_P.c.id, person_ids)
            )
        )
        return {row.id: row.next_check_at for row in rows}

    def set_next_check(
        self, workspace_id: int, checks: Mapping[int, datetime | None], read_first: bool = True
    ) -> None:
        """Store ``next_check_at`` for many people in one executemany (``read_first``:
        see ``set_next_check``)."""
        set_next_check(self, _P, workspace_id, checks, read_first)


    def digest_due(self, workspace_id: int, now: datetime, limit: int) -> builtins.list[Person]:
        """Active people whose next digest has come or was never worked out (at most ``limit``).

        Longest due first; a person never worked out (NULL) comes before the rest.
        """
        now = utc_or_none(now, "now")  # type: ignore[assignment]
        stmt = self._template(
            "digest_due",
            lambda: select(*PERSON_SELECT)
            .where(
                _P.c.workspace_id == bindparam("ws"),
                _P.c.active.is_(True),
                or_(_P.c.next_digest_at.is_(None), _P.c.next_digest_at <= bindparam("now")),
            )
            .order_by(_P.c.next_digest_at.nulls_first(), _P.c.id)
            .limit(bindparam("limit")),
        )
        rows = self._s.execute(stmt, {"ws": workspace_id, "now": now, "limit": limit})
        return [person_from(row) for row in rows]

    def set_next_digest(self, workspace_id: int, instants: Mapping[int, datetime | None]) -> None:
        """Store when each person's next digest is due, in one executemany."""
        set_instants(self, _P, "next_digest_at", workspace_id, instants)

    def reset_digests(self, workspace_id: int) -> None:
        """Forget every stored next-digest instant (after the digest time changed)."""
        self._s.execute(
            update(_P).where(_P.c.workspace_id == workspace_id).values(next_digest_at=None)
        )
