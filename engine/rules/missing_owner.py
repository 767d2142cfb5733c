"""task.missing_owner — an open task nobody owns."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.rules.common import window_opens
from engine.traits import PLAIN, UNOWNED


@register
class MissingOwner(Rule):
    id = "task.missing_owner"
    requires = PLAIN | UNOWNED
    statuses = OPEN
    # Past its deadline it reads "due Tue 1 Dec 09:00, 2 days ago, and nobody owns it",
    # not "(within 2 working days)" of a window that has closed.
    template = "{lead}nobody owns {it}{due_part}"
    fixes = (FixSpec("task.assign_me", "Assign to me"), FixSpec("task.reassign", "Assign…"))

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Warning without an owner; critical once the deadline is within ``critical_within``."""
        if not task.is_plain or task.owner_id is not None:
            return Outcome.quiet()
        if task.due is None:
            return Outcome((self.violation(task.id, Severity.WARNING, lead="", it="this task",
                                           due_part=""),))
        within = ctx.task_settings(task).duration("task.missing_owner.critical_within")
        opens = window_opens(ctx, within, task.due)
        critical = ctx.now >= opens
        severity = Severity.CRITICAL if critical else Severity.WARNING
        if ctx.now >= task.due:
            late = span((ctx.now - task.due).total_seconds())
            words = {"lead": f"due {ctx.when(task.due)}, {late} ago, and ", "it": "it",
                     "due_part": ""}
        else:
            due_part = f" and it is due {ctx.when(task.due)}"
            if critical:
                due_part += f" (within {within.words()})"
            words = {"lead": "", "it": "this task", "due_part": due_part}
        return Outcome(
            (self.violation(task.id, severity, **words),),
            None if critical else opens,
        )
