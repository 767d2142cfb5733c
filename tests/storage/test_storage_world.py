"""load_world must give the engine exactly what it needs for the targets.

For random target sets in a random workspace, evaluating the targets on
``load_world`` must equal the targets' part of evaluating the whole workspace
(``load_full_world``). The test runs with the registered rules (it gets
stronger as rules land in engine/rules/) and again with probe rules that
lean on every part of the neighbourhood contract: parent, transitive
dependencies with cycles, descendants' and dependencies' base violations,
owned tasks of a person, occurrences/obligations, people and projects.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from engine.context import RuleContext
from engine.evaluate import evaluate
from engine.model import Evaluation, Person, Project, Severity, SubjectKind, Task
from engine.rules import base as rules_base
from engine.rules.base import Outcome, Rule
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
MISSING = "MISSING"


class ProbeParent(Rule):
    id = "probe.parent"
    template = "parent {state}"

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        if task.parent_id is None:
            return Outcome.quiet()
        parent = ctx.world.tasks.get(task.parent_id)
        if parent is None:
            return Outcome((self.violation(task.id, Severity.INFO, MISSING, state="missing"),))
        if task.due and parent.due and task.due > parent.due:
            return Outcome((self.violation(task.id, Severity.WARNING, state="earlier"),))
        return Outcome.quiet()


class ProbeDependencyChain(Rule):
    id = "probe.dep_chain"
    template = "{n} dependencies, cycle={cycle}"

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        seen: set[int] = set()
        stack = list(task.depends_on)
        cycle = missing = False
        while stack:
            tid = stack.pop()
            if tid == task.id:
                cycle = True
            if tid in seen:
                continue
            seen.add(tid)
            dep = ctx.world.tasks.get(tid)
            if dep is None:
                missing = True
                continue
            stack.extend(dep.depends_on)
        if not seen:
            return Outcome.quiet()
        stage = MISSING if missing else f"{len(seen)}"
        severity = Severity.CRITICAL if cycle else Severity.WARNING
        return Outcome((self.violation(task.id, severity, stage, n=len(seen), cycle=cycle),))


class ProbeReferences(Rule):
    id = "probe.refs"
    template = "{what}"

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        found = []
        for role, pid in (("owner", task.owner_id), ("creator", task.creator_id)):
            person = ctx.world.person(pid)
            if pid is not None and person is None:
                found.append(self.violation(task.id, Severity.INFO, f"{role}-{MISSING}", what=role))
            elif person is not None and not person.active and task.is_active:
                found.append(self.violation(task.id, Severity.WARNING, role, what=person.name))
        project = ctx.world.project_of(task)
        if task.project_id is not None and project is None:
            found.append(self.violation(task.id, Severity.INFO, f"project-{MISSING}", what="p"))
        elif project is not None and project.due and task.due and task.due > project.due:
            found.append(self.violation(task.id, Severity.WARNING, "project", what=project.name))
        return Outcome(tuple(found))


class ProbeRecurring(Rule):
    id = "probe.recurring"
    template = "{n}"

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        if task.recurrence is not None:
            n = len(ctx.world.occurrences.get(task.id, ()))
            return Outcome((self.violation(task.id, Severity.WARNING, f"occ{n}", n=n),))
        if task.occurrence_of is not None:
            obligation = ctx.world.tasks.get(task.occurrence_of)
            stage = MISSING if obligation is None else f"of{obligation.owner_id}"
            return Outcome((self.violation(task.id, Severity.INFO, stage, n=0),))
        return Outcome.quiet()


class ProbeSubtree(Rule):
    id = "probe.subtree"
    derived = True
    template = "{n}"

    def check(self, ctx: RuleContext, task: Task) -> Outcome:
        below = [v for d in ctx.world.descendants(task.id) for v in ctx.base_violations(d)]
        deps = [v for d in task.depends_on for v in ctx.base_violations(d)]
        if not below and not deps:
            return Outcome.quiet()
        worst = max((v.severity for v in below + deps), key=lambda s: s.rank)
        stage = f"{len(below)}-{len(deps)}"
        return Outcome((self.violation(task.id, worst, stage, n=stage),))


class ProbePortfolio(Rule):
    id = "probe.portfolio"
    subject = SubjectKind.PERSON
    template = "{n}"

    def check(self, ctx: RuleContext, person: Person) -> Outcome:
        owned = ctx.world.owned.get(person.id, ())
        risky = sum(
            1 for tid in owned if any(v.severity.rank >= 1 for v in ctx.base_violations(tid))
        )
        backup = ctx.world.person(person.backup_id)
        missing = person.backup_id is not None and backup is None
        if not owned and not missing:
            return Outcome.quiet()
        stage = MISSING if missing else f"{len(owned)}-{risky}"
        return Outcome((self.violation(person.id, Severity.WARNING, stage, n=stage),))


class ProbeProject(Rule):
    id = "probe.project"
    subject = SubjectKind.PROJECT
    template = "{n}"

    def check(self, ctx: RuleContext, project: Project) -> Outcome:
        manager = ctx.world.person(project.manager_id)
        if project.manager_id is not None and manager is None:
            return Outcome((self.violation(project.id, Severity.INFO, MISSING, n="?"),))
        if manager is None:
            return Outcome((self.violation(project.id, Severity.WARNING, n="none"),))
        return Outcome.quiet()


PROBES = (
    ProbeParent,
    ProbeDependencyChain,
    ProbeReferences,
    ProbeRecurring,
    ProbeSubtree,
    ProbePortfolio,
    ProbeProject,
)


@pytest.fixture(params=["registered-rules", "with-probe-rules"])
def rules(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run once with the engine's rules, once with probe rules added (test-local)."""
    if request.param == "with-probe-rules":
        for cls in PROBES:
            monkeypatch.setitem(rules_base._REGISTRY, cls.id, cls())
    yield request.param


def build_random_workspace(u: UnitOfWork, seed: int, now: datetime, n_tasks: int = 300) -> int:
    """A workspace with people, projects, subtask trees, dependencies (with a
    cycle), obligations and occurrences, all drawn from ``seed``."""
    rng = random.Random(seed)
    ws = u.workspaces.create(
        f"console:rand{seed}", "Random", settings={"probe.portfolio.enabled": True}
    ).id
    people = [u.people.add(ws, f"P{i}", f"p{i}").id for i in range(10)]
    for i, pid in enumerate(people):
        u.people.update(
            ws,
            pid,
            active=rng.random() > 0.15,
            backup_id=rng.choice(people) if rng.random() < 0.3 else None,
            reports_to_id=people[0] if i else None,
            ooo_until=now + timedelta(days=2) if rng.random() < 0.1 else None,
        )
    projects = [
        u.projects.add(ws, "Acme", manager_id=people[1], due=now + timedelta(days=5)).id,
        u.projects.add(ws, "Unmanaged").id,
        u.projects.add(
            ws,
            "Quiet",
            manager_id=people[2],
            settings={"task.overdue.enabled": False, "probe.parent.enabled": False},
        ).id,
        u.projects.add(ws, "Later", manager_id=people[3], due=now + timedelta(days=40)).id,
    ]
    statuses = ["todo", "in_progress", "in_progress", "blocked", "in_review", "done", "cancelled"]

    def maybe(p: float, value: Any) -> Any:
        return value if rng.random() < p else None

    ids: list[int] = []
    for i in range(n_tasks):
        start = now - timedelta(hours=rng.randint(0, 500))
        fields: dict[str, Any] = {
            "parent_id": maybe(0.45, rng.choice(ids)) if ids else None,
            "project_id": maybe(0.7, rng.choice(projects)),
            "owner_id": maybe(0.85, rng.choice(people)),
            "creator_id": rng.choice(people),
            "start": start,
            "due": maybe(0.8, now + timedelta(hours=rng.randint(-300, 600))),
            "status": rng.choice(statuses),
            "progress": rng.randint(0, 100),
            "last_progress_at": maybe(0.6, start + timedelta(hours=rng.randint(0, 100))),
            "depends_on": rng.sample(ids, k=min(len(ids), rng.choice([0, 0, 1, 2]))),
        }
        ids.append(u.tasks.add(ws, f"task {i}", start, **fields).id)
    # A dependency cycle a -> b -> c -> a, plus a longer chain through it.
    a, b, c, d = rng.sample(ids, 4)
    u.tasks.update(ws, a, depends_on=[b])
    u.tasks.update(ws, b, depends_on=[c])
    u.tasks.update(ws, c, depends_on=[a, d])
    # Recurring work: obligations with occurrences.
    for k in range(3):
        obligation = u.tasks.add(
            ws,
            f"daily check {k}",
            now - timedelta(days=10),
            recurrence="FREQ=DAILY",
            owner_id=rng.choice(people),
            backup_id=rng.choice(people),
            proof_required="photo",
            project_id=rng.choice(projects),
        ).id
        for day in range(rng.randint(2, 6)):
            ids.append(
                u.tasks.add(
                    ws,
                    f"daily check {k} day {day}",
                    now - timedelta(days=day),
                    occurrence_of=obligation,
                    owner_id=rng.choice(people),
                    due=now - timedelta(days=day) + timedelta(hours=2),
                    status=rng.choice(["todo", "done"]),
                ).id
            )
        ids.append(obligation)
    return ws


def _part(ev: Evaluation, tasks: set[int], persons: set[int], projects: set[int]) -> set[Any]:
    wanted = {SubjectKind.TASK: tasks, SubjectKind.PERSON: persons, SubjectKind.PROJECT: projects}
    return {
        (v.fingerprint, v.severity, v.explanation)
        for v in ev.violations
        if v.subject_id in wanted[v.subject_kind]
    }


@pytest.mark.parametrize("seed", [11, 29])
def test_load_world_equals_full_evaluation(uow: U, now: datetime, seed: int, rules: str) -> None:
    with uow() as u:
        ws = build_random_workspace(u, seed, now)
        u.commit()
    rng = random.Random(seed * 7)
    with uow() as u:
        full_world = u.tasks.load_full_world(ws)
        full = evaluate(full_world, now)
        task_ids = sorted(full_world.tasks)
        person_ids = sorted(full_world.people)
        project_ids = sorted(full_world.projects)
        assert all(MISSING not in v.fingerprint for v in full.violations)
        for _ in range(40):
            targets = set(rng.sample(task_ids, rng.randint(1, 6)))
            persons = set(rng.sample(person_ids, rng.choice([0, 0, 1, 2])))
            projects = set(rng.sample(project_ids, rng.choice([0, 1])))
            world = u.tasks.load_world(ws, targets, persons, projects)
            assert len(world.tasks) < len(full_world.tasks) or persons
            part = evaluate(world, now, targets, persons, projects)
            assert part.task_ids == targets and part.person_ids == persons
            assert _part(part, targets, persons, projects) == _part(
                full, targets, persons, projects
            ), (targets, persons, projects)
            for tid in targets:
                assert part.task_next_check[tid] == full.task_next_check[tid]
            for pid in persons:
                assert part.person_next_check[pid] == full.person_next_check[pid]


def test_load_full_world_matches_repositories(uow: U, now: datetime) -> None:
    with uow() as u:
        ws = build_random_workspace(u, 5, now, n_tasks=120)
        u.commit()
    with uow() as u:
        world = u.tasks.load_full_world(ws)
        assert world.tasks == {t.id: t for t in u.tasks.list(ws)}
        assert world.people == {p.id: p for p in u.people.list(ws)}
        assert world.projects == {p.id: p for p in u.projects.list(ws)}
        assert world.settings == {"probe.portfolio.enabled": True}
        assert world.calendar == u.workspaces.get(ws).calendar  # type: ignore[union-attr]


def test_neighbourhood_stays_local(uow: U, now: datetime) -> None:
    """One task of many independent trees loads only its own tree."""
    with uow() as u:
        ws = u.workspaces.create("console:trees", "Trees").id
        roots = []
        for tree in range(40):
            root = u.tasks.add(ws, f"root {tree}", now).id
            child = u.tasks.add(ws, f"child {tree}", now, parent_id=root).id
            u.tasks.add(ws, f"leaf {tree}", now, parent_id=child, depends_on=[root])
            roots.append(root)
        u.commit()
    with uow() as u:
        world = u.tasks.load_world(ws, [roots[7]])
        assert len(world.tasks) == 3
        assert u.tasks.load_world(ws, []).tasks == {}


def test_target_person_backup_is_loaded(uow: U, now: datetime) -> None:
    with uow() as u:
        ws = u.workspaces.create("console:people", "People").id
        backup = u.people.add(ws, "Backup").id
        person = u.people.add(ws, "Away", backup_id=backup).id
        u.people.add(ws, "Unrelated")
        task = u.tasks.add(ws, "t", now, owner_id=person).id
        world = u.tasks.load_world(ws, [], [person])
        assert set(world.people) == {person, backup} and set(world.tasks) == {task}
