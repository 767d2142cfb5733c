"""The scenario file format of DESIGN.md §10, validated with pydantic."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from engine.durations import Duration, DurationError
from engine.settings import SettingsError, validate


class ScenarioError(ValueError):
    """A scenario file that cannot be run; the message names the place."""


def _local(value: Any) -> datetime:
    """Scenario instants are naive local times ('2026-03-02T09:00'); dates mean 17:00."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, date):
        return datetime.combine(value, time(17, 0))
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"'{value}' is not a date-time like 2026-03-02T09:00") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PersonSpec(_Strict):
    name: str
    role: Literal["admin", "manager", "member"] = "member"
    reports_to: str | None = None
    tz: str | None = None
    backup: str | None = None


class ProjectSpec(_Strict):
    name: str
    manager: str | None = None
    due: datetime | None = None
    settings: dict[str, Any] = Field(default_factory=dict)

    _due = field_validator("due", mode="before")(lambda v: None if v is None else _local(v))


class TaskSpec(_Strict):
    ref: str
    title: str
    project: str | None = None
    owner: str | None = None
    start: datetime | None = None
    due: datetime | None = None
    status: Literal["todo", "in_progress", "blocked", "in_review", "done", "cancelled"] = "todo"
    progress: int = Field(0, ge=0, le=100)
    last_progress: datetime | None = None
    blocked_reason: str | None = None
    priority: int = Field(3, ge=1, le=4)
    parent: str | None = None
    depends_on: list[str] = Field(default_factory=list)
    recurrence: str | None = None
    window: str | None = None
    backup: str | None = None
    proof: Literal["none", "text", "photo", "link", "file"] = "none"

    _times = field_validator("start", "due", "last_progress", mode="before")(
        lambda v: None if v is None else _local(v)
    )


class EventSpec(_Strict):
    at: datetime
    task: str | None = None
    by: str | None = None
    progress: int | None = Field(None, ge=0, le=100)
    status: Literal["todo", "in_progress", "blocked", "in_review", "done", "cancelled"] | None = (
        None
    )
    owner: str | None = None
    due: datetime | None = None
    block: str | None = None
    unblock: bool | None = None
    note: str | None = None
    done: bool | None = None
    proof: str | None = None
    ack: bool | None = None
    snooze: datetime | None = None
    ooo: dict[str, Any] | None = None

    _times = field_validator("at", "due", "snooze", mode="before")(
        lambda v: None if v is None else _local(v)
    )

    @model_validator(mode="after")
    def _target(self) -> EventSpec:
        if self.ooo is None and self.task is None:
            raise ValueError("an event needs a task (or an ooo block)")
        return self


class Scenario(_Strict):
    name: str
    timezone: str = "UTC"
    start: datetime
    until: datetime
    tick: str = "1h"
    settings: dict[str, Any] = Field(default_factory=dict)
    workdays: list[int] | None = None
    holidays: list[date] = Field(default_factory=list)
    people: list[PersonSpec] = Field(default_factory=list)
    projects: list[ProjectSpec] = Field(default_factory=list)
    tasks: list[TaskSpec] = Field(default_factory=list)
    events: list[EventSpec] = Field(default_factory=list)

    _times = field_validator("start", "until", mode="before")(_local)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{v}'") from None
        return v

    @field_validator("tick")
    @classmethod
    def _tick(cls, v: str) -> str:
        d = Duration.parse(v)
        if d.unit not in ("m", "h"):
            raise ValueError("tick must be minutes or hours, e.g. 1h or 15m")
        if d.amount <= 0:
            raise ValueError("tick must be positive")
        return v

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        if self.until <= self.start:
            raise ValueError("until must be after start")
        people = {p.name for p in self.people}
        projects = {p.name for p in self.projects}
        refs = [t.ref for t in self.tasks]
        _unique("person", [p.name for p in self.people])
        _unique("project", [p.name for p in self.projects])
        _unique("task ref", refs)
        for p in self.people:
            _known("person", p.reports_to, people, f"people/{p.name}/reports_to")
            _known("person", p.backup, people, f"people/{p.name}/backup")
        for pr in self.projects:
            _known("person", pr.manager, people, f"projects/{pr.name}/manager")
            _check_settings(pr.settings, f"projects/{pr.name}/settings")
        _check_settings(self.settings, "settings")
        for t in self.tasks:
            _known("project", t.project, projects, f"tasks/{t.ref}/project")
            _known("person", t.owner, people, f"tasks/{t.ref}/owner")
            _known("person", t.backup, people, f"tasks/{t.ref}/backup")
            _known("task", t.parent, set(refs), f"tasks/{t.ref}/parent")
            for dep in t.depends_on:
                _known("task", dep, set(refs), f"tasks/{t.ref}/depends_on")
        for i, e in enumerate(self.events):
            _known("task", e.task, set(refs), f"events/{i}/task")
            _known("person", e.by, people, f"events/{i}/by")
            _known("person", e.owner, people, f"events/{i}/owner")
        return self


def _unique(what: str, names: list[str]) -> None:
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"{what} names must be unique: {', '.join(dupes)}")


def _known(what: str, name: str | None, known: set[str], where: str) -> None:
    if name is not None and name not in known:
        raise ValueError(f"{where}: unknown {what} '{name}'")


def _check_settings(settings: dict[str, Any], where: str) -> None:
    for key, value in settings.items():
        try:
            settings[key] = validate(key, value)
        except (SettingsError, DurationError) as exc:
            raise ValueError(f"{where}: {exc}") from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise ScenarioError with a clear message."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with name, start, until, tasks…")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        lines = [f"{'/'.join(map(str, e['loc'])) or 'scenario'}: {e['msg']}" for e in exc.errors()]
        raise ScenarioError(f"{path} is not a valid scenario:\n  " + "\n  ".join(lines)) from None
