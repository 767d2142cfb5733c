"""task.stalled — in progress, but no progress for longer than ``after``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine.context import RuleContext, span
from engine.durations import Duration
from engine.model import Severity, Status, Task
from engine.rules.base import BatchRule, FixSpec, Outcome, future, register
from engine.rules.common import span_ago
from engine.traits import PLAIN


@register
class Stalled(BatchRule):
    id = "task.stalled"
    requires = PLAIN
    statuses = frozenset({Status.IN_PROGRESS})
    template = (
        "no progress for {idle} (since {since}), still at {progress}%; "
        "stalls after {after}{due_part}"
    )
    fixes = (
        FixSpec("task.progress", "Update progress"),
        FixSpec("task.block", "Mark blocked"),
        FixSpec("task.done", "Mark done"),
    )

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """Warning from ``after`` past the last progress; critical when due within ``after``
        (``after`` read once per project, not once per task)."""
        now, cal = ctx.now, ctx.calendar
        afters: dict[int | None, Duration] = {}
        new = tuple.__new__  # Outcome.quiet(at) minus a call
        out = []
        for task in tasks:
            if not task.is_plain or task.status is not Status.IN_PROGRESS:
                continue
            after = afters.get(task.project_id)
            if after is None:
                after = afters[task.project_id] = ctx.task_settings(task).duration(
                    "task.stalled.after")
            since = task.since_progress
            stalls = after.after(cal, since)
            # window_opens(ctx, after, task.due), minus a call:
            urgent = after.before(cal, task.due) if task.due is not None else None
            nxt = future(now, (stalls, urgent))
            if now < stalls:
                if nxt is not None:
                    out.append((task, new(Outcome, ((), nxt))))
                continue
            out.append((task, self._stalled(ctx, task, after, since, urgent, nxt)))
        return out

    def _stalled(self, ctx: RuleContext, task: Task, after: Duration, since: datetime,
                 urgent: datetime | None, nxt: datetime | None) -> Outcome:
        """The verdict of a task stalled since ``after`` past ``since``."""
        critical = urgent is not None and ctx.now >= urgent
        due_part = ""
        if critical and task.due is not None and ctx.now >= task.due:
            due_part = f", and it was due {ctx.when(task.due)}, {span_ago(ctx, task.due)}"
        elif critical and task.due is not None:
            due_part = f", and it is due {ctx.when(task.due)}"
        v = self.violation(
            task.id,
            Severity.CRITICAL if critical else Severity.WARNING,
            idle=span((ctx.now - since).total_seconds()),
            since=ctx.when(since),
            progress=task.progress,
            after=after.words(),
            due_part=due_part,
        )
        return Outcome((v,), nxt)
