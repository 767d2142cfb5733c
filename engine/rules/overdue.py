"""task.overdue — the deadline has passed and the task is still open."""

from __future__ import annotations

from collections.abc import Sequence

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, BatchRule, FixSpec, Outcome, register
from engine.traits import DUE, PLAIN


@register
class Overdue(BatchRule):
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

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """Critical from the deadline on while the task is open; before it, quiet until the
        deadline."""
        now = ctx.now
        new = tuple.__new__  # Outcome(...) minus its Python-level __new__, once a task
        out = []
        for task in tasks:
            due = task.due
            if not task.is_active or due is None or task.occurrence_of is not None:
                continue
            if now < due:
                out.append((task, new(Outcome, ((), due))))
                continue
            v = self.violation(
                task.id,
                Severity.CRITICAL,
                progress=task.progress,
                late=span((now - due).total_seconds()),
                due=ctx.when(due),
            )
            out.append((task, new(Outcome, ((v,), None))))
        return out
