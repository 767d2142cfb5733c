"""Importing Vigil's own JSON export: every person, project, task and its history back.

``vigil export`` writes ``vigil-export/1``: the workspace (calendar and
settings), people (all fields, platform identities), projects, tasks (all
fields, with project, owner, parent and dependencies by number) and the
activity log. Into a workspace, people are matched by handle, projects by
name and tasks by number; new tasks get their numbers in order, so an empty
workspace gets the same numbers. Violations are not copied: the rules decide
them again from the restored tasks (a violation's history stays in the export).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from bot.dataio.reading import RowError
from bot.dataio.report import SHOWN, ImportResult, describe
from bot.limits import YEAR_MAX, YEAR_MIN, text_problem
from bot.notify.summary import Summaries
from bot.persist import TIME
from bot.workspace_check import check_all
from engine.model import WorkCalendar
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.dataio.importer import Request

_PERSON = ("name", "handle", "role", "tz", "active", "ooo_from", "ooo_until")
_TASK = ("title", "start", "due", "progress", "status", "status_since", "blocked_reason",
         "priority", "last_progress_at", "last_activity_at", "completed_at", "recurrence",
         "proof_required", "proof", "window", "created_at")
_INSTANTS = {"start", "due", "status_since", "last_progress_at", "last_activity_at",
             "completed_at", "created_at", "ooo_from", "ooo_until", "at"}


def _id(ids: dict[int, int], value: Any) -> int | None:
    """The new id of an exported id (None when there was none)."""
    return ids.get(int(value)) if value is not None else None


def calendar_of(data: Any, fallback: WorkCalendar) -> WorkCalendar:
    """The exported calendar (``{"tz", "workdays", "day_start", "day_end", "holidays"}``)."""
    if not isinstance(data, dict):
        return fallback
    return WorkCalendar(
        tz=str(data.get("tz") or fallback.tz),
        workdays=frozenset(int(d) for d in data.get("workdays", fallback.workdays)),
        day_start=time.fromisoformat(str(data.get("day_start") or "09:00")),
        day_end=time.fromisoformat(str(data.get("day_end") or "17:00")),
        holidays=frozenset(date.fromisoformat(str(d)) for d in data.get("holidays") or ()),
    )


def _value(key: str, value: Any) -> Any:
    if key in _INSTANTS and isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return value


def restore(uow_factory: Callable[[], UnitOfWork], req: Request, document: dict[str, Any],
            result: ImportResult) -> ImportResult:
    """Load an export document into the workspace the request names."""
    from bot.dataio.importer import workspace_for

    result.errors += _too_long(document)
    if result.errors:
        return result
    with uow_factory() as uow:
        workspace, cal = workspace_for(uow, req, result)
        if result.errors or cal is None:
            return result
        source_ws = document.get("workspace") or {}
        if workspace is None:
            workspace = uow.workspaces.create(
                req.workspace, req.workspace, created_at=req.now,
                calendar=calendar_of(source_ws.get("calendar"), cal),
                settings=source_ws.get("settings") or {})
            result.created_workspace = True
            result.workspace_key = workspace.key
        ws = workspace.id
        people = _people(uow, ws, document.get("people") or [], result)
        projects = _projects(uow, ws, document.get("projects") or [], people, result)
        tasks = _tasks(uow, ws, document.get("tasks") or [], people, projects, result)
        _activity(uow, ws, document.get("activity") or [], people, tasks)
        # the rules decide again; whoever is told hears once, in one summary
        result.summaries = Summaries(imported=True)
        check_all(uow, ws, req.now, TIME, result.summaries)
        result.found = uow.violations.all_firing(ws)
        result.found_lines = [describe(uow, ws, v) for v in result.found[:SHOWN]]
        if req.dry_run:
            uow.rollback()
        else:
            uow.commit()
    return result


_LIMITED = {"people": (("name", "person"),), "projects": (("name", "project"),),
            "tasks": (("title", "title"), ("blocked_reason", "reason"), ("proof", "proof"))}


def _too_long(document: dict[str, Any]) -> list[RowError]:
    """The limits of ``bot.limits`` for a hand-edited export: every problem, nothing cut."""
    errors: list[RowError] = []
    for part, fields in _LIMITED.items():
        for n, row in enumerate(document.get(part) or [], start=1):
            label = {"tasks": f"task #{row.get('number', n)}", "people": f"person {n}",
                     "projects": f"project {n}"}[part]
            for key, field in fields:
                problem = text_problem(field, str(row.get(key) or "").strip())
                if problem is not None:
                    errors.append(RowError(0, f"{label}: {problem}"))
            for key in ("start", "due"):
                value = str(row.get(key) or "")
                if value[:4].isdigit() and not YEAR_MIN <= int(value[:4]) <= YEAR_MAX:
                    errors.append(RowError(0, f"{label}: {key}: impossible date: year "
                                              f"{int(value[:4])} (use {YEAR_MIN}-{YEAR_MAX})"))
    for n, row in enumerate(document.get("activity") or [], start=1):
        note = (row.get("after") or {}).get("note") if row.get("kind") == "note" else None
        if isinstance(note, str) and text_problem("note", note.strip()) is not None:
            errors.append(RowError(0, f"activity {n}: {text_problem('note', note.strip())}"))
    return errors


def _people(uow: UnitOfWork, ws: int, rows: list[dict[str, Any]], result: ImportResult
            ) -> dict[int, int]:
    by_handle = {p.handle.lower(): p.id for p in uow.people.list(ws)}
    ids: dict[int, int] = {}
    for row in rows:
        handle = str(row.get("handle") or "").lower()
        if handle in by_handle:
            ids[int(row["id"])] = by_handle[handle]
            continue
        fields = {k: _value(k, row.get(k)) for k in _PERSON if k != "name"}
        person = uow.people.add(ws, row["name"], **fields)
        ids[int(row["id"])] = by_handle[handle] = person.id
        result.created_people.append(f"{person.name} (@{person.handle})")
        for identity in row.get("identities") or []:
            if uow.people.by_identity(ws, identity["platform"], identity["external_id"]) is None:
                uow.people.add_identity(ws, person.id, identity["platform"],
                                        identity["external_id"])
    for row in rows:  # who reports to whom, and backups, once everyone is there
        links = {k: _id(ids, row.get(k)) for k in ("reports_to_id", "backup_id")
                 if row.get(k) is not None}
        if links:
            uow.people.update(ws, ids[int(row["id"])], **links)
    return ids


def _projects(uow: UnitOfWork, ws: int, rows: list[dict[str, Any]], people: dict[int, int],
              result: ImportResult) -> dict[int, int]:
    by_name = {p.name.casefold(): p.id for p in uow.projects.list(ws)}
    ids: dict[int, int] = {}
    for row in rows:
        key = str(row["name"]).casefold()
        if key not in by_name:
            by_name[key] = uow.projects.add(
                ws, row["name"], manager_id=_id(people, row.get("manager_id")),
                due=_value("due", row.get("due")), settings=row.get("settings") or {}).id
            result.created_projects.append(row["name"])
        ids[int(row["id"])] = by_name[key]
    return ids


def _tasks(uow: UnitOfWork, ws: int, rows: list[dict[str, Any]], people: dict[int, int],
           projects: dict[int, int], result: ImportResult) -> dict[int, int]:
    existing = {t.number: t.id for t in uow.tasks.list(ws)}
    ids: dict[int, int] = {}
    for row in sorted(rows, key=lambda r: r["number"]):
        if row["number"] in existing:
            ids[row["id"]] = existing[row["number"]]
            result.unchanged.append(row["number"])
            continue
        fields = {k: _value(k, row.get(k)) for k in _TASK if k != "title"}
        fields.update(
            project_id=_id(projects, row.get("project_id")),
            owner_id=_id(people, row.get("owner_id")),
            creator_id=_id(people, row.get("creator_id")),
            backup_id=_id(people, row.get("backup_id")),
        )
        task = uow.tasks.add(ws, row["title"], **fields)
        ids[row["id"]] = task.id
        result.created_tasks.append(task.number)
        if task.number != row["number"]:
            result.extra.append(f"#{row['number']} {row['title']} is #{task.number} here.")
    for row in rows:  # parents, dependencies and occurrences once every task exists
        links: dict[str, Any] = {}
        for key in ("parent_id", "occurrence_of"):
            if row.get(key) is not None:
                links[key] = ids[row[key]]
        if row.get("depends_on"):
            links["depends_on"] = [ids[d] for d in row["depends_on"] if d in ids]
        if links:
            uow.tasks.update(ws, ids[row["id"]], **links)
    return ids


def _activity(uow: UnitOfWork, ws: int, rows: list[dict[str, Any]], people: dict[int, int],
              tasks: dict[int, int]) -> None:
    entries = [
        {"task_id": _id(tasks, row.get("task_id")), "actor_id": _id(people, row.get("actor_id")),
         "at": _value("at", row["at"]), "kind": row["kind"], "before": row.get("before"),
         "after": row.get("after"), "human": row.get("human", True)}
        for row in rows if row.get("task_id") is None or row.get("task_id") in tasks
    ]
    uow.activity.add_many(ws, entries)


__all__ = ["RowError", "restore"]
