"""Run the registered rules over (part of) a world at one instant."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from engine.context import RuleContext
from engine.model import Evaluation, Project, Status, SubjectKind, Task, Violation
from engine.rules import registry
from engine.rules.base import Outcome, Rule, earliest
from engine.traits import ALL, traits
from engine.world import World

_Check = Callable[[RuleContext, Any], Outcome]
# A task's base checks, derived checks, base rules as a set and derived rules
# (``_Evaluator._task_checks``).
_Checks = tuple[list[_Check], list[_Check], frozenset[Rule], list[Rule]]


def _switches(project: Project | None) -> tuple[tuple[str, bool], ...]:
    """The rule switches a project sets (``<rule>.enabled``), the only settings that
    decide which rules run for it."""
    if project is None or not project.settings:
        return ()
    return tuple(sorted(
        (k, bool(v)) for k, v in project.settings.items() if k.endswith(".enabled")
    ))


class _Evaluator:
    def __init__(self, world: World, now: datetime, shortcuts: bool = True) -> None:
        self.world = world
        self.now = now
        # False: every rule of a status sees every task (the traits shortcut off), for
        # the test that the shortcut changes nothing.
        self.shortcuts = shortcuts
        self._base: dict[int, tuple[Violation, ...]] = {}
        self._base_next: dict[int, datetime | None] = {}
        self._rules: dict[tuple[object, ...], list[Rule]] = {}
        self._derived: dict[int, list[_Check]] = {}
        self._switch_keys: dict[int | None, tuple[tuple[str, bool], ...]] = {}
        self._checks: dict[tuple[object, ...], _Checks] = {}
        self.ctx = RuleContext(world, now, self.base_violations)
        self._base_rules = registry.for_subject(SubjectKind.TASK, False)
        # Tasks ``base_all`` decided that have derived rules, with those rules.
        self._reading: list[tuple[Task, list[Rule]]] = []
        self._base_rule_ids = {r.id for r in self._base_rules}

    def _switch_key(self, project_id: int | None) -> tuple[tuple[str, bool], ...]:
        found = self._switch_keys.get(project_id)
        if found is None:
            project = self.world.projects.get(project_id) if project_id is not None else None
            found = self._switch_keys[project_id] = _switches(project)
        return found

    def _enabled_rules(
        self, project_id: int | None, kind: SubjectKind, derived: bool,
        status: Status | None = None, bits: int = ALL,
    ) -> list[Rule]:
        """The rules switched on for one project (or the workspace) that can fire
        for a task in ``status`` with the traits ``bits``; computed once per combination."""
        # Keyed by the project's switches, not its id: the hundreds of projects that
        # switch nothing off share one list per status and traits.
        key = (self._switch_key(project_id), kind, derived, status, bits)
        found = self._rules.get(key)
        if found is None:
            project = self.world.projects.get(project_id) if project_id is not None else None
            settings = self.ctx.settings_for(project)
            found = self._rules[key] = [
                r
                for r in registry.for_subject(kind, derived)
                if settings.enabled(r.id)
                and (status is None or r.statuses is None or status in r.statuses)
                and r.requires & bits == r.requires
            ]
        return found

    def _task_checks(self, task: Task) -> _Checks:
        """The bound ``check`` of the base and the derived rules for this task's
        project switches, status and traits, and the base rules as a set (one lookup
        per task on the hot path; the same object for every task of one combination)."""
        bits = traits(self.world, task) if self.shortcuts else ALL
        # Keyed by the project's switches, not its id: by id, a 100k steady check's
        # batches worked the lists out 78,000 times instead of 1,600 (one per
        # project, status and traits; measured 0.4 s slower, 2026-12-04).
        key = (self._switch_key(task.project_id), task.status, bits)
        found = self._checks.get(key)
        if found is None:
            pid, status = task.project_id, task.status
            base = self._enabled_rules(pid, SubjectKind.TASK, False, status, bits)
            derived = self._enabled_rules(pid, SubjectKind.TASK, True, status, bits)
            found = self._checks[key] = (
                [r.check for r in base], [r.check for r in derived], frozenset(base), derived
            )
        return found

    def _run(self, rules: list[Rule], subject: object) -> list[Outcome]:
        check = self.ctx
        return [rule.check(check, subject) for rule in rules]

    def _base_of(self, task: Task) -> tuple[Violation, ...]:
        """The base rules' verdict for ``task`` (memoised with its earliest next check);
        its derived checks are kept for ``task`` (traits worked out once)."""
        ctx = self.ctx
        checks, self._derived[task.id], _, _ = self._task_checks(task)
        found: list[Violation] = []
        nxt = _apply(checks, ctx, task, found, None)
        base = self._base[task.id] = tuple(found)
        self._base_next[task.id] = nxt
        return base

    def base_all(self, tasks: Iterable[Task]) -> None:
        """The base rules' verdicts for all of ``tasks`` at once, memoised as ``_base_of``
        memoises one task's: rule by rule, each rule's ``check_many`` over every task
        it applies to, not task by task.

        A full check's hot path: one call per rule and batch instead of one per rule
        and task, and a rule can work out once what its tasks share (settings, an
        owner's time off, a project's deadline). Each task's violations still come in
        the registry's rule order (the rules are walked in that order).
        """
        groups: dict[int, tuple[_Checks, list[Task]]] = {}
        done, derived = self._base, self._derived
        task_checks = self._task_checks
        todo: list[int] = []
        for task in tasks:
            tid = task.id
            if tid in done:
                continue
            checks = task_checks(task)
            derived[tid] = checks[1]
            if checks[3]:
                self._reading.append((task, checks[3]))
            group = groups.get(id(checks))  # one object per combination (see _task_checks)
            if group is None:
                group = groups[id(checks)] = (checks, [])
            group[1].append(task)
            todo.append(tid)
        found: dict[int, list[Violation]] = {}
        nxt: dict[int, datetime | None] = dict.fromkeys(todo)
        ctx = self.ctx
        for rule in self._base_rules:
            members = [group for checks, group in groups.values() if rule in checks[2]]
            if not members:
                continue
            subjects = members[0] if len(members) == 1 else [t for g in members for t in g]
            for task, (violations, next_check) in rule.check_many(ctx, subjects):
                tid = task.id
                if violations:
                    mine = found.get(tid)
                    if mine is None:
                        found[tid] = list(violations)
                    else:
                        mine.extend(violations)
                if next_check is not None:
                    at = nxt[tid]
                    if at is None or next_check < at:
                        nxt[tid] = next_check
        for tid in todo:
            mine = found.get(tid)
            done[tid] = tuple(mine) if mine else ()
        self._base_next.update(nxt)

    def read_by_derived(self) -> list[Task]:
        """The tasks whose base verdicts the derived rules of the tasks ``base_all`` has
        seen will ask for (``Rule.reads``) and that are not decided yet: deciding them
        in one more ``base_all`` spares one task-by-task ``_base_of`` each."""
        tasks, known, done, ctx = self.world.tasks, self.world.known, self._base, self.ctx
        wanted: dict[int, None] = {}
        for task, rules in self._reading:
            for rule in rules:
                wanted.update(dict.fromkeys(rule.reads(ctx, task)))
        self._reading = []
        return [tasks[i] for i in wanted if i not in done and i not in known and i in tasks]

    def base_violations(self, task_id: int) -> tuple[Violation, ...]:
        found = self._base.get(task_id)
        if found is not None:
            return found
        known = self.world.known.get(task_id)
        if known is not None:
            base_ids = self._base_rule_ids
            return tuple(v for v in known if v.rule_id in base_ids)
        return self._base_of(self.world.tasks[task_id])

    def task(self, task_id: int) -> tuple[list[Violation], datetime | None]:
        """Every rule's verdict for one task and its earliest next check.

        Once per task: the base rules run here unless ``base_all`` or a derived
        rule of another task had them decided already; the derived rules run here.
        """
        task = self.world.tasks[task_id]
        ctx = self.ctx
        base = self._base.get(task_id)
        if base is None and task_id not in self.world.known:
            checks, derived, _, _ = self._task_checks(task)
            found: list[Violation] = []
            nxt = _apply(checks, ctx, task, found, None)
            # Stored before the derived rules run: one of them may ask for this
            # task's own base verdict (a cycle through dependencies or parents).
            self._base[task_id] = tuple(found)
            self._base_next[task_id] = nxt
        else:
            found = list(self.base_violations(task_id))
            pending = self._derived.pop(task_id, None)
            derived = self._task_checks(task)[1] if pending is None else pending
            nxt = self._base_next[task_id]
        if not derived:  # most tasks: no subtasks, no dependencies
            return found, nxt
        return found, _apply(derived, ctx, task, found, nxt)

    def person(self, person_id: int) -> tuple[list[Violation], datetime | None]:
        rules = self._enabled_rules(None, SubjectKind.PERSON, False)
        outcomes = self._run(rules, self.world.people[person_id])
        found = [v for o in outcomes for v in o.violations]
        return found, earliest(*(o.next_check for o in outcomes))

    def project(self, project_id: int) -> list[Violation]:
        rules = self._enabled_rules(None, SubjectKind.PROJECT, False)
        outcomes = self._run(rules, self.world.projects[project_id])
        return [v for o in outcomes for v in o.violations]


def _apply(checks: list[_Check], ctx: RuleContext, task: Task, found: list[Violation],
           nxt: datetime | None) -> datetime | None:
    """Run ``checks`` on ``task``: their violations join ``found``; the earliest of ``nxt``
    and their next checks is returned (the per-task loop of the hot path, written once)."""
    for check in checks:
        violations, next_check = check(ctx, task)
        if violations:
            found.extend(violations)
        if next_check is not None and (nxt is None or next_check < nxt):
            nxt = next_check
    return nxt


def evaluate(
    world: World,
    now: datetime,
    task_ids: Iterable[int] | None = None,
    person_ids: Iterable[int] | None = None,
    project_ids: Iterable[int] | None = None,
    *,
    shortcuts: bool = True,
) -> Evaluation:
    """Evaluate the given subjects (all of the world's when None).

    ``shortcuts=False`` shows every task to every rule of its status (the
    ``Rule.requires`` shortcut off): the same verdicts, slower; for tests.

    Pure: the result depends only on ``world`` and ``now``. For an incremental
    evaluation the world must hold each subject's neighbourhood (descendants,
    dependencies, parent, and for a person every task they own).
    """
    tids = sorted(world.tasks if task_ids is None else set(task_ids) & set(world.tasks))
    pids = sorted(world.people if person_ids is None else set(person_ids) & set(world.people))
    prids = sorted(
        world.projects if project_ids is None else set(project_ids) & set(world.projects)
    )
    ev = _Evaluator(world, now, shortcuts)
    known = world.known
    ev.base_all([world.tasks[tid] for tid in tids if tid not in known])
    ev.base_all(ev.read_by_derived())
    violations: list[Violation] = []
    task_next: dict[int, datetime | None] = {}
    person_next: dict[int, datetime | None] = {}
    for tid in tids:
        found, task_next[tid] = ev.task(tid)
        violations.extend(found)
    for pid in pids:
        found, person_next[pid] = ev.person(pid)
        violations.extend(found)
    for prid in prids:
        violations.extend(ev.project(prid))
    # The context holds the evaluator's bound method and the evaluator holds the
    # context: a reference cycle that kept the whole world (and every verdict)
    # alive until a cyclic collection walked it all. Broken here, it is freed
    # the moment the caller lets go.
    del ev.ctx
    return Evaluation(
        now=now,
        task_ids=frozenset(tids),
        person_ids=frozenset(pids),
        project_ids=frozenset(prids),
        violations=tuple(violations),
        task_next_check=task_next,
        person_next_check=person_next,
    )
