"""A task's history in words (issue #13, item 7): "owner: — → Priya", "due: Fri 4 Dec → Tue 8 Dec".

Activity entries store the field that changed with its old and new value;
this module turns them into lines a person reads, naming people, projects and
tasks instead of ids.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.views.replies import FAR
from engine import calendar as cal_ops
from engine.model import WorkCalendar
from storage.records import ActivityRecord
from storage.uow import UnitOfWork

LINES = 12  # the most recent changes shown under a task
NONE = "—"
FIELD_WORDS = {
    "owner_id": "owner", "due": "due", "start": "start", "status": "status",
    "progress": "progress", "title": "title", "project_id": "project", "priority": "priority",
    "blocked_reason": "blocked because", "backup_id": "backup", "parent_id": "under",
    "depends_on": "waits on", "proof": "proof", "proof_required": "proof needed",
    "recurrence": "repeats",
}
STATUS_WORDS = {"todo": "to do", "in_progress": "in progress", "blocked": "blocked",
                "in_review": "in review", "done": "done", "cancelled": "cancelled"}


class Namer:
    """Looks up the names behind ids once per rendering."""

    def __init__(self, uow: UnitOfWork, ws: int, cal: WorkCalendar, tz: str,
                 now: datetime | None = None) -> None:
        self.uow, self.ws, self.cal, self.tz, self.now = uow, ws, cal, tz, now

    def person(self, value: object) -> str:
        person = self.uow.people.get(self.ws, int(value)) if isinstance(value, int) else None
        return person.name if person else NONE

    def project(self, value: object) -> str:
        project = self.uow.projects.get(self.ws, int(value)) if isinstance(value, int) else None
        return project.name if project else NONE

    def task(self, value: object) -> str:
        task = self.uow.tasks.get(self.ws, int(value)) if isinstance(value, int) else None
        return f"#{task.number}" if task else NONE

    def tasks(self, value: object) -> str:
        ids = value if isinstance(value, list) else []
        return ", ".join(self.task(i) for i in ids) or NONE

    def when(self, value: object) -> str:
        """'Fri 4 Dec' at the end of a working day, else 'Fri 4 Dec 15:00'."""
        if not isinstance(value, str):
            return NONE
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            return value
        local = cal_ops.to_local(WorkCalendar(tz=self.tz) if self.tz else self.cal, at)
        far = self.now is not None and abs(at - self.now) > FAR  # a far date says its year
        day = f"{local:%a} {local.day} {local:%b}" + (f" {local.year}" if far else "")
        return day if local.time() == self.cal.day_end else f"{day} {local:%H:%M}"


def _plain(value: object) -> str:
    return NONE if value in (None, "") else str(value)


def _formatters(n: Namer) -> dict[str, Callable[[object], str]]:
    return {
        "owner_id": n.person, "backup_id": n.person, "project_id": n.project,
        "parent_id": n.task, "depends_on": n.tasks, "due": n.when, "start": n.when,
        "status": lambda v: STATUS_WORDS.get(str(v), _plain(v)),
        "progress": lambda v: f"{v}%" if isinstance(v, int) else _plain(v),
        "priority": lambda v: f"p{v}" if isinstance(v, int) else _plain(v),
        "title": lambda v: f"“{v}”" if v else NONE,
    }


def describe(entry: ActivityRecord, n: Namer) -> str:
    """One change in words, without its time and author."""
    if entry.kind == "created":
        return "created"
    if entry.kind == "note":
        note = (entry.after or {}).get("note") if isinstance(entry.after, dict) else None
        return f"note: {note}" if note else "note"
    key = entry.kind
    word = FIELD_WORDS.get(key, key.replace("_", " "))
    fmt = _formatters(n).get(key, _plain)
    before = entry.before.get(key) if isinstance(entry.before, dict) else None
    after = entry.after.get(key) if isinstance(entry.after, dict) else None
    if key == "blocked_reason":
        return f"blocked because: {after}" if after else "no longer blocked"
    return f"{word}: {fmt(before)} → {fmt(after)}"


def history_lines(uow: UnitOfWork, ws: int, task_id: int, cal: WorkCalendar, tz: str,
                  limit: int = LINES, now: datetime | None = None) -> list[str]:
    """The task's latest changes, oldest first: 'Tue 1 Dec 09:30 · Marcus · owner: — → Priya'."""
    entries = uow.activity.for_task(ws, task_id)[-limit:]
    namer = Namer(uow, ws, cal, tz, now)
    lines = []
    for entry in entries:
        local = cal_ops.to_local(WorkCalendar(tz=tz) if tz else cal, entry.at)
        who = namer.person(entry.actor_id) if entry.actor_id else "Vigil"
        lines.append(f"{local:%a} {local.day} {local:%b %H:%M} · {who} · "
                     f"{describe(entry, namer)}")
    return lines
