"""task.review_stale — waiting in review for longer than ``after``."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Status, Task
from engine.rules.base import FixSpec, Outcome, Rule, register
from engine.traits import PLAIN


@register
class ReviewStale(Rule):
    id = "task.review_stale"
    requires = PLAIN
    statuses = frozenset({Status.IN_REVIEW})
    template = "in review for {idle} (since {since}); reviews go stale after {after}"
    fixes = (FixSpec("task.approve", "Approve (done)"), FixSpec("task.send_back", "Send back"))

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Warning once the task has sat in review for ``after``."""
        if not task.is_plain or task.status is not Status.IN_REVIEW:
            return Outcome.quiet()
        after = ctx.task_settings(task).duration("task.review_stale.after")
        since = task.since_status
        fires = after.after(ctx.calendar, since)
        if ctx.now < fires:
            return Outcome.quiet(fires)
        v = self.violation(
            task.id,
            Severity.WARNING,
            idle=span((ctx.now - since).total_seconds()),
            since=ctx.when(since),
            after=after.words(),
        )
        return Outcome((v,))
