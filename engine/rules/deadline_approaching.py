"""task.deadline_approaching — due within a lead time and nobody is touching it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.context import RuleContext, span
from engine.durations import Duration
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, future, register
from engine.traits import DUE, PLAIN


@register
class DeadlineApproaching(Rule):
    id = "task.deadline_approaching"
    requires = PLAIN | DUE
    statuses = OPEN
    template = "due {due} (in {left}) and untouched for {idle} (since {since}); {lead} warning"
    fixes = (FixSpec("task.progress", "Update progress"), FixSpec("task.extend", "Extend…"))

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """One stage per lead time; only the tightest lead whose window has begun fires.

        Quiet means ``quiet`` has passed since the last human activity (or
        creation): ``now >= quiet.after(last)``.
        """
        if not task.is_plain or task.due is None or ctx.now >= task.due:
            return Outcome.quiet()
        settings = ctx.task_settings(task)
        now, cal = ctx.now, ctx.calendar
        # The lead windows depend on the deadline and the settings alone, and a
        # workspace's tasks share a few dozen deadlines (66 at 100k tasks): worked out
        # once per (settings, deadline) in an evaluation, with the quiet answer of a
        # task whose windows have not opened — most tasks, in one dict lookup.
        windows = _windows(ctx).get((settings, task.due))
        if windows is None:
            leads = settings.durations("task.deadline_approaching.lead")
            opens = tuple([lead.before(cal, task.due) for lead in leads])
            ahead = all(now < at for at in opens)
            windows = _windows(ctx)[(settings, task.due)] = (
                leads, opens, future(now, [task.due, *opens]) if ahead else None, ahead
            )
        leads, opens, ahead_next, ahead = windows
        if ahead:
            # Nothing can fire before a window opens; quiet time matters only then.
            return Outcome.quiet(ahead_next)
        quiet = settings.duration("task.deadline_approaching.quiet")
        last = task.last_activity_at or task.created_at
        begun = [(at, str(lead), lead) for at, lead in zip(opens, leads, strict=True) if now >= at]
        quiet_from = quiet.after(cal, last)
        nxt = future(now, [quiet_from, task.due, *opens])
        if ctx.now < quiet_from:
            return Outcome.quiet(nxt)
        # Tightest = the window that opened last (ties: by lead text, deterministic).
        _, stage, lead = max(begun, key=lambda o: (o[0], o[1]))
        v = self.violation(
            task.id,
            Severity.WARNING,
            stage=stage,
            due=ctx.when(task.due),
            left=span((task.due - ctx.now).total_seconds()),
            idle=span((ctx.now - last).total_seconds()),
            since=ctx.day(last),
            lead=lead.words(),
        )
        return Outcome((v,), nxt)


_Windows = dict[tuple[Any, datetime], tuple[tuple[Duration, ...], tuple[datetime, ...],
                                          datetime | None, bool]]


def _windows(ctx: RuleContext) -> _Windows:
    """This evaluation's lead windows by (settings, deadline) (``ctx.memo``: ``now`` and
    the calendar are the evaluation's)."""
    found = ctx.memo.get("deadline_approaching.windows")
    if found is None:
        found = ctx.memo["deadline_approaching.windows"] = {}
    return found  # type: ignore[return-value]
