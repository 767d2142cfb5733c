"""People and projects: changes that move many tasks' verdicts at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import limits
from bot.errors import NotFound, VigilError
from bot.evaluation import Cause, LifecycleEvent, neighbourhood, reevaluate
from engine.model import Person, Project, Role
from storage.uow import UnitOfWork


def handle_from(name: str) -> str:
    """The handle Vigil makes for someone who has none: their name in lower case, at most as
    long as a handle may be (a long platform name still joins; people can rename it)."""
    return name.strip().lower()[: limits.TEXT_LIMITS["handle"][1]].rstrip()


def add_person(uow: UnitOfWork, ws: int, name: str, **fields: Any) -> Person:
    """Add a person; the first person of a workspace becomes its admin."""
    name = limits.check_text("person", name or "")
    if not name:
        raise VigilError("A person needs a name.")
    if isinstance(fields.get("handle"), str):
        fields["handle"] = limits.check_text("handle", fields["handle"])
    if uow.people.count(ws) == 0:
        fields["role"] = Role.ADMIN.value
    return uow.people.add(ws, name, **fields)


def update_person(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    person_id: int,
    cause: Cause | None = None,
    **fields: Any,
) -> tuple[Person, list[LifecycleEvent]]:
    """Change a person (role, reports_to, out of office, active) and re-evaluate."""
    person = uow.people.get(ws, person_id)
    if person is None:
        raise NotFound("That person is not in this workspace.")
    for key, field in (("name", "person"), ("handle", "handle")):
        if isinstance(fields.get(key), str):
            fields[key] = limits.check_text(field, fields[key])
    if "role" in fields:
        try:
            fields["role"] = Role(fields["role"]).value
        except ValueError:
            raise VigilError(
                f"Unknown role '{fields['role']}'; use admin, manager or member."
            ) from None
    for key in ("reports_to_id", "backup_id"):
        other = fields.get(key)
        if other is not None and uow.people.get(ws, other) is None:
            raise NotFound("That person is not in this workspace.")
    if fields.get("reports_to_id") is not None and _reports_cycle(
        uow, ws, person_id, fields["reports_to_id"]
    ):
        raise VigilError("That would make a reporting loop.")
    updated = uow.people.update(ws, person_id, **fields)
    owned = uow.tasks.owned_ids(ws, [person_id])
    targets = neighbourhood(uow, ws, owned)
    events = reevaluate(uow, ws, now, targets, [person_id], cause=cause or Cause())
    return updated, events


def _reports_cycle(uow: UnitOfWork, ws: int, person_id: int, manager_id: int) -> bool:
    seen: set[int] = set()
    current: int | None = manager_id
    while current is not None and current not in seen:
        if current == person_id:
            return True
        seen.add(current)
        boss = uow.people.get(ws, current)
        current = boss.reports_to_id if boss else None
    return False


def add_project(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    name: str,
    manager_id: int | None = None,
    due: datetime | None = None,
    settings: dict[str, object] | None = None,
) -> tuple[Project, list[LifecycleEvent]]:
    """Add a project and evaluate it (a project without a manager is flagged)."""
    name = limits.check_text("project", (name or "").strip().lstrip("#"))
    if not name:
        raise VigilError("A project needs a name, e.g. 'project add Acme @marcus'.")
    limits.check_instant("project deadline", due)
    if uow.projects.by_name(ws, name) is not None:
        raise VigilError(f"There is already a project called {name}.")
    if manager_id is not None and uow.people.get(ws, manager_id) is None:
        raise NotFound("That person is not in this workspace.")
    project = uow.projects.add(
        ws, name, manager_id=manager_id, due=due, settings=_checked_settings(settings)
    )
    return project, reevaluate(uow, ws, now, project_ids=[project.id])


def update_project(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    project_id: int,
    cause: Cause | None = None,
    **fields: Any,
) -> tuple[Project, list[LifecycleEvent]]:
    """Change a project (manager, deadline, overrides) and re-evaluate its tasks."""
    if uow.projects.get(ws, project_id) is None:
        raise NotFound("That project is not in this workspace.")
    if "settings" in fields:
        fields["settings"] = _checked_settings(fields["settings"])
    project = uow.projects.update(ws, project_id, **fields)
    targets = neighbourhood(uow, ws, uow.tasks.project_task_ids(ws, project_id))
    events = reevaluate(uow, ws, now, targets, project_ids=[project_id], cause=cause or Cause())
    return project, events


def _checked_settings(settings: dict[str, object] | None) -> dict[str, object]:
    from engine.settings import SettingsError, validate

    checked: dict[str, object] = {}
    for key, value in (settings or {}).items():
        try:
            checked[key] = validate(key, value)
        except (SettingsError, ValueError) as exc:
            raise VigilError(str(exc)) from None
    return checked
