"""The tick re-decides the owner of a due task exactly when the person rules could
see a difference: when the task's at-risk flag flips (``bot.tick_rounds._decide_due``).

Each case: a person owns a task already at risk in one project and a second
task in another project whose own next check comes; the tick at that instant
must leave stored what a full evaluation sees (the owner's overload included).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import jobs
from bot.clock import FixedClock
from bot.evaluation import full_check
from bot.services import people as people_svc
from engine.evaluate import evaluate
from engine.model import WorkCalendar

MON = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _firing(u, ws: int) -> set[tuple[str, str]]:
    return {(r.fingerprint, str(r.severity)) for r in u.violations.all_firing(ws)}


CASES = [
    # (case, the second task's fields, the owner's overload after the tick)
    # It stalls with time: not at risk -> at risk, the owner becomes overloaded.
    ("turns at risk", dict(status="in_progress", progress=10, idle_days=2, due_days=60), True),
    # Already stalled (warning); the deadline window makes it critical: the flag
    # stays, the owner (overloaded already) is left as stored.
    ("stays at risk", dict(status="in_progress", progress=10, idle_days=30, due_days=6), True),
]


@pytest.mark.parametrize(("case", "second", "overloaded"), CASES, ids=[c[0] for c in CASES])
def test_owner_redecided_when_a_due_task_turns_at_risk(uow, case, second, overloaded):
    with uow() as u:
        ws = u.workspaces.create(
            "t:owners", "Owners", tz="Europe/London", calendar=WorkCalendar(tz="Europe/London"),
            settings={"task.stalled.after": "3wd", "person.overloaded.at_risk": 2},
        ).id
        owner = u.people.add(ws, "Owner", created_at=MON - timedelta(days=60)).id
        alpha = people_svc.add_project(u, ws, MON, "Alpha")[0].id
        beta = people_svc.add_project(u, ws, MON, "Beta")[0].id
        long_ago = MON - timedelta(days=30)
        # Deadlines far off (a missing deadline is a risk of its own).
        u.tasks.add(ws, "Stalled long ago", long_ago, owner_id=owner, project_id=alpha,
                    status="in_progress", progress=10, start=long_ago, due=MON + timedelta(days=90),
                    last_progress_at=long_ago, last_activity_at=long_ago)
        idle_since = MON - timedelta(days=second["idle_days"])
        due = MON + timedelta(days=second["due_days"])
        task = u.tasks.add(ws, "Second", long_ago, owner_id=owner, project_id=beta,
                           status=second["status"], progress=second["progress"], start=long_ago,
                           last_progress_at=idle_since, last_activity_at=idle_since, due=due).id
        full_check(u, ws, MON)
        u.commit()
    with uow() as u:
        at = u.tasks.next_checks(ws, [task])[task]
        assert at is not None and at > MON
        before = _firing(u, ws)
        was_overloaded = any(f.startswith("person.overloaded") for f, _ in before)
        assert was_overloaded is (case != "turns at risk")
    jobs.tick_all(uow, FixedClock(at))
    with uow() as u:
        stored = _firing(u, ws)
        expected = {(v.fingerprint, v.severity.value)
                    for v in evaluate(u.tasks.load_full_world(ws), at).violations}
    assert stored == expected
    assert stored != before, "the tick must move something"
    assert any(f.startswith("person.overloaded") for f, _ in stored) is overloaded
