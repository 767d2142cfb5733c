"""Drawing a laid-out Gantt chart to a PNG with matplotlib's Agg canvas.

No display and no pyplot global state: one bar per task from start to due,
progress filled inside the bar, a "today" line, dependency arrows and a legend.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.views.gantt_layout import PALETTE, Chart
from engine.model import Status

TODAY_COLOUR = "#d62728"
ROW_INCHES = 0.26
DPI = 100
WIDTH_INCHES = 15.0
LABEL_INCHES = 4.2


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
