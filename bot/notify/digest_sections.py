"""The sections of a standup digest: a member's own work (at risk, due, blocked,
done yesterday, what needs them) and a manager's team table and changes.

Every list shows at most ``SHOWN`` tasks and counts the rest ("…and 3 more"),
so nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta

from bot.messages import Section
from bot.notify.hours import person_calendar
from bot.views.concerns import concerns
from bot.views.replies import local_when, problem
from engine import calendar as cal_ops
from engine.model import Person, Role, Task, WorkCalendar
from storage.records import ViolationRecord
from storage.uow import UnitOfWork

ICON = {"critical": "🔴", "warning": "🟠"}
SHOWN = 8  # tasks a digest section lists; the rest are counted, never dropped silently


def _calendar(uow: UnitOfWork, ws: int, person: Person) -> WorkCalendar:
    record = uow.workspaces.get(ws)
    assert record is not None
    return person_calendar(record.calendar, person.tz)


def team_of(uow: UnitOfWork, ws: int, manager: Person) -> list[Person]:
    """People who report to ``manager`` (at any depth) or own work in their projects."""
    # Walk the reporting lines down, one indexed query per level.
    found: dict[int, Person] = {}
    frontier = {manager.id}
    while frontier:
        reports = [p for p in uow.people.reporting_to(ws, frontier) if p.id not in found]
        found.update((p.id, p) for p in reports if p.id != manager.id)
        frontier = {p.id for p in reports if p.id != manager.id}
    team = [found[pid] for pid in sorted(found)]
    by_id = dict(found)
    managed = uow.projects.managed_by(ws, manager.id, active_only=False)
    owners = {
        t.owner_id for pid in managed for t in uow.tasks.list(ws, project_id=pid, active_only=True)
    }
    by_id.update((p.id, p) for p in uow.people.get_many(ws, {o for o in owners if o}))
    team += [
        by_id[o]
        for o in sorted(o for o in owners if o is not None)
        if o in by_id and by_id[o] not in team and o != manager.id
    ]
    return team


def is_manager(uow: UnitOfWork, ws: int, person: Person) -> bool:
    if person.role in (Role.ADMIN, Role.MANAGER):
        return True
    return uow.people.has_reports(ws, person.id)


def _line(task: Task, cal: WorkCalendar, extra: str = "") -> str:
    due = "no deadline" if task.due is None else f"due {local_when(cal, cal.tz, task.due)}"
    return f"• #{task.number} {task.title} · {task.progress}% · {due}{extra}"


def _worst(rows: Iterable[ViolationRecord]) -> dict[int, ViolationRecord]:
    rank = {"critical": 2, "warning": 1, "info": 0}
    worst: dict[int, ViolationRecord] = {}
    for r in rows:
        if r.subject_kind == "task" and rank.get(r.severity, 0) >= 1:
            if r.subject_id not in worst or rank[r.severity] > rank[worst[r.subject_id].severity]:
                worst[r.subject_id] = r
    return worst


def member_sections(uow: UnitOfWork, ws: int, person: Person, now: datetime) -> list[Section]:
    """At risk / overdue / due today / due this week / blocked / done yesterday, worst first."""
    cal = _calendar(uow, ws, person)
    today = cal_ops.to_local(cal, now).date()
    start_today = cal_ops.from_local(cal, datetime.combine(today, time(0)))
    yesterday = cal_ops.previous_working_day(cal, today) if cal.workdays else today
    start_yesterday = cal_ops.from_local(cal, datetime.combine(yesterday, time(0)))
    end_today = cal_ops.from_local(cal, datetime.combine(today + timedelta(days=1), time(0)))
    end_week = cal_ops.from_local(
        cal, datetime.combine(today + timedelta(days=7 - today.weekday()), time(0))
    )
    mine = uow.tasks.list(ws, owner_id=person.id)
    open_ = [t for t in mine if t.status.is_active and t.recurrence is None]
    worst = _worst(uow.violations.firing(ws, task_ids=[t.id for t in open_]))
    done = [
        t
        for t in mine
        if t.completed_at
        and start_yesterday <= t.completed_at < start_today
        and t.status.value == "done"
    ]
    by_due = sorted((t for t in open_ if t.due), key=lambda t: (t.due, t.number))
    # Work due before today is overdue, not "due today"; At risk already lists it when a
    # rule fires on it (its "🔴 overdue"), so Overdue holds only the rest, never twice.
    overdue = [t for t in by_due if t.due and t.due < start_today and t.id not in worst]
    due_today = [t for t in by_due if t.due and start_today <= t.due < end_today]
    due_week = [t for t in by_due if t.due and end_today <= t.due < end_week]
    at_risk = sorted(
        (t for t in open_ if t.id in worst),
        key=lambda t: (worst[t.id].severity != "critical", t.due or now, t.number),
    )
    blocked = [t for t in open_ if t.status.value == "blocked"]
    listed = [
        _listed("At risk", at_risk, lambda t: _line(
            t, cal, f" — {ICON[worst[t.id].severity]} {problem(worst[t.id].rule_id)}")),
        _listed("Overdue", overdue, lambda t: _line(t, cal)),
        _listed("Due today", due_today, lambda t: _line(t, cal)),
        _listed("Due this week", due_week, lambda t: _line(t, cal)),
        _listed("Blocked", blocked,
                lambda t: _line(t, cal, f" — waiting for {t.blocked_reason or '?'}")),
        _listed("Done yesterday", done, lambda t: f"• #{t.number} {t.title}"),
    ]
    sections = [s for s in listed if s is not None]
    sections += _concern_sections(uow, ws, person, cal)
    if not sections:
        sections.append(Section("Nothing due, nothing at risk, nothing waiting for you. 🎉"))
    return sections


def _listed(title: str, tasks: list[Task], line: Callable[[Task], str]) -> Section | None:
    """'Title:' and the first ``SHOWN`` tasks, a ``line`` each, the rest counted (None: none)."""
    if not tasks:
        return None
    return Section(f"{title}:\n" + "\n".join(line(t) for t in tasks[:SHOWN]) + _more(tasks))


def _more(tasks: list[Task] | list[str], total: int | None = None) -> str:
    """'\n…and 3 more (send *tasks* to see them all)' when a section lists only ``SHOWN``
    (``total``: how many there are when ``tasks`` holds only the first few)."""
    extra = (len(tasks) if total is None else total) - SHOWN
    return f"\n…and {extra} more (send *tasks* to see them all)" if extra > 0 else ""


def _concern_sections(uow: UnitOfWork, ws: int, person: Person,
                      cal: WorkCalendar) -> list[Section]:
    """Work the person created that nobody owns, and problems that need them (#13)."""
    found = concerns(uow, ws, person, first=SHOWN)
    sections = []
    if found.waiting:
        # Each with its worst problem, as My Tasks shows it ("— 🔴 overdue").
        shown = found.waiting[:SHOWN]
        worst_waiting = _worst(uow.violations.firing(ws, task_ids=[t.id for t in shown]))
        sections.append(Section("Waiting for an owner (you created these):\n" + "\n".join(
            _line(t, cal, _worst_words(worst_waiting.get(t.id))) for t in shown)
            + _more(found.waiting)))
    if found.needs_you:
        worst = _worst(found.problems)
        sections.append(Section("Needs you:\n" + "\n".join(
            _line(t, cal, _worst_words(worst.get(t.id)) or " — ⛔ blocked")  # nothing firing yet
            for t in found.needs_you[:SHOWN]) + _more(found.needs_you, found.needs_count)))
    return sections


def _worst_words(row: ViolationRecord | None) -> str:
    """' — 🔴 overdue' for a task's worst firing problem ('' when none)."""
    return f" — {ICON[row.severity]} {problem(row.rule_id)}" if row is not None else ""


def team_sections(
    uow: UnitOfWork, ws: int, manager: Person | None, now: datetime, since: datetime
) -> list[Section]:
    """The team table, new and resolved problems since ``since``, overloaded, blocked.

    ``manager`` None: the whole workspace (the team digest posted to a channel).
    """
    if manager is None:
        team = uow.people.list(ws, active_only=True)
    else:
        team = team_of(uow, ws, manager)
    if not team:
        return []
    rows = []
    blocked: list[str] = []
    for p in team:
        tasks = [
            t for t in uow.tasks.list(ws, owner_id=p.id, active_only=True) if t.recurrence is None
        ]
        worst = _worst(uow.violations.firing(ws, task_ids=[t.id for t in tasks]))
        red = sum(1 for v in worst.values() if v.severity == "critical")
        amber = len(worst) - red
        stuck = sum(1 for t in tasks if t.status.value == "blocked" and t.id not in worst)
        rest = len(tasks) - red - amber - stuck
        # Blocked work with nothing firing yet is ⛔, as in My Tasks, not counted as green.
        tally = f"🔴{red} 🟠{amber}" + (f" ⛔{stuck}" if stuck else "") + f" 🟢{rest}"
        rows.append((-red, -amber, p.name, f"{p.name}: {tally}"))
        blocked += [
            f"• #{t.number} {t.title} ({p.name}) — {t.blocked_reason or '?'}"
            for t in tasks
            if t.status.value == "blocked"
        ]
    history = uow.violations.history(ws, since=since)
    team_ids = {p.id for p in team}
    owned = {t.id for p in team for t in uow.tasks.list(ws, owner_id=p.id)}
    mine = [
        r
        for r in history
        if (r.subject_kind == "task" and r.subject_id in owned)
        or (r.subject_kind == "person" and r.subject_id in team_ids)
    ]
    new = sum(1 for r in mine if r.fired_at and r.fired_at >= since)
    resolved = sum(1 for r in mine if r.resolved_at and r.resolved_at >= since)
    overloaded = sorted(
        uow.people.get(ws, r.subject_id).name  # type: ignore[union-attr]
        for r in uow.violations.firing(ws, person_ids=team_ids)
        if r.rule_id == "person.overloaded"
    )
    sections = [
        Section("Team:\n" + "\n".join(r[3] for r in sorted(rows))),
        Section(f"Since the last digest: {_count(new, 'new problem')}, "
                f"{resolved or 'none'} resolved."),
    ]
    slipped = _slipped_obligations(uow, ws, mine, since)
    if slipped:
        sections.append(Section("Recurring work that slipped:\n" + "\n".join(slipped)))
    if overloaded:
        sections.append(Section("Overloaded: " + ", ".join(overloaded)))
    if blocked:
        sections.append(Section("Blocked in the team:\n" + "\n".join(blocked[:SHOWN])
                                + _more(blocked)))
    return sections


def _slipped_obligations(
    uow: UnitOfWork, ws: int, rows: list[ViolationRecord], since: datetime
) -> list[str]:
    """One line per obligation with an occurrence missed since the last digest."""
    missed = [
        r for r in rows if r.rule_id == "recurring.missed" and r.fired_at and r.fired_at >= since
    ]
    lines: dict[int, str] = {}
    for r in missed:
        occurrence = uow.tasks.get(ws, r.subject_id)
        if occurrence is None or occurrence.occurrence_of is None:
            continue
        obligation = uow.tasks.get(ws, occurrence.occurrence_of)
        owner = uow.people.get(ws, occurrence.owner_id) if occurrence.owner_id else None
        if obligation is not None:
            who = f" ({owner.name})" if owner else ""
            lines[obligation.id] = (
                f"• 🔁 #{obligation.number} {obligation.title}: "
                f"{occurrence.title.split(' — ')[-1]} missed{who}"
            )
    return [lines[k] for k in sorted(lines)]


def _count(n: int, what: str) -> str:
    """'1 new problem', '3 new problems', 'no new problems'."""
    if n == 0:
        return f"no {what}s"
    return f"{n} {what}{'' if n == 1 else 's'}"
