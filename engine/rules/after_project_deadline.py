"""task.after_project_deadline — a task is due after its project's deadline."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.traits import DUE, PLAIN, PROJECT


@register
class AfterProjectDeadline(Rule):
    id = "task.after_project_deadline"
    requires = PLAIN | DUE | PROJECT
    statuses = OPEN
    template = "due {due}, {gap} after the deadline of {project} ({project_due})"
    fixes = (FixSpec("task.move_to_project_deadline", "Move to project deadline"),)

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Structural: the task's due is later than its (active) project's due."""
        if not task.is_plain or task.due is None:
            return Outcome.quiet()
        project = ctx.world.project_of(task)
        if project is None or not project.active or project.due is None:
            return Outcome.quiet()
        if task.due <= project.due:
            return Outcome.quiet()
        v = self.violation(
            task.id,
            Severity.WARNING,
            due=ctx.when(task.due),
            gap=span((task.due - project.due).total_seconds()),
            project=project.name,
            project_due=ctx.when(project.due),
        )
        return Outcome((v,))
