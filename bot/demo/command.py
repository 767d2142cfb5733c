"""``vigil demo``: build Ledger & Co in a demo database, play two weeks, tell the story."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console

from bot.demo import firm as firm_mod
from bot.demo.replay import Replay
from bot.demo.story import Story
from bot.views.gantt import render_gantt
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

DEFAULT_DB = Path("vigil-demo.db")


@dataclass(frozen=True)
class DemoResult:
    """Where the demo left its data, and the command that opens it."""

    database: Path
    gantt: Path
    command: str
    seconds: float


class DemoRefused(Exception):
    """The demo will not touch this file; the message says why."""


def is_demo_database(database: Path) -> bool:
    """True when the file is empty or holds nothing but an earlier demo's firm."""
    if database.stat().st_size == 0:
        return True
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT key, name FROM workspaces").all()
    except Exception:  # not a Vigil database at all (or not SQLite): leave it alone
        return False
    finally:
        engine.dispose()
    return [tuple(r) for r in rows] == [(firm_mod.WORKSPACE_KEY, firm_mod.WORKSPACE_NAME)]


def console_command(database: Path) -> str:
    """The one command that opens ``vigil console`` on the demo database as Marcus."""
    return f"VIGIL_DATABASE_URL=sqlite:///{database} vigil console --as Marcus"


def run_demo(console: Console, database: Path = DEFAULT_DB, fast: bool = False,
             today: date | None = None) -> DemoResult:
    """Rebuild the demo database, replay the two weeks and print the story.

    The fortnight is the one ending on the last Friday up to ``today`` (default:
    the real today), so the same day always gives the same story. The database
    file is replaced on every run (it only ever holds the demo). ``fast`` skips
    the night-time ticks and the pauses between days; the story is the same.
    """
    began = time.perf_counter()
    if database.exists():
        if not is_demo_database(database):
            raise DemoRefused(f"{database} holds other data; the demo only replaces a database "
                              "it made itself — give it another file with --db")
        database.unlink()
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
        factory = make_uow_factory(engine)
        story = Story(console)
        story.opening()
        shift = firm_mod.shift_to(today or datetime.now(UTC).date())
        replay = Replay(factory, fast=fast, shift=shift)
        firm = replay.run()
        pause = 0.0 if fast or not console.is_terminal else 0.12
        day = None
        for moment in replay.moments:
            if pause and moment.at.date() != day:
                day = moment.at.date()
                time.sleep(pause)
            story.tell(moment)
        gantt = database.with_name(database.stem + "-gantt.png")
        with factory() as uow:
            render_gantt(uow, firm.workspace_id, replay.clock.now(), gantt)
        digest = replay.last_digest.get("Marcus")
        command = console_command(database)
        story.ending(digest.text if digest else "(no digest was sent)", "Marcus", str(gantt),
                     command)
    finally:
        engine.dispose()
    return DemoResult(database, gantt, command, time.perf_counter() - began)
