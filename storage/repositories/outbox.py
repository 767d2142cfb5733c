"""The notification outbox: rows written with the change, sent by a dispatcher."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update

from storage import models as m
from storage.records import NotificationRecord
from storage.repositories._base import utc_or_none
from storage.repositories.driver_sql import insert_chunks, instants, mark, processor
from storage.repositories.outbox_delivery import OutboxDelivery
from storage.repositories.outbox_locks import AdvisoryLocks
from storage.repositories.outbox_reads import OutboxReads
from storage.repositories.outbox_sql import (
    _COLUMNS,
    _N,
    _QUEUE_HEAD,
    _QUEUE_TAIL,
    CHUNK,
    _insert_ignoring,
    _queue_row,
    _record,
)


@dataclass(frozen=True)
class Queued:
    """One row for ``OutboxRepository.queue_many`` (the arguments of ``queue``)."""

    recipient_id: int
    platform: str
    kind: str
    payload: dict[str, Any]
    dedup_key: str
    at: datetime
    next_attempt_at: datetime | None = None
    violation_id: int | None = None


class OutboxRepository(OutboxDelivery, OutboxReads, AdvisoryLocks):
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
        row = self._insert(
            workspace_id,
            Queued(recipient_id, platform, kind, payload, dedup_key, at, None, violation_id),
            _COLUMNS,
        )
        return _record(row) if row else None

    # -- writing in bulk (the notifier already validated its references) -------

    def queue(
        self,
        workspace_id: int,
        recipient_id: int,
        platform: str,
        kind: str,
        payload: dict[str, Any],
        dedup_key: str,
        at: datetime,
        next_attempt_at: datetime | None = None,
        violation_id: int | None = None,
    ) -> bool:
        """Like ``add`` without the reference checks; True when a row was written.

        For the notifier, which writes many rows inside the evaluation's
        transaction with ids it has just read from the same transaction.
        """
        row = self._insert(
            workspace_id,
            Queued(recipient_id, platform, kind, payload, dedup_key, at, next_attempt_at,
                   violation_id),
            (_N.c.id,),
        )
        return row is not None

    def queue_many(self, workspace_id: int, rows: Sequence[Queued]) -> builtins.list[bool]:
        """``queue`` for many rows with multi-row INSERTs; True for each row written.

        The same outcome as calling ``queue`` row by row in order: a key
        already in the outbox writes nothing, and a key repeated in ``rows``
        is written by its first row only. ``CHUNK`` rows a statement straight
        to the driver (``storage.repositories.driver_sql``), no savepoint;
        concurrent writers of one key still write it once.
        """
        if not rows:
            return []
        conn = self._s.connection()
        instant = instants(conn.dialect, _N, "created_at")
        to_json = processor(conn.dialect, _N, "payload") or (lambda value: value)
        first: dict[str, int] = {}
        values: builtins.list[tuple[Any, ...]] = []
        for index, row in enumerate(rows):
            if row.dedup_key in first:
                continue
            first[row.dedup_key] = index
            if row.kind not in m.NOTIFICATION_KINDS:
                raise ValueError(f"unknown notification kind {row.kind!r}")
            at = instant(row.at, "at")
            due = at if row.next_attempt_at is None else instant(row.next_attempt_at,
                                                                 "next_attempt_at")
            values.append((workspace_id, row.recipient_id, row.platform, row.kind,
                           to_json(row.payload), row.dedup_key, due, row.violation_id, at))
        returned = insert_chunks(conn, _QUEUE_HEAD, _queue_row(mark(conn.dialect)), _QUEUE_TAIL,
                                 values, CHUNK)
        written = {key for (key,) in returned}
        return [first[row.dedup_key] == i and row.dedup_key in written
                for i, row in enumerate(rows)]

    def replace_pending_payloads(
        self, workspace_id: int, payloads: Mapping[int, dict[str, Any]]
    ) -> None:
        """``replace_pending_payload`` for many rows in one executemany.

        For rows the caller read pending with ``by_dedup_keys(lock=True)`` in
        this transaction (an executemany cannot say which rows it changed): a
        row no longer pending is still left alone.
        """
        if not payloads:
            return
        stmt = self._template(
            "outbox_replace_payloads",
            lambda: update(_N)
            .where(
                _N.c.workspace_id == bindparam("_ws"),
                _N.c.id == bindparam("_id"),
                _N.c.status == "pending",
            )
            .values(payload=bindparam("_payload")),
        )
        params = [{"_ws": workspace_id, "_id": nid, "_payload": payload}
                  for nid, payload in sorted(payloads.items())]
        self._s.execute(stmt, params)

    def _values(self, workspace_id: int, row: Queued) -> dict[str, Any]:
        """The inserted columns of one outbox row (ValueError: unknown kind, naive instant)."""
        if row.kind not in m.NOTIFICATION_KINDS:
            raise ValueError(f"unknown notification kind {row.kind!r}")
        at = utc_or_none(row.at, "at")
        return {
            "workspace_id": workspace_id,
            "recipient_id": row.recipient_id,
            "platform": row.platform,
            "kind": row.kind,
            "payload": row.payload,
            "dedup_key": row.dedup_key,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": utc_or_none(row.next_attempt_at, "next_attempt_at") or at,
            "violation_id": row.violation_id,
            "created_at": at,
        }

    def _insert(self, workspace_id: int, row: Queued, returning: Sequence[Any]) -> Any:
        """INSERT ... ON CONFLICT DO NOTHING on (workspace, dedup key); the row or None."""
        values = self._values(workspace_id, row)
        names = tuple(c.name for c in returning)
        stmt = self._template(("outbox_insert", names), lambda: _insert_ignoring(returning))
        return self._s.execute(stmt, values).first()

    def replace_pending_payload(
        self, workspace_id: int, notification_id: int, payload: dict[str, Any]
    ) -> bool:
        """Give a row that is still pending a new payload; False when it is no longer pending.

        For notices that grow while a long job runs (a full check's summaries).
        """
        stmt = (
            update(_N)
            .where(
                _N.c.workspace_id == workspace_id,
                _N.c.id == notification_id,
                _N.c.status == "pending",
            )
            .values(payload=payload)
        )
        return bool(self._s.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def cancel_pending_many(
        self, workspace_id: int, violation_ids: Iterable[int], at: datetime, reason: str
    ) -> builtins.list[int]:
        """``cancel_pending`` for many violations in one statement (ids skipped, sorted)."""
        ids = set(violation_ids)
        if not ids:
            return []
        stmt = (
            update(_N)
            .where(
                _N.c.workspace_id == workspace_id,
                self._in(_N.c.violation_id, ids),
                _N.c.kind == "alert",
                _N.c.status == "pending",
            )
            .values(status="sent", sent_at=at, platform_ref=None, last_error=f"skipped: {reason}")
            .returning(_N.c.id)
        )
        return sorted(self._s.scalars(stmt))

    def skip_pending(
        self, workspace_id: int, dedup_keys: Sequence[str], at: datetime, reason: str
    ) -> int:
        """Mark the pending rows queued under these keys as skipped (``sent``, no platform
        reference, ``last_error`` = ``skipped: <reason>``), as ``cancel_pending`` does; how
        many."""
        keys = sorted(set(dedup_keys))
        done = 0
        for start in range(0, len(keys), 500):  # 500 binds a statement: within both limits
            stmt = (
                update(_N)
                .where(
                    _N.c.workspace_id == workspace_id,
                    _N.c.dedup_key.in_(keys[start : start + 500]),
                    _N.c.status == "pending",
                )
                .values(status="sent", sent_at=at, platform_ref=None,
                        last_error=f"skipped: {reason}")
            )
            done += self._s.execute(stmt).rowcount  # type: ignore[attr-defined]
        return done

    def cancel_pending(
        self, workspace_id: int, violation_id: int, at: datetime, reason: str
    ) -> builtins.list[int]:
        """Skip the violation's alerts not yet claimed by a dispatcher (ids returned).

        A skipped row is ``sent`` with no platform reference and ``last_error``
        starting with ``skipped:`` — there is nothing left to tell.
        """
        return self.cancel_pending_many(workspace_id, (violation_id,), at, reason)
