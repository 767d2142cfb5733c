"""Who may change what (DESIGN.md §9). A refusal always carries its reason."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import VigilError
from engine.model import Person, Role, Task
from storage.uow import UnitOfWork


class Refused(VigilError):
    """The person may not do this; nothing was changed."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def enforce(self) -> None:
        if not self.allowed:
            raise Refused(self.reason)


def reports_to(uow: UnitOfWork, ws: int, person: Person, manager_id: int) -> bool:
    """True when ``person`` reports to ``manager_id`` directly or indirectly."""
    seen: set[int] = set()
    current = person.reports_to_id
    while current is not None and current not in seen:
        if current == manager_id:
            return True
        seen.add(current)
        boss = uow.people.get(ws, current)
        current = boss.reports_to_id if boss else None
    return False


def can_change_task(uow: UnitOfWork, ws: int, actor: Person, task: Task) -> Decision:
    """Admins: any task. Managers: their projects and their reports' tasks.
    Members: tasks they own or created, and the cycles of recurring work they back up."""
    if actor.role is Role.ADMIN:
        return Decision(True, "admin")
    if actor.id in (task.owner_id, task.creator_id):
        return Decision(True, "owner or creator")
    if task.occurrence_of is not None and _is_backup(uow, ws, actor, task):
        # The backup is who covers a cycle of recurring work: they may do and record it.
        return Decision(True, "backup of the recurring work")
    if actor.role is Role.MANAGER:
        project = uow.projects.get(ws, task.project_id) if task.project_id else None
        if project is not None and project.manager_id == actor.id:
            return Decision(True, "manages the project")
        owner = uow.people.get(ws, task.owner_id) if task.owner_id else None
        if owner is not None and reports_to(uow, ws, owner, actor.id):
            return Decision(True, "the owner reports to them")
        return Decision(
            False,
            f"#{task.number} is not in a project you manage and its owner does not report to you.",
        )
    who = "owner, backup or creator" if task.occurrence_of is not None else "owner or creator"
    return Decision(
        False,
        f"Only the {who} of #{task.number}, their manager or an admin can change it.",
    )


def _is_backup(uow: UnitOfWork, ws: int, actor: Person, occurrence: Task) -> bool:
    """The occurrence's backup, or its obligation's current one (it may have changed since)."""
    if actor.id == occurrence.backup_id:
        return True
    assert occurrence.occurrence_of is not None
    obligation = uow.tasks.get(ws, occurrence.occurrence_of)
    return obligation is not None and obligation.backup_id == actor.id


def can_administer(actor: Person) -> Decision:
    """Roles and workspace settings are for admins."""
    if actor.role is Role.ADMIN:
        return Decision(True, "admin")
    return Decision(False, "Only an admin can change roles and settings.")


def can_manage(actor: Person) -> Decision:
    """Team views and project set-up are for managers and admins."""
    if actor.role in (Role.ADMIN, Role.MANAGER):
        return Decision(True, actor.role.value)
    return Decision(False, "That is for managers and admins.")
