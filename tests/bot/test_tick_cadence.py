"""The rule tick waits for the due instant, not for the next minute: it wakes
every ``VIGIL_TICK_WAKE_SECONDS`` and evaluates only when something is due."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot import jobs, tick_job
from bot.app import job_cadence, serve
from bot.clock import FixedClock
from bot.config import Settings
from bot.observe import metrics
from engine.model import WorkCalendar
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

BEFORE = datetime(2026, 3, 12, 8, 59, tzinfo=UTC)  # a Thursday
START = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # the scheduler starts: first wake at once
DUE = datetime(2026, 3, 12, 9, 0, 7, tzinfo=UTC)  # the deadline: overdue from here


def _overdue_at_seven(uow) -> tuple[int, int]:
    """A task due 09:00:07, checked at 08:59 (its next check stored: 09:00:07)."""
    with uow() as u:
        ws = u.workspaces.create("c", "C", calendar=WorkCalendar(tz="UTC")).id
        ana = u.people.add(ws, "Ana", created_at=BEFORE - timedelta(days=9)).id
        task = u.tasks.add(ws, "Report", BEFORE - timedelta(days=2), owner_id=ana, due=DUE).id
        u.tasks.set_next_check(ws, {task: BEFORE})
        u.people.set_next_check(ws, {ana: BEFORE})
        u.commit()
    jobs.tick_all(uow, FixedClock(BEFORE))
    with uow() as u:
        assert u.tasks.next_checks(ws, [task]) == {task: DUE}
    return ws, task


def _overdue_fires(uow, ws: int, task: int) -> bool:
    with uow() as u:
        return "task.overdue" in {v.rule_id for v in u.violations.firing(ws, task_ids=[task])}


def _rule_tick_every(settings: Settings) -> timedelta:
    (seconds,) = [s for job, s, _ in job_cadence(settings, homes=False) if job == "rule-tick"]
    return timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("wake", "tick", "detected_at"),
    [
        (5.0, 60.0, datetime(2026, 3, 12, 9, 0, 10, tzinfo=UTC)),  # the default: next wake
        (2.0, 60.0, datetime(2026, 3, 12, 9, 0, 8, tzinfo=UTC)),
        (5.0, 3.0, datetime(2026, 3, 12, 9, 0, 9, tzinfo=UTC)),  # never rarer than the tick
        (60.0, 60.0, datetime(2026, 3, 12, 9, 1, 0, tzinfo=UTC)),  # the old fixed grid
    ],
)
def test_an_overdue_task_is_detected_at_the_first_wake_after_it(uow, wake, tick, detected_at):
    ws, task = _overdue_at_seven(uow)
    settings = Settings(_env_file=None, VIGIL_TICK_WAKE_SECONDS=wake, VIGIL_TICK_SECONDS=tick)
    every = _rule_tick_every(settings)
    at = START
    while not _overdue_fires(uow, ws, task):
        at += every
        assert at <= START + timedelta(minutes=2), "never detected"
        # What the rule-tick job does at each wake (bot.app.serve: run_tick).
        if jobs.anything_due(uow, at):
            jobs.tick_all(uow, FixedClock(at), recurring=False)
    assert at == detected_at


def test_idle_wakes_do_no_evaluation_work(uow, monkeypatch):
    ws, task = _overdue_at_seven(uow)
    batches: list[datetime] = []
    real = tick_job.tick_batch

    def recording(uow_, ws_, now, *args, **kwargs):
        batches.append(now)
        return real(uow_, ws_, now, *args, **kwargs)

    monkeypatch.setattr(tick_job, "tick_batch", recording)
    wakes = [START + timedelta(seconds=s) for s in (0, 5, 10, 15, 20)]
    looked = []
    for at in wakes:
        if jobs.anything_due(uow, at):
            looked.append(at)
            jobs.tick_all(uow, FixedClock(at), recurring=False)
    assert looked == [START + timedelta(seconds=10)]  # 09:00:07 is the only due instant
    assert batches and set(batches) == {START + timedelta(seconds=10)}


@pytest.mark.parametrize(
    ("what", "due"),
    [
        ("nothing due", False),
        ("a task due", True),
        ("a person due", True),
        ("a task due in a paused workspace", False),
    ],
)
def test_anything_due_is_the_question_of_a_wake(uow, what, due):
    now = START
    with uow() as u:
        ws = u.workspaces.create("d", "D", calendar=WorkCalendar(tz="UTC")).id
        ana = u.people.add(ws, "Ana", created_at=now - timedelta(days=9)).id
        task = u.tasks.add(ws, "Report", now - timedelta(days=2), owner_id=ana).id
        later = now + timedelta(seconds=1)
        u.tasks.set_next_check(ws, {task: now if what.startswith("a task") else later})
        u.people.set_next_check(ws, {ana: now if what == "a person due" else later})
        if "paused" in what:
            u.workspaces.set_paused(ws, now)
        u.commit()
    assert jobs.anything_due(uow, now) is due
    assert jobs.anything_due(uow, now - timedelta(seconds=1)) is False


def test_the_tick_wakes_often_and_the_minute_jobs_keep_their_minute() -> None:
    cadence = {job: s for job, s, _ in job_cadence(Settings(_env_file=None), homes=True)}
    assert cadence["rule-tick"] == 5.0
    assert {cadence[j] for j in ("recurring", "escalation", "digests")} == {60.0}
    assert (cadence["dispatch"], cadence["homes"]) == (5.0, 3.0)


def test_vigil_run_detects_an_overdue_task_seconds_after_not_at_the_next_minute(tmp_path):
    """The real scheduler: the task falls due a moment after the first (idle) wake;
    a 60 s grid would look again only a minute after the start."""
    url = f"sqlite:///{tmp_path / 'vigil.db'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_uow_factory(engine)
    settings = Settings(_env_file=None, VIGIL_DATABASE_URL=url, VIGIL_HTTP_PORT=0,
                        VIGIL_TICK_SECONDS=60, VIGIL_TICK_WAKE_SECONDS=0.25)

    async def scenario() -> tuple[datetime, datetime]:
        stop = asyncio.Event()
        idle_before = metrics.TICK_WAKES._value.get()
        running = asyncio.create_task(serve(settings, stop))
        deadline = time.monotonic() + 30
        while metrics.TICK_WAKES._value.get() == idle_before:  # the first wake is past
            assert time.monotonic() < deadline, "vigil run never woke"
            await asyncio.sleep(0.05)
        due = datetime.now(UTC) + timedelta(seconds=1)
        with factory() as u:
            ws = u.workspaces.create("c", "C", calendar=WorkCalendar(tz="UTC")).id
            ana = u.people.add(ws, "Ana", created_at=due - timedelta(days=9)).id
            task = u.tasks.add(ws, "Report", due - timedelta(days=2), owner_id=ana, due=due).id
            u.tasks.set_next_check(ws, {task: due})
            u.people.set_next_check(ws, {ana: due + timedelta(days=1)})
            u.commit()
        while not _overdue_fires(factory, ws, task):
            assert time.monotonic() < deadline + 30, "never detected"
            await asyncio.sleep(0.1)
        seen = datetime.now(UTC)
        stop.set()
        await asyncio.wait_for(running, 10)
        return due, seen

    due, seen = asyncio.run(scenario())
    engine.dispose()
    assert timedelta(0) <= seen - due < timedelta(seconds=10)
