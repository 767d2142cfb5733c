"""The daily standup digest (DESIGN §6): it replaces the status meeting.

Members get: done yesterday, due today, due this week, at risk, blocked.
Managers also get the team table (green/amber/red per person), what fired and
what was resolved since the last digest, overloaded people and blocked items.
"""

from __future__ import annotations

import time as clock
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from bot.messages import Outgoing, Section
from bot.notify.digest_time import (
    digest_clock,
    is_digest_day,
    next_digest_day,
    since_last_digest,
)
from bot.notify.hours import person_calendar
from bot.notify.notifier import workspace_platform
from bot.views.concerns import concerns
from bot.views.replies import local_when, problem
from engine import calendar as cal_ops
from engine.model import Person, Role, Task, WorkCalendar
from storage.records import ViolationRecord, WorkspaceRecord
from storage.uow import UnitOfWork

DIGEST_TIME = time(9, 0)
# A committed batch of digests holds SQLite's one write lock while it builds
# them (BEGIN IMMEDIATE), so it is bounded twice: by people and by seconds. A
# digest costs ~30 ms at 100k tasks, so a batch holds the lock ~0.5 s at most
# and the rule tick waits no longer than that for it.
DIGEST_BATCH = 25
DIGEST_BATCH_SECONDS = 0.5
ICON = {"critical": "🔴", "warning": "🟠"}


def digest_time(record: WorkspaceRecord, own: time | None = None) -> time:
    """The local time of day of a digest: the person's own, else the workspace's digest.time."""
    return digest_clock(record.settings, own)


def next_digest_at(cal: WorkCalendar, now: datetime, at: time, sent_today: bool,
                   settings: Mapping[str, object] | None = None) -> datetime:
    """Whose digest is due now: the instant a person's next morning digest is due.

    Today's morning (``at`` local time) when today is a working day and
    today's digest is not out yet — at or before ``now`` once the morning has
    come, so the digest is due — else the next working day's morning. Each
    person stores the result (``people.next_digest_at``); the digest job reads
    only the people whose instant has come.
    """
    day = cal_ops.to_local(cal, now).date()
    chosen = settings or {}
    if sent_today or not is_digest_day(cal, chosen, day):  # digest.days
        day = next_digest_day(cal, chosen, day)
    return cal_ops.from_local(cal, datetime.combine(day, at))


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
    """Done yesterday / due today / due this week / at risk / blocked, worst first."""
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
    due_today = [t for t in by_due if t.due and t.due < end_today]
    due_week = [t for t in by_due if t.due and end_today <= t.due < end_week]
    at_risk = sorted(
        (t for t in open_ if t.id in worst),
        key=lambda t: (worst[t.id].severity != "critical", t.due or now, t.number),
    )
    blocked = [t for t in open_ if t.status.value == "blocked"]
    sections = []
    if at_risk:
        sections.append(
            Section(
                "At risk:\n"
                + "\n".join(
                    _line(t, cal, f" — {ICON[worst[t.id].severity]} {problem(worst[t.id].rule_id)}")
                    for t in at_risk[:SHOWN]
                )
                + _more(at_risk)
            )
        )
    for title, tasks in (("Due today", due_today), ("Due this week", due_week)):
        if tasks:
            lines = "\n".join(_line(t, cal) for t in tasks[:SHOWN])
            sections.append(Section(f"{title}:\n{lines}{_more(tasks)}"))
    if blocked:
        sections.append(
            Section(
                "Blocked:\n"
                + "\n".join(
                    _line(t, cal, f" — waiting for {t.blocked_reason or '?'}")
                    for t in blocked[:SHOWN]
                )
                + _more(blocked)
            )
        )
    if done:
        sections.append(
            Section("Done yesterday:\n"
                    + "\n".join(f"• #{t.number} {t.title}" for t in done[:SHOWN]) + _more(done))
        )
    sections += _concern_sections(uow, ws, person, cal)
    if not sections:
        sections.append(Section("Nothing due, nothing at risk, nothing waiting for you. 🎉"))
    return sections


SHOWN = 8  # tasks a digest section lists; the rest are counted, never dropped silently


def _more(tasks: list[Task]) -> str:
    """'\n…and 3 more (send *tasks* to see them all)' when a section lists only ``SHOWN``."""
    extra = len(tasks) - SHOWN
    return f"\n…and {extra} more (send *tasks* to see them all)" if extra > 0 else ""


def _concern_sections(uow: UnitOfWork, ws: int, person: Person,
                      cal: WorkCalendar) -> list[Section]:
    """Work the person created that nobody owns, and problems that need them (#13)."""
    found = concerns(uow, ws, person)
    sections = []
    if found.waiting:
        # Each with its worst problem, as My Tasks shows it ("— 🔴 overdue").
        shown = found.waiting[:8]
        worst_waiting = _worst(uow.violations.firing(ws, task_ids=[t.id for t in shown]))
        sections.append(Section("Waiting for an owner (you created these):\n" + "\n".join(
            _line(t, cal, _worst_words(worst_waiting.get(t.id))) for t in shown)))
    if found.needs_you:
        worst = _worst(found.problems)
        sections.append(Section("Needs you:\n" + "\n".join(
            _line(t, cal, _worst_words(worst.get(t.id)) or " — ⛔ blocked")  # nothing firing yet
            for t in found.needs_you[:8])))
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
        sections.append(Section("Blocked in the team:\n" + "\n".join(blocked[:10])))
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


def digest(
    uow: UnitOfWork, ws: int, person: Person, now: datetime, since: datetime | None = None
) -> Outgoing:
    """The whole digest for one person (manager version when they manage anyone)."""
    cal = _calendar(uow, ws, person)
    local = cal_ops.to_local(cal, now)
    head = Section(f"☀ Standup for {person.name} — {local:%a} {local.day} {local:%b}")
    sections = [head] + member_sections(uow, ws, person, now)
    if is_manager(uow, ws, person):
        sections += team_sections(uow, ws, person, now, since or now - timedelta(days=1))
    return Outgoing(tuple(sections))


def digest_payload(out: Outgoing, since: datetime | None, now: datetime) -> dict[str, object]:
    """The outbox payload of a digest: the message, and what rebuilds it at sending
    (its "since" instant and when it was built: ``bot.notify.digest_fresh``)."""
    return {
        **_payload(out),
        "since": since.isoformat() if since else None,
        "built_at": now.isoformat(),
    }


def _payload(out: Outgoing) -> dict[str, object]:
    return {
        "text": out.text,
        "sections": [
            {
                "text": s.text,
                "buttons": [
                    {"label": b.label, "action": b.action, "args": dict(b.args)} for b in s.buttons
                ],
            }
            for s in out.sections
        ],
    }


def queue_digests(uow: UnitOfWork, ws: int, now: datetime) -> list[tuple[int, str]]:
    """Queue every digest that is due, in this transaction (see ``queue_digest_batch``)."""
    queued: list[tuple[int, str]] = []
    while True:
        batch, more = queue_digest_batch(uow, ws, now, DIGEST_BATCH)
        queued += batch
        if not more:
            return queued


def queue_digest_batch(
    uow: UnitOfWork, ws: int, now: datetime, limit: int, stop_at: float | None = None
) -> tuple[list[tuple[int, str]], bool]:
    """Queue today's digest for at most ``limit`` people whose morning has come.

    Reads only the people whose stored next digest is due and stores the
    next one for each, so a person's digest is built once per local morning;
    returns what was queued and whether more may be due (a full batch, or one
    cut short at ``stop_at``, a ``time.monotonic()`` instant: call again).
    At least one person is decided per call, so a pass always moves on; the
    people not reached keep their due instant. The dedup key names the person
    and their local date, so several processes still send one digest a day.
    """
    record = uow.workspaces.get(ws)
    if record is None:
        return [], False
    people = uow.people.digest_due(ws, now, limit)
    own_times = uow.people.digest_times(ws, [p.id for p in people])
    queued: list[tuple[int, str]] = []
    later: dict[int, datetime | None] = {}
    identities = uow.outbox.identities_of(ws, [p.id for p in people])
    for i, person in enumerate(people):
        if i and stop_at is not None and clock.monotonic() >= stop_at:
            uow.people.set_next_digest(ws, later)
            return queued, True
        cal = person_calendar(record.calendar, person.tz)
        own = own_times.get(person.id)
        at = digest_time(record, own)
        due = next_digest_at(cal, now, at, sent_today=False, settings=record.settings)
        if due > now:
            later[person.id] = due
            continue
        tomorrow = next_digest_at(cal, now, at, sent_today=True, settings=record.settings)
        later[person.id] = tomorrow
        if person.is_out_of_office(now):
            assert person.ooo_until is not None
            later[person.id] = min(tomorrow, person.ooo_until)  # back later today: digest then
            continue
        platforms = sorted({p for p, _ in identities.get(person.id, [])}) or [
            workspace_platform(record.key)
        ]
        local = cal_ops.to_local(cal, now)
        # "Since the last digest": the previous digest morning (Monday looks back to Friday).
        since = since_last_digest(cal, record.settings, own, local.date())
        keys = {p: f"digest:{person.id}:{_day(local.date())}:{p}" for p in platforms}
        if all(uow.outbox.by_dedup_key(ws, key) is not None for key in keys.values()):
            continue  # today's is queued already: do not build it again on every tick
        payload = digest_payload(digest(uow, ws, person, now, since), since, now)
        for platform, key in keys.items():
            if uow.outbox.queue(ws, person.id, platform, "digest", payload, key, now, now):
                queued.append((person.id, platform))
    uow.people.set_next_digest(ws, later)
    return queued, len(people) >= limit


def _count(n: int, what: str) -> str:
    """'1 new problem', '3 new problems', 'no new problems'."""
    if n == 0:
        return f"no {what}s"
    return f"{n} {what}{'' if n == 1 else 's'}"


def _day(d: date) -> str:
    return d.isoformat()
