"""Tiny builders for engine tests: instants, tasks, people, projects, worlds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from engine.context import RuleContext
from engine.evaluate import _Evaluator, evaluate
from engine.model import Person, Project, Status, Task, Violation, WorkCalendar
from engine.rules import registry
from engine.rules.base import Outcome
from engine.world import World

UTC_CAL = WorkCalendar()
LONDON = WorkCalendar(tz="Europe/London")
NEW_YORK = WorkCalendar(tz="America/New_York")
SYDNEY = WorkCalendar(tz="Australia/Sydney")
CREATED = "2026-02-23 09:00"


def at(text: str, tz: str = "UTC") -> datetime:
    """'2026-03-02 09:00' read as wall-clock time in ``tz``, returned in UTC."""
    naive = datetime.fromisoformat(text)
    return naive.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def day(text: str) -> date:
    """'2026-03-09' -> date."""
    return date.fromisoformat(text)


def task(id: int = 1, tz: str = "UTC", **fields: object) -> Task:
    """A task; string instants are read in ``tz``; ``status`` may be a string."""
    for key in ("created_at", "start", "due", "last_progress_at", "last_activity_at",
                "completed_at", "status_since"):
        value = fields.get(key)
        if isinstance(value, str):
            fields[key] = at(value, tz)
    fields.setdefault("created_at", at(CREATED, tz))
    if isinstance(fields.get("status"), str):
        fields["status"] = Status(fields["status"])
    fields.setdefault("number", id)
    fields.setdefault("title", f"Task {id}")
    return Task(id=id, **fields)  # type: ignore[arg-type]


def person(id: int, tz: str = "UTC", **fields: object) -> Person:
    """A person; string instants are read in ``tz``."""
    for key in ("ooo_from", "ooo_until"):
        if isinstance(fields.get(key), str):
            fields[key] = at(str(fields[key]), tz)
    fields.setdefault("name", f"P{id}")
    return Person(id=id, **fields)  # type: ignore[arg-type]


def project(id: int, tz: str = "UTC", **fields: object) -> Project:
    """A project; a string ``due`` is read in ``tz``."""
    if isinstance(fields.get("due"), str):
        fields["due"] = at(str(fields["due"]), tz)
    fields.setdefault("name", f"Project {id}")
    return Project(id=id, **fields)  # type: ignore[arg-type]


def world(
    *items: Task | Person | Project,
    calendar: WorkCalendar = UTC_CAL,
    settings: dict[str, object] | None = None,
) -> World:
    """A World from a mix of tasks, people and projects."""
    return World.build(
        calendar,
        [i for i in items if isinstance(i, Task)],
        [i for i in items if isinstance(i, Person)],
        [i for i in items if isinstance(i, Project)],
        settings,
    )


def outcome(rule_id: str, w: World, now: datetime, subject_id: int = 1) -> Outcome:
    """Run one rule on one subject (base violations available for derived rules)."""
    rule = registry.get(rule_id)
    ctx: RuleContext = _Evaluator(w, now).ctx
    kind = rule.subject.value
    subjects = {"task": w.tasks, "person": w.people, "project": w.projects}[kind]
    return rule.check(ctx, subjects[subject_id])


def verdict(rule_id: str, w: World, now: datetime, subject_id: int = 1) -> str | None:
    """'warning', 'critical:30d' (severity[:stage]) or None when the rule is quiet."""
    found = outcome(rule_id, w, now, subject_id).violations
    assert len(found) <= 1, found
    if not found:
        return None
    v = found[0]
    return f"{v.severity.value}:{v.stage}" if v.stage else v.severity.value


def only(rule_id: str, w: World, now: datetime, subject_id: int = 1) -> Violation:
    """The single violation of a rule on a subject."""
    found = outcome(rule_id, w, now, subject_id).violations
    assert len(found) == 1, found
    return found[0]


def fired(w: World, now: datetime) -> set[tuple[str, str]]:
    """(fingerprint, severity) of a full evaluation."""
    return {(v.fingerprint, v.severity.value) for v in evaluate(w, now).violations}
