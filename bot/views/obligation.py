"""Recurring work: what a new obligation means, and its track record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.handlers.request import Request
from bot.language.recurrence import describe
from bot.messages import Outgoing, Section
from bot.services.obligations import DEFAULT_WINDOW, occurrence_due
from bot.views.replies import local_when
from engine import calendar as cal_ops
from engine.durations import Duration
from engine.model import Status, Task
from engine.recurrence import occurrence_starts

MISSED, LATE, ON_TIME, OPEN, CANCELLED = "missed", "late", "on time", "open", "cancelled"


@dataclass(frozen=True)
class Cycle:
    task: Task
    outcome: str
    by: str | None


def outcome(task: Task, now: datetime, grace: Duration, req: Request) -> str:
    """On time, late, missed, open or cancelled — as the recurring rules count them."""
    if task.status is Status.CANCELLED:
        return CANCELLED
    limit = grace.after(req.workspace.calendar, task.due) if task.due else None
    if task.status is Status.DONE:
        return LATE if limit and task.completed_at and task.completed_at > limit else ON_TIME
    return MISSED if limit and now >= limit else OPEN


def cycles(req: Request, obligation: Task) -> list[Cycle]:
    """Its occurrences, newest first, with who closed each."""
    grace = Duration.parse(req.workspace.settings.get("recurring.missed.grace", "0h"))
    ids = req.uow.tasks.occurrence_ids(req.ws, obligation.id)
    tasks = sorted(req.uow.tasks.get_many(req.ws, ids), key=lambda t: t.effective_start,
                   reverse=True)
    out = []
    for t in tasks:
        by = None
        if t.status is Status.DONE:
            closers = [a for a in req.uow.activity.for_task(req.ws, t.id)
                       if a.kind == "status" and (a.after or {}).get("status") == "done"]
            person = req.uow.people.get(req.ws, closers[-1].actor_id) if closers and \
                closers[-1].actor_id else None
            by = person.name if person else None
        out.append(Cycle(t, outcome(t, req.now, grace, req), by))
    return out


def track_record(found: list[Cycle]) -> tuple[int, int, int]:
    """(on time, closed or missed, current on-time streak) over the given cycles."""
    judged = [c for c in found if c.outcome in (ON_TIME, LATE, MISSED)]
    on_time = sum(1 for c in judged if c.outcome == ON_TIME)
    streak = 0
    for c in judged:  # newest first
        if c.outcome != ON_TIME:
            break
        streak += 1
    return on_time, len(judged), streak


def history(req: Request, obligation: Task) -> Outgoing:
    """Recent occurrences (on time / late / missed, by whom, proof), on-time rate, streak."""
    found = cycles(req, obligation)
    on_time, judged, streak = track_record(found)
    rate = f"{round(100 * on_time / judged)}% on time ({on_time} of {judged})" if judged else \
        "no finished cycles yet"
    head = Section(f"🔁 #{obligation.number} {obligation.title} — {rate}, streak {streak}")
    lines = []
    for c in found[:10]:
        when = local_when(req.workspace.calendar, req.tz, c.task.effective_start)
        by = f" by {c.by}" if c.by else ""
        proof = f" · proof: {c.task.proof}" if c.task.proof else ""
        lines.append(f"• {when} — {c.outcome}{by}{proof}")
    body = Section("\n".join(lines) if lines else "No occurrences yet.")
    return Outgoing((head, body))


def announce(req: Request, obligation: Task) -> Section:
    """'Every cycle … first one starts Wed 25 Nov 07:00, owner Ana, backup Leo, proof photo'."""
    assert obligation.recurrence is not None
    cal = req.workspace.calendar
    upcoming = occurrence_starts(obligation.recurrence, obligation.effective_start, cal,
                                 req.now, req.now + timedelta(days=400))
    first = local_when(cal, req.tz, upcoming[0]) if upcoming else "never (check the cadence)"
    window = Duration.parse(obligation.window or DEFAULT_WINDOW)
    span = window.words()
    if upcoming:  # the first one's deadline, as materialize will set it
        first += f", due {local_when(cal, req.tz, occurrence_due(cal, upcoming[0], window))}"
        if window.unit in ("h", "m") and cal_ops.is_working_time(cal, upcoming[0]):
            span = span.replace(" ", " working ", 1)  # '2 hours' -> '2 working hours'
    owner = req.uow.people.get(req.ws, obligation.owner_id) if obligation.owner_id else None
    backup = req.uow.people.get(req.ws, obligation.backup_id) if obligation.backup_id else None
    proof = obligation.proof_required if obligation.proof_required != "none" else "none"
    return Section(
        f"🔁 Repeats {describe(obligation.recurrence)}: next cycle starts {first}; owner "
        f"{owner.name if owner else 'nobody yet'}, "
        f"backup {backup.name if backup else 'not chosen yet'}, "
        f"proof {proof}; each one is due {span} after it starts."
    )
