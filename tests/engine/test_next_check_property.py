"""next_check is honest: nothing changes strictly between now and the next check."""

from __future__ import annotations

from datetime import datetime, timedelta

from builders import at, day, person, project, task
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.evaluate import evaluate
from engine.model import Status, WorkCalendar
from engine.world import World

BASE = at("2026-03-23 09:00")  # London springs forward on Sun 29 Mar
CAL = WorkCalendar(tz="Europe/London", holidays=frozenset({day("2026-03-27")}))
STATUSES = list(Status)
OFFSETS = st.integers(-14 * 24, 21 * 24).map(lambda h: BASE + timedelta(hours=h, minutes=7 * h))


@st.composite
def worlds(draw: st.DrawFn) -> World:
    people = [
        person(1),
        person(2, active=draw(st.booleans())),
        person(3, ooo_from=draw(st.none() | OFFSETS), ooo_until=draw(st.none() | OFFSETS)),
    ]
    projects = [
        project(1, manager_id=1, due=draw(st.none() | OFFSETS)),
        project(2, settings={"task.stalled.after": "36h",
                             "task.deadline_approaching.lead": ["5d", "2wd", "4h"]}),
    ]
    n = draw(st.integers(1, 7))
    tasks = []
    for i in range(1, n + 1):
        start = draw(OFFSETS)
        tasks.append(task(
            i,
            created_at=start - timedelta(hours=draw(st.integers(0, 72))),
            start=start,
            due=draw(st.none() | OFFSETS),
            owner_id=draw(st.sampled_from([None, 1, 2, 3])),
            project_id=draw(st.sampled_from([None, 1, 2])),
            parent_id=draw(st.none() | st.integers(1, n)),
            depends_on=tuple(draw(st.lists(st.integers(1, n), max_size=2))),
            status=draw(st.sampled_from(STATUSES)),
            status_since=draw(st.none() | OFFSETS),
            progress=draw(st.sampled_from([0, 10, 40, 75, 100])),
            last_progress_at=draw(st.none() | OFFSETS),
            last_activity_at=draw(st.none() | OFFSETS),
        ))
    # Recurring work: an obligation with a few occurrences.
    tasks.append(task(50, owner_id=3, recurrence="FREQ=DAILY"))
    for k in range(draw(st.integers(0, 6))):
        due = BASE + timedelta(days=k - 3)
        done = draw(st.sampled_from(["open", "on_time", "late"]))
        tasks.append(task(
            60 + k, occurrence_of=50, owner_id=3, due=due, created_at=due - timedelta(hours=2),
            proof_required="photo",
            status="todo" if done == "open" else "done",
            completed_at=None if done == "open" else due + timedelta(
                hours=-1 if done == "on_time" else 3),
        ))
    return World.build(CAL, tasks, people, projects, {"task.review_stale.after": "20h"})


def _snapshot(w: World, now: datetime) -> set[tuple[str, str]]:
    return {(v.fingerprint, v.severity.value) for v in evaluate(w, now).violations}


@settings(max_examples=200, deadline=None)
@given(w=worlds(), now=OFFSETS, fractions=st.lists(st.floats(0.001, 0.999), min_size=1,
                                                    max_size=3))
def test_next_check_is_honest(w: World, now: datetime, fractions: list[float]) -> None:
    ev = evaluate(w, now)
    checks = [*ev.task_next_check.values(), *ev.person_next_check.values()]
    assert all(c is None or c > now for c in checks), "next_check must be strictly after now"
    upcoming = [c for c in checks if c is not None]
    horizon = min(upcoming) if upcoming else now + timedelta(days=60)
    before = _snapshot(w, now)
    probes = [now + (horizon - now) * f for f in fractions]
    probes.append(horizon - timedelta(microseconds=1))
    for probe in probes:
        if now < probe < horizon:
            assert _snapshot(w, probe) == before, probe
    if upcoming:
        # Each task's own (non-derived) verdict holds until its own next check.
        derived = {"task.dependency_at_risk", "task.subtask_at_risk"}
        for tid, nxt in ev.task_next_check.items():
            mine = {(v.fingerprint, v.severity) for v in ev.violations
                    if v.subject_id == tid and v.subject_kind.value == "task"
                    and v.rule_id not in derived}
            later = nxt - timedelta(microseconds=1) if nxt else now + timedelta(days=60)
            again = evaluate(w, later, task_ids=[tid], person_ids=[], project_ids=[])
            assert {(v.fingerprint, v.severity) for v in again.violations
                    if v.rule_id not in derived} == mine, tid
