"""``task_risk`` (kept by triggers, i25_task_risk) must count what the portfolio meant.

An owner's portfolio tells whether each owned task is at risk from
``task_risk.n > 0``. After every kind of violation write the application
makes — single and bulk fires, resolutions, new severities, wording, deletes —
each task's ``n`` must equal its firing warning or critical violations of a
base task rule, counted here from the violations themselves with the rule
registry (not with the triggers' own list), or an owner re-decided by a tick
would count other work than a full check does.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from engine.model import AT_RISK, Severity, SubjectKind, Violation
from engine.rules import registry
from storage import models as m
from storage.uow import UnitOfWork

U = Callable[[], UnitOfWork]
BASE = sorted(r.id for r in registry.for_subject(SubjectKind.TASK, False))
DERIVED = sorted(r.id for r in registry.for_subject(SubjectKind.TASK, True))
# Rules of every kind a task violation can carry here, a person's to show they never count.
RULES = [*BASE[:4], *DERIVED, "person.overloaded"]
SEVERITIES = list(Severity)


def _expected(u: UnitOfWork, ws: int) -> dict[int, int]:
    """Per task: its firing warning or critical violations of a base task rule."""
    v = m.violations
    rows = u.session.execute(
        select(v.c.subject_kind, v.c.subject_id, v.c.rule_id, v.c.severity, v.c.state)
        .where(v.c.workspace_id == ws)
    )
    out: dict[int, int] = {}
    at_risk = {s.value for s in AT_RISK}
    for kind, subject, rule, severity, state in rows:
        if (kind == SubjectKind.TASK.value and state == "firing" and severity in at_risk
                and rule in BASE):
            out[subject] = out.get(subject, 0) + 1
    return out


def _stored(u: UnitOfWork, ws: int) -> dict[int, int]:
    r = m.task_risk
    rows = u.session.execute(select(r.c.task_id, r.c.n).where(r.c.workspace_id == ws))
    return {task: n for task, n in rows if n}


def _violation(rng: random.Random, tasks: list[int], person: int) -> Violation:
    rule = rng.choice(RULES)
    if rule.startswith("person."):
        return Violation(rule, SubjectKind.PERSON, person, rng.choice(SEVERITIES), "busy")
    stage = rng.choice([None, "a", "b"])
    return Violation(rule, SubjectKind.TASK, rng.choice(tasks), rng.choice(SEVERITIES),
                     "late", stage=stage)


def _step(u: UnitOfWork, ws: int, at: datetime, rng: random.Random,
          tasks: list[int], person: int) -> str:
    """One random write of the kinds the application makes; returns its name."""
    firing = [row.id for row in u.violations.all_firing(ws)]
    kind = rng.choice(["insert", "fire_many", "resolve", "resolve_many", "severity",
                       "redecide", "reword", "delete"] if firing else ["insert", "fire_many"])
    if kind == "insert":
        found = _violation(rng, tasks, person)
        if u.violations.by_fingerprint(ws, found.fingerprint) is None:
            u.violations.insert(ws, found, at)
    elif kind == "fire_many":
        batch = {v.fingerprint: v for v in (_violation(rng, tasks, person) for _ in range(6))}
        u.violations.fire_many(ws, [(v, None) for v in batch.values()], at)
    elif kind == "resolve":
        u.violations.resolve(ws, rng.choice(firing), at, "changed elsewhere")
    elif kind == "resolve_many":
        u.violations.resolve_many(ws, rng.sample(firing, min(3, len(firing))), at, "time")
    elif kind == "severity":
        u.violations.update(ws, rng.choice(firing), severity=rng.choice(SEVERITIES))
    elif kind in ("redecide", "reword"):
        changes = []
        for vid in rng.sample(firing, min(3, len(firing))):
            values: dict[str, object] = {"explanation": "new words", "fixes": []}
            if kind == "redecide":
                values.update(severity=rng.choice(SEVERITIES), severity_changed_at=at,
                              next_escalation_at=at)
            changes.append((vid, values))
        u.violations.redecide_many(ws, changes)
    else:
        u.session.execute(delete(m.violations).where(m.violations.c.id == rng.choice(firing)))
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_task_risk_counts_what_the_violations_say(uow: U, ws: int, now: datetime,
                                                  seed: int) -> None:
    rng = random.Random(seed)
    with uow() as u:
        person = u.people.add(ws, "Priya").id
        tasks = [u.tasks.add(ws, f"task {i}", now, owner_id=person).id for i in range(5)]
        seen = set()
        for i in range(60):
            kind = _step(u, ws, now + timedelta(minutes=i), rng, tasks, person)
            seen.add(kind)
            assert _stored(u, ws) == _expected(u, ws), (i, kind)
        u.commit()
    assert len(seen) >= 6  # the history really mixed the kinds of writes


def test_the_triggers_leave_out_exactly_the_derived_rules() -> None:
    path = (Path(__file__).parents[2] / "storage" / "migrations" / "versions"
            / "i25_task_risk.py")
    spec = importlib.util.spec_from_file_location("i25_task_risk", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    # A new derived task rule needs a migration that recreates the triggers.
    assert sorted(migration.DERIVED) == DERIVED
    assert sorted(m.DERIVED_TASK_RULES) == DERIVED
