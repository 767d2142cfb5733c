"""The notification outbox: rows written with the change, sent by a dispatcher."""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from sqlalchemy import bindparam, case, func, select, text, true, update

from storage import models as m
from storage.records import NotificationRecord
from storage.repositories._base import Repository, chunks, utc_or_none

_N = m.notifications
_COLUMNS = tuple(_N.c)


_INSERTED = (
    "workspace_id", "recipient_id", "platform", "kind", "payload", "dedup_key", "status",
    "attempts", "next_attempt_at", "violation_id", "created_at",
)


def _insert_ignoring(returning: Sequence[Any]) -> Any:
    """INSERT ... ON CONFLICT (workspace, dedup key) DO NOTHING RETURNING, as SQL text.

    Text because SQLAlchemy never caches the compiled form of the dialects' ON
    CONFLICT inserts, and compiling one cost more than running it. The same
    SQL runs on SQLite (3.35+) and PostgreSQL; bind and result types come from
    the table's columns.
    """
    sql = (
        f"INSERT INTO notifications ({', '.join(_INSERTED)}) "
        f"VALUES ({', '.join(':' + name for name in _INSERTED)}) "
        "ON CONFLICT (workspace_id, dedup_key) DO NOTHING "
        f"RETURNING {', '.join(c.name for c in returning)}"
    )
    binds = [bindparam(name, type_=_N.c[name].type) for name in _INSERTED]
    return text(sql).bindparams(*binds).columns(*returning)


CHUNK = 200  # rows per multi-row INSERT (11 binds each: far below both databases' limits)


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


def _insert_many_ignoring(rows: int) -> Any:
    """``rows`` outbox rows in one INSERT ... ON CONFLICT DO NOTHING RETURNING dedup_key,
    as SQL text (compiled once per size; the same SQL runs on SQLite 3.35+ and PostgreSQL)."""
    values = ", ".join(
        "(" + ", ".join(f":{name}_{i}" for name in _INSERTED) + ")" for i in range(rows)
    )
    sql = (
        f"INSERT INTO notifications ({', '.join(_INSERTED)}) VALUES {values} "
        "ON CONFLICT (workspace_id, dedup_key) DO NOTHING RETURNING dedup_key"
    )
    binds = [
        bindparam(f"{name}_{i}", type_=_N.c[name].type) for i in range(rows) for name in _INSERTED
    ]
    return text(sql).bindparams(*binds).columns(_N.c.dedup_key)


def _lock_key(name: str) -> int:
    """The 32-bit advisory lock key of a lock name (the other half is the schema's)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


# Advisory locks are database-wide: the schema's hash is the first key, so Vigils in
# different schemas of one database (or test runs side by side) never block each other.
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtext(current_schema()), :k)")
_HOLD_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(current_schema()), :k)")


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
        row = self._insert(
            workspace_id,
            Queued(recipient_id, platform, kind, payload, dedup_key, at, None, violation_id),
            _COLUMNS,
        )
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
        is written by its first row only. ``CHUNK`` rows a statement, no
        savepoint; concurrent writers of one key still write it once.
        """
        first: dict[str, int] = {}
        values: builtins.list[dict[str, Any]] = []
        for index, row in enumerate(rows):
            if row.dedup_key in first:
                continue
            first[row.dedup_key] = index
            values.append(self._values(workspace_id, row))
        written: set[str] = set()
        for start, stop in chunks(len(values), CHUNK):
            chunk = values[start:stop]
            size = len(chunk)
            stmt = self._template(("outbox_insert_many", size),
                                  partial(_insert_many_ignoring, size))
            params = {f"{k}_{i}": v for i, row in enumerate(chunk) for k, v in row.items()}
            written.update(self._s.scalars(stmt, params))
        return [first[row.dedup_key] == i and row.dedup_key in written
                for i, row in enumerate(rows)]

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

    def cancel_pending(
        self, workspace_id: int, violation_id: int, at: datetime, reason: str
    ) -> builtins.list[int]:
        """Skip the violation's alerts not yet claimed by a dispatcher (ids returned).

        A skipped row is ``sent`` with no platform reference and ``last_error``
        starting with ``skipped:`` — there is nothing left to tell.
        """
        return self.cancel_pending_many(workspace_id, (violation_id,), at, reason)

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

    # -- the dispatcher ---------------------------------------------------------

    def claim_due(
        self,
        now: datetime,
        lease: timedelta,
        limit: int = 100,
        platforms: Iterable[str] | None = None,
        token: str | None = None,
        recipients: Iterable[int] | None = None,
    ) -> builtins.list[NotificationRecord]:
        """Claim up to ``limit`` due rows of every workspace for one dispatcher pass.

        Due: ``pending`` with ``next_attempt_at <= now``, or ``sending`` whose
        lease ran out (its claimant died or stalled: the row is taken over and
        marked ``in_doubt``, since that claimant may have sent it). Claimed rows
        become ``sending`` with ``next_attempt_at = now + lease`` and carry
        ``token`` (the pass's fencing token, see ``renew``). On PostgreSQL the
        rows are picked with ``FOR UPDATE SKIP LOCKED``, so concurrent
        dispatchers never claim the same row; SQLite has a single writer
        (``BEGIN IMMEDIATE``), so the select and the status update cannot
        interleave with another claim. ``platforms``: only rows for these
        platforms (None: every platform); ``recipients``: only rows for these
        person ids (None: everybody — the console claims only the notices of
        the person at the keyboard). Commit right after claiming.
        """
        now = utc_or_none(now, "now")  # type: ignore[assignment]
        pick = (
            select(_N.c.id)
            .where(_N.c.status.in_(("pending", "sending")), _N.c.next_attempt_at <= now)
            .order_by(_N.c.next_attempt_at, _N.c.id)
            .limit(limit)
        )
        if platforms is not None:
            pick = pick.where(_N.c.platform.in_(sorted(set(platforms))))
        if recipients is not None:
            pick = pick.where(_N.c.recipient_id.in_(sorted(set(recipients))))
        ids = self._pick_locked(pick)
        if not ids:
            return []
        stmt = (
            update(_N)
            .where(
                self._in(_N.c.id, ids),
                _N.c.status.in_(("pending", "sending")),
                _N.c.next_attempt_at <= now,  # still due: nobody claimed it meanwhile
            )
            .values(
                status="sending",
                next_attempt_at=now + lease,
                claim_token=token,
                in_doubt=case((_N.c.status == "sending", true()), else_=_N.c.in_doubt),
            )
            .returning(*_COLUMNS)
        )
        rows = [_record(row) for row in self._s.execute(stmt)]
        return sorted(rows, key=lambda r: r.id)

    def renew(self, token: str, ids: Iterable[int], until: datetime) -> set[int]:
        """Extend the lease of the rows this pass still holds; the ids still held.

        The fencing check: a row another pass took over (its lease ran out and
        it was claimed again) carries another token and is left alone — the
        caller must not send it.
        """
        wanted = set(ids)
        if not wanted:
            return set()
        stmt = (
            update(_N)
            .where(self._in(_N.c.id, wanted), _N.c.claim_token == token, _N.c.status == "sending")
            .values(next_attempt_at=utc_or_none(until, "until"))
            .returning(_N.c.id)
        )
        return set(self._s.scalars(stmt))

    def mark_sent(
        self,
        notification_id: int,
        at: datetime,
        platform_ref: str | None,
        note: str | None = None,
        token: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Delivered (or, with ``note`` 'skipped: ...', nothing to deliver any more).

        With ``token``: only while the row is still claimed by that pass
        (False, and nothing written, when it is not). ``payload``: what was
        actually sent, when the sender re-worded it at sending time.
        """
        extra = {"payload": payload} if payload is not None else {}
        return self._finish(
            notification_id,
            token,
            status="sent",
            sent_at=utc_or_none(at, "at"),
            platform_ref=platform_ref,
            last_error=note,
            attempts=_N.c.attempts + 1,
            in_doubt=False,
            **extra,
        )

    def mark_retry(
        self,
        notification_id: int,
        next_attempt_at: datetime,
        error: str,
        token: str | None = None,
        in_doubt: bool = False,
    ) -> bool:
        """A transient failure: try again at ``next_attempt_at``.

        ``in_doubt``: the platform may have received it (timeout, lost answer).
        """
        return self._finish(
            notification_id,
            token,
            status="pending",
            next_attempt_at=utc_or_none(next_attempt_at, "next_attempt_at"),
            last_error=error,
            attempts=_N.c.attempts + 1,
            in_doubt=in_doubt,
        )

    def mark_failed(self, notification_id: int, error: str, token: str | None = None) -> bool:
        """A permanent failure (or one that outlived the retry age): never tried again."""
        return self._finish(
            notification_id, token, status="failed", last_error=error,
            attempts=_N.c.attempts + 1,
        )

    def reschedule(
        self, notification_id: int, next_attempt_at: datetime, token: str | None = None
    ) -> bool:
        """Put a claimed row back without counting an attempt (snoozed, waiting)."""
        return self._finish(
            notification_id,
            token,
            status="pending",
            next_attempt_at=utc_or_none(next_attempt_at, "next_attempt_at"),
        )

    def retry_failed(
        self, now: datetime, ids: Iterable[int] | None = None
    ) -> builtins.list[int]:
        """Failed rows (all, or those of ``ids``) queued again at ``now``; their ids.

        Attempts start again and the age for giving up counts from ``now``.
        """
        now = utc_or_none(now, "now")  # type: ignore[assignment]
        stmt = update(_N).where(_N.c.status == "failed")
        if ids is not None:
            stmt = stmt.where(self._in(_N.c.id, set(ids)))
        stmt = stmt.values(
            status="pending", next_attempt_at=now, attempts=0, attempts_since=now,
            claim_token=None,
        ).returning(_N.c.id)
        return sorted(self._s.scalars(stmt))

    def _finish(self, notification_id: int, token: str | None, **values: Any) -> bool:
        """Leave ``sending``; with ``token`` only if that pass still holds the row."""
        stmt = update(_N).where(_N.c.id == notification_id)
        if token is not None:
            stmt = stmt.where(_N.c.claim_token == token, _N.c.status == "sending")
        result = self._s.execute(stmt.values(claim_token=None, **values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

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

    def try_lock(self, name: str) -> bool:
        """Take a transaction-scoped advisory lock named ``name`` if free.

        PostgreSQL: ``pg_try_advisory_xact_lock`` — released at commit or
        rollback; False when another process holds it. SQLite: always True
        (transactions are ``BEGIN IMMEDIATE``: one writer at a time already).
        """
        if self._dialect != "postgresql":
            return True
        return bool(self._s.scalar(_TRY_LOCK, {"k": _lock_key(name)}))

    def hold_lock(self, name: str) -> None:
        """Wait for the transaction-scoped advisory lock ``name`` (see ``try_lock``)."""
        if self._dialect != "postgresql":
            return
        self._s.execute(_HOLD_LOCK, {"k": _lock_key(name)})

    # -- reporting -----------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per status over every workspace."""
        rows = self._s.execute(select(_N.c.status, func.count()).group_by(_N.c.status))
        out = dict.fromkeys(m.NOTIFICATION_STATUSES, 0)
        out.update({status: int(n) for status, n in rows})
        return out

    def recent(
        self, status: str, limit: int = 20, workspace_id: int | None = None
    ) -> builtins.list[NotificationRecord]:
        """The newest rows of one status (sent: by sent_at), over every workspace."""
        stmt = select(*_COLUMNS).where(_N.c.status == status)
        if workspace_id is not None:
            stmt = stmt.where(_N.c.workspace_id == workspace_id)
        order = _N.c.sent_at.desc() if status == "sent" else _N.c.id.desc()
        stmt = stmt.order_by(order, _N.c.id.desc()).limit(limit)
        return [_record(row) for row in self._s.execute(stmt)]
