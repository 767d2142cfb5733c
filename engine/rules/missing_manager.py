"""project.missing_manager — an active project nobody manages."""

from __future__ import annotations

from engine.context import RuleContext
from engine.model import Project, Severity, SubjectKind
from engine.rules.base import FixSpec, Outcome, Rule, register


@register
class MissingManager(Rule):
    id = "project.missing_manager"
    subject = SubjectKind.PROJECT
    template = "project {name} has no manager, so nobody is told when its work slips"
    fixes = (
        FixSpec("project.make_me_manager", "Make me manager"),
        FixSpec("project.pick_manager", "Pick…"),
    )

    def check(self, ctx: RuleContext, project: Project) -> Outcome:
        """Structural: active and no manager."""
        if not project.active or project.manager_id is not None:
            return Outcome.quiet()
        return Outcome((self.violation(project.id, Severity.WARNING, name=project.name),))
