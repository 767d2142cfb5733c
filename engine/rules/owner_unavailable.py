"""task.owner_unavailable — the owner is inactive, or out of office through the deadline."""

from __future__ import annotations

from collections.abc import Sequence

from engine.context import RuleContext
from engine.model import Person, Severity, Task
from engine.rules.base import OPEN, QUIET, FixSpec, Outcome, Rule, future, register
from engine.traits import ACTIVE, OWNED


@register
class OwnerUnavailable(Rule):
    id = "task.owner_unavailable"
    requires = ACTIVE | OWNED
    statuses = OPEN
    template = "owner {owner} {why}"
    fixes = (
        FixSpec("task.reassign_backup", "Reassign to backup"),
        FixSpec("task.reassign", "Reassign…"),
    )

    def check_many(self, ctx: RuleContext, tasks: Sequence[Task]) -> list[tuple[Task, Outcome]]:
        """``check`` for each task, asked only about tasks whose owner is not calm: an
        active owner with no time off now or ahead (most owners) leaves every task of
        theirs quiet with no next check, decided once per owner here."""
        calm: dict[int | None, bool] = {}
        check, quiet = self.check, QUIET
        out = []
        for task in tasks:
            owner_id = task.owner_id
            owner_calm = calm.get(owner_id)
            if owner_calm is None:
                owner_calm = calm[owner_id] = _calm(ctx, ctx.world.person(owner_id))
            if not owner_calm and (o := check(ctx, task)) is not quiet:
                out.append((task, o))
        return out

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Fires while the owner is inactive, or out of office until on/after the due date.

        Also applies to occurrences of recurring work (the backup can take them).
        """
        if not task.is_active or task.owner_id is None:
            return Outcome.quiet()
        owner = ctx.world.person(task.owner_id)
        if owner is None:
            return Outcome.quiet()
        if not owner.active:
            why = "is no longer active"
            return Outcome((self.violation(task.id, Severity.WARNING, owner=owner.name, why=why),))
        nxt = future(ctx.now, (owner.ooo_from, owner.ooo_until))
        until = owner.ooo_until
        if until is None or not owner.is_out_of_office(ctx.now):
            return Outcome.quiet(nxt)
        if task.due is not None and until < task.due:
            return Outcome.quiet(nxt)
        if task.due is None:
            why = f"is out of office until {ctx.when(until)} and the task has no deadline"
        else:
            due = ctx.when(task.due)
            why = f"is out of office until {ctx.when(until)}, past the deadline {due}"
        return Outcome((self.violation(task.id, Severity.WARNING, owner=owner.name, why=why),), nxt)


def _calm(ctx: RuleContext, owner: Person | None) -> bool:
    """No task of ``owner`` can fire or needs a next check: none, or active with no
    out-of-office instant ahead and not out of office now."""
    if owner is None:
        return True
    return (owner.active and future(ctx.now, (owner.ooo_from, owner.ooo_until)) is None
            and not owner.is_out_of_office(ctx.now))
