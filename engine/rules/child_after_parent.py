"""task.child_after_parent — a subtask is due after its parent."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.rules.common import ref
from engine.traits import DUE, PARENT, PLAIN


@register
class ChildAfterParent(Rule):
    id = "task.child_after_parent"
    requires = PLAIN | DUE | PARENT
    statuses = OPEN
    template = "due {due}, {gap} after its parent {parent} (due {parent_due})"
    fixes = (
        FixSpec("task.move_to_parent_date", "Move subtask to parent's date"),
        FixSpec("task.move_parent", "Move parent"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Structural: fires on the subtask while both are open and its due is later."""
        if not task.is_plain or task.due is None or task.parent_id is None:
            return Outcome.quiet()
        parent = ctx.world.tasks.get(task.parent_id)
        if parent is None or not parent.is_active or parent.due is None:
            return Outcome.quiet()
        if task.due <= parent.due:
            return Outcome.quiet()
        v = self.violation(
            task.id,
            Severity.WARNING,
            due=ctx.when(task.due),
            gap=span((task.due - parent.due).total_seconds()),
            parent=ref(parent),
            parent_due=ctx.when(parent.due),
        )
        return Outcome((v,))
