"""task.missing_deadline — an open task without a due date."""

from __future__ import annotations

from engine.context import RuleContext
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.traits import PLAIN, UNDATED


@register
class MissingDeadline(Rule):
    id = "task.missing_deadline"
    requires = PLAIN | UNDATED
    statuses = OPEN
    template = "no deadline (open since {since})"
    fixes = (
        FixSpec("task.due_plus", "+1 day", (("days", 1),)),
        FixSpec("task.due_plus", "+1 week", (("days", 7),)),
        FixSpec("task.pick_date", "Pick date…"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Fires for every open task without a due date; time never changes that."""
        if not task.is_plain or task.due is not None:
            return Outcome.quiet()
        return Outcome(
            (self.violation(task.id, Severity.WARNING, since=ctx.day(task.created_at)),)
        )
