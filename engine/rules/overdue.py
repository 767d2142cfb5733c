"""task.overdue — the deadline has passed and the task is still open."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.traits import DUE, PLAIN


@register
class Overdue(Rule):
    id = "task.overdue"
    requires = PLAIN | DUE
    statuses = OPEN
    template = "{progress}% done and {late} past its deadline ({due})"
    fixes = (
        FixSpec("task.done", "Mark done"),
        FixSpec("task.extend", "Extend…"),
        FixSpec("task.progress", "Update progress"),
        FixSpec("task.reassign", "Reassign…"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        if not task.is_active or task.due is None or task.occurrence_of is not None:
            return Outcome.quiet()
        if ctx.now < task.due:
            return Outcome.quiet(task.due)
        return Outcome(
            (
                self.violation(
                    task.id,
                    Severity.CRITICAL,
                    progress=task.progress,
                    late=span((ctx.now - task.due).total_seconds()),
                    due=ctx.when(task.due),
                ),
            )
        )
