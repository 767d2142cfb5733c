"""Team portfolio (``team``, managers and admins).

Per person: open tasks, red/amber/green counts, overloaded flag, blocked
items, the oldest unresolved problem. Per project: open tasks and health,
manager, deadline and the project's own problems. Most troubled first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.handlers.request import Request
from bot.messages import Button, Outgoing, Section
from bot.permissions import can_manage
from bot.views.my_tasks import AMBER, DOT, GREEN, RED, TaskHealth, handle_of, health_from, shown
from bot.views.replies import local_when, problem
from engine.model import Person, Project, Task, WorkCalendar
from storage.records import ViolationRecord

PEOPLE_CAP = 25
BLOCKED_SHOWN = 4


@dataclass
class Tally:
    """Open tasks of one person or project, by health colour."""

    open: int = 0
    colours: dict[str, int] = field(default_factory=lambda: {RED: 0, AMBER: 0, GREEN: 0})
    blocked: list[Task] = field(default_factory=list)
    oldest: tuple[datetime, str] | None = None  # (fired at, "overdue on #14")

    def add(self, h: TaskHealth) -> None:
        self.open += 1
        self.colours[h.colour] += 1
        if h.task.status.value == "blocked":
            self.blocked.append(h.task)

    def problem_at(self, at: datetime | None, what: str) -> None:
        if at is not None and (self.oldest is None or at < self.oldest[0]):
            self.oldest = (at, what)

    @property
    def counts(self) -> str:
        return " ".join(f"{DOT[c]}{self.colours[c]}" for c in (RED, AMBER, GREEN))

    @property
    def trouble(self) -> tuple[int, int, int]:
        return (-self.colours[RED], -self.colours[AMBER], -self.open)


@dataclass(frozen=True)
class Portfolio:
    people: list[tuple[Person | None, Tally, list[ViolationRecord]]]
    projects: list[tuple[Project | None, Tally, list[ViolationRecord]]]
    total: Tally


def build_portfolio(
    tasks: Sequence[Task],
    people: Sequence[Person],
    projects: Sequence[Project],
    firing: Iterable[ViolationRecord],
) -> Portfolio:
    """Tally open work per owner and per project from plain data (no database)."""
    firing = list(firing)
    tasks = [t for t in tasks if shown(t) and t.status.is_active]
    health = health_from(tasks, firing)
    total = Tally()
    by_person: dict[int | None, Tally] = {p.id: Tally() for p in people if p.active}
    by_project: dict[int | None, Tally] = {p.id: Tally() for p in projects if p.active}
    on_task: dict[int, list[ViolationRecord]] = {}
    for v in firing:
        if v.subject_kind == "task" and v.severity != "info":
            on_task.setdefault(v.subject_id, []).append(v)
    for t in tasks:
        h = health[t.id]
        total.add(h)
        for key, table in ((t.owner_id, by_person), (t.project_id, by_project)):
            tally = table.setdefault(key, Tally())
            tally.add(h)
            for v in on_task.get(t.id, []):
                tally.problem_at(v.fired_at, f"{problem(v.rule_id)} on #{t.number}")
    own: dict[tuple[str, int], list[ViolationRecord]] = {}
    for v in firing:
        if v.subject_kind in ("person", "project"):
            own.setdefault((v.subject_kind, v.subject_id), []).append(v)
    person_of = {p.id: p for p in people}
    project_of = {p.id: p for p in projects}
    for v in firing:
        if v.subject_kind == "person" and v.subject_id in by_person:
            by_person[v.subject_id].problem_at(v.fired_at, problem(v.rule_id))
    people_rows = [
        (person_of.get(pid) if pid is not None else None, tally,
         own.get(("person", pid), []) if pid is not None else [])
        for pid, tally in by_person.items()
        if pid is None or pid in person_of
    ]
    people_rows = [r for r in people_rows if r[0] is not None or r[1].open]
    people_rows.sort(key=lambda r: (r[1].trouble, r[0] is None, _name(r[0])))
    project_rows = [
        (project_of.get(pid) if pid is not None else None, tally,
         own.get(("project", pid), []) if pid is not None else [])
        for pid, tally in by_project.items()
        if pid is None or pid in project_of
    ]
    project_rows = [r for r in project_rows if r[0] is not None or r[1].open]
    project_rows.sort(key=lambda r: (r[1].trouble, r[0] is None, _name(r[0])))
    return Portfolio(people_rows, project_rows, total)


def _name(thing: Person | Project | None) -> str:
    return thing.name.lower() if thing is not None else ""


def _since(cal: WorkCalendar, tz: str, at: datetime, now: datetime) -> str:
    days = max(0, (now - at).days)
    return f"since {local_when(cal, tz, at).rsplit(' ', 1)[0]} ({days}d)"


def render_team(
    pf: Portfolio,
    now: datetime,
    cal: WorkCalendar,
    tz: str,
    cap: int = PEOPLE_CAP,
) -> Outgoing:
    """The portfolio as chat sections: totals, one section per person, then projects."""
    t = pf.total
    count = sum(1 for p, _, _ in pf.people if p is not None)
    sections = [Section(f"👥 Team — {count} people, {t.open} open · {t.counts}")]
    for person, tally, own in pf.people[:cap]:
        name = f"{person.name} ({handle_of(person)})" if person else "Nobody (no owner)"
        flags = []
        if any(v.rule_id == "person.overloaded" for v in own):
            flags.append("⚠ overloaded")
        if any(v.rule_id == "person.inactive" for v in own):
            flags.append("⚠ quiet")
        if person is not None and person.is_out_of_office(now):
            flags.append("🌴 out of office")
        head = f"{name} — {tally.open} open · {tally.counts}"
        if flags:
            head += " · " + " · ".join(flags)
        lines = [head]
        if tally.blocked:
            nums = " ".join(f"#{b.number}" for b in tally.blocked[:BLOCKED_SHOWN])
            hidden = len(tally.blocked) - BLOCKED_SHOWN
            extra = f" +{hidden}" if hidden > 0 else ""
            lines.append(f"   ⛔ blocked: {nums}{extra}")
        if tally.oldest is not None:
            at, what = tally.oldest
            lines.append(f"   oldest problem: {what} {_since(cal, tz, at, now)}")
        buttons: tuple[Button, ...] = ()
        if person is not None and (tally.colours[RED] or tally.colours[AMBER] or own):
            buttons = (Button(f"{person.name}'s tasks", "person.portfolio", {"person": person.id}),)
        sections.append(Section("\n".join(lines), buttons))
    if len(pf.people) > cap:
        sections.append(Section(f"…and {len(pf.people) - cap} more people, fewer problems."))
    lines = ["📁 Projects"]
    if not pf.projects:
        lines.append("   none yet — 'project add NAME' creates one")
    for project, tally, own in pf.projects:
        if project is None:
            lines.append(f"No project — {tally.open} open · {tally.counts}")
            continue
        due = f" · due {local_when(cal, tz, project.due)}" if project.due else ""
        issues = "".join(f" · ⚠ {problem(v.rule_id)}" for v in own)
        lines.append(f"{project.name} — {tally.open} open · {tally.counts}{due}{issues}")
        if tally.oldest is not None:
            at, what = tally.oldest
            lines.append(f"   oldest problem: {what} {_since(cal, tz, at, now)}")
    sections.append(Section("\n".join(lines)))
    return Outgoing(tuple(sections))


def team(req: Request) -> Outgoing:
    """``team``: the manager's cross-portfolio view (managers and admins only)."""
    can_manage(req.person).enforce()
    tasks = req.uow.tasks.list(req.ws, active_only=True)
    pf = build_portfolio(
        tasks,
        req.uow.people.list(req.ws),
        req.uow.projects.list(req.ws),
        req.uow.violations.all_firing(req.ws),
    )
    return render_team(pf, req.now, req.workspace.calendar, req.tz)
