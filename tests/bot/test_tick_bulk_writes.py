"""A tick's bulk writes store what one-row statements would: the same violations
and the same outbox rows, column for column.

Two identical workspaces live through the same week of ticks (alerts sent
between ticks, so resolutions are told too): one with the multi-row statements
as configured, one with every INSERT one row at a time (``CHUNK = 1``). Their
violations and outbox rows, ids replaced by what they name, must be equal —
a misplaced value in a flattened multi-row statement, a returned id mapped to
the wrong fingerprint or a row the bulk path skipped would show. Also every
fired event's row (handed to the notices instead of being read back) is the row
as stored.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.evaluation import tick
from bot.services import people as people_svc
from bot.services import tasks as task_svc
from engine.model import WorkCalendar
from storage.repositories import outbox, violation_writes

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _build(uow, key: str, seed: int) -> int:
    """A workspace of 40 tasks from ``seed`` (the same seed: the same workspace)."""
    rng = random.Random(seed)
    cal = WorkCalendar(tz="Europe/London")
    ws = uow.workspaces.create(key, key, tz="Europe/London", calendar=cal,
                               settings={"person.overloaded.at_risk": 2}).id
    people = [people_svc.add_person(uow, ws, f"P{i}").id for i in range(5)]
    for i, pid in enumerate(people):
        uow.people.add_identity(ws, pid, "slack", f"{key}-U{i}")
        if i % 2:  # some people are on two platforms: a notice per platform
            uow.people.add_identity(ws, pid, "telegram", f"{key}-T{i}")
        if i:
            uow.people.update(ws, pid, reports_to_id=people[0])
    project = people_svc.add_project(uow, ws, START, "Alpha", manager_id=people[0],
                                     due=START + timedelta(days=5))[0].id
    tasks: list[int] = []
    for i in range(40):
        fields: dict[str, Any] = dict(
            owner_id=rng.choice(people + [None]),
            project_id=rng.choice([project, None]),
            due=START + timedelta(hours=rng.randint(-30, 24 * 6)),
            start=START - timedelta(days=rng.randint(0, 8)),
            progress=rng.choice([0, 10, 40, 70]),
            status=rng.choice(["todo", "in_progress", "blocked", "in_review"]),
        )
        if tasks and rng.random() < 0.3:
            fields["parent_id"] = rng.choice(tasks)
        if tasks and rng.random() < 0.2:
            fields["depends_on"] = rng.sample(tasks, k=min(2, len(tasks)))
        tasks.append(task_svc.create_task(
            uow, ws, START - timedelta(days=3), people[0], f"Task {i}", **fields).task.id)
    return ws


def _deliver(uow, ws: int, now: datetime) -> None:
    """Send every pending notice of ``ws`` (a platform message each)."""
    people = [p.id for p in uow.people.list(ws)]
    for row in uow.outbox.claim_due(now + timedelta(days=30), timedelta(minutes=5), 10_000,
                                    recipients=people):
        uow.outbox.mark_sent(row.id, now, f"msg-{row.dedup_key}")


def _names(uow, ws: int) -> dict[tuple[str, int], str]:
    """What an id names, the same in both workspaces: a task's number, a person's name."""
    out = {("task", t.id): f"#{t.number}" for t in uow.tasks.list(ws)}
    out.update((("person", p.id), p.name) for p in uow.people.list(ws))
    out.update((("project", p.id), p.name) for p in uow.projects.list(ws))
    return out


def _state(uow, ws: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The workspace's violations and outbox rows with their ids replaced by names."""
    names = _names(uow, ws)
    rows = sorted(uow.violations.history(ws), key=lambda r: r.id)
    label = {r.id: (r.rule_id, names[(r.subject_kind, r.subject_id)], str(r.fired_at))
             for r in rows}

    def plain(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for k, v in value.items():
            if k in ("task", "person", "project") and isinstance(v, int):
                v = names[(k, v)]  # a fix's subject
            elif k == "violation_id":
                v = label[v]
            elif k == "subject_id":
                v = names[(value["subject_kind"], v)]
            out[k] = plain(v)
        return out

    violations = [
        (r.rule_id, names[(r.subject_kind, r.subject_id)], r.stage, r.severity, r.explanation,
         plain(r.fixes), r.state, r.fired_at, r.resolved_at, r.resolution, r.level,
         r.level_changed_at, r.severity_changed_at, r.next_escalation_at)
        for r in rows
    ]
    notices = []
    for n in uow.outbox.list(ws):
        # alert:{violation}:{level}:{severity}:{recipient}:{platform} or
        # resolved:{violation}:{recipient}:{platform}
        key = n.dedup_key.split(":")
        assert int(key[1]) == n.violation_id and int(key[-2]) == n.recipient_id
        notices.append((
            n.kind, names[("person", n.recipient_id)], n.platform, n.status,
            n.next_attempt_at, n.created_at, label[n.violation_id], key[2:-2],
            repr(plain(n.payload)),
        ))
    # Sorted by what they say: rows are written in fingerprint order, and fingerprints
    # carry ids, so the two workspaces number their rows in different orders.
    return sorted(violations, key=repr), sorted(notices, key=repr)


@pytest.mark.parametrize("seed", range(2))
def test_bulk_tick_writes_equal_one_row_statements(uow, monkeypatch, seed) -> None:
    with uow() as u:
        bulk, single = _build(u, "bulk", seed), _build(u, "single", seed)
        u.commit()
    fired = 0
    for hour in range(0, 24 * 7, 5):  # a week, every five hours: fires, rewords, resolutions
        now = START + timedelta(hours=hour)
        for ws, chunk in ((bulk, violation_writes.CHUNK), (single, 1)):
            monkeypatch.setattr(violation_writes, "CHUNK", chunk)
            monkeypatch.setattr(outbox, "CHUNK", chunk)
            with uow() as u:
                events = tick(u, ws, now)
                stored = u.violations.get_many(ws, {e.violation_id for e in events if e.row})
                for e in events:
                    if e.row is not None:
                        assert e.row == stored[e.violation_id]
                        fired += ws == bulk
                _deliver(u, ws, now)
                u.commit()
    with uow() as u:
        got, want = _state(u, bulk), _state(u, single)
    assert fired > 20 and any(v[6] == "resolved" for v in got[0])
    assert any(n[0] == "resolved" for n in got[1]) and any(n[2] == "telegram" for n in got[1])
    assert got == want
