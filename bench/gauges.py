"""What one refresh of the metrics gauges costs, before and after i22_gauge_counts.

``bot.observe.instrument.refresh_gauges`` (every 60 s in ``vigil run``) reads
violations firing by rule and severity and outbox rows by platform and
status. Before i22 both were group-bys over the whole table; after it the
firing count reads a partial covering index and the outbox count reads a
partial index of the rows on their way plus ``outbox_tally`` (triggers).

The store is bulk-inserted on the schema before i22 (``--violations`` rows, a
``--firing`` share of them firing, the rest resolved history; ``--notices``
outbox rows, all but ``--open`` of them sent or failed — the rows that only
grow), timed with the old queries, upgraded (timed: the index builds and the
tally's fill), and timed with the new ones; both must give the same counts.
Then the triggers' cost: ``--marks`` rows marked sent one statement at a time,
before and after. CPU (process_time) and wall, best of ``--repeat``, load beside.

Usage: python bench/gauges.py --violations 1000000 --notices 1250000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import models as m  # noqa: E402
from storage import operations  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

NOW = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
RULES = [("task.overdue", "critical"), ("task.stale", "warning"), ("task.unowned", "warning"),
         ("task.blocked_too_long", "warning"), ("person.overloaded", "info")]
EXPLANATION = "Task #{i} is 3 working days past its due date and nobody has said why. " * 2
FIXES = '[{"id": "extend", "label": "Move the due date"}, {"id": "done", "label": "Mark done"}]'
PAYLOAD = '{"text": "' + "Task #1 is overdue: ship the quarterly report. " * 6 + '"}'


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def populate(engine: Any, violations: int, firing: float, notices: int, open_rows: int) -> None:
    """Rows straight into SQLite (one workspace, 1,000 people), no evaluation."""
    rnd = random.Random(7)
    with make_uow_factory(engine)() as uow:
        ws = uow.workspaces.create("bench:g", "G").id
        people = [uow.people.add(ws, f"p{i}").id for i in range(1000)]
        uow.commit()
    at = NOW.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    raw = engine.raw_connection()
    cur = raw.cursor()
    rows = []
    for i in range(1, violations + 1):
        rule, sev = RULES[i % len(RULES)]
        state = "firing" if rnd.random() < firing else "resolved"
        rows.append((i, f"{rule}:task:{i}", rule, i, sev, EXPLANATION.format(i=i), FIXES,
                     state, at, None if state == "firing" else at))
    cur.executemany(
        "INSERT INTO violations (id, workspace_id, fingerprint, rule_id, subject_kind, "
        "subject_id, severity, explanation, fixes, state, fired_at, resolved_at, level) "
        "VALUES (?, ?, ?, ?, 'task', ?, ?, ?, ?, ?, ?, ?, 0)", [(r[0], ws, *r[1:]) for r in rows])
    rows = []
    for i in range(1, notices + 1):
        platform = "slack" if i % 3 else "telegram"
        status = ("pending" if i > notices - open_rows
                  else "failed" if i % 97 == 0 else "sent")
        rows.append((i, ws, people[i % 1000], platform, PAYLOAD, f"alert:{i}", status, at,
                     at if status == "sent" else None, 1 + i % max(1, violations), at))
    cur.executemany(
        "INSERT INTO notifications (id, workspace_id, recipient_id, platform, kind, payload, "
        "dedup_key, status, attempts, next_attempt_at, sent_at, violation_id, created_at, "
        "in_doubt) VALUES (?, ?, ?, ?, 'alert', ?, ?, ?, 1, ?, ?, ?, ?, 0)", rows)
    raw.commit()
    cur.execute("ANALYZE")
    raw.close()


def old_firing(engine: Any) -> dict[tuple[str, str], int]:
    """The firing gauge as it read before i22: a group-by over the whole table."""
    v = m.violations
    stmt = (select(v.c.rule_id, v.c.severity, func.count())
            .where(v.c.state == "firing").group_by(v.c.rule_id, v.c.severity))
    with engine.connect() as conn:
        return {(r, s): int(n) for r, s, n in conn.execute(stmt)}


def old_outbox(engine: Any) -> dict[tuple[str, str], int]:
    """The outbox gauge as it read before i22: every row grouped."""
    n = m.notifications
    stmt = select(n.c.platform, n.c.status, func.count()).group_by(n.c.platform, n.c.status)
    with engine.connect() as conn:
        return {(p, s): int(c) for p, s, c in conn.execute(stmt)}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[dict[str, float], Any]:
    """Best CPU and wall seconds of ``repeat`` calls, and the last result."""
    cpu, wall, out = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {"cpu_s": round(min(cpu), 4), "wall_s": round(min(wall), 4), "load": load()}, out


def marks(engine: Any, first: int, count: int) -> dict[str, float]:
    """``count`` pending rows marked sent, one UPDATE each, one transaction (CPU, wall)."""
    n = m.notifications
    c0, w0 = time.process_time(), time.perf_counter()
    with engine.begin() as conn:
        for i in range(first, first + count):
            conn.execute(n.update().where(n.c.id == i).values(status="sent", sent_at=NOW))
    return {"cpu_s": round(time.process_time() - c0, 3),
            "wall_s": round(time.perf_counter() - w0, 3), "load": load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--violations", type=int, default=1_000_000)
    parser.add_argument("--firing", type=float, default=0.6, help="share of violations firing")
    parser.add_argument("--notices", type=int, default=1_250_000)
    parser.add_argument("--open", type=int, default=20_000, help="outbox rows still pending")
    parser.add_argument("--marks", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    fig: dict[str, Any] = {"violations": args.violations, "notices": args.notices,
                           "open": args.open}
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'gauges.db'}")
        upgrade(engine, "i21_chat_topics")
        t0 = time.perf_counter()
        populate(engine, args.violations, args.firing, args.notices, args.open)
        fig["populate_s"] = round(time.perf_counter() - t0, 1)
        fig["before_firing"], firing = timed(lambda: old_firing(engine), args.repeat)
        fig["before_outbox"], outbox = timed(lambda: old_outbox(engine), args.repeat)
        last = args.notices - args.open + 1
        fig["before_marks"] = marks(engine, last, args.marks)
        outbox = old_outbox(engine)
        c0, w0 = time.process_time(), time.perf_counter()
        upgrade(engine)
        fig["upgrade"] = {"cpu_s": round(time.process_time() - c0, 2),
                          "wall_s": round(time.perf_counter() - w0, 2), "load": load()}
        fig["after_firing"], new_firing = timed(lambda: operations.firing_counts(engine),
                                                args.repeat)
        fig["after_outbox"], new_outbox = timed(lambda: operations.outbox_counts(engine),
                                                args.repeat)
        fig["same_counts"] = new_firing == firing and new_outbox == outbox
        fig["after_marks"] = marks(engine, last + args.marks, args.marks)
        fig["same_after_marks"] = operations.outbox_counts(engine) == old_outbox(engine)
        engine.dispose()
    print(json.dumps(fig, indent=2))
    if not (fig["same_counts"] and fig["same_after_marks"]):
        raise SystemExit("the new gauges disagree with a plain count")


if __name__ == "__main__":
    main()
