"""Stopping the scheduler lets a job in flight finish instead of cancelling it mid-work."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import UTC, datetime

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.job_runs import JobRuns


async def _stop_while_a_job_runs(drain: bool) -> tuple[bool, int]:
    """A job whose thread takes 0.4 s is running when the stop comes: did its work finish
    before the shutdown, and how many runs were left when the wait ended?"""
    runs = JobRuns()
    started, finished = threading.Event(), threading.Event()

    def work() -> None:
        started.set()
        time.sleep(0.4)
        finished.set()

    async def job() -> None:
        await asyncio.to_thread(work)

    scheduler = AsyncIOScheduler()
    scheduler.add_job(runs.wrap(job), "interval", seconds=60, id="slow", max_instances=1,
                      next_run_time=datetime.now(UTC))
    scheduler.start()
    while not started.is_set():
        await asyncio.sleep(0.01)
    scheduler.pause()  # what serve() does on a stop
    left = await runs.drain(5.0) if drain else -1
    scheduler.shutdown(wait=False)
    done_at_shutdown = finished.is_set()
    await asyncio.sleep(0.6)  # the cancelled run (if any) is logged; the thread ends
    return done_at_shutdown, left


def _failed_runs(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "raised an exception" in r.getMessage()]


def test_a_stop_waits_for_the_job_in_flight(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="apscheduler")
    done, left = asyncio.run(_stop_while_a_job_runs(drain=True))
    assert done and left == 0
    assert not _failed_runs(caplog)


def test_without_the_wait_the_scheduler_cancels_it_and_logs_a_failed_job(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # What serve() did before: the run is cancelled mid-work and logged with a traceback.
    caplog.set_level(logging.ERROR, logger="apscheduler")
    done, _ = asyncio.run(_stop_while_a_job_runs(drain=False))
    assert not done
    assert _failed_runs(caplog)


def test_drain_says_how_many_are_still_running_after_the_wait() -> None:
    async def scenario() -> tuple[int, int]:
        runs = JobRuns()
        task = asyncio.create_task(runs.wrap(lambda: asyncio.sleep(1.0))())
        await asyncio.sleep(0.05)
        left_early = await runs.drain(0.1)
        await task
        return left_early, await runs.drain(0.1)

    assert asyncio.run(scenario()) == (1, 0)
