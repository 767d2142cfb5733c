"""task.deadline_approaching — due within a lead time and nobody is touching it."""

from __future__ import annotations

from engine.context import RuleContext, span
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
        leads = settings.durations("task.deadline_approaching.lead")
        quiet = settings.duration("task.deadline_approaching.quiet")
        last = task.last_activity_at or task.created_at
        now, cal = ctx.now, ctx.calendar
        opens = [lead.before(cal, task.due) for lead in leads]
        if all(now < at for at in opens):
            # Nothing can fire before a window opens; quiet time matters only then.
            return Outcome.quiet(future(now, [task.due, *opens]))
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
