"""Messages and ticks while PostgreSQL stops answering (pause) and then goes away (cut).

Everything goes through ``PgProxy`` (tests/faults/pg_proxy.py). Two people
keep writing ("add Job N @marcus", some with a deadline minutes ahead) while a
ticker advances a simulated clock a minute at a time, ticks and dispatches
to a recording platform that can look its messages up (as Slack can). The
database is paused for 20 s, answers again, then is cut (connections closed,
new ones refused) for 20 s, and answers again. Then the outbox is drained.

Asserted, as a person would notice it:
* every reply is honest: "Added" — and the task is there once; "nothing was
  changed" — and it is not there; "I could not confirm" — there at most once;
  never "Something went wrong";
* every notice queued is delivered exactly once (0 lost, 0 duplicated) — an
  alert whose problem ended before it could go out ("due soon" once overdue)
  is skipped on purpose, as always, and counted apart;
* the ticker recovers: it ticks successfully after each outage.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.jobs import tick_all
from bot.messages import Incoming, Outgoing
from bot.notify.dispatcher import Dispatcher
from bot.notify.ports import Recipient
from bot.transaction import BUSY, INTERNAL, UNCONFIRMED
from storage.db import make_engine
from storage.uow import make_uow_factory
from tests.faults.conftest import report
from tests.faults.pg_proxy import PgProxy

pytestmark = pytest.mark.faults

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PAUSE_S, CUT_S = 20.0, 20.0


class RecordingPlatform:
    """Receives messages; finds the ones it has, by notice id (like Slack's metadata)."""

    def __init__(self) -> None:
        self.received: Counter[int] = Counter()
        self.sent = 0
        self.edits = 0

    def send(self, recipient: Recipient, identity: str | None, message: Outgoing) -> str:
        self.sent += 1
        self.received.update(message.notice_ids)
        return f"m{self.sent}"

    def edit(self, ref: str, message: Outgoing) -> None:
        self.edits += 1  # "resolved" rows edit the alert's message (idempotent)

    def delivered(self, recipient: Recipient, platform_identity: str | None,
                  notice_ids: tuple[int, ...]) -> dict[int, str]:
        return {i: "found" for i in notice_ids if self.received[i]}


def test_a_paused_then_cut_database_loses_nothing_and_every_reply_is_honest(engine,
                                                                            database_url):
    if database_url is None:
        pytest.skip("the proxy stands in front of PostgreSQL")
    proxy = PgProxy().start()
    proxied = make_engine(engine.url.set(host="127.0.0.1", port=proxy.port)
                          .render_as_string(hide_password=False))
    uow = make_uow_factory(proxied)
    clock = FixedClock(NOW)
    conv = Conversation(uow, clock)
    ws, _ = conv.onboard("test:outage", "Outage", "test", "U1", "Marcus", "marcus")
    writers = [conv.onboard("test:outage", "Outage", "test", f"U{n}", name, name.lower())[1]
               for n, name in ((2, "Priya"), (3, "Sam"))]
    platform = RecordingPlatform()
    dispatcher = Dispatcher(uow, {"test": platform}, clock=clock.now)
    replies: list[tuple[str, str, float]] = []  # title, reply, seconds
    ticks = {"ok": 0, "failed": 0, "ok_after": 0}
    stop, restored = threading.Event(), threading.Event()
    lock = threading.Lock()

    def write(index: int, person: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            title = f"Job {index}-{n}"
            due = (clock.now() + timedelta(minutes=20)).strftime("%H:%M")
            message = f"add {title} @marcus" + (f" by today {due}" if n % 2 else "")
            began = time.perf_counter()
            reply = conv.handle(Incoming(ws, person, text=message)).text
            with lock:
                replies.append((title, reply, time.perf_counter() - began))
            time.sleep(0.3)

    def tick() -> None:
        while not stop.is_set():
            clock.advance(timedelta(minutes=1))
            try:
                tick_all(uow, clock)
                dispatcher.run_once(clock.now())
                ticks["ok"] += 1
                ticks["ok_after"] += restored.is_set()
            except Exception:  # the database is away: vigil run's scheduler logs and goes on
                ticks["failed"] += 1
                time.sleep(0.5)
            time.sleep(0.5)

    threads = [threading.Thread(target=write, args=(i, p)) for i, p in enumerate(writers)]
    threads.append(threading.Thread(target=tick))
    for t in threads:
        t.start()
    try:
        time.sleep(3)
        proxy.pause()
        time.sleep(PAUSE_S)
        proxy.restore()
        time.sleep(4)
        proxy.cut()
        time.sleep(CUT_S)
        proxy.restore()
        restored.set()
        time.sleep(6)
    finally:
        stop.set()
        proxy.restore()
        for t in threads:
            t.join(90)
    for _ in range(30):  # drain: leases of passes cut mid-way run out on the clock
        clock.advance(timedelta(minutes=6))
        dispatcher.run_once(clock.now())
    proxy.close()
    proxied.dispose()

    with engine.connect() as conn:
        titles = Counter(str(t) for (t,) in conn.execute(text("SELECT title FROM tasks")))
        rows = {int(i): str(s) for i, s in conn.execute(text(
            "SELECT id, status FROM notifications WHERE kind <> 'resolved'"))}
        edits = {int(i): str(s) for i, s in conn.execute(text(
            "SELECT id, status FROM notifications WHERE kind = 'resolved'"))}
        # an alert whose problem ended before it went out is skipped on purpose
        skipped = {int(i) for (i,) in conn.execute(text(
            "SELECT id FROM notifications WHERE last_error LIKE 'skipped:%'"))}
    kinds: Counter[str] = Counter()
    dishonest = []
    for title, reply, _ in replies:
        stored = titles[title]
        if reply.startswith("Added #"):
            kinds["added"] += 1
            ok = stored == 1
        elif reply == BUSY:
            kinds["nothing changed"] += 1
            ok = stored == 0
        elif reply == UNCONFIRMED:
            kinds["could not confirm"] += 1
            ok = stored <= 1
        else:
            kinds["other"] += 1
            ok = False
        if not ok:
            dishonest.append((title, stored, reply[:120]))
    lost = sum(1 for i in rows if platform.received[i] == 0 and i not in skipped)
    duplicated = sum(platform.received[i] - 1 for i in rows if platform.received[i] > 1)
    slowest = max(s for _, _, s in replies)
    report("postgres-pause-and-cut", pause_s=PAUSE_S, cut_s=CUT_S,
           replies=dict(kinds), dishonest=len(dishonest), slowest_reply_s=round(slowest, 1),
           ticks_ok=ticks["ok"], ticks_failed=ticks["failed"],
           notices=len(rows), resolved_edits=f"{len(edits)} rows, {platform.edits} edits",
           skipped_resolved=len(skipped), lost=f"{lost}/{len(rows)}",
           duplicated=f"{duplicated}/{len(rows)}", proxy_connections=proxy.connections)
    assert not dishonest, dishonest[:5]
    assert INTERNAL not in {r for _, r, _ in replies}
    assert kinds["added"] > 10 and kinds["nothing changed"] > 0  # both outages were felt
    assert len(rows) > 10 and set(rows.values()) == {"sent"}
    assert set(edits.values()) <= {"sent"} and (platform.edits > 0) == bool(edits)
    assert (lost, duplicated) == (0, 0)
    assert ticks["ok_after"] > 0
