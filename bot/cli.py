"""The ``vigil`` command line (Typer)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from pathlib import Path

import typer
from rich.console import Console

from bot.cli_support import (
    VigilGroup,
    engine_from_settings,
    fail,
    resolve_workspace_or_exit,
    version_option,
    zone_option,
)
from bot.config import get_settings
from bot.data_cli import register as register_data_commands
from bot.inspect_cli import parse, status
from bot.notices_cli import notices_app

app = typer.Typer(
    cls=VigilGroup,
    help="Vigil — work execution assurance in your team chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(notices_app, name="notices")
out = Console()
err = Console(stderr=True)
# SQLite's page cache (MiB) for ``check --full``: a batch of a million-task workspace
# dirties tens of MiB of scattered index and table pages; SQLite's default 2 MiB cache
# spills them and reads them back (bounded: it is part of the check's peak memory).
FULL_CHECK_CACHE_MIB = 64


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=version_option, is_eager=True,
                                 help="Print Vigil's version and exit."),
) -> None:
    """Vigil — work execution assurance in your team chat."""


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations (also done at every start)."""
    engine = engine_from_settings()
    out.print(f"database at {engine.url.render_as_string(hide_password=True)} is up to date")


@app.command()
def run() -> None:
    """Start Vigil: the rule scheduler and every configured chat platform."""
    from bot.app import serve
    from bot.banner import banner
    from bot.observe.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    engine = engine_from_settings()
    out.print(banner(settings, engine, "Vigil is starting"), highlight=False, markup=False,
              soft_wrap=True)
    engine.dispose()
    asyncio.run(serve(settings))


@app.command()
def check(
    full: bool = typer.Option(False, "--full", help="Re-evaluate every task, not only due ones."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Workspace key or name."),
    top: int = typer.Option(50, "--top", min=0, help="List at most this many (all are counted)."),
) -> None:
    """Evaluate the configured database now and list the worst firing violations."""
    from bot.check import progress_bar, run_check
    from bot.check_trace import Trace

    trace = Trace()
    engine = engine_from_settings(sqlite_cache_mib=FULL_CHECK_CACHE_MIB if full else None)
    if workspace is not None:
        resolve_workspace_or_exit(engine, workspace)
    with progress_bar(full and not as_json) as on_progress:
        report = run_check(engine, full=full, workspace=workspace, on_progress=on_progress,
                           top=top)
    trace.mark("bar closed")
    if report is None:
        fail(f"no workspace called '{workspace}'")
        return
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    for ws in report["workspaces"]:
        out.print(
            f"[bold]{ws['name']}[/bold] — {ws['firing']} firing, "
            f"{ws['changes']} change(s) made by this check",
            highlight=False,
        )
        told = ws.get("summaries")
        if told and told["people"]:
            out.print(
                f"  told {told['people']} people with one summary each "
                f"(instead of {told['alerts_instead']} separate alerts)",
                highlight=False,
            )
        if ws["firing"] > len(ws["violations"]) > 0:
            severities = ", ".join(f"{n} {sev}" for sev, n in ws["by_severity"].items())
            out.print(f"  {severities}; the {len(ws['violations'])} most severe:",
                      highlight=False)
        for v in ws["violations"]:
            colour = {"critical": "red", "warning": "yellow"}.get(v["severity"], "blue")
            out.print(
                f"  [{colour}]{v['severity']:8}[/{colour}] {v['rule']:28} {v['subject']}: "
                f"{v['explanation']}",
                highlight=False,
            )
        more = ws["firing"] - len(ws["violations"])
        if more:
            rules = ", ".join(f"{rule} {n}" for rule, n in ws["by_rule"].items())
            out.print(f"  …and {more} more (by rule: {rules})", highlight=False)
    if not report["workspaces"]:
        out.print("no workspaces yet")
    trace.mark("printed")
    engine.dispose()  # closes SQLite's connection: its WAL is checkpointed now
    trace.mark("closed")


@app.command()
def simulate(
    file: Path = typer.Argument(..., help="Scenario YAML (DESIGN.md §10)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Replay a scenario with a simulated clock and print what Vigil would do."""
    from bot.simulate import ScenarioError, load_scenario, run_scenario
    from bot.simulate.report import render_text

    try:
        events = run_scenario(load_scenario(file))
    except ScenarioError as exc:
        fail(str(exc))
        return
    if as_json:
        for e in events:
            sys.stdout.write(json.dumps(e.as_json(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(events))


app.command()(status)
register_data_commands(app)  # gantt, export, import: after status in the help


@app.command()
def demo(
    database: Path = typer.Option(Path("vigil-demo.db"), "--db", help="Demo database file."),
    fast: bool = typer.Option(False, "--fast", help="No pauses, no night-time ticks (tests)."),
    today: str | None = typer.Option(None, "--today", help="Play the fortnight before this "
                                     "date (YYYY-MM-DD) instead of today's."),
) -> None:
    """Two working weeks of a sample accounting firm, replayed in seconds."""
    from datetime import date

    from bot.demo.command import DemoRefused, run_demo

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        fail(f"--today must be a date like 2026-03-13, not '{today}'")
        return
    try:
        result = run_demo(out, database, fast=fast, today=day)
    except DemoRefused as exc:
        fail(str(exc))
        return
    out.print(f"[dim](played in {result.seconds:.1f} s)[/dim]")


@app.command()
def console(
    name: str = typer.Option("", "--as", help="Who you are at the start (someone on the team; "
                             "a new workspace asks for your name)."),
    tz: str = typer.Option("", "--tz", callback=zone_option,
                           help="Time zone of a new console workspace."),
) -> None:
    """Chat with Vigil in the terminal (embedded database, no tokens needed)."""
    from adapters.console import ConsoleAdapter
    from adapters.console.adapter import WORKSPACE_KEY, ConsoleInbox, ask_founder_name
    from bot.clock import SystemClock
    from bot.jobs import digest_all, dispatch_due, escalate_all, tick_all
    from bot.language import warm_up
    from bot.notify.dispatcher import Dispatcher
    from bot.observe.context import ObservedConversation
    from storage.uow import make_uow_factory

    settings = get_settings()
    zone = tz or settings.timezone
    warm_up(zones=(zone,))
    factory = make_uow_factory(engine_from_settings())
    clock = SystemClock()
    inbox = ConsoleInbox()
    # Notices wait here until their person sits down: a digest is built again when shown.
    dispatcher = Dispatcher(factory, {"console": inbox}, rebuild_digests_after=timedelta(0))

    def jobs() -> None:
        # The console runs the scheduler's work between lines instead of on a timer.
        tick_all(factory, clock)
        escalate_all(factory, clock)
        digest_all(factory, clock)
        # Only the notices of the person at the keyboard: the others' stay kept for them.
        dispatcher.recipients = {adapter.person_id}
        dispatch_due(dispatcher, clock)

    def lines():  # type: ignore[no-untyped-def]
        while True:
            try:
                yield input(f"{adapter.name}> ")
            except EOFError:
                return

    conversation = ObservedConversation(factory, clock)
    if not name and conversation.admin_of(WORKSPACE_KEY) is None:
        name = ask_founder_name()
    adapter = ConsoleAdapter(
        conversation,
        lambda text: out.print(text, highlight=False, markup=False),
        tz=zone, name=name or None, inbox=inbox, after_each=jobs,
    )
    jobs()
    adapter.run(lines())


app.command()(parse)


if __name__ == "__main__":
    app()
