"""Gantt timeline as a PNG (``gantt [#project]``, ``vigil gantt``).

Loads the tasks and their health, lays them out (``gantt_layout``: grouped by
project and parent, coloured by health) and draws them (``gantt_draw``). The
image grows taller with the number of rows (about 26 px a row); beyond
``MAX_ROWS`` the rest is named in a footer (draw one project instead).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.charts import chart_dir
from bot.handlers.request import Request
from bot.messages import Outgoing, Section
from bot.views.gantt_draw import draw
from bot.views.gantt_layout import Chart, build_chart, on_chart
from bot.views.my_tasks import assess
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork


def chart_for(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    tz: str,
    project_id: int | None = None,
    title: str | None = None,
) -> Chart:
    """Load a workspace's (or one project's) tasks and lay out the chart."""
    tasks = uow.tasks.list(ws, project_id=project_id)
    tasks = [t for t in tasks if on_chart(t, now)]
    health = assess(uow, ws, tasks)
    projects = {p.id: p for p in uow.projects.list(ws)}
    owner_ids = {t.owner_id for t in tasks if t.owner_id is not None}
    people = {p.id: p for p in uow.people.get_many(ws, owner_ids)}
    local = now.astimezone(ZoneInfo(tz))
    if title is None:
        scope = projects[project_id].name if project_id in projects else "all projects"
        title = f"Timeline — {scope} · {local:%a} {local.day} {local:%b %Y}"
    return build_chart(title, tasks, health, projects, people, now, tz)


def render_gantt(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    out_path: str | Path,
    project_id: int | None = None,
    tz: str | None = None,
) -> Path:
    """Draw the workspace's (or a project's) timeline to ``out_path``; returns the path."""
    workspace = uow.workspaces.get(ws)
    zone = tz or (workspace.calendar.tz if workspace else "UTC")
    return draw(chart_for(uow, ws, now, zone, project_id), out_path)


def _default_path(ws: int, now: datetime) -> Path:
    return chart_dir() / f"gantt-{ws}-{now:%Y%m%dT%H%M%S%f}.png"


def gantt(req: Request, project: str | None = None,
          out_path: str | Path | None = None) -> Outgoing:
    """``gantt [#project]``: the timeline as an image plus a one-line caption."""
    proj = req.project_ref(project) if project else None
    chart = chart_for(req.uow, req.ws, req.now, req.tz, proj.id if proj else None)
    rows = chart.task_rows
    scope = proj.name if proj else "all projects"
    if not rows:
        return Outgoing.say(f"Timeline — {scope}: no open tasks to draw. 'add …' creates one.")
    path = draw(chart, out_path or _default_path(req.ws, req.now))
    red = sum(1 for r in rows if r.category == "critical")
    amber = sum(1 for r in rows if r.category == "warning")
    more = f" ({chart.hidden} more not drawn — try 'gantt #project')" if chart.hidden else ""
    caption = f"Timeline — {scope}: {len(rows)} tasks{more} · 🔴{red} critical · 🟠{amber} warning"
    return Outgoing((Section(caption),), image_path=str(path))


def gantt_file(
    uow_factory: Callable[[], UnitOfWork],
    workspace: str | None,
    out_path: str | Path,
    project: str | None = None,
    now: datetime | None = None,
) -> Path:
    """``vigil gantt [--workspace W] [--project P] --out FILE.png``.

    ``workspace`` is a key or name (None: the only workspace). Raises
    ``LookupError`` with a readable message when it or the project is unknown.
    """
    from bot.clock import SystemClock

    now = now or SystemClock().now()
    with uow_factory() as uow:
        ws = find_workspace(uow, workspace)
        project_id = None
        if project:
            found = uow.projects.by_name(ws.id, project.lstrip("#"))
            if found is None:
                raise LookupError(f"no project called '{project}' in {ws.name}")
            project_id = found.id
        return render_gantt(uow, ws.id, now, out_path, project_id, ws.calendar.tz)


def find_workspace(uow: UnitOfWork, workspace: str | None) -> WorkspaceRecord:
    """The workspace with this key or display name; None picks the only one there is."""
    from bot.workspace_names import resolve

    return resolve(uow, workspace)
