"""Import benchmark: rows per second of `vigil import`, and the bot's chat latency meanwhile.

Writes an Asana-shaped CSV of N rows (500 people, 200 projects, a fifth of
the tasks completed), then on one SQLite database file:
  floor   the same rows inserted with plain Core in one transaction (the least
          any import can cost) and the chat latency with nothing else running;
  import  `python -m bot.cli import FILE --workspace bench --create` in its own
          process (as a user runs it beside `vigil run`), while this process
          sends a chat message through the Conversation every 0.1 s.
Prints one JSON object: rows/s, the import's wall and CPU time, its ratio to
the floor, chat p50/p95/max before and during the import, and how many
replies failed (any "went wrong" or "locked" answer).

Usage: python bench/import_rate.py [--rows 100000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

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


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1),
            "messages": len(ordered)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="vigil-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "tasks.csv"
    write_csv(source, args.rows)
    (work / "floor.db").unlink(missing_ok=True)
    floor = core_floor(f"sqlite:///{work / 'floor.db'}", args.rows)
    db = work / "vigil.db"
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    upgrade(make_engine(url))
    chat = Chat(url)
    quiet = [chat.move()[0] for _ in range(40)]
    env = {**os.environ, "VIGIL_DATABASE_URL": url}
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "import", str(source), "--workspace", "bench",
         "--create"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1])
    during: list[float] = []
    failed = 0
    while child.poll() is None:
        spent, bad = chat.move()
        during.append(spent)
        failed += bad
        time.sleep(0.1)
    wall = time.perf_counter() - began
    out, err = child.communicate()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = out.decode()
    print(json.dumps({
        "rows": args.rows,
        "load_average_1m": round(os.getloadavg()[0], 2),  # the 2 cores are shared
        "file_mb": round(source.stat().st_size / 1e6, 2),
        "import_exit": child.returncode,
        "import_wall_s": round(wall, 2),
        "import_cpu_s": round(cpu.ru_utime + cpu.ru_stime, 2),
        "rows_per_s": round(args.rows / wall),
        "core_floor_s": round(floor, 2),
        "import_vs_floor": round(wall / floor, 2),
        "chat_quiet": _ms(quiet),
        "chat_during_import": _ms(during) if during else None,
        "chat_failed_replies": failed,
        "imported_line": next((line for line in report.splitlines()
                               if line.startswith("Imported")), err.decode()[-300:]),
    }, indent=2))


if __name__ == "__main__":
    main()
