"""The delivery half of the outbox: dispatcher claims with leases and fencing
tokens, the outcome of each attempt, and the counts ``vigil notices`` reports."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, true, update

from storage import models as m
from storage.records import NotificationRecord
from storage.repositories._base import Repository, utc_or_none
from storage.repositories.outbox_sql import _COLUMNS, _N, _record

# While digests and other rows both wait, at least one claimed row in this many
# is not a digest (a claim of 50: up to 40 digests, then alerts fill the rest).
OTHERS_EVERY = 5


class OutboxDelivery(Repository):
    """What dispatchers do with queued rows (mixed into ``OutboxRepository``)."""


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

        Order: due **digests first** (a person's digest replaces the status
        meeting and must not wait behind the alerts quiet hours held for the
        same 09:00), by (next attempt, id); then the rest by (next attempt,
        platform, id) — oldest first, whatever the workspace. While both
        wait, at least one row in ``OTHERS_EVERY`` of a full claim is not a
        digest, so a morning of digests does not stall a fresh alert either.
        """
        now = utc_or_none(now, "now")  # type: ignore[assignment]
        digests = self._pick_locked(self._filtered(
            select(_N.c.id).where(m.OPEN_DIGESTS_ONLY, _N.c.kind == "digest",
                                  _N.c.next_attempt_at <= now)
            .order_by(_N.c.next_attempt_at, _N.c.id).limit(limit), platforms, recipients))
        room = limit - min(len(digests), limit - limit // OTHERS_EVERY)
        others = self._others(now, room, platforms, recipients)
        ids = digests[: limit - len(others)] + others
        if not ids:
            return []
        stmt = update(_N).where(self._in(_N.c.id, ids))
        if self._dialect == "postgresql":
            # Still due: nobody claimed it meanwhile (the rows are locked since the
            # pick, so this only guards). Not on SQLite: its single writer already
            # makes that so, and with the condition its planner read every due row
            # of the status index (~50 ms a claim with 185,000 due) instead of 50 ids.
            stmt = stmt.where(_N.c.status.in_(("pending", "sending")),
                              _N.c.next_attempt_at <= now)
        stmt = (
            stmt
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

    def _others(self, now: datetime, limit: int, platforms: Iterable[str] | None,
                recipients: Iterable[int] | None) -> builtins.list[int]:
        """Up to ``limit`` due rows that are not digests, by (next attempt, platform, id).

        One read per status, each in the order of ``ix_notifications_status_next_attempt``
        (status, next attempt, platform, then the row id), so it stops after ``limit``
        rows however many are due — one read of both statuses sorted every due row
        (~55 ms a claim with 185,000 due on SQLite). The two are merged here.
        """
        if limit <= 0:
            return []
        found = []
        for status in ("pending", "sending"):
            pick = self._filtered(
                select(_N.c.next_attempt_at, _N.c.platform, _N.c.id)
                .where(_N.c.status == status, _N.c.kind != "digest", _N.c.next_attempt_at <= now)
                .order_by(_N.c.next_attempt_at, _N.c.platform, _N.c.id).limit(limit),
                platforms, recipients)
            if self._dialect == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            found += [tuple(row) for row in self._s.execute(pick)]
        return [row[2] for row in sorted(found)[:limit]]

    @staticmethod
    def _filtered(pick: Any, platforms: Iterable[str] | None,
                  recipients: Iterable[int] | None) -> Any:
        if platforms is not None:
            pick = pick.where(_N.c.platform.in_(sorted(set(platforms))))
        if recipients is not None:
            pick = pick.where(_N.c.recipient_id.in_(sorted(set(recipients))))
        return pick

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
