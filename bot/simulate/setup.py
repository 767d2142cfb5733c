"""Build a scenario's workspace: its people, projects and tasks, with their links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.simulate.scenario import Scenario
from engine.model import WorkCalendar
from storage.uow import UnitOfWork


class Names:
    """Scenario names <-> database ids for one run."""

    def __init__(self) -> None:
        self.people: dict[str, int] = {}
        self.projects: dict[str, int] = {}
        self.tasks: dict[str, int] = {}
        self.titles: dict[str, str] = {}

    def person_name(self, pid: int) -> str | None:
        return next((n for n, i in self.people.items() if i == pid), None)

    def project_name(self, pid: int) -> str | None:
        return next((n for n, i in self.projects.items() if i == pid), None)

    def task_ref(self, tid: int) -> str | None:
        return next((r for r, i in self.tasks.items() if i == tid), None)

    def title(self, ref: str | None) -> str | None:
        return self.titles.get(ref or "")


def build_scenario(
    uow: UnitOfWork,
    sc: Scenario,
    start: datetime,
    names: Names,
    at: Callable[[datetime], datetime],
    cal: WorkCalendar,
) -> int:
    """Create the scenario's workspace as of ``start``; return its id (``names`` learns the ids).

    ``at`` turns the scenario's local times into UTC instants.
    """
    ws = uow.workspaces.create(
        f"sim:{sc.name}", sc.name, tz=sc.timezone, settings=sc.settings, calendar=cal
    )
    for p in sc.people:
        names.people[p.name] = uow.people.add(
            ws.id, p.name, handle=p.name.lower(), role=p.role, tz=p.tz
        ).id
    for p in sc.people:
        fields = {
            "reports_to_id": names.people.get(p.reports_to or ""),
            "backup_id": names.people.get(p.backup or ""),
        }
        uow.people.update(ws.id, names.people[p.name], **fields)
    for pr in sc.projects:
        names.projects[pr.name] = uow.projects.add(
            ws.id,
            pr.name,
            manager_id=names.people.get(pr.manager or ""),
            due=at(pr.due) if pr.due else None,
            settings=pr.settings,
        ).id
    for t in sc.tasks:
        names.titles[t.ref] = t.title
        begin = at(t.start) if t.start else start
        last = at(t.last_progress) if t.last_progress else begin
        names.tasks[t.ref] = uow.tasks.add(
            ws.id,
            t.title,
            created_at=min(begin, start),
            start=begin,
            due=at(t.due) if t.due else None,
            status=t.status,
            progress=t.progress,
            status_since=last,
            last_progress_at=last,
            last_activity_at=last,
            completed_at=start if t.status in ("done", "cancelled") else None,
            owner_id=names.people.get(t.owner or ""),
            priority=t.priority,
            project_id=names.projects.get(t.project or ""),
            blocked_reason=t.blocked_reason,
            proof_required=t.proof,
            backup_id=names.people.get(t.backup or ""),
            recurrence=t.recurrence,
            window=t.window,
        ).id
    for t in sc.tasks:
        uow.tasks.update(
            ws.id,
            names.tasks[t.ref],
            parent_id=names.tasks.get(t.parent or ""),
            depends_on=[names.tasks[d] for d in t.depends_on],
        )
    return ws.id
