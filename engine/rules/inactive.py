"""person.inactive — has work due soon but has touched none of their tasks lately."""

from __future__ import annotations

from engine.context import RuleContext, span
from engine.model import Person, Severity, SubjectKind
from engine.rules.base import FixSpec, Outcome, Rule, future, register
from engine.rules.common import due_soon_words, openings


@register
class Inactive(Rule):
    id = "person.inactive"
    subject = SubjectKind.PERSON
    template = (
        "no activity on any of their tasks for {idle} (since {since}; limit {after}) "
        "while {due_soon}"
    )
    fixes = (FixSpec("person.portfolio", "Show portfolio"),)

    def check(self, ctx: RuleContext, person: Person) -> Outcome:
        """Fires from ``after`` past the latest human activity on any owned task
        (any status; ``last_activity_at``, else ``created_at``) while an open
        owned task is due within ``window`` (overdue ones included)."""
        if not person.active:
            return Outcome.quiet()
        owned = ctx.portfolio(person.id)
        if not owned.tasks or owned.latest_activity is None:
            return Outcome.quiet()
        settings = ctx.workspace_settings()
        after = settings.duration("person.inactive.after")
        window = settings.duration("person.inactive.window")
        latest = owned.latest_activity
        idle_from = after.after(ctx.calendar, latest)
        dues = owned.active_dues
        opens = openings(ctx, window, dues)
        nxt = future(ctx.now, [idle_from, *opens])
        due_soon = sum(1 for o in opens if ctx.now >= o)
        overdue = sum(1 for due in dues if ctx.now >= due)  # counted apart: "1 task overdue"
        if ctx.now < idle_from or not due_soon:
            return Outcome.quiet(nxt)
        v = self.violation(
            person.id,
            Severity.WARNING,
            idle=span((ctx.now - latest).total_seconds()),
            since=ctx.day(latest),
            after=after.words(),
            due_soon=due_soon_words(overdue, due_soon - overdue, window.words()),
        )
        return Outcome((v,), nxt)
