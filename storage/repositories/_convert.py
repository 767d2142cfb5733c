"""Row -> engine dataclass conversions (fast: built from column tuples)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, time
from typing import Any

from sqlalchemy import Row

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


def task_from(row: Row[Any] | tuple[Any, ...], depends_on: tuple[int, ...] = ()) -> Task:
    """Build a Task from a row selected with TASK_SELECT."""
    values = dict(zip(TASK_COLUMNS, row, strict=True))
    values["status"] = _STATUS[values["status"]]
    return Task(depends_on=depends_on, **values)


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
