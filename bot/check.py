"""``vigil check``: evaluate now and report firing violations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.engine import Engine

from bot.check_trace import Trace
from bot.clock import SystemClock
from bot.evaluation import tick
from bot.notify.summary import Summaries
from bot.workspace_check import Progress as CheckProgress
from bot.workspace_check import check_committed
from bot.workspace_names import matching
from storage.records import ViolationRecord
from storage.uow import UnitOfWork, make_uow_factory

OnProgress = Callable[[str, CheckProgress], None]
TOP = 50  # firing violations a report lists (all of them are counted)


def run_check(
    engine: Engine,
    full: bool = False,
    workspace: str | None = None,
    clock: Any = None,
    on_progress: OnProgress | None = None,
    top: int = TOP,
) -> dict[str, Any] | None:
    """Tick (or fully re-evaluate) each workspace and report what is firing.

    The report counts every firing violation (``firing``, ``by_severity``,
    ``by_rule``) and lists the ``top`` most severe (``violations``).

    A full check walks each workspace in committed batches (``on_progress``
    hears after each) and tells each person once, with one summary of what
    it found (``bot.notify.summary``), instead of one alert per problem.
    Returns None when ``workspace`` names no workspace.
    """
    now = (clock or SystemClock()).now()
    trace = Trace()
    factory = make_uow_factory(engine)
    with factory() as uow:
        spaces = uow.workspaces.list()
    if workspace is not None:
        spaces = matching(spaces, workspace)
        if len(spaces) != 1:
            return None
    trace.mark("start")
    report: dict[str, Any] = {"now": now.isoformat(), "full": full, "workspaces": []}
    for ws in spaces:
        entry: dict[str, Any] = {"key": ws.key, "name": ws.name}
        if full:
            summaries = Summaries(imported=_never_checked(factory, ws.id))
            changes = 0
            for progress in check_committed(factory, ws.id, now, summaries):
                changes = progress.events
                trace.mark("batch", events=progress.batches[-1],
                           phases={k: round(v, 3) for k, v in progress.cpu.items()})
                if on_progress is not None:
                    on_progress(ws.name, progress)
            entry["summaries"] = {
                "people": len(summaries.problems),
                "alerts_instead": summaries.alerts_instead,
            }
        else:
            with factory() as uow:
                changes = len(tick(uow, ws.id, now))
                uow.commit()
        trace.mark("tick" if not full else "summaries")
        with factory() as uow:
            # Counts of everything, rows of the worst only: a million firing problems
            # must not be held (or printed) to report them.
            counts = uow.violations.firing_counts(ws.id)
            trace.mark("counts")
            rows = uow.violations.worst_firing(ws.id, top)
            trace.mark("worst")
            labels = _labels(uow, ws.id, rows)
            trace.mark("labels")
        entry["changes"] = changes
        entry["firing"] = sum(counts.values())
        entry["by_severity"] = _totals(counts, 0)
        entry["by_rule"] = _totals(counts, 1)
        entry["violations"] = [_row(r, labels) for r in rows]
        report["workspaces"].append(entry)
    return report


def _totals(counts: dict[tuple[str, str], int], part: int) -> dict[str, int]:
    """The counts summed by severity (``part`` 0) or by rule (1), largest first."""
    out: dict[str, int] = {}
    for key, n in counts.items():
        out[key[part]] = out.get(key[part], 0) + n
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[OnProgress | None]:
    """A Rich progress bar on stderr for the batches of a full check (None when disabled)."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("tasks · {task.fields[changes]} change(s)"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        bars: dict[str, TaskID] = {}

        def update(name: str, progress: CheckProgress) -> None:
            if name not in bars:
                bars[name] = bar.add_task(name, total=progress.total, changes=0)
            bar.update(bars[name], completed=progress.done, changes=progress.events)

        yield update


def _never_checked(factory: Callable[[], UnitOfWork], ws: int) -> bool:
    """True before a workspace's first check: no violation ever stored, no next check set."""
    with factory() as uow:
        return uow.violations.none_stored(ws) and not uow.tasks.any_checked(ws)


def _row(r: ViolationRecord, labels: dict[tuple[str, int], str]) -> dict[str, Any]:
    return {
        "rule": r.rule_id,
        "severity": str(r.severity),
        "subject": labels.get((r.subject_kind, r.subject_id)) or f"{r.subject_kind} {r.subject_id}",
        "subject_kind": str(r.subject_kind),
        "subject_id": r.subject_id,
        "fingerprint": r.fingerprint,
        "explanation": r.explanation,
        "fired_at": r.fired_at.isoformat() if r.fired_at else None,
        "level": r.level,
        "acked": r.acked_at is not None,
        "snoozed_until": r.snoozed_until.isoformat() if r.snoozed_until else None,
    }


def _labels(
    uow: UnitOfWork, ws: int, rows: list[ViolationRecord]
) -> dict[tuple[str, int], str]:
    """What each subject is called, with one query per subject kind."""
    ids: dict[str, set[int]] = {"task": set(), "person": set(), "project": set()}
    for r in rows:
        ids[r.subject_kind].add(r.subject_id)
    labels = {("task", tid): text for tid, text in uow.tasks.labels(ws, ids["task"]).items()}
    labels.update(
        (("person", p.id), p.name) for p in uow.people.get_many(ws, ids["person"])
    )
    labels.update(
        (("project", p.id), f"project {p.name}")
        for p in uow.projects.list(ws)
        if p.id in ids["project"]
    )
    return labels
