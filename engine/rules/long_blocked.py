"""task.long_blocked — blocked for longer than ``after``."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Status, Task
from engine.rules.base import FixSpec, Outcome, Rule, future, register
from engine.rules.common import span_ago, window_opens
from engine.traits import PLAIN


@register
class LongBlocked(Rule):
    id = "task.long_blocked"
    requires = PLAIN
    statuses = frozenset({Status.BLOCKED})
    template = "blocked for {idle} (since {since}){reason}; limit {after}{due_part}"
    fixes = (
        FixSpec("task.unblock", "Unblock"),
        FixSpec("task.escalate", "Escalate"),
        FixSpec("task.extend", "Extend…"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Warning after ``after`` blocked; critical once due within ``critical_within``."""
        if not task.is_plain or task.status is not Status.BLOCKED:
            return Outcome.quiet()
        settings = ctx.task_settings(task)
        after = settings.duration("task.long_blocked.after")
        within = settings.duration("task.long_blocked.critical_within")
        since = task.since_status
        fires = after.after(ctx.calendar, since)
        urgent = window_opens(ctx, within, task.due) if task.due is not None else None
        nxt = future(ctx.now, (fires, urgent))
        if ctx.now < fires:
            return Outcome.quiet(nxt)
        critical = urgent is not None and ctx.now >= urgent
        due_part = ""
        if critical and task.due is not None and ctx.now >= task.due:  # the window has closed
            due_part = f"; it was due {ctx.when(task.due)}, {span_ago(ctx, task.due)}"
        elif critical and task.due is not None:
            due_part = f"; due {ctx.when(task.due)}, within {within.words()}"
        v = self.violation(
            task.id,
            Severity.CRITICAL if critical else Severity.WARNING,
            idle=span((ctx.now - since).total_seconds()),
            since=ctx.when(since),
            reason=f" on '{task.blocked_reason}'" if task.blocked_reason else "",
            after=after.words(),
            due_part=due_part,
        )
        return Outcome((v,), nxt)
