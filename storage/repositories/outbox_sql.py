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


CHUNK = 200  # rows per multi-row INSERT (11 binds each: far below both databases' limits)


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
