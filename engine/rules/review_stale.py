"""task.review_stale — waiting in review for longer than ``after``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine.context import RuleContext, span
from engine.durations import Duration
from engine.model import Severity, Status, Task
from engine.rules.base import BatchRule, FixSpec, Outcome, register
from engine.traits import PLAIN


@register
class ReviewStale(BatchRule):
    id = "task.review_stale"
    requires = PLAIN
    statuses = frozenset({Status.IN_REVIEW})
    template = "in review for {idle} (since {since}); reviews go stale after {after}"
    fixes = (FixSpec("task.approve", "Approve (done)"), FixSpec("task.send_back", "Send back"))

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """Warning once the task has sat in review for ``after`` (read once per project)."""
        now, cal = ctx.now, ctx.calendar
        afters: dict[int | None, Duration] = {}
        new = tuple.__new__  # Outcome.quiet(at) minus a call
        out = []
        for task in tasks:
            if not task.is_plain or task.status is not Status.IN_REVIEW:
                continue
            after = afters.get(task.project_id)
            if after is None:
                after = afters[task.project_id] = ctx.task_settings(task).duration(
                    "task.review_stale.after")
            since = task.since_status
            fires = after.after(cal, since)
            if now < fires:
                out.append((task, new(Outcome, ((), fires))))
                continue
            out.append((task, self._stale(ctx, task, after, since)))
        return out

    def _stale(self, ctx: RuleContext, task: Task, after: Duration, since: datetime) -> Outcome:
        """The verdict of a task in review for ``after`` since ``since``."""
        v = self.violation(
            task.id,
            Severity.WARNING,
            idle=span((ctx.now - since).total_seconds()),
            since=ctx.when(since),
            after=after.words(),
        )
        return Outcome((v,))
