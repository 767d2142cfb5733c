"""Named transaction-scoped locks (PostgreSQL advisory locks; SQLite has one writer)."""

from __future__ import annotations

from storage.repositories._base import Repository
from storage.repositories.outbox_sql import _HOLD_LOCK, _TRY_LOCK, _lock_key


class AdvisoryLocks(Repository):
    """``try_lock`` / ``hold_lock`` (mixed into ``OutboxRepository``, where jobs find them)."""

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
