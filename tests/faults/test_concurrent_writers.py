"""Six people changing one workspace at once while the tick runs (PostgreSQL).

Every reply must be a real answer: no "Something went wrong", no "database
busy", no "could not confirm". Deadlocks and serialization failures are
retried inside the conversation; changes and ticks of the workspace queue on
its advisory lock; a problem found by two transactions is stored once.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.jobs import tick_all
from bot.messages import Incoming
from bot.transaction import BUSY, INTERNAL, UNCONFIRMED
from storage.uow import make_uow_factory
from tests.faults.conftest import report

pytestmark = pytest.mark.faults

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
WRITERS = 6
MESSAGES = 150  # per writer


def test_six_writers_and_a_ticker_get_no_internal_errors(engine, database_url, caplog):
    if database_url is None:
        pytest.skip("PostgreSQL concurrency (SQLite has one writer by construction)")
    uow = make_uow_factory(engine)
    clock = FixedClock(NOW)
    conv = Conversation(uow, clock)
    people = [conv.onboard("test:busy", "Busy", "test", f"U{i}", f"P{i}", f"p{i}")
              for i in range(WRITERS)]
    ws = people[0][0]
    seed = [conv.handle(Incoming(ws, people[0][1], text=f"add Shared job {n} @p{n % WRITERS}"))
            for n in range(12)]
    assert all("Added" in s.text for s in seed)
    replies: list[tuple[str, str]] = []
    lock = threading.Lock()
    stop = threading.Event()
    ticks = {"runs": 0}

    def writer(index: int) -> None:
        rnd = random.Random(index)
        pid = people[index][1]
        for n in range(MESSAGES):
            task = rnd.randint(1, 12)
            text = rnd.choice([
                f"add Job {index}-{n} @p{rnd.randrange(WRITERS)} by Friday",
                f"progress #{task} {rnd.randrange(0, 100, 10)}%",
                f"due #{task} in {rnd.randint(1, 9)} days",
                f"block #{task} waiting for the bank",
                f"unblock #{task}",
                f"assign #{task} @p{rnd.randrange(WRITERS)}",
                f"note #{task} called the client",
            ])
            out = conv.handle(Incoming(ws, pid, text=text))
            with lock:
                replies.append((text, out.text))

    tick_clock = FixedClock(NOW)

    def ticker() -> None:  # the tick walks through the week: deadlines pass, problems fire
        while not stop.is_set():
            tick_clock.advance(timedelta(minutes=20))
            tick_all(uow, tick_clock)  # logs (never raises) a failed workspace
            ticks["runs"] += 1
            time.sleep(0.005)

    tick_thread = threading.Thread(target=ticker)
    tick_thread.start()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    stop.set()
    tick_thread.join(60)

    failed_ticks = [r for r in caplog.records if r.getMessage().startswith("tick failed")]
    bad = [(t, r) for t, r in replies if any(x in r for x in (INTERNAL, BUSY, UNCONFIRMED))]
    report("pg-6-writers+ticker", messages=len(replies), internal_errors=len(bad),
           ticks=ticks["runs"], failed_ticks=len(failed_ticks))
    assert len(replies) == WRITERS * MESSAGES
    assert bad == []
    assert failed_ticks == []
    with uow() as u:
        firing = u.violations.all_firing(ws)
    assert len({v.fingerprint for v in firing}) == len(firing)
