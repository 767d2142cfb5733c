"""Create and change tasks; every change is logged and re-evaluated at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import limits
from bot.errors import NotFound, VigilError
from bot.evaluation import Cause, LifecycleEvent, neighbourhood, reevaluate
from engine.model import PROOF_KINDS, Status, Task
from storage.uow import UnitOfWork

EDITABLE = {
    "title", "project_id", "parent_id", "depends_on", "owner_id", "start", "due",
    "progress", "status", "blocked_reason", "priority", "proof", "proof_required",
    "recurrence", "backup_id",
}  # fmt: skip
STRUCTURAL = {"parent_id", "depends_on"}


@dataclass(frozen=True)
class Outcome:
    """The task after the change and the violation changes it caused."""

    task: Task
    events: list[LifecycleEvent]


def create_task(
    uow: UnitOfWork, ws: int, now: datetime, actor_id: int | None, title: str, **fields: Any
) -> Outcome:
    """Add a task (creator = actor) and evaluate it in the same transaction."""
    title = (title or "").strip()
    if not title:
        raise VigilError("A task needs a title, e.g. 'add Send the Acme filing by Friday'.")
    title = limits.check_text("title", title)
    unknown = (
        set(fields)
        - EDITABLE
        - {
            "created_at",
            "last_progress_at",
            "last_activity_at",
            "status_since",
            "occurrence_of",
            "window",
        }
    )
    if unknown:
        raise VigilError(f"Unknown task field(s): {', '.join(sorted(unknown))}")
    _validate(uow, ws, None, fields)
    status = Status(fields.pop("status", Status.TODO))
    progress = int(fields.pop("progress", 0))
    if status is Status.TODO and progress > 0:
        status = Status.IN_PROGRESS
    human_at = now if actor_id is not None else None
    task = uow.tasks.add(
        ws,
        title,
        created_at=fields.pop("created_at", now),
        creator_id=actor_id,
        status=status.value,
        progress=100 if status is Status.DONE else progress,
        status_since=fields.pop("status_since", now),
        last_progress_at=fields.pop("last_progress_at", human_at),
        last_activity_at=fields.pop("last_activity_at", human_at),
        completed_at=now if status is Status.DONE else None,
        **fields,
    )
    uow.activity.add(
        ws, task.id, actor_id, now, "created", None, _snapshot(task), human=actor_id is not None
    )
    targets = neighbourhood(uow, ws, [task.id], structural=True)
    events = reevaluate(uow, ws, now, targets, cause=Cause(actor_id))
    uow.homes.mark(ws, now, [task.owner_id])  # the owner's Home lists it (bot.notify.home)
    return Outcome(uow.tasks.get(ws, task.id) or task, events)


def update_task(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    actor_id: int | None,
    task_id: int,
    cause: Cause | None = None,
    **changes: Any,
) -> Outcome:
    """Apply field changes to one task, log each, and re-evaluate its neighbourhood."""
    before = uow.tasks.get(ws, task_id)
    if before is None:
        raise NotFound(f"There is no task {task_id} in this workspace.")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise VigilError(f"Unknown task field(s): {', '.join(sorted(unknown))}")
    _validate(uow, ws, before, changes)
    fields = _derive(before, now, actor_id, dict(changes))
    if not fields:
        return Outcome(before, [])
    structural = bool(STRUCTURAL & set(fields))
    # Only a graph change can move the neighbourhood; then the old one counts too.
    old_targets = neighbourhood(uow, ws, [task_id], structural=True) if structural else set()
    after = uow.tasks.update(ws, task_id, **fields)
    _log(uow, ws, now, actor_id, before, after, changes)
    targets = old_targets | neighbourhood(uow, ws, [task_id], structural=structural)
    persons = {p for p in (before.owner_id, after.owner_id) if p is not None}
    events = reevaluate(uow, ws, now, targets, persons, cause=cause or Cause(actor_id))
    uow.homes.mark(ws, now, persons)  # both owners' Homes list it, or did (bot.notify.home)
    return Outcome(after, events)


def add_note(
    uow: UnitOfWork, ws: int, now: datetime, actor_id: int, task_id: int, text: str
) -> Outcome:
    """A note is human activity: it resets quiet timers but not progress."""
    task = uow.tasks.get(ws, task_id)
    if task is None:
        raise NotFound(f"There is no task {task_id} in this workspace.")
    text = limits.check_text("note", text or "")
    if not text:
        raise VigilError("A note needs some text, e.g. 'note #14 waiting for the client'.")
    uow.activity.add(ws, task_id, actor_id, now, "note", None, {"note": text})
    after = uow.tasks.update(ws, task_id, last_activity_at=now)
    targets = neighbourhood(uow, ws, [task_id])
    persons = {task.owner_id} if task.owner_id else set()
    return Outcome(after, reevaluate(uow, ws, now, targets, persons, cause=Cause(actor_id)))


def delete_task(
    uow: UnitOfWork, ws: int, now: datetime, actor_id: int, task_id: int
) -> Outcome:
    """Delete a task for good, keeping one activity record of what it was.

    It is cancelled first (its problems clear and its owner is told, like any
    change), recurring work with its open occurrences; then the row goes and the
    tasks around it are evaluated again.
    """
    task = uow.tasks.get(ws, task_id)
    if task is None:
        raise NotFound(f"There is no task {task_id} in this workspace.")
    events: list[LifecycleEvent] = []
    occurrences = uow.tasks.get_many(ws, uow.tasks.occurrence_ids(ws, task_id))
    for t in [*occurrences, task]:
        if t.status.is_active:
            events += update_task(uow, ws, now, actor_id, t.id, status="cancelled").events
    around = neighbourhood(uow, ws, [task_id], structural=True) - {task_id}
    around -= {t.id for t in occurrences}
    uow.activity.add(ws, None, actor_id, now, "deleted", _snapshot(task), None)
    uow.tasks.delete(ws, task_id)
    events += reevaluate(uow, ws, now, around, cause=Cause(actor_id))
    uow.homes.mark(ws, now, [task.owner_id])
    return Outcome(task, events)


def _validate(uow: UnitOfWork, ws: int, task: Task | None, f: dict[str, Any]) -> None:
    if "title" in f and not str(f["title"] or "").strip():
        raise VigilError("A task needs a title.")
    _check_limits(task, f)
    if "progress" in f:
        try:
            f["progress"] = int(f["progress"])
        except (TypeError, ValueError):
            raise VigilError(
                f"Progress must be a number from 0 to 100, not '{f['progress']}'."
            ) from None
        if not 0 <= f["progress"] <= 100:
            raise VigilError(f"Progress must be between 0% and 100%, not {f['progress']}%.")
    if "status" in f:
        try:
            f["status"] = Status(f["status"])
        except ValueError:
            names = ", ".join(s.value for s in Status)
            raise VigilError(f"Unknown status '{f['status']}'; use one of {names}.") from None
    if "priority" in f and f["priority"] not in (1, 2, 3, 4):
        raise VigilError("Priority is p1 (highest) to p4.")
    if f.get("proof_required") not in (None, *PROOF_KINDS):
        raise VigilError(f"Proof must be one of {', '.join(PROOF_KINDS)}.")
    for key in ("owner_id", "backup_id"):
        if f.get(key) is not None and uow.people.get(ws, f[key]) is None:
            raise NotFound("That person is not in this workspace.")
    if f.get("project_id") is not None and uow.projects.get(ws, f["project_id"]) is None:
        raise NotFound("That project is not in this workspace.")
    for key in ("start", "due"):
        if f.get(key) is not None and f[key].tzinfo is None:
            raise VigilError(f"{key} must carry a time zone")
    _validate_graph(uow, ws, task, f)


def _check_limits(task: Task | None, f: dict[str, Any]) -> None:
    """Lengths and ranges (``bot.limits``)."""
    for key, field in (("title", "title"), ("blocked_reason", "reason"), ("proof", "proof")):
        if isinstance(f.get(key), str):
            f[key] = limits.check_text(field, f[key])
    for key, what in (("start", "start date"), ("due", "deadline")):
        if isinstance(f.get(key), datetime):
            limits.check_instant(what, f[key])


def _validate_graph(uow: UnitOfWork, ws: int, task: Task | None, f: dict[str, Any]) -> None:
    if f.get("parent_id") is not None:
        parent = uow.tasks.get(ws, f["parent_id"])
        if parent is None:
            raise NotFound("The parent task is not in this workspace.")
        if task is not None and (
            parent.id == task.id or task.id in uow.tasks.ancestor_ids(ws, [parent.id])
        ):
            raise VigilError(f"#{parent.number} is inside #{task.number}; it cannot be its parent.")
    if "depends_on" in f:
        deps = list(dict.fromkeys(f["depends_on"] or []))
        if task is not None and task.id in deps:
            raise VigilError("A task cannot depend on itself.")
        found = {t.id for t in uow.tasks.get_many(ws, deps)}
        if set(deps) - found:
            raise NotFound("A task it should depend on is not in this workspace.")
        f["depends_on"] = deps


def _derive(
    before: Task, now: datetime, actor_id: int | None, ch: dict[str, Any]
) -> dict[str, Any]:
    """Turn requested changes into stored fields (status/progress bookkeeping)."""
    fields = {
        k: v for k, v in ch.items() if getattr(before, k) != (tuple(v) if k == "depends_on" else v)
    }
    status = fields.get("status", before.status)
    if "progress" in fields:
        if fields["progress"] == 100 and "status" not in fields and before.status.is_active:
            status = Status.DONE
        elif fields["progress"] > 0 and before.status is Status.TODO and "status" not in fields:
            status = Status.IN_PROGRESS
    if status is not before.status:
        fields["status"] = status
        fields["status_since"] = now
        if status is Status.DONE:
            fields["completed_at"] = now
            fields["progress"] = 100
        elif not status.is_active:
            fields["completed_at"] = now
        else:
            fields["completed_at"] = None
        if status is not Status.BLOCKED:
            fields["blocked_reason"] = None
    if "status" in fields and isinstance(fields["status"], Status):
        fields["status"] = fields["status"].value
    if not fields:
        return {}
    if actor_id is not None:
        fields["last_activity_at"] = now
        if {"progress", "status"} & set(fields):
            fields["last_progress_at"] = now
    return fields


def _log(
    uow: UnitOfWork,
    ws: int,
    now: datetime,
    actor_id: int | None,
    before: Task,
    after: Task,
    requested: dict[str, Any],
) -> None:
    for key in sorted(set(requested) | {"status"}):
        old, new = getattr(before, key), getattr(after, key)
        if old != new:
            uow.activity.add(
                ws,
                after.id,
                actor_id,
                now,
                key,
                {key: logged(old)},
                {key: logged(new)},
                human=actor_id is not None,
            )


def logged(value: Any) -> Any:
    """A task field's value as the activity log stores it (ISO instants, lists, enum values)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Status):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _snapshot(task: Task) -> dict[str, Any]:
    keys = ("number", "title", "owner_id", "project_id", "parent_id", "due", "progress", "status")
    return {k: logged(getattr(task, k)) for k in keys}
