"""task.after_project_deadline — a task is due after its project's deadline."""

from __future__ import annotations

from collections.abc import Sequence

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, BatchRule, FixSpec, Outcome, register
from engine.traits import DUE, PLAIN, PROJECT


@register
class AfterProjectDeadline(BatchRule):
    id = "task.after_project_deadline"
    requires = PLAIN | DUE | PROJECT
    statuses = OPEN
    template = "due {due}, {gap} after the deadline of {project} ({project_due})"
    fixes = (FixSpec("task.move_to_project_deadline", "Move to project deadline"),)

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """Structural: the task's due is later than its (active) project's due. Never a
        next check; a task due on or before its project's deadline (most) is left out."""
        projects = ctx.world.projects
        out = []
        for task in tasks:
            if not task.is_plain or task.due is None or not task.project_id:
                continue
            project = projects.get(task.project_id)
            if project is None or not project.active or project.due is None:
                continue
            if task.due <= project.due:
                continue
            v = self.violation(
                task.id,
                Severity.WARNING,
                due=ctx.when(task.due),
                gap=span((task.due - project.due).total_seconds()),
                project=project.name,
                project_due=ctx.when(project.due),
            )
            out.append((task, Outcome((v,))))
        return out
