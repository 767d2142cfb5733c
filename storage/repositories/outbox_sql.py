"""The outbox's table, its hand-written SQL texts and advisory-lock keys (shared by
the queueing and the delivery halves of the outbox repository)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text

from storage import models as m
from storage.records import NotificationRecord

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


CHUNK = 200  # rows per multi-row INSERT (9 binds each: far below both databases' limits)

# ``queue_many``'s INSERT, sent straight to the driver (``storage.repositories.driver_sql``):
# the constant columns as SQL literals, the rest bound positionally in ``_INSERTED`` order.
_QUEUE_LITERALS = {"status": "'pending'", "attempts": "0"}
_QUEUE_HEAD = f"INSERT INTO notifications ({', '.join(_INSERTED)})"
_QUEUE_TAIL = "ON CONFLICT (workspace_id, dedup_key) DO NOTHING RETURNING dedup_key"


def _queue_row(mark: str) -> str:
    return "(" + ", ".join(_QUEUE_LITERALS.get(c, mark) for c in _INSERTED) + ")"


def _lock_key(name: str) -> int:
    """The 32-bit advisory lock key of a lock name (the other half is the schema's)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)


# Advisory locks are database-wide: the schema's hash is the first key, so Vigils in
# different schemas of one database (or test runs side by side) never block each other.
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(hashtext(current_schema()), :k)")
_HOLD_LOCK = text("SELECT pg_advisory_xact_lock(hashtext(current_schema()), :k)")


def _record(row: Any) -> NotificationRecord:
    return NotificationRecord(**row._mapping)
