"""``vigil gantt``, ``vigil export`` and ``vigil import``: a workspace's data in and out."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from bot.cli_support import ERR as err
from bot.cli_support import ExportFormat, engine_from_settings, fail, zone_option
from bot.config import get_settings

out = Console()


def register(app: typer.Typer) -> None:
    """Add the data commands to the ``vigil`` app (their order is the help's order)."""
    app.command()(gantt)
    app.command("export")(export_data)
    app.command("import")(import_data)


def gantt(
    out_file: Path = typer.Option(..., "--out", help="PNG file to write."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Key or name."),
    project: str | None = typer.Option(None, "--project", "-p", help="Only this project."),
) -> None:
    """Draw the Gantt timeline of a workspace (or one project) to a PNG file."""
    from bot.views.gantt import gantt_file
    from storage.uow import make_uow_factory

    try:
        factory = make_uow_factory(engine_from_settings())
        path = gantt_file(factory, workspace, out_file, project=project)
    except LookupError as exc:
        fail(str(exc))
        return
    out.print(f"wrote {path}")


def export_data(
    fmt: ExportFormat = typer.Option(ExportFormat.json, "--format", help="json or csv."),
    out_dir: Path = typer.Option(Path("vigil-export"), "--out", help="Directory to write to."),
    workspace: str | None = typer.Option(None, "--workspace", "-w", help="Key or name."),
) -> None:
    """Write every record of a workspace (people, projects, tasks, activity, violations)."""
    from bot.dataio import export_workspace
    from bot.views.gantt import find_workspace
    from storage.uow import make_uow_factory

    factory = make_uow_factory(engine_from_settings())
    with factory() as uow:
        try:
            spaces = [find_workspace(uow, workspace)] if workspace else uow.workspaces.list()
            for ws in spaces:
                target = out_dir / ws.key.replace(":", "_") if len(spaces) > 1 else out_dir
                for path in export_workspace(uow, ws.id, fmt.value, target):
                    out.print(f"wrote {path}")
        except (LookupError, ValueError) as exc:
            fail(str(exc))


def import_data(
    file: Path = typer.Argument(..., help="Export of another task tool (CSV, or JSON from "
                                "Trello or Vigil)."),
    workspace: str = typer.Option(..., "--workspace", "-w",
                                  help="Workspace to load into: its key or display name."),
    create: bool = typer.Option(False, "--create", help="Create the workspace if it is new."),
    mapping: str | None = typer.Option(
        None, "--map", help='Columns to add to or override the detected ones, e.g. '
        '"Client=project,Owner=owner,Internal ID=-".'
    ),
    tz: str = typer.Option("UTC", "--tz", callback=zone_option,
                           help="Zone of dates without an offset (new workspace)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be created, "
                                 "changed and fired; write nothing."),
) -> None:
    """Load tasks from Asana, Trello, Jira, ClickUp, monday.com, Todoist, Notion or Vigil."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from bot.clock import SystemClock
    from bot.dataio import import_csv
    from storage.db import refresh_statistics
    from storage.uow import make_uow_factory

    engine = engine_from_settings()
    factory = make_uow_factory(engine)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err, transient=True) as bar:
        job = bar.add_task("importing rows", total=None)
        result = import_csv(factory, file, workspace, mapping, SystemClock().now(), tz=tz,
                            create=create, dry_run=dry_run,
                            yield_seconds=0.12 if get_settings().database_url.startswith(
                                "sqlite") else 0.0,
                            progress=lambda done, total: bar.update(job, completed=done,
                                                                    total=total),
                            phase=lambda name: bar.update(job, description="checking tasks",
                                                          completed=0, total=None),
                            analyze=lambda tables: refresh_statistics(engine, tables))
    out.print(result.report(), highlight=False, markup=False, soft_wrap=True)
    if not result.ok:
        raise typer.Exit(2)
