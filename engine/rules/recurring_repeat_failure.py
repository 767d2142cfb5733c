"""recurring.repeat_failure — recurring work missed again and again (on the obligation)."""

from __future__ import annotations

from engine.context import RuleContext
from engine.model import Severity, Status, Task
from engine.rules.base import FixSpec, Outcome, Rule, future, register
from engine.traits import OBLIGATION


@register
class RecurringRepeatFailure(Rule):
    id = "recurring.repeat_failure"
    requires = OBLIGATION
    template = "missed {missed} of the last {count} — the last fix did not hold"
    fixes = (FixSpec("recurring.history", "Show history"),)

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Critical when >= ``misses`` of the last ``last`` judged occurrences were missed.

        An occurrence is judged once ``due + grace`` has passed; it was missed
        if it is still open or was completed after that. Cancelled occurrences
        are skipped. next_check: the next occurrence to be judged.
        """
        if task.recurrence is None or not task.status.is_active:
            return Outcome.quiet()
        settings = ctx.task_settings(task)
        grace = settings.duration("recurring.missed.grace")
        misses = settings.number("recurring.repeat_failure.misses")
        last = settings.number("recurring.repeat_failure.last")
        judged: list[tuple[Task, bool]] = []
        pending = []
        for occ_id in ctx.world.occurrences.get(task.id, ()):
            occ = ctx.world.tasks.get(occ_id)
            if occ is None or occ.due is None or occ.status is Status.CANCELLED:
                continue
            deadline = grace.after(ctx.calendar, occ.due)
            if ctx.now < deadline:
                pending.append(deadline)
                continue
            late = occ.completed_at is not None and occ.completed_at > deadline
            judged.append((occ, occ.status.is_active or late))
        nxt = future(ctx.now, pending)
        judged.sort(key=lambda om: (om[0].due, om[0].id))
        window = judged[-last:] if last > 0 else []
        missed = sum(1 for _, m in window if m)
        if not window or missed < max(misses, 1):
            return Outcome.quiet(nxt)
        v = self.violation(task.id, Severity.CRITICAL, missed=missed, count=len(window))
        return Outcome((v,), nxt)
