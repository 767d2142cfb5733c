"""Exceptions raised by the storage layer."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every storage error."""


class NotFound(StorageError, LookupError):
    """The row does not exist in this workspace."""


class InvalidReference(StorageError, ValueError):
    """A referenced id does not exist in the same workspace."""


class Duplicate(StorageError, ValueError):
    """A value that must be unique in the workspace is already taken."""


class Retryable(StorageError):
    """The database refused the transaction for now and rolled it back (a
    serialization failure, a deadlock, a busy SQLite file, a dropped connection
    before commit): running the whole transaction again is safe."""


class CommitUnconfirmed(StorageError):
    """The connection failed during COMMIT: the change may or may not be stored."""


# PostgreSQL: serialization failure, deadlock, lock not available, and the
# connection classes (08xxx: the server went away mid-transaction).
_RETRY_SQLSTATES = ("40001", "40P01", "55P03")
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


_LOCK_CONFLICT_SQLSTATES = ("40P01", "55P03")  # deadlock detected, lock not available


def is_lock_conflict(exc: BaseException) -> bool:
    """True when PostgreSQL rolled ``exc``'s transaction back over a row lock:
    a deadlock it broke, or a wait longer than the transaction's ``lock_timeout``.

    Another transaction holds what this one needs for now: running it again
    later is safe, and better than at once (the holder may still hold it).
    """
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return sqlstate in _LOCK_CONFLICT_SQLSTATES


def is_retryable(exc: BaseException) -> bool:
    """True when ``exc`` (raised before commit) means: roll back and run it again."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, Retryable):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if sqlstate and (sqlstate in _RETRY_SQLSTATES or str(sqlstate).startswith("08")):
        return True
    text = str(exc.orig).lower()
    if any(busy in text for busy in _SQLITE_BUSY):
        return True
    from sqlalchemy.exc import InterfaceError, OperationalError

    # psycopg raises OperationalError for a server that closed or never took the connection
    return isinstance(exc, (OperationalError, InterfaceError)) and _connection_lost(text)


def _connection_lost(text: str) -> bool:
    return any(word in text for word in (
        "server closed the connection", "connection refused", "connection is closed",
        "consuming input failed", "connection timeout", "timeout expired", "could not receive",
        "could not send", "terminating connection", "connection reset", "broken pipe",
        "ssl syscall error", "the connection is lost", "no connection to the server",
    ))
