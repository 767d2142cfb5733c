"""``vigil import FILE``: tasks from another tool's export (or Vigil's own).

The file's tool is recognised by its header (``bot/dataio/sources``, one
module per tool) and mapped without ``--map``; ``--map`` adds columns or
overrides what was detected. Every row is checked first; with any problem
nothing is written and each problem is listed with its line. Then rows are
written in batches (``writing``): people and projects are matched before
any is created, tasks imported before are updated where the source changed,
created and completed dates are kept. ``dry_run`` does all of it, including
the rules' verdicts, in a transaction that is rolled back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.dataio import linking
from bot.dataio.convert import Row, convert
from bot.dataio.first_check import check_in_batches
from bot.dataio.matching import Existing, People, Projects
from bot.dataio.reading import (
    MAX_BYTES,
    RowError,
    csv_records,
    json_document,
    looks_like_json,
    read_text,
)
from bot.dataio.record import SourceTask, parse_mapping
from bot.dataio.report import ImportResult, findings
from bot.dataio.sources import detect, trello
from bot.dataio.writing import BATCH, PEOPLE_BATCH, Writer
from bot.errors import VigilError
from bot.notify.summary import Summaries
from bot.workspace_names import UnknownWorkspace, matching, resolve
from engine import calendar as cal_ops
from engine.model import WorkCalendar
from storage.errors import StorageError
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork

# Larger imports are checked in committed batches (``first_check``), not in one go.
EVALUATE_AT_ONCE = 5000
# Pause after each committed batch. SQLite has one writer and every transaction
# begins IMMEDIATE: a chat message waiting for the lock polls about every 100 ms,
# and without a gap the next batch would take the lock again first.
YIELD_SECONDS = 0.12
Progress = Callable[[int, int], None]
Phase = Callable[[str], None]  # told "rows" then "check" as the import moves on
# ANALYZE of these tables after the rows (``storage.db.refresh_statistics`` on
# PostgreSQL): the check that follows, and every change after it, would
# otherwise be planned from the statistics of the empty tables.
Analyze = Callable[[tuple[str, ...]], None]  # run for imports of a batch or more
ROW_TABLES = ("tasks", "task_dependencies", "people", "identities", "projects", "activity")
CHECK_TABLES = ("violations", "notifications", "home_refresh")


@dataclass(frozen=True)
class Request:
    """What to import where, and how."""

    path: Path
    workspace: str
    now: datetime
    mapping: dict[str, str]
    tz: str = "UTC"
    create: bool = False
    dry_run: bool = False
    max_bytes: int = MAX_BYTES
    yield_seconds: float = 0.0


def import_csv(
    uow_factory: Callable[[], UnitOfWork],
    path: str | Path,
    workspace_key: str,
    mapping: str | Mapping[str, str] | None,
    now: datetime,
    tz: str = "UTC",
    max_bytes: int = MAX_BYTES,
    create: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    yield_seconds: float = 0.0,
    phase: Phase | None = None,
    analyze: Analyze | None = None,
) -> ImportResult:
    """Import an export file into the workspace ``workspace_key`` (its key or name).

    An unknown workspace is an error listing the existing ones, unless
    ``create`` (then it is made, zone ``tz``). Returns an ``ImportResult``:
    with ``errors`` nothing was written; ``report()`` gives the text.
    ``yield_seconds`` is the pause between batches (``YIELD_SECONDS`` on a
    shared SQLite file; PostgreSQL has no single write lock). The rules then
    check what came in and the people concerned get one summary each
    (``first_check``); ``phase`` hears "check" when that starts. ``analyze``
    refreshes the planner's statistics of the touched tables after the rows
    and after the check.
    """
    path = Path(path)
    result = ImportResult(str(path), workspace_key, dry_run=dry_run)
    try:
        explicit = parse_mapping(mapping)
    except ValueError as exc:
        result.errors.append(RowError(0, str(exc)))
        return result
    req = Request(path, workspace_key, now, explicit, tz, create, dry_run, max_bytes,
                  yield_seconds)
    tasks = _read(req, result)
    if result.errors:
        return result
    if isinstance(tasks, dict):  # a Vigil JSON export
        from bot.dataio.restore import restore

        return restore(uow_factory, req, tasks, result)
    return _import(uow_factory, req, tasks, result, progress, phase, analyze)


def _read(req: Request, result: ImportResult) -> list[SourceTask] | dict[str, Any]:
    errors = result.errors
    text = read_text(req.path, req.max_bytes, errors)
    if text is None:
        return []
    if looks_like_json(text):
        document = json_document(text, req.path.name, errors)
        if isinstance(document, dict) and str(document.get("format", "")).startswith(
                "vigil-export/"):
            result.source = "Vigil (JSON export)"
            return document
        if trello.is_board(document):
            result.source = "Trello (board JSON)"
            return trello.board_tasks(document, errors)
        if document is not None:
            errors.append(RowError(0, f"{req.path.name} is JSON but neither a Vigil export "
                                      "nor a Trello board export"))
        return []
    records = csv_records(text, req.path.name, errors)
    if errors:
        return []
    source = detect(records, req.path)
    result.source = source.name
    tasks = source.tasks(records, req.path, req.mapping, errors)
    if not errors and source.columns and records:
        header_at = source.header_at(records) or 0
        result.mapping = source.table(records[header_at:], req.mapping).mapping
    return tasks


def workspace_for(uow: UnitOfWork, req: Request, result: ImportResult
                  ) -> tuple[WorkspaceRecord | None, WorkCalendar | None]:
    """The existing workspace (or None to create), its calendar; None, None on error."""
    spaces = matching(uow.workspaces.list(), req.workspace)
    if len(spaces) > 1 or (not spaces and not req.create):
        try:
            resolve(uow, req.workspace, create_hint=True)
        except UnknownWorkspace as exc:
            result.errors.append(RowError(0, str(exc)))
        return None, None
    workspace = spaces[0] if spaces else None
    try:
        cal = workspace.calendar if workspace else WorkCalendar(tz=req.tz)
        cal_ops.zone(cal.tz)
    except Exception:  # an unknown zone name is the user's to fix
        result.errors.append(RowError(0, f"unknown time zone '{req.tz}'"))
        return None, None
    if workspace is not None:
        result.workspace_key = workspace.key
    return workspace, cal


def _import(uow_factory: Callable[[], UnitOfWork], req: Request, tasks: list[SourceTask],
            result: ImportResult, progress: Progress | None, phase: Phase | None,
            analyze: Analyze | None = None) -> ImportResult:
    errors = result.errors
    with uow_factory() as uow:
        workspace, cal = workspace_for(uow, req, result)
    if errors or cal is None:
        return result
    rows = convert(tasks, cal, req.now, errors)
    if not rows and not errors:
        errors.append(RowError(0, f"{req.path.name} holds no tasks"))
    if errors:
        return result
    linking.link(rows, errors)
    ordered = linking.order(rows, errors) if not errors else []
    if errors:
        return result
    summaries = Summaries(imported=True)
    try:
        if req.dry_run:
            with uow_factory() as uow:
                writer = _start(uow, req, workspace, cal, result)
                _batches(uow, writer, ordered, progress)
                result.finish(writer, findings(uow, writer.ws, req.now, writer, summaries),
                              summaries)
                uow.rollback()
            return result
        began = time.perf_counter()
        writer = _write(uow_factory, req, workspace, cal, result, ordered, progress)
        result.seconds["writing the rows"] = time.perf_counter() - began
        large = len(writer.tally.touched) > EVALUATE_AT_ONCE
        if analyze is None or len(writer.tally.touched) < BATCH:
            analyze = None  # a small import: the statistics stay as they are
        if analyze is not None:
            analyze(ROW_TABLES)
        if large:
            if phase is not None:
                phase("check")
            check_in_batches(uow_factory, writer.ws, req.now, writer.tally.touched, summaries,
                             req.yield_seconds, progress)
        with uow_factory() as uow:
            found = findings(uow, writer.ws, req.now, writer, summaries, checked=large)
            uow.commit()
        result.seconds["the rules' check"] = time.perf_counter() - began - sum(
            result.seconds.values())
        if analyze is not None:
            analyze(CHECK_TABLES)
        result.finish(writer, found, summaries)
    except (VigilError, StorageError, ValueError) as exc:
        # a service refused something the checks let through
        errors.append(RowError(getattr(exc, "line", 0), f"{exc} (rows before it were "
                                                       "written; importing again continues)"))
    return result


def _write(uow_factory: Callable[[], UnitOfWork], req: Request,
           workspace: WorkspaceRecord | None, cal: WorkCalendar, result: ImportResult,
           ordered: list[Row], progress: Progress | None) -> Writer:
    """People and projects first, then the rows, each batch its own short transaction."""
    with uow_factory() as uow:
        writer = _start(uow, req, workspace, cal, result)
        uow.commit()
    names = writer.names(ordered)
    for start in range(0, len(names), PEOPLE_BATCH):
        with uow_factory() as uow:
            writer.prepare(uow, names[start:start + PEOPLE_BATCH])
            uow.commit()
        time.sleep(req.yield_seconds)
    for start in range(0, len(ordered), BATCH):
        with uow_factory() as uow:
            _batches(uow, writer, ordered[start:start + BATCH], None)
            uow.commit()
        time.sleep(req.yield_seconds)
        if progress is not None:
            progress(min(start + BATCH, len(ordered)), len(ordered))
    return writer


def _start(uow: UnitOfWork, req: Request, workspace: WorkspaceRecord | None,
           cal: WorkCalendar, result: ImportResult) -> Writer:
    if workspace is None:
        workspace = uow.workspaces.create(req.workspace, req.workspace, calendar=cal,
                                          created_at=req.now)
        result.created_workspace = True
        result.workspace_key = workspace.key
    ws = workspace.id
    writer = Writer(ws, result.source, req.now, People(ws), Projects(ws),
                    Existing(ws, result.source))
    writer.load(uow)
    return writer


def _batches(uow: UnitOfWork, writer: Writer, rows: list[Row], progress: Progress | None
             ) -> None:
    for start in range(0, len(rows), BATCH):
        writer.write(uow, rows[start:start + BATCH])
        if progress is not None:
            progress(min(start + BATCH, len(rows)), len(rows))


__all__ = ["ImportResult", "RowError", "import_csv", "parse_mapping"]
