"""task.long_blocked — blocked for longer than ``after``."""

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
class LongBlocked(BatchRule):
    id = "task.long_blocked"
    requires = PLAIN
    statuses = frozenset({Status.BLOCKED})
    template = "blocked for {idle} (since {since}){reason}; limit {after}{due_part}"
    fixes = (
        FixSpec("task.unblock", "Unblock"),
        FixSpec("task.escalate", "Escalate"),
        FixSpec("task.extend", "Extend…"),
    )

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """Warning after ``after`` blocked; critical once due within ``critical_within``
        (both read once per project)."""
        now, cal = ctx.now, ctx.calendar
        limits: dict[int | None, tuple[Duration, Duration]] = {}
        new = tuple.__new__  # Outcome.quiet(at) minus a call
        out = []
        for task in tasks:
            if not task.is_plain or task.status is not Status.BLOCKED:
                continue
            found = limits.get(task.project_id)
            if found is None:
                settings = ctx.task_settings(task)
                found = limits[task.project_id] = (
                    settings.duration("task.long_blocked.after"),
                    settings.duration("task.long_blocked.critical_within"),
                )
            after, within = found
            since = task.since_status
            fires = after.after(cal, since)
            # window_opens(ctx, within, task.due), minus a call:
            urgent = within.before(cal, task.due) if task.due is not None else None
            nxt = future(now, (fires, urgent))
            if now < fires:
                if nxt is not None:
                    out.append((task, new(Outcome, ((), nxt))))
                continue
            out.append((task, self._blocked(ctx, task, after, within, since, urgent, nxt)))
        return out

    def _blocked(self, ctx: RuleContext, task: Task, after: Duration, within: Duration,
                 since: datetime, urgent: datetime | None, nxt: datetime | None) -> Outcome:
        """The verdict of a task blocked for ``after`` since ``since``."""
        critical = urgent is not None and ctx.now >= urgent
        due_part = ""
        if critical and task.due is not None and ctx.now >= task.due:  # the window has closed
            due_part = f"; it was due {ctx.when(task.due)}, {span_ago(ctx, task.due)}"
        elif critical and task.due is not None:
            due_part = f"; due {ctx.when(task.due)}, within {within.words()}"
        v = self.violation(
            task.id,
            Severity.CRITICAL if critical else Severity.WARNING,
            idle=span((ctx.now - since).total_seconds()),
            since=ctx.when(since),
            reason=f" on '{task.blocked_reason}'" if task.blocked_reason else "",
            after=after.words(),
            due_part=due_part,
        )
        return Outcome((v,), nxt)
