"""recurring.proof_missing — an occurrence that needs proof was closed without it."""

from __future__ import annotations

from engine.context import RuleContext
from engine.model import Severity, Status, Task
from engine.rules.base import FixSpec, Outcome, Rule, register
from engine.traits import OCCURRENCE


@register
class RecurringProofMissing(Rule):
    id = "recurring.proof_missing"
    requires = OCCURRENCE
    statuses = frozenset({Status.DONE})
    template = "marked done{when} without the required {kind} proof"
    fixes = (FixSpec("recurring.add_proof", "Add proof"),)

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Structural: a done occurrence with ``proof_required`` set and no proof."""
        if task.occurrence_of is None or task.status is not Status.DONE:
            return Outcome.quiet()
        if task.proof_required == "none" or (task.proof or "").strip():
            return Outcome.quiet()
        when = f" on {ctx.when(task.completed_at)}" if task.completed_at else ""
        v = self.violation(task.id, Severity.WARNING, when=when, kind=task.proof_required)
        return Outcome((v,))
