"""``vigil status`` and ``vigil parse``: how things stand, and how a message is read.

Plain functions; ``bot.cli`` registers them as commands in its help order.
"""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console

from bot.cli_support import engine_from_settings, fail, zone_option
from bot.config import get_settings

out = Console()


def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Where you are (database, platforms, port, next step), then notifications."""
    from bot.banner import database_counts, render, where
    from bot.notify.status import status_report
    from bot.observe.health import fetch_readiness, render_readiness

    engine = engine_from_settings()
    settings = get_settings()
    setup = where(settings, database_counts(engine))
    report = status_report(engine)
    service = fetch_readiness(settings.http_port)
    if as_json:
        sys.stdout.write(json.dumps({"setup": setup.as_json(), "service": service, **report},
                                    indent=2, default=str) + "\n")
        return
    out.print(render(setup, "Vigil status"), highlight=False, markup=False, soft_wrap=True)
    for line in render_readiness(service, settings.http_port):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    counts = ", ".join(f"{k}: {v}" for k, v in sorted(report["counts"].items())) or "none"
    out.print(f"outbox — {counts}", highlight=False)
    for title in ("pending", "failed", "recent"):
        rows = report[title]
        out.print(f"[bold]{title}[/bold] ({len(rows)})")
        for row in rows:
            when = row.get("sent_at") or row.get("next_attempt_at") or ""
            error = f" — {row['last_error']}" if row.get("last_error") else ""
            out.print(f"  {row['kind']:8} to {row['to']} via {row['platform']}: {row['rule']} "
                      f"{row['subject']} (level {row['level']}, attempts {row['attempts']}) "
                      f"{when}{error}", highlight=False, markup=False)
    if report["counts"].get("failed"):
        out.print("send the failed ones again with `vigil notices retry` (or by id)",
                  highlight=False, markup=False)


def parse(
    text: str = typer.Argument(..., help="What a person typed."),
    now: str | None = typer.Option(None, "--now", help="ISO instant (default: now)."),
    tz: str = typer.Option("UTC", "--tz", callback=zone_option, help="The speaker's time zone."),
    speaker: str = typer.Option("me", "--as", help="The speaker's handle."),
    as_json: bool = typer.Option(False, "--json", help="Print the intent as JSON."),
) -> None:
    """Show what the chat does with a message (DESIGN.md §8).

    The same path as a message in the chat, said by an admin in an empty scratch
    workspace; nothing is kept.
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from bot.conversation_preview import read
    from bot.conversation_text import DATE_ERROR

    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"unknown time zone '{tz}'")
        return
    try:
        at = datetime.fromisoformat(now) if now else datetime.now(zone)
    except ValueError:
        fail(f"--now must be an ISO date-time like 2026-11-24T10:00, not '{now}'")
        return
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    reading = read(text, at, tz, speaker.lstrip("@"))
    if reading.heard == DATE_ERROR:
        fail(reading.reply.text.removeprefix("⚠ ").removesuffix(" Nothing was changed."))
        return
    fields = reading.intent.as_json()
    if as_json:
        fields["reply"] = reading.reply.text
        sys.stdout.write(json.dumps(fields, ensure_ascii=False) + "\n")
        return
    from bot.language.recurrence import describe

    for key, value in fields.items():
        if key == "recurrence" and value:
            value = describe(value)  # people read cadences in words; --json keeps the RRULE
        if value is not None and value is not False:
            out.print(f"{key:11} {value}", highlight=False, markup=False)
    reply = reading.reply.text.replace("\n", "\n" + " " * 12)
    buttons = " ".join(f"[{b.label}]" for b in reading.reply.buttons)
    out.print(f"{'reply':11} {reply}" + (f"\n{'':11} {buttons}" if buttons else ""),
              highlight=False, markup=False, soft_wrap=True)
    if reading.parsed is None:
        out.print(f"{'':11} (a named handler took the words before the parser; the reply is "
                  "an empty workspace's)", highlight=False, markup=False, soft_wrap=True)
