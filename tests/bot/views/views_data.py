"""Portfolios for the view tests: empty, small (6 tasks) and large (150 tasks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.handlers.request import Request
from bot.services.people import add_person, add_project
from bot.services.tasks import create_task
from engine.model import WorkCalendar
from storage.uow import UnitOfWork

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday
DAY = timedelta(days=1)


@dataclass
class Portfolio:
    ws: int
    people: dict[str, int]
    projects: dict[str, int]
    tasks: dict[str, int]


def build(uow: UnitOfWork, size: str = "small") -> Portfolio:
    """Marcus (admin), Priya (member, reports to Sam), Sam (manager); Acme and Payroll."""
    ws = uow.workspaces.create("test:views", "Views", calendar=WorkCalendar(tz="Europe/London"),
                               created_at=NOW - 60 * DAY).id
    marcus = add_person(uow, ws, "Marcus", handle="marcus").id
    sam = add_person(uow, ws, "Sam", handle="sam", role="manager").id
    priya = add_person(uow, ws, "Priya", handle="priya", reports_to_id=sam).id
    people = {"marcus": marcus, "sam": sam, "priya": priya}
    pf = Portfolio(ws, people, {}, {})
    if size == "empty":
        return pf
    acme, _ = add_project(uow, ws, NOW, "Acme", manager_id=marcus, due=NOW + 24 * DAY)
    payroll, _ = add_project(uow, ws, NOW, "Payroll", manager_id=sam)
    pf.projects = {"Acme": acme.id, "Payroll": payroll.id}

    def add(key: str, title: str, **fields: object) -> int:
        fields.setdefault("created_at", NOW - 10 * DAY)
        task = create_task(uow, ws, NOW, marcus, title, **fields).task
        pf.tasks[key] = task.id
        return task.id

    if size == "small":
        add("overdue", "Send the Acme filing", owner_id=priya, project_id=acme.id,
            start=NOW - 10 * DAY, due=NOW - DAY, progress=30)
        add("draft", "Draft contract", owner_id=priya, project_id=acme.id,
            start=NOW - 2 * DAY, due=NOW + 12 * DAY, progress=20, status="in_progress",
            created_at=NOW)
        add("review", "Review payroll run", owner_id=priya, project_id=payroll.id,
            start=NOW - 3 * DAY, due=NOW + 6 * DAY, progress=80, status="in_review",
            created_at=NOW)
        add("done", "Bank reconciliation", owner_id=sam, project_id=acme.id,
            start=NOW - 8 * DAY, due=NOW - 2 * DAY, status="done")
        add("unowned", "Collect receipts", project_id=payroll.id, start=NOW, due=NOW + 20 * DAY,
            created_at=NOW)
        add("sub", "Gather bank statements", owner_id=priya, project_id=acme.id,
            parent_id=pf.tasks["overdue"], depends_on=[pf.tasks["draft"]],
            start=NOW + 2 * DAY, due=NOW + 14 * DAY, created_at=NOW)
        return pf
    # large: 150 tasks over 5 projects and 6 people, a mix of every state
    for name in ("Leo", "Ana", "Kim"):
        people[name.lower()] = add_person(uow, ws, name, handle=name.lower()).id
    for name in ("Audit", "Hiring", "Launch"):
        project, _ = add_project(uow, ws, NOW, name, manager_id=sam)
        pf.projects[name] = project.id
    owners = list(people.values())
    projects = list(pf.projects.values())
    statuses = ["todo", "in_progress", "in_progress", "blocked", "in_review", "done"]
    for i in range(150):
        status = statuses[i % len(statuses)]
        start = NOW - (i % 20) * DAY
        fields: dict[str, object] = {
            "owner_id": owners[i % len(owners)] if i % 13 else None,
            "project_id": projects[i % len(projects)],
            "start": start,
            "due": start + (5 + i % 25) * DAY if i % 17 else None,
            "status": status,
            "progress": 0 if status == "todo" else (i * 7) % 100,
            "created_at": start,
        }
        if status == "blocked":
            fields["blocked_reason"] = "waiting"
        add(f"t{i}", f"Large portfolio task number {i} with a rather long title", **fields)
    return pf


def request(uow: UnitOfWork, pf: Portfolio, who: str, now: datetime = NOW) -> Request:
    workspace = uow.workspaces.get(pf.ws)
    person = uow.people.get(pf.ws, pf.people[who])
    assert workspace is not None and person is not None
    return Request(uow, workspace, person, now)
