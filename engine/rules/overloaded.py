"""person.overloaded — at-risk work across projects, or more due soon than capacity."""

from __future__ import annotations

from engine.context import RuleContext
from engine.model import Person, Severity, SubjectKind
from engine.rules.base import FixSpec, Outcome, Rule, future, register
from engine.rules.common import due_soon_words, openings, plural


@register
class Overloaded(Rule):
    id = "person.overloaded"
    subject = SubjectKind.PERSON
    template = (
        "{at_risk} at risk across {projects} (alert at {limit} in 2+ projects); "
        "{due_soon} (capacity {capacity})"
    )
    fixes = (FixSpec("person.portfolio", "Show portfolio"),)

    def check(self, ctx: RuleContext, person: Person) -> Outcome:
        """Counts the person's open tasks (occurrences included).

        "Across projects" counts distinct project ids, tasks without a project
        forming one group. next_check covers only the due-window openings;
        changes of the tasks' own violations arrive through the tasks'
        next_check (the owner is re-evaluated with them).
        """
        if not person.active:
            return Outcome.quiet()
        settings = ctx.workspace_settings()
        limit = settings.number("person.overloaded.at_risk")
        capacity = settings.number("person.overloaded.capacity")
        window = settings.duration("person.overloaded.window")
        owned = ctx.portfolio(person.id)
        risky = owned.risky_projects  # one project id per at-risk task
        projects = set(risky)
        now = ctx.now
        dues = owned.active_dues
        opens = openings(ctx, window, dues)
        due_soon = sum(1 for o in opens if now >= o)
        overdue = sum(1 for due in dues if now >= due)  # counted apart: "1 task overdue"
        nxt = future(now, opens)
        fires = (len(risky) >= limit and len(projects) >= 2) or due_soon > capacity
        if not fires:
            return Outcome.quiet(nxt)
        v = self.violation(
            person.id,
            Severity.WARNING,
            at_risk=plural(len(risky), "task"),
            projects=plural(len(projects), "project"),
            limit=limit,
            due_soon=due_soon_words(overdue, due_soon - overdue, window.words()),
            capacity=capacity,
        )
        return Outcome((v,), nxt)
