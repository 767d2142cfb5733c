"""Honest answers under database faults: retried refusals, lost commit answers."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.transaction import BUSY, UNCONFIRMED
from storage.db import session_factory
from storage.errors import CommitUnconfirmed
from storage.uow import UnitOfWork, make_uow_factory

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class Faulty(UnitOfWork):
    """A unit of work whose COMMIT misbehaves as told by ``plan`` (one entry per commit)."""

    plan: list[str] = []

    def commit(self) -> None:
        fault = Faulty.plan.pop(0) if Faulty.plan else "ok"
        if fault == "lost-after":  # stored, but the answer never arrived
            super().commit()
            raise CommitUnconfirmed("server closed the connection unexpectedly")
        if fault == "lost-before":  # the connection broke before the server committed
            raise CommitUnconfirmed("server closed the connection unexpectedly")
        super().commit()


@pytest.fixture
def setup(engine: Engine):
    sessions = session_factory(engine)
    good = make_uow_factory(engine)
    conv = Conversation(good, FixedClock(NOW))
    ws, marcus = conv.onboard("test:tx", "Tx", "test", "U1", "Marcus", "marcus")
    Faulty.plan = []

    def faulty() -> UnitOfWork:
        return Faulty(sessions)

    return Conversation(faulty, FixedClock(NOW)), good, ws, marcus


def titles(good, ws: int) -> list[str]:
    with good() as u:
        return [t.title for t in u.tasks.list(ws)]


def test_a_lost_commit_answer_is_checked_and_the_real_answer_given(setup):
    conv, good, ws, marcus = setup
    Faulty.plan = ["lost-after"]
    out = conv.handle(Incoming(ws, marcus, text="add Send the Acme filing"))
    assert "Added #1 Send the Acme filing" in out.text
    assert "nothing was changed" not in out.text.lower()
    assert titles(good, ws) == ["Send the Acme filing"]


def test_a_commit_that_never_happened_is_run_again_once(setup):
    conv, good, ws, marcus = setup
    Faulty.plan = ["lost-before"]
    out = conv.handle(Incoming(ws, marcus, text="add Send the Acme filing"))
    assert "Added #1 Send the Acme filing" in out.text
    assert titles(good, ws) == ["Send the Acme filing"]


def test_unconfirmed_when_the_database_cannot_even_be_asked(setup, monkeypatch):
    conv, good, ws, marcus = setup
    Faulty.plan = ["lost-after"]
    import bot.transaction as tx

    monkeypatch.setattr(tx, "_marker_stored", lambda factory, marker: None)
    out = conv.handle(Incoming(ws, marcus, text="add Send the Acme filing"))
    assert out.text == UNCONFIRMED and "check with `show`" in out.text
    assert "nothing was changed" not in out.text.lower()
    assert titles(good, ws) == ["Send the Acme filing"]  # it was stored after all


def test_a_locked_sqlite_database_is_waited_for(engine, database_url, monkeypatch):
    """Another writer holds the file past the busy timeout: the message retries and lands."""
    if database_url is not None:
        pytest.skip("SQLite's file lock")
    import storage.db as db

    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    quick = db.make_engine(engine.url.render_as_string(hide_password=False))
    conv = Conversation(make_uow_factory(quick), FixedClock(NOW))
    ws, marcus = conv.onboard("test:tx", "Tx", "test", "U1", "Marcus", "marcus")
    held = threading.Event()

    def hold_the_lock() -> None:
        conn = sqlite3.connect(engine.url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")  # another writer, e.g. a long import
        held.set()
        time.sleep(0.6)
        conn.rollback()
        conn.close()

    thread = threading.Thread(target=hold_the_lock)
    thread.start()
    assert held.wait(5)
    out = conv.handle(Incoming(ws, marcus, text="add Send the Acme filing"))
    thread.join()
    assert "Added #1 Send the Acme filing" in out.text
    with make_uow_factory(quick)() as u:
        assert [t.title for t in u.tasks.list(ws)] == ["Send the Acme filing"]
    quick.dispose()


def test_a_database_that_stays_away_gets_an_honest_busy_answer(setup, monkeypatch):
    from sqlalchemy.exc import OperationalError

    conv, good, ws, marcus = setup
    import bot.transaction as tx

    monkeypatch.setattr(tx, "RETRY_PAUSES", (0.0, 0.0))

    class Down(UnitOfWork):
        def __enter__(self):
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    down = Conversation(lambda: Down(None), FixedClock(NOW))  # type: ignore[arg-type]
    out = down.handle(Incoming(ws, marcus, text="add Send the Acme filing"))
    assert out.text == BUSY and "nothing was changed" in out.text
    assert titles(good, ws) == []
