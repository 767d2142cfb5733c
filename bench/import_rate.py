"""Import benchmark: rows per second of `vigil import`, and the bot's chat latency meanwhile.

Writes an Asana-shaped CSV of N rows (500 people, 200 projects, a fifth of
the tasks completed), then on one database (a SQLite file, or with
``--database-url`` fresh schemas of that PostgreSQL database):
  floor   the same rows inserted with plain Core in one transaction (the least
          any import can cost) and the chat latency with nothing else running;
  import  `python -m bot.cli import FILE --workspace bench --create` in its own
          process (as a user runs it beside `vigil run`), while this process
          sends a chat message through the Conversation every 0.1 s. The import
          writes the rows, then checks them (one summary per person); the two
          phases are timed apart (from the import's own report) and the chat
          latency is given for each.
Prints one JSON object: rows/s of the rows phase, the import's wall and CPU
time, the rows phase's ratio to the floor, chat p50/p95/max before and during
each phase, how many replies failed (any "went wrong" or "locked" answer), and
the load average before and after (the machine's 2 cores are shared).

Usage: python bench/import_rate.py [--rows 100000] [--dir DIR]
       [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import SystemClock  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from bot.messages import Incoming  # noqa: E402
from storage import models  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.uow import make_uow_factory  # noqa: E402

HEADER = ["Task ID", "Created At", "Completed At", "Last Modified", "Name", "Section/Column",
          "Assignee", "Assignee Email", "Start Date", "Due Date", "Tags", "Notes", "Projects",
          "Parent task"]


def write_csv(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    people = [f"Person {i}" for i in range(500)]
    projects = [f"Client {i}" for i in range(200)]
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            due = date(2026, 12, 1) + timedelta(days=rng.randint(-20, 60))
            done = rng.random() < 0.2
            out.writerow([i, "2026-11-01", "2026-11-20" if done else "", "", f"Task {i}",
                          rng.choice(["To do", "In progress"]), rng.choice(people), "", "",
                          due.isoformat(), "", "", rng.choice(projects), ""])


def core_floor(url: str, rows: int) -> float:
    """Seconds to insert ``rows`` bare task rows with Core in one transaction."""
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    with make_uow_factory(engine)() as uow:
        ws = uow.workspaces.create("floor", "floor").id
        uow.commit()
    values = [{"workspace_id": ws, "number": i + 1, "title": f"Task {i}", "created_at": now,
               "status": "todo", "progress": 0, "priority": 3, "proof_required": "none",
               "due": now, "next_check_at": now} for i in range(rows)]
    began = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(models.tasks), values)
    spent = time.perf_counter() - began
    engine.dispose()
    return spent


class Chat:
    """One person in a console workspace, moving the progress of their task."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.conversation = Conversation(make_uow_factory(self.engine), SystemClock())
        self.ws, self.person = self.conversation.onboard("console:default", "Console",
                                                         "console", "ana", "Ana", "ana")
        self.say("add Send the Acme filing by Friday")
        self.n = 0

    def say(self, text: str) -> tuple[float, str]:
        began = time.perf_counter()
        reply = self.conversation.handle(Incoming(self.ws, self.person, text=text)).text
        return time.perf_counter() - began, reply

    def move(self) -> tuple[float, bool]:
        self.n += 1
        spent, reply = self.say(f"progress #1 {self.n % 99 + 1}%")
        failed = "went wrong" in reply or "locked" in reply or "Nothing was changed" in reply
        return spent, failed


def pg_schema(base: str, label: str) -> str:
    """A fresh schema of the PostgreSQL database ``base``; the URL that uses it."""
    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return make_url(base).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def drop_schema(base: str, url: str) -> None:
    schema = make_url(url).query["options"].split("=", 1)[1]
    with create_engine(base, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


def _ms(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1),
            "messages": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", default=None)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL database to use fresh schemas of (default SQLite)")
    args = parser.parse_args()
    load_before = os.getloadavg()
    work = Path(args.dir or tempfile.mkdtemp(prefix="vigil-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "tasks.csv"
    write_csv(source, args.rows)
    base = args.database_url
    if base:
        floor_url, url = pg_schema(base, "floor"), pg_schema(base, "import")
    else:
        (work / "floor.db").unlink(missing_ok=True)
        (work / "vigil.db").unlink(missing_ok=True)
        floor_url, url = f"sqlite:///{work / 'floor.db'}", f"sqlite:///{work / 'vigil.db'}"
    try:
        report = run(url, floor_url, source, args.rows)
    finally:
        if base:
            drop_schema(base, floor_url)
            drop_schema(base, url)
    report["load_average_before"] = [round(x, 2) for x in load_before]
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2))


def run(url: str, floor_url: str, source: Path, rows: int) -> dict[str, object]:
    """Floor, then the import beside a chatting person; the figures as a dict."""
    floor = core_floor(floor_url, rows)
    upgrade(make_engine(url))
    chat = Chat(url)
    quiet = [chat.move()[0] for _ in range(40)]
    env = {**os.environ, "VIGIL_DATABASE_URL": url}
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "import", str(source), "--workspace", "bench",
         "--create"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1])
    during: list[tuple[float, float]] = []  # (seconds since the start, latency)
    failed = 0
    while child.poll() is None:
        at = time.perf_counter() - began
        spent, bad = chat.move()
        during.append((at, spent))
        failed += bad
        time.sleep(0.1)
    wall = time.perf_counter() - began
    out, err = child.communicate()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    text_out = out.decode()
    took = {what.lower(): spent for what, spent in re.findall(
        r"(writing the rows|the rules' check)(?: took)? ([\d.]+) s", text_out, re.I)}
    rows_s = float(took.get("writing the rows", wall))
    check_s = float(took.get("the rules' check", 0.0))
    startup = max(0.0, wall - rows_s - check_s)  # interpreter start, reading, checking rows
    rows_end = startup + rows_s
    return {
        "rows": rows,
        "database": make_url(url).get_backend_name(),
        "file_mb": round(source.stat().st_size / 1e6, 2),
        "import_exit": child.returncode,
        "import_wall_s": round(wall, 2),
        "import_cpu_s": round(cpu.ru_utime + cpu.ru_stime, 2),
        "read_and_check_rows_s": round(startup, 2),
        "write_rows_s": round(rows_s, 2),
        "rules_check_s": round(check_s, 2),
        "rows_per_s": round(rows / (startup + rows_s)),
        "rows_per_s_with_check": round(rows / wall),
        "core_floor_s": round(floor, 2),
        "rows_phase_vs_floor": round((startup + rows_s) / floor, 2),
        "chat_quiet": _ms(quiet),
        "chat_while_writing_rows": _ms([s for at, s in during if at < rows_end]),
        "chat_while_checking": _ms([s for at, s in during if at >= rows_end]),
        "chat_failed_replies": failed,
        "import_report": [line for line in text_out.splitlines()
                          if line.startswith(("Imported", "Writing", "The rules", "Instead"))]
        or err.decode()[-300:],
    }


if __name__ == "__main__":
    main()
