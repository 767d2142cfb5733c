"""Gantt timeline as a PNG (``gantt [#project]``, ``vigil gantt``).

Drawn with matplotlib's Agg canvas (no display, no pyplot global state): one
bar per task from start to due, grouped by project and parent, coloured by
health, progress filled inside the bar, a "today" line, dependency arrows and
a legend. The image grows taller with the number of rows (about 26 px a row);
beyond ``MAX_ROWS`` the rest is named in a footer (draw one project instead).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.charts import chart_dir
from bot.handlers.request import Request
from bot.messages import Outgoing, Section
from bot.views.my_tasks import TaskHealth, assess, clip, handle_of, shown
from engine.model import Person, Project, Severity, Status, Task
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork

# Category -> (legend label, colour). Order is the legend's order.
PALETTE: dict[str, tuple[str, str]] = {
    "open": ("open", "#9e9e9e"),
    "on_track": ("on track", "#2b7bd6"),
    "review": ("in review", "#f2c200"),
    "blocked": ("blocked", "#8c6bb1"),
    "done": ("done", "#2ca02c"),
    "info": ("at risk (info)", "#f4a3c0"),
    "warning": ("warning", "#e0446a"),
    "critical": ("critical", "#8b0000"),
}
TODAY_COLOUR = "#d62728"
ROW_INCHES = 0.26
DPI = 100
WIDTH_INCHES = 15.0
LABEL_INCHES = 4.2
MAX_ROWS = 220  # about 6000 px: still a valid chat photo (width + height under 10000)
DONE_WINDOW = timedelta(days=30)  # finished tasks stay on the chart this long


def category(task: Task, severity: Severity | None) -> str:
    """Which colour a bar gets: done, then the violation severity, then its status."""
    if task.status is Status.DONE:
        return "done"
    if severity is not None:
        return severity.value
    if task.status is Status.IN_REVIEW:
        return "review"
    if task.status is Status.IN_PROGRESS:
        return "on_track"
    if task.status is Status.BLOCKED:
        return "blocked"
    return "open"


@dataclass(frozen=True)
class Row:
    """One line of the chart: a project header (task None) or a task bar."""

    label: str
    task: Task | None = None
    depth: int = 0
    category: str = "open"
    project_due: datetime | None = None


@dataclass
class Chart:
    title: str
    now: datetime
    tz: str
    rows: list[Row] = field(default_factory=list)
    hidden: int = 0  # tasks left out beyond MAX_ROWS

    @property
    def task_rows(self) -> list[Row]:
        return [r for r in self.rows if r.task is not None]


def _on_chart(task: Task, now: datetime) -> bool:
    if not shown(task) or task.status is Status.CANCELLED:
        return False
    if task.status is Status.DONE:
        return (task.completed_at or now) >= now - DONE_WINDOW
    return True


def build_chart(
    title: str,
    tasks: Sequence[Task],
    health: dict[int, TaskHealth],
    projects: dict[int, Project],
    people: dict[int, Person],
    now: datetime,
    tz: str,
    max_rows: int = MAX_ROWS,
) -> Chart:
    """Order the rows: projects by name (no project last), each a parent/subtask tree."""
    chart = Chart(title, now, tz)
    tasks = [t for t in tasks if _on_chart(t, now)]
    groups: dict[int | None, list[Task]] = {}
    for t in tasks:
        groups.setdefault(t.project_id, []).append(t)

    def group_key(pid: int | None) -> tuple[int, str]:
        if pid is None:
            return (1, "")
        return (0, projects[pid].name.lower() if pid in projects else "")

    def order(t: Task) -> tuple[datetime, datetime, int]:
        return (t.effective_start, t.due or datetime.max.replace(tzinfo=now.tzinfo), t.number)

    def task_row(t: Task, depth: int) -> Row:
        h = health.get(t.id)
        owner = handle_of(people.get(t.owner_id)) if t.owner_id else "no owner"
        prefix = "   " * depth + ("↳ " if depth else "")
        label = f"{prefix}#{t.number} {clip(t.title, 40 - 3 * depth)} · {owner}"
        return Row(label, t, depth, category(t, h.severity if h else None))

    rows: list[Row] = []
    for pid in sorted(groups, key=group_key):
        members = groups[pid]
        project = projects.get(pid) if pid is not None else None
        rows.append(Row(project.name if project else "No project",
                        project_due=project.due if project else None))
        ids = {t.id for t in members}
        children: dict[int | None, list[Task]] = {}
        for t in members:
            children.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
        # depth-first: each task, then its subtasks (explicit stack, no recursion limit)
        stack: list[tuple[Task, int]] = [(t, 0) for t in sorted(children.get(None, []),
                                                              key=order, reverse=True)]
        seen: set[int] = set()
        while stack:
            t, depth = stack.pop()
            if t.id in seen:
                continue
            seen.add(t.id)
            rows.append(task_row(t, depth))
            stack += [(c, depth + 1) for c in sorted(children.get(t.id, []), key=order,
                                                      reverse=True)]
    if len(rows) > max_rows:
        chart.hidden = sum(1 for r in rows[max_rows:] if r.task is not None)
        rows = rows[:max_rows]
    chart.rows = rows
    return chart


def _tint(hex_colour: str, amount: float = 0.6) -> tuple[float, float, float]:
    """The colour blended toward white (the part of a bar not done yet)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def draw(chart: Chart, out_path: str | Path) -> Path:
    """Render the chart to a PNG at ``out_path`` and return the path."""
    from matplotlib import dates as mdates
    from matplotlib.artist import Artist
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    n = max(len(chart.rows), 1)
    top_in, bottom_in = 1.25, 0.75 + (0.25 if chart.hidden else 0)
    height = top_in + bottom_in + max(n, 4) * ROW_INCHES
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((LABEL_INCHES / WIDTH_INCHES, bottom_in / height,
                       1 - (LABEL_INCHES + 0.3) / WIDTH_INCHES, 1 - (top_in + bottom_in) / height))
    fig.suptitle(chart.title, x=0.01, y=1 - 0.12 / height, ha="left", va="top",
                 fontsize=13, fontweight="bold")
    zone = ZoneInfo(chart.tz)

    tasks = [r.task for r in chart.task_rows if r.task is not None]
    if not tasks:
        ax.text(0.5, 0.5, "No tasks to draw", ha="center", va="center", fontsize=12,
                transform=ax.transAxes)
        ax.set_axis_off()
        fig.savefig(out, dpi=DPI)
        return out

    def num(at: datetime) -> float:
        return float(mdates.date2num(at))

    now = chart.now
    starts = [t.effective_start for t in tasks]
    ends = [t.due for t in tasks if t.due is not None]
    ends += [r.project_due for r in chart.rows if r.project_due is not None]
    lo = min([*starts, *ends, now])
    hi = max([*starts, *ends, now])
    span = max((hi - lo).total_seconds(), 86400.0)
    pad = timedelta(seconds=span * 0.04)
    x_lo, x_hi = num(lo - pad), num(hi + pad)
    min_width = (x_hi - x_lo) * 0.006
    bar_h = 0.62
    where: dict[int, tuple[float, float, float]] = {}  # task id -> (x start, x end, y)

    for y, row in enumerate(chart.rows):
        if row.task is None:
            ax.axhspan(y - 0.5, y + 0.5, color="#eef1f5", zorder=0)
            if row.project_due is not None:
                x = num(row.project_due)
                ax.plot([x], [y], marker="D", color="#444444", markersize=6, zorder=3)
            continue
        t = row.task
        colour = PALETTE[row.category][1]
        x0 = num(t.effective_start)
        if t.due is None:
            x1, hatch = max(num(now), x0 + 1.0), "///"
        else:
            x1, hatch = num(t.due), ""
        x0, x1 = min(x0, x1), max(x0, x1)
        x1 = max(x1, x0 + min_width)
        where[t.id] = (x0, x1, y)
        ax.barh(y, x1 - x0, left=x0, height=bar_h, color=_tint(colour), edgecolor=colour,
                linewidth=0.8, hatch=hatch, zorder=2)
        done = 100 if t.status is Status.DONE else max(0, min(100, t.progress))
        if done:
            ax.barh(y, (x1 - x0) * done / 100, left=x0, height=bar_h, color=colour,
                    linewidth=0, zorder=3)
        note = f"{done}%" + ("  no deadline" if t.due is None else "")
        ax.text(x1 + (x_hi - x_lo) * 0.004, y, note, va="center", ha="left", fontsize=7,
                color="#333333", zorder=4)

    for t in tasks:
        for dep in t.depends_on:
            if dep in where and t.id in where:
                dx0, dx1, dy = where[dep]
                tx0, _tx1, ty = where[t.id]
                ax.annotate(
                    "", xy=(tx0, ty), xytext=(dx1, dy), zorder=5,
                    arrowprops={"arrowstyle": "-|>", "color": "#444444", "lw": 0.9,
                                "shrinkA": 0, "shrinkB": 2,
                                "connectionstyle": "arc3,rad=-0.25"},
                )

    ax.axvline(num(now), color=TODAY_COLOUR, linestyle="--", linewidth=1.4, zorder=6)
    ax.text(num(now), -0.45, " today", color=TODAY_COLOUR, fontsize=8, va="top",
            ha="left", fontweight="bold", zorder=6)

    ax.set_ylim(len(chart.rows) - 0.5, -0.5)
    ax.set_xlim(x_lo, x_hi)
    ax.set_yticks(range(len(chart.rows)))
    # '$' would start matplotlib math text: a title like "$5k $ budget" must stay text
    ax.set_yticklabels([r.label.replace("$", r"\$") for r in chart.rows], fontsize=8)
    for label, row in zip(ax.get_yticklabels(), chart.rows, strict=True):
        if row.task is None:
            label.set_fontweight("bold")
            label.set_fontsize(9)
    locator = mdates.AutoDateLocator(tz=zone, minticks=4, maxticks=14)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=zone))
    ax.tick_params(axis="x", labelsize=8, labeltop=True, top=True)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("right", "left"):
        ax.spines[side].set_visible(False)

    used = dict.fromkeys(r.category for r in chart.task_rows)
    handles: list[Artist] = [
        Patch(facecolor=PALETTE[c][1], edgecolor=PALETTE[c][1], label=PALETTE[c][0])
        for c in PALETTE if c in used
    ]
    handles.append(Patch(facecolor=_tint("#9e9e9e"), edgecolor="#9e9e9e",
                         label="not done yet (bar fill = progress)"))
    if any(t.due is None for t in tasks):
        handles.append(Patch(facecolor="white", edgecolor="#666666", hatch="///",
                             label="no deadline (drawn to today)"))
    handles.append(Line2D([0], [0], color=TODAY_COLOUR, linestyle="--", label="today"))
    handles.append(Line2D([0], [0], color="#444444", marker=">", label="depends on"))
    if any(r.project_due for r in chart.rows):
        handles.append(Line2D([0], [0], color="#444444", marker="D", linestyle="",
                              label="project deadline"))
    fig.legend(handles=handles, loc="upper left", ncol=min(len(handles), 6), fontsize=8,
               frameon=False, bbox_to_anchor=(0.01, 1 - 0.42 / height))
    if chart.hidden:
        fig.text(0.01, 0.12 / height, f"…and {chart.hidden} more tasks not drawn — "
                 "draw one project with 'gantt #project'.", fontsize=9, color="#8b0000")
    fig.savefig(out, dpi=DPI)
    return out


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
    tasks = [t for t in tasks if _on_chart(t, now)]
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
