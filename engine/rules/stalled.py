"""task.stalled — in progress, but no progress for longer than ``after``."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Status, Task
from engine.rules.base import FixSpec, Outcome, Rule, future, register
from engine.rules.common import span_ago, window_opens
from engine.traits import PLAIN


@register
class Stalled(Rule):
    id = "task.stalled"
    requires = PLAIN
    statuses = frozenset({Status.IN_PROGRESS})
    template = (
        "no progress for {idle} (since {since}), still at {progress}%; "
        "stalls after {after}{due_part}"
    )
    fixes = (
        FixSpec("task.progress", "Update progress"),
        FixSpec("task.block", "Mark blocked"),
        FixSpec("task.done", "Mark done"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Warning from ``after`` past the last progress; critical when due within ``after``."""
        if not task.is_plain or task.status is not Status.IN_PROGRESS:
            return Outcome.quiet()
        after = ctx.task_settings(task).duration("task.stalled.after")
        since = task.since_progress
        stalls = after.after(ctx.calendar, since)
        urgent = window_opens(ctx, after, task.due) if task.due is not None else None
        nxt = future(ctx.now, (stalls, urgent))
        if ctx.now < stalls:
            return Outcome.quiet(nxt)
        critical = urgent is not None and ctx.now >= urgent
        due_part = ""
        if critical and task.due is not None and ctx.now >= task.due:
            due_part = f", and it was due {ctx.when(task.due)}, {span_ago(ctx, task.due)}"
        elif critical and task.due is not None:
            due_part = f", and it is due {ctx.when(task.due)}"
        v = self.violation(
            task.id,
            Severity.CRITICAL if critical else Severity.WARNING,
            idle=span((ctx.now - since).total_seconds()),
            since=ctx.when(since),
            progress=task.progress,
            after=after.words(),
            due_part=due_part,
        )
        return Outcome((v,), nxt)
