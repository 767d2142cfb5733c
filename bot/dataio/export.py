"""``vigil export``: every record of one workspace as JSON or as CSV files.

JSON: one file holding the workspace, people (with platform identities),
projects, tasks, activity and violations. CSV: one file per kind. Instants
are ISO 8601 in UTC. ``tasks.csv`` also carries readable ``project``,
``owner``, ``parent`` and ``depends_on`` columns (names and task numbers), so
it can be loaded into another workspace with ``vigil import``.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Mapping
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any

from engine.model import Task
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork

FORMATS = ("json", "csv")
KINDS = ("people", "projects", "tasks", "activity", "violations")


def _plain(value: Any) -> Any:
    """JSON-ready values: instants as ISO text, enums as their value, sets sorted."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # a record (named tuple)
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _task_row(task: Task, numbers: dict[int, int], projects: dict[int, str],
              people: dict[int, str]) -> dict[str, Any]:
    row = _plain(task)
    row.update(
        project=projects.get(task.project_id or -1, ""),
        owner=people.get(task.owner_id or -1, ""),
        parent=numbers.get(task.parent_id or -1, ""),
        depends_on_numbers=";".join(str(numbers[d]) for d in task.depends_on if d in numbers),
    )
    return row


def collect(uow: UnitOfWork, workspace: WorkspaceRecord) -> dict[str, Any]:
    """Every record of the workspace as plain JSON-ready data."""
    ws = workspace.id
    people = uow.people.list(ws)
    projects = uow.projects.list(ws)
    tasks = uow.tasks.list(ws)
    numbers = {t.id: t.number for t in tasks}
    project_names = {p.id: p.name for p in projects}
    person_names = {p.id: p.name for p in people}
    people_rows = []
    for p in people:
        row = _plain(p)
        row["identities"] = [
            {"platform": i.platform, "external_id": i.external_id}
            for i in uow.people.identities(ws, p.id)
        ]
        people_rows.append(row)
    return {
        "format": "vigil-export/1",
        "workspace": _plain(workspace),
        "people": people_rows,
        "projects": [_plain(p) for p in projects],
        "tasks": [_task_row(t, numbers, project_names, person_names) for t in tasks],
        "activity": [_plain(a) for a in uow.activity.list(ws)],
        "violations": [_plain(v) for v in uow.violations.history(ws)],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})


def _columns(rows: list[dict[str, Any]], first: tuple[str, ...] = ()) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


TASK_FIRST = ("number", "title", "project", "owner", "status", "progress", "priority",
              "start", "due", "parent", "depends_on_numbers", "blocked_reason")


def export_workspace(uow: UnitOfWork, ws: int, fmt: str, out_dir: str | Path) -> list[Path]:
    """Write the workspace ``ws`` to ``out_dir``; returns the files written.

    ``fmt`` is ``json`` (one ``<key>.json``) or ``csv`` (``workspace.csv``,
    ``people.csv``, ``projects.csv``, ``tasks.csv``, ``activity.csv``,
    ``violations.csv``). Reads only; raises ``ValueError`` for an unknown format
    or workspace.
    """
    fmt = fmt.lower().strip()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}': use json or csv")
    workspace = uow.workspaces.get(ws)
    if workspace is None:
        raise ValueError(f"no workspace {ws}")
    data = collect(uow, workspace)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in workspace.key)
    if fmt == "json":
        path = out / f"vigil-{safe}.json"
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return [path]
    written = []
    ws_row = dict(data["workspace"])
    ws_row.update(ws_row.pop("calendar"))
    path = out / "workspace.csv"
    _write_csv(path, [ws_row], _columns([ws_row]))
    written.append(path)
    for kind in KINDS:
        rows = data[kind]
        first = TASK_FIRST if kind == "tasks" else ("id",)
        path = out / f"{kind}.csv"
        _write_csv(path, rows, _columns(rows, first))
        written.append(path)
    return written
