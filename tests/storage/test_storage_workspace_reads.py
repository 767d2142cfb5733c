"""A workspace is read once per transaction, and never served stale.

``WorkspaceRepository.get`` keeps the records it read for the rest of the
transaction (a tick batch asks for its workspace several times); a write to the
workspace, a commit or a rollback ends that, and callers get their own
settings dict.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import Engine, event

from storage import models as m
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]


def _counting(engine: Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if re.match(r"\s*SELECT\b.*\bFROM\s+workspaces\b", statement, re.S | re.I):
            seen.append(statement)

    return seen


def test_read_once_per_transaction(engine: Engine, uow: U, ws: int) -> None:
    reads = _counting(engine)
    with uow() as u:
        first = u.workspaces.get(ws)
        again = u.workspaces.get(ws)
        assert first == again and len(reads) == 1
        assert first is not None and again is not None
        first.settings["mutated"] = True  # the caller's own dict
        assert "mutated" not in (u.workspaces.get(ws) or first).settings
        u.commit()
        u.workspaces.get(ws)  # a new transaction reads again
        assert len(reads) == 2


def test_a_write_or_another_transaction_is_seen(engine: Engine, uow: U, ws: int) -> None:
    with uow() as u:
        assert u.workspaces.get(ws).settings == {}  # type: ignore[union-attr]
        u.workspaces.update_settings(ws, {"a": 1})
        assert u.workspaces.get(ws).settings == {"a": 1}  # type: ignore[union-attr]
        with u.session.begin_nested() as savepoint:
            u.workspaces.update_settings(ws, {"a": 2})
            assert u.workspaces.get(ws).settings == {"a": 2}  # type: ignore[union-attr]
            savepoint.rollback()
        assert u.workspaces.get(ws).settings == {"a": 1}  # type: ignore[union-attr]
        u.commit()
    with uow() as u:
        assert u.workspaces.get(ws).name == "Default"  # type: ignore[union-attr]
        u.commit()  # this transaction ends (SQLite: its write lock too)
        with engine.begin() as conn:  # another connection renames it and commits
            conn.execute(m.workspaces.update().values(name="Renamed"))
        assert u.workspaces.get(ws).name == "Renamed"  # type: ignore[union-attr]
