"""recurring.missed — an occurrence of recurring work not done by its due + grace."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.traits import ACTIVE, DUE, OCCURRENCE


@register
class RecurringMissed(Rule):
    id = "recurring.missed"
    requires = ACTIVE | OCCURRENCE | DUE
    statuses = OPEN
    template = "not done: it was due {due}{grace}, {late} ago"
    fixes = (
        FixSpec("recurring.done", "Mark done (with proof)"),
        FixSpec("task.reassign_backup", "Reassign to backup"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Critical while an open occurrence is past ``due + grace``; resolves when closed."""
        if task.occurrence_of is None or task.due is None or not task.is_active:
            return Outcome.quiet()
        grace = ctx.task_settings(task).duration("recurring.missed.grace")
        missed_at = grace.after(ctx.calendar, task.due)
        if ctx.now < missed_at:
            return Outcome.quiet(missed_at)
        v = self.violation(
            task.id,
            Severity.CRITICAL,
            due=ctx.when(task.due),
            grace=f" (grace {grace.words()})" if grace.amount else "",
            late=span((ctx.now - task.due).total_seconds()),
        )
        return Outcome((v,))
