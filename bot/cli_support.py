"""What every ``vigil`` command shares: one-line errors, exit status 2, ``--version``.

A refused setting (``SettingsError``) or a bad command-line option is one line
on stderr — the variable or option, the value given, what is allowed — and
exit status 2, never a traceback or a usage box.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import metadata
from typing import Any

import typer
from rich.console import Console

# Typer 0.2x vendors click: its exceptions, not the click package's, reach the group.
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from bot.config import SettingsError

USAGE_EXIT = 2


class ExportFormat(StrEnum):
    """``vigil export --format``."""

    json = "json"
    csv = "csv"


def vigil_version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("vigil")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return "0+unknown"


def one_line_error(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; return the Exit(2) to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(USAGE_EXIT)


def _usage_message(exc: UsageError) -> str:
    # One line; pydantic-style "Value error, " prefixes say nothing to a person.
    message = " ".join(exc.format_message().replace("Value error, ", "").split())
    command = exc.ctx.command_path if exc.ctx is not None else "vigil"
    return f"{message} (see '{command} --help')"


class VigilGroup(TyperGroup):
    """Typer's group with Vigil's one-line errors for settings and options."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Any | None = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            raise one_line_error(_usage_message(exc)) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            raise one_line_error(_usage_message(exc)) from None
        except SettingsError as exc:
            raise one_line_error(str(exc)) from None


def version_option(value: bool) -> None:
    """``--version``: print the version and stop."""
    if value:
        typer.echo(f"vigil {vigil_version()}")
        raise typer.Exit()


def bad_option(option: str, given: object, allowed: str) -> typer.Exit:
    """The one-line error for an option value checked inside a command."""
    return one_line_error(f"{option}={given!r} is not allowed: expected {allowed}")




def zone_option(value: str) -> str:
    """Typer callback for ``--tz`` options: an IANA zone name (empty: the default)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise typer.BadParameter(
                f"unknown time zone {value!r}: expected an IANA name such as UTC or "
                "Europe/London") from None
    return value


ERR = Console(stderr=True)


def fail(message: str, code: int = USAGE_EXIT) -> None:
    """Print ``error: message`` on stderr and exit with ``code`` (2: the user's input)."""
    ERR.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def engine_from_settings(sqlite_cache_mib: int | None = None):  # type: ignore[no-untyped-def]
    """The configured database's Engine, migrated to the newest schema
    (``sqlite_cache_mib``: SQLite's page cache per connection, ``storage.db.make_engine``)."""
    from bot.config import get_settings
    from storage.db import make_engine, upgrade

    engine = make_engine(get_settings().database_url, sqlite_cache_mib=sqlite_cache_mib)
    upgrade(engine)
    return engine


def resolve_workspace_or_exit(engine, name: str | None) -> None:  # type: ignore[no-untyped-def]
    """Exit with the list of workspaces when ``name`` names none (or several)."""
    from bot.workspace_names import UnknownWorkspace, resolve
    from storage.uow import make_uow_factory

    with make_uow_factory(engine)() as uow:
        try:
            resolve(uow, name)
        except UnknownWorkspace as exc:
            fail(str(exc))
