"""task.missing_owner — an open task nobody owns."""

from __future__ import annotations

from engine.context import RuleContext
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.rules.common import window_opens


@register
class MissingOwner(Rule):
    id = "task.missing_owner"
    statuses = OPEN
    template = "nobody owns this task{due_part}"
    fixes = (FixSpec("task.assign_me", "Assign to me"), FixSpec("task.reassign", "Assign…"))

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Warning without an owner; critical once the deadline is within ``critical_within``."""
        if not task.is_plain or task.owner_id is not None:
            return Outcome.quiet()
        if task.due is None:
            return Outcome((self.violation(task.id, Severity.WARNING, due_part=""),))
        within = ctx.task_settings(task).duration("task.missing_owner.critical_within")
        opens = window_opens(ctx, within, task.due)
        critical = ctx.now >= opens
        due_part = f" and it is due {ctx.when(task.due)}"
        if critical:
            due_part += f" (within {within.words()})"
        severity = Severity.CRITICAL if critical else Severity.WARNING
        return Outcome(
            (self.violation(task.id, severity, due_part=due_part),),
            None if critical else opens,
        )
