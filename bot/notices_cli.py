"""``vigil notices``: act on the outbox (``vigil status`` only shows it)."""

from __future__ import annotations

import typer
from rich.console import Console

notices_app = typer.Typer(help="Notifications in the outbox.", no_args_is_help=True)
_out = Console()


@notices_app.command("retry")
def retry(
    ids: list[int] = typer.Argument(None, help="Outbox ids (from `vigil status`); none: all."),
) -> None:
    """Queue failed notifications again (attempts and their age start afresh)."""
    from bot.cli_support import engine_from_settings
    from bot.clock import SystemClock
    from storage.uow import make_uow_factory

    for notice in ids or ():
        if not 0 < notice < 2**63:
            _out.print(f"[red]error:[/red] no outbox id {notice}", highlight=False)
            raise typer.Exit(2)
    with make_uow_factory(engine_from_settings())() as uow:
        queued = uow.outbox.retry_failed(SystemClock().now(), ids or None)
        uow.commit()
    missing = sorted(set(ids or ()) - set(queued))
    word = "notification" if len(queued) == 1 else "notifications"
    _out.print(f"queued {len(queued)} failed {word} again"
               + (f": {', '.join(map(str, queued))}" if queued and ids else ""), highlight=False)
    if missing:
        _out.print(f"not failed (or no such id): {', '.join(map(str, missing))}",
                   highlight=False)
        raise typer.Exit(1)
