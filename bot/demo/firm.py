"""Ledger & Co, the sample accounting firm of the customer's stories.

Marcus runs it; five staff report to him. Client projects Acme, Harlow and
Beacon, the insurance renewals and the office routine. Built on Friday
afternoon before the two demo weeks, through the same services the chat uses,
with every kind of trouble the rules look for waiting to happen: a filing that
will stall, a subtask due after its parent, blocked payroll, a renewal with
30/14/7-day lead times, a 7 am check with a backup, an overloaded consultant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.notify import digest as digest_mod
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from engine import calendar as cal_ops
from engine.model import WorkCalendar
from storage.uow import UnitOfWork

WORKSPACE_KEY = "console:default"  # what `vigil console` opens
WORKSPACE_NAME = "Ledger & Co"
ZONE = "Europe/London"
CALENDAR = WorkCalendar(tz=ZONE)
SETUP = datetime(2026, 2, 27, 16, 0)  # Friday, local time
START = datetime(2026, 3, 2, 7, 0)  # Monday of the first demo week
END = datetime(2026, 3, 13, 16, 0)  # Friday of the second

# name, role, what they do
PEOPLE = (
    ("Marcus", "admin", "the managing partner"),
    ("Priya", "member", "senior accountant"),
    ("Sam", "member", "junior accountant"),
    ("Leo", "member", "consultant on three clients"),
    ("Aisha", "member", "office manager"),
    ("Tom", "member", "insurance and renewals"),
)
PROJECTS = ("Acme", "Harlow", "Beacon", "Insurance", "Office")
PROJECT_SETTINGS: dict[str, dict[str, object]] = {
    "Insurance": {"task.deadline_approaching.lead": ["30d", "14d", "7d"]},
}


def local(at: datetime, shift: timedelta = timedelta(0)) -> datetime:
    """A naive local wall-clock time of the firm (moved by ``shift``) as a UTC instant."""
    return cal_ops.from_local(CALENDAR, at + shift)


def shift_to(today: date) -> timedelta:
    """Whole weeks that move the demo's fortnight to the one ending on or before ``today``.

    The story is written for 2 – 13 March 2026; played on another day it
    happens in the two working weeks that end on the last Friday up to
    ``today``, weekdays and hours unchanged, so the demo database is current
    when you open the console on it.
    """
    last_friday = today - timedelta(days=(today.weekday() - 4) % 7)
    return timedelta(weeks=(last_friday - END.date()).days // 7)


@dataclass(frozen=True)
class TaskSpec:
    """One task of the firm; ``ref`` is how the demo script names it."""

    ref: str
    title: str
    project: str
    owner: str | None
    start: datetime
    due: datetime | None
    status: str = "todo"
    progress: int = 0
    parent: str | None = None
    recurrence: str | None = None
    window: str | None = None
    backup: str | None = None


TASKS = (
    TaskSpec("filing", "Q4 VAT filing for Acme", "Acme", "Priya",
             datetime(2026, 2, 23, 9), datetime(2026, 3, 12, 17), "in_progress", 30),
    TaskSpec("yearend", "Harlow year-end accounts", "Harlow", "Priya",
             datetime(2026, 3, 2, 9), datetime(2026, 3, 13, 17)),
    TaskSpec("recon", "Harlow bank reconciliation", "Harlow", "Sam",
             datetime(2026, 3, 2, 9), datetime(2026, 3, 17, 17), parent="yearend"),
    TaskSpec("payroll", "Beacon payroll set-up", "Beacon", "Sam",
             datetime(2026, 2, 23, 9), datetime(2026, 3, 20, 17), "in_progress", 30),
    TaskSpec("renewal", "Harlow office insurance renewal", "Insurance", "Tom",
             datetime(2026, 3, 20, 9), datetime(2026, 3, 26, 17)),
    TaskSpec("opening", "Open the office and check the post", "Office", "Aisha",
             datetime(2026, 3, 2, 7), None, recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7",
             window="2h", backup="Sam"),
    TaskSpec("acme_review", "Acme management accounts review", "Acme", "Leo",
             datetime(2026, 2, 16, 9), datetime(2026, 3, 6, 17)),
    TaskSpec("harlow_tax", "Harlow corporation tax computation", "Harlow", "Leo",
             datetime(2026, 2, 16, 9), datetime(2026, 3, 9, 17)),
    TaskSpec("forecast", "Beacon cash-flow forecast", "Beacon", "Leo",
             datetime(2026, 2, 16, 9), datetime(2026, 3, 10, 17)),
    TaskSpec("receipts", "Collect Beacon's monthly receipts", "Beacon", "Sam",
             datetime(2026, 2, 27, 9), datetime(2026, 3, 6, 17), "in_progress", 50),
)


@dataclass
class Firm:
    """Ids of what was built: people by name, projects by name, tasks by ref."""

    workspace_id: int
    people: dict[str, int]
    projects: dict[str, int]
    tasks: dict[str, int]

    def name_of(self, person_id: int) -> str:
        return next((n for n, i in self.people.items() if i == person_id), f"person {person_id}")


def build(uow: UnitOfWork, shift: timedelta = timedelta(0)) -> Firm:
    """Create Ledger & Co in an empty database (at the Friday set-up time)."""
    now = local(SETUP, shift)
    ws = uow.workspaces.create(WORKSPACE_KEY, WORKSPACE_NAME, tz=ZONE, calendar=CALENDAR,
                               created_at=now).id
    people: dict[str, int] = {}
    for name, role, _ in PEOPLE:
        handle = name.lower()
        person = people_svc.add_person(uow, ws, name, handle=handle, role=role, tz=ZONE)
        uow.people.add_identity(ws, person.id, "console", handle)
        people[name] = person.id
    for name, _, _ in PEOPLE[1:]:
        people_svc.update_person(uow, ws, now, people[name], reports_to_id=people["Marcus"])
    # The firm is set up on Friday afternoon: its first morning digest is Monday's, at
    # the digest time, not one labelled "morning" at 16:00 the moment they are added.
    record = uow.workspaces.get(ws)
    assert record is not None
    first = digest_mod.next_digest_at(CALENDAR, now, digest_mod.digest_time(record),
                                      sent_today=True, settings=record.settings)
    uow.people.set_next_digest(ws, dict.fromkeys(people.values(), first))
    projects = {}
    for name in PROJECTS:
        project, _ = people_svc.add_project(uow, ws, now, name, manager_id=people["Marcus"],
                                            settings=PROJECT_SETTINGS.get(name, {}))
        projects[name] = project.id
    tasks: dict[str, int] = {}
    for spec in TASKS:
        fields: dict[str, object] = {
            "project_id": projects[spec.project], "start": local(spec.start, shift),
            "status": spec.status, "progress": spec.progress,
        }
        if spec.owner:
            fields["owner_id"] = people[spec.owner]
        if spec.due:
            fields["due"] = local(spec.due, shift)
        if spec.parent:
            fields["parent_id"] = tasks[spec.parent]
        if spec.recurrence:
            fields.update(recurrence=spec.recurrence, window=spec.window,
                          backup_id=people[spec.backup or "Marcus"])
        outcome = task_svc.create_task(uow, ws, now, people["Marcus"], spec.title, **fields)
        tasks[spec.ref] = outcome.task.id
    return Firm(ws, people, projects, tasks)
