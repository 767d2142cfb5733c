"""task.deadline_approaching — due within a lead time and nobody is touching it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine.context import RuleContext, span
from engine.durations import Duration
from engine.model import Severity, Task
from engine.rules.base import OPEN, QUIET, BatchRule, FixSpec, Outcome, future, register
from engine.settings import RuleSettings
from engine.traits import DUE, PLAIN


@register
class DeadlineApproaching(BatchRule):
    id = "task.deadline_approaching"
    requires = PLAIN | DUE
    statuses = OPEN
    template = "due {due} (in {left}) and untouched for {idle} (since {since}); {lead} warning"
    fixes = (FixSpec("task.progress", "Update progress"), FixSpec("task.extend", "Extend…"))

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """One stage per lead time; only the tightest lead whose window has begun fires.

        Quiet means ``quiet`` has passed since the last human activity (or
        creation): ``now >= quiet.after(last)``.
        """
        now, cal = ctx.now, ctx.calendar
        # The lead windows depend on the deadline and the leads alone, and a
        # workspace's tasks share a few dozen deadlines (66 at 100k tasks): worked out
        # once per (leads, deadline) in an evaluation, with the quiet answer of a task
        # whose windows have not opened — most tasks, in one dict lookup. Keyed by the
        # leads, not the settings object: each project has its own (hundreds of them),
        # and by settings a 100k check's batches worked the windows out 81,000 times.
        memo = _windows(ctx)
        by_project: dict[int | None, tuple[RuleSettings, tuple[Duration, ...], _ByDue]] = {}
        new = tuple.__new__  # Outcome.quiet(at) minus a call, once a task
        out = []
        for task in tasks:
            due = task.due
            if not task.is_plain or due is None or now >= due:
                continue
            layer = by_project.get(task.project_id)
            if layer is None:
                settings = ctx.task_settings(task)
                leads = settings.durations("task.deadline_approaching.lead")
                layer = by_project[task.project_id] = (settings, leads, memo.setdefault(leads, {}))
            settings, leads, by_due = layer
            windows = by_due.get(due)
            if windows is None:
                opens = tuple([lead.before(cal, due) for lead in leads])
                ahead = all(now < at for at in opens)
                windows = by_due[due] = (
                    leads, opens, future(now, [due, *opens]) if ahead else None, ahead
                )
            if windows[3]:
                # Nothing can fire before a window opens; quiet time matters only then.
                if windows[2] is not None:
                    out.append((task, new(Outcome, ((), windows[2]))))
                continue
            found = self._begun(ctx, task, settings, windows[0], windows[1])
            if found is not QUIET:
                out.append((task, found))
        return out

    def _begun(self, ctx: RuleContext, task: Task, settings: RuleSettings,
               leads: tuple[Duration, ...], opens: tuple[datetime, ...]) -> Outcome:
        """The verdict of a task with a lead window open."""
        assert task.due is not None
        now, cal = ctx.now, ctx.calendar
        quiet = settings.duration("task.deadline_approaching.quiet")
        last = task.last_activity_at or task.created_at
        begun = [(at, str(lead), lead) for at, lead in zip(opens, leads, strict=True) if now >= at]
        quiet_from = quiet.after(cal, last)
        nxt = future(now, [quiet_from, task.due, *opens])
        if ctx.now < quiet_from:
            return Outcome.quiet(nxt)
        # Tightest = the window that opened last (ties: by lead text, deterministic).
        _, stage, lead = max(begun, key=lambda o: (o[0], o[1]))
        v = self.violation(
            task.id,
            Severity.WARNING,
            stage=stage,
            due=ctx.when(task.due),
            left=span((task.due - ctx.now).total_seconds()),
            idle=span((ctx.now - last).total_seconds()),
            since=ctx.day(last),
            lead=lead.words(),
        )
        return Outcome((v,), nxt)


_ByDue = dict[datetime, tuple[tuple[Duration, ...], tuple[datetime, ...], datetime | None, bool]]


def _windows(ctx: RuleContext) -> dict[tuple[Duration, ...], _ByDue]:
    """This evaluation's lead windows by leads, then deadline (``ctx.memo``: ``now`` and
    the calendar are the evaluation's)."""
    found = ctx.memo.get("deadline_approaching.windows")
    if found is None:
        found = ctx.memo["deadline_approaching.windows"] = {}
    return found  # type: ignore[return-value]
