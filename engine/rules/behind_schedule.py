"""task.behind_schedule — progress lags the share of working time already used."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine import calendar as cal_ops
from engine.context import RuleContext
from engine.model import Severity, Status, Task, WorkCalendar
from engine.rules.base import QUIET, BatchRule, FixSpec, Outcome, future, register
from engine.traits import DUE, PLAIN

WATCHED = (Status.TODO, Status.IN_PROGRESS, Status.BLOCKED)


def _elapsed_share(cal: WorkCalendar, start: datetime, due: datetime, now: datetime) -> float:
    """Percent of the start→due window used by ``now`` (working time; clock if none)."""
    total = cal_ops.working_seconds_between(cal, start, due)
    if total > 0:
        return 100 * cal_ops.working_seconds_between(cal, start, min(now, due)) / total
    return 100 * (min(now, due) - start).total_seconds() / (due - start).total_seconds()


def crossing(
    cal: WorkCalendar, start: datetime, due: datetime, percent: float, total: float | None = None
) -> datetime | None:
    """The instant the used share of start→due reaches ``percent`` (None if never before due).

    ``total`` is the working seconds of start→due when the caller has it already.
    """
    if percent >= 100:
        return None
    share = max(percent, 0) / 100
    if total is None:
        total = cal_ops.working_seconds_between(cal, start, due)
    if total > 0:
        at = cal_ops.add_working_seconds(cal, start, total * share)
    else:
        at = start + (due - start) * share
    return at if at < due else None


@register
class BehindSchedule(BatchRule):
    id = "task.behind_schedule"
    requires = PLAIN | DUE
    statuses = frozenset(WATCHED)
    # "(expected at least 0%)" would read as nonsense: the expectation shows only when > 0.
    template = "{progress}% done but {used}% of the time is used{expectation}"
    fixes = (
        FixSpec("task.progress", "Update progress"),
        FixSpec("task.extend", "Extend…"),
        FixSpec("task.help", "Ask for help"),
    )

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """Warning once used% > progress + tolerance, critical at 2× tolerance.

        The decision compares ``now`` with the two crossing instants, so the
        verdict and ``next_check`` can never disagree. The tolerance is read once
        per project, not once per task.
        """
        now = ctx.now
        tolerance: dict[int | None, int] = {}
        new = tuple.__new__  # Outcome.quiet(due) minus a call
        out = []
        decide = self._decide
        for task in tasks:
            due = task.due
            if not task.is_plain or task.status not in WATCHED or due is None:
                continue
            start = task.start or task.created_at  # effective_start, minus a call
            if start >= due or now >= due:
                continue
            tol = tolerance.get(task.project_id)
            if tol is None:
                tol = tolerance[task.project_id] = ctx.task_settings(task).number(
                    "task.behind_schedule.tolerance")
            if task.progress + tol >= 100:
                out.append((task, new(Outcome, ((), due))))
                continue
            found = decide(ctx, task, start, due, tol)
            if found is not QUIET:
                out.append((task, found))
        return out

    def _decide(self, ctx: RuleContext, task: Task, start: datetime, due: datetime,
                tol: int) -> Outcome:
        """The verdict of an open task whose start→due window holds ``now``."""
        cal = ctx.calendar
        total = cal_ops.working_seconds_between(cal, start, due)
        warn = crossing(cal, start, due, task.progress + tol, total)
        if ctx.now < start or warn is None or ctx.now < warn:
            # The critical crossing is later than the warning one: warn is next.
            return Outcome.quiet(future(ctx.now, (warn, due)))
        crit = crossing(cal, start, due, task.progress + 2 * tol, total)
        nxt = future(ctx.now, (crit, due))
        severity = Severity.CRITICAL if crit is not None and ctx.now >= crit else Severity.WARNING
        used = _elapsed_share(cal, start, due, ctx.now)
        v = self.violation(
            task.id,
            severity,
            progress=task.progress,
            used=round(used),
            expectation=_expectation(task.progress, round(used - tol)),
        )
        return Outcome((v,), nxt)


def _expectation(progress: int, expected: int) -> str:
    """' (expected at least 35%)', or nothing when that would not exceed the progress."""
    return f" (expected at least {expected}%)" if expected > max(progress, 0) else ""
