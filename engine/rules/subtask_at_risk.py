"""task.subtask_at_risk — a subtask at any depth is at risk (derived)."""

from __future__ import annotations

from collections.abc import Iterable

from engine.context import RuleContext
from engine.model import Task, Violation
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.rules.common import at_risk, plural, problem_words, ref, worst
from engine.traits import ACTIVE, CHILDREN


@register
class SubtaskAtRisk(Rule):
    id = "task.subtask_at_risk"
    requires = ACTIVE | CHILDREN
    statuses = OPEN
    template = "{count} at risk, worst: {worst} {problem}"
    fixes = (FixSpec("task.show_subtasks", "Show subtasks"),)
    derived = True

    def reads(self, ctx: RuleContext, task: Task) -> Iterable[int]:
        """Every descendant's base verdict (of an open task)."""
        return ctx.world.descendants(task.id) if task.is_active else ()

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Takes the worst child severity; e.g. '2 subtasks at risk, worst: #17 overdue'.

        No next_check: each subtask's own next_check re-triggers its ancestors.
        """
        if not task.is_active:
            return Outcome.quiet()
        found: list[tuple[Task, Violation]] = []
        for child_id in ctx.world.descendants(task.id):
            child = ctx.world.tasks.get(child_id)
            if child is not None:
                found.extend((child, v) for v in at_risk(ctx.base_violations(child_id)))
        if not found:
            return Outcome.quiet()
        child, v = worst(found)
        count = len({t.id for t, _ in found})
        return Outcome(
            (
                self.violation(
                    task.id,
                    v.severity,
                    count=plural(count, "subtask"),
                    worst=ref(child),
                    problem=problem_words(v),
                ),
            )
        )
