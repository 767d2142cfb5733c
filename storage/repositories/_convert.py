"""Row -> engine dataclass conversions (fast: built from column tuples)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, time
from typing import Any

from sqlalchemy import Row, String, cast, func, select

from engine.model import Person, Project, Role, Status, Task, WorkCalendar
from storage import models as m

_STATUS = {s.value: s for s in Status}
_ROLE = {r.value: r for r in Role}

# Columns copied into the engine's dataclasses: every dataclass field that is
# also a column (so a field the engine adds later flows through on its own).
TASK_COLUMNS = tuple(f.name for f in fields(Task) if f.name in m.tasks.c and f.name != "depends_on")
PERSON_COLUMNS = tuple(f.name for f in fields(Person) if f.name in m.people.c)
PROJECT_COLUMNS = tuple(f.name for f in fields(Project) if f.name in m.projects.c)

TASK_SELECT = tuple(m.tasks.c[name] for name in TASK_COLUMNS)
PERSON_SELECT = tuple(m.people.c[name] for name in PERSON_COLUMNS)
PROJECT_SELECT = tuple(m.projects.c[name] for name in PROJECT_COLUMNS)

if {f.name for f in fields(Task)} - set(TASK_COLUMNS) != {"depends_on"}:
    raise RuntimeError("every Task field but depends_on must be a tasks column (see task_from)")


_STATUS_AT = TASK_COLUMNS.index("status")


def task_from(row: Row[Any] | tuple[Any, ...], depends_on: tuple[int, ...] = ()) -> Task:
    """Build a Task from a row selected with TASK_SELECT.

    Whole workspaces are loaded this way, so the frozen dataclass's ``__init__``
    (one ``object.__setattr__`` per field) is bypassed: every field is a column
    except ``depends_on``, set here; values come typed from the database.
    """
    values = dict(zip(TASK_COLUMNS, row, strict=True))
    values["status"] = _STATUS[row[_STATUS_AT]]
    values["depends_on"] = depends_on
    task = object.__new__(Task)
    task.__dict__.update(values)
    return task


def task_select_with_deps(dialect: str) -> tuple[Any, ...]:
    """TASK_SELECT plus the task's dependency ids as one text column ("3,7").

    Loads a task and its ``depends_on`` in one statement instead of two.
    """
    dep = m.task_dependencies.c.depends_on_id
    if dialect == "postgresql":
        joined = func.string_agg(cast(dep, String), ",")
    else:
        joined = func.group_concat(dep)
    deps = (
        select(joined)
        .where(m.task_dependencies.c.task_id == m.tasks.c.id)
        .scalar_subquery()
        .label("deps")
    )
    return (*TASK_SELECT, deps)


_JOINED = (*TASK_COLUMNS, "depends_on")
_NEW = object.__new__
_ACTIVITY = Task.activity


def task_from_joined(row: Sequence[Any]) -> Task:
    """Build a Task from a row selected with ``task_select_with_deps``.

    ``task_from`` inlined (a whole workspace comes this way): one dict from the
    row, the dependency text replaced by its ids in place, no row copies.
    """
    values = dict(zip(_JOINED, row, strict=True))
    text = values["depends_on"]
    values["depends_on"] = tuple(sorted([int(d) for d in text.split(",")])) if text else ()
    status = values["status"] = _STATUS[values["status"]]
    # Task.is_active / is_plain worked out here, in the instance dict where their
    # cached_property would put them: the rules ask them of every task, and the
    # descriptor's first access is a Python call each (two a task).
    values["is_active"], values["is_plain"] = _ACTIVITY(
        status, values["recurrence"], values["occurrence_of"])
    task = _NEW(Task)
    task.__dict__.update(values)
    return task


def person_from(row: Row[Any] | tuple[Any, ...]) -> Person:
    """Build a Person from a row selected with PERSON_SELECT."""
    values = dict(zip(PERSON_COLUMNS, row, strict=True))
    values["role"] = _ROLE[values["role"]]
    values["handle"] = values["handle"] or ""
    return Person(**values)


def project_from(row: Row[Any] | tuple[Any, ...]) -> Project:
    """Build a Project from a row selected with PROJECT_SELECT."""
    values = dict(zip(PROJECT_COLUMNS, row, strict=True))
    values["settings"] = dict(values["settings"] or {})
    return Project(**values)


def calendar_from(
    tz: str, workdays: list[int], day_start: time, day_end: time, holidays: list[str]
) -> WorkCalendar:
    """Build a WorkCalendar from the workspace columns."""
    return WorkCalendar(
        tz=tz,
        workdays=frozenset(int(d) for d in workdays),
        day_start=day_start,
        day_end=day_end,
        holidays=frozenset(date.fromisoformat(h) for h in holidays),
    )


def calendar_columns(cal: WorkCalendar) -> dict[str, Any]:
    """The workspace columns that store a WorkCalendar."""
    return {
        "tz": cal.tz,
        "workdays": sorted(cal.workdays),
        "day_start": cal.day_start,
        "day_end": cal.day_end,
        "holidays": sorted(d.isoformat() for d in cal.holidays),
    }
