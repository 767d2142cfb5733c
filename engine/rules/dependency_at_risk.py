"""task.dependency_at_risk — a task this one waits on is itself at risk (derived)."""

from __future__ import annotations

from collections.abc import Iterable

from engine.context import RuleContext
from engine.model import Severity, Task, Violation
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.rules.common import at_risk, plural, problem_words, ref, worst
from engine.traits import DEPENDS, PLAIN


@register
class DependencyAtRisk(Rule):
    id = "task.dependency_at_risk"
    requires = PLAIN | DEPENDS
    statuses = OPEN
    template = "waits on {count} at risk, worst: {worst} {problem}"
    fixes = (FixSpec("task.show_chain", "Show chain"),)
    derived = True

    def reads(self, ctx: RuleContext, task: Task) -> Iterable[int]:
        """The base verdicts of the tasks it waits on (of a plain task)."""
        return task.depends_on if task.is_plain else ()

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Info when a direct, open dependency has a firing warning/critical base violation.

        No next_check: the dependency's own next_check re-triggers its dependents.
        """
        if not task.is_plain:
            return Outcome.quiet()
        found: list[tuple[Task, Violation]] = []
        for dep_id in dict.fromkeys(task.depends_on):
            dep = ctx.world.tasks.get(dep_id)
            if dep is None or dep_id == task.id or not dep.is_active:
                continue
            found.extend((dep, v) for v in at_risk(ctx.base_violations(dep_id)))
        if not found:
            return Outcome.quiet()
        dep, v = worst(found)
        count = len({t.id for t, _ in found})
        return Outcome(
            (
                self.violation(
                    task.id,
                    Severity.INFO,
                    count=plural(count, "task"),
                    worst=ref(dep),
                    problem=problem_words(v),
                ),
            )
        )
