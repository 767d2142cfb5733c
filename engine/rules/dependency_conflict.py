"""task.dependency_conflict — due before a task it waits on, or on a dependency cycle."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from engine.context import RuleContext
from engine.model import Severity, Task
from engine.rules.base import OPEN, FixSpec, Outcome, Rule, register
from engine.rules.common import ref
from engine.traits import DEPENDS, PLAIN


def cyclic_tasks(tasks: Mapping[int, Task]) -> frozenset[int]:
    """Ids of tasks on a dependency cycle (Tarjan's SCCs, iterative; unknown ids ignored)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: set[int] = set()
    counter = 0
    for root, task in tasks.items():
        # A task that waits on nothing is on no cycle: it is entered only when another
        # task leads to it (most tasks wait on nothing; the walk skips them at once).
        if root in index or not task.depends_on:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            deps = [d for d in tasks[node].depends_on if d in tasks]
            if i < len(deps):
                work.append((node, i + 1))
                nxt = deps[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in tasks[node].depends_on:
                    out.update(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return frozenset(out)


def cycle_path(tasks: Mapping[int, Task], start: int, members: frozenset[int]) -> list[int]:
    """A shortest dependency path start → … → start inside the cycle members."""
    parents: dict[int, int] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for dep in tasks[node].depends_on:
            if dep not in members:
                continue
            if dep == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if dep not in parents:
                parents[dep] = node
                queue.append(dep)
    return [start, start]


def _cyclic_for(ctx: RuleContext) -> frozenset[int]:
    found = ctx.memo.get("cyclic_tasks")
    if found is None:
        found = ctx.memo["cyclic_tasks"] = cyclic_tasks(ctx.world.tasks)
    return found  # type: ignore[return-value]


@register
class DependencyConflict(Rule):
    id = "task.dependency_conflict"
    requires = PLAIN | DEPENDS  # a cycle member waits on another member
    statuses = OPEN
    template = "due {due} but waits on {deps}, due later ({dep_due})"
    stage_templates = {"cycle": "waits on itself through a dependency cycle: {path}"}
    fixes = (
        FixSpec("task.shift_after_dependency", "Shift to after dependency"),
        FixSpec("task.remove_dependency", "Remove dependency"),
    )

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        """Structural: a later-due open dependency (no stage), or cycle membership ("cycle")."""
        if not task.is_plain:
            return Outcome.quiet()
        tasks = ctx.world.tasks
        found = []
        if task.due is not None and task.depends_on:
            later = [
                dep
                for dep in (tasks.get(i) for i in dict.fromkeys(task.depends_on))
                if dep is not None
                and dep.status.is_active
                and dep.due is not None
                and dep.due > task.due
            ]
            if later:
                later.sort(key=lambda d: d.number)
                latest = max(d.due for d in later if d.due is not None)
                found.append(
                    self.violation(
                        task.id,
                        Severity.WARNING,
                        due=ctx.when(task.due),
                        deps=" and ".join(ref(d) for d in later),
                        dep_due=ctx.when(latest),
                    )
                )
        members = _cyclic_for(ctx)
        if task.id in members:
            path = cycle_path(tasks, task.id, members)
            words = " → ".join(ref(tasks[i]) for i in path)
            found.append(self.violation(task.id, Severity.WARNING, stage="cycle", path=words))
        return Outcome(tuple(found))
