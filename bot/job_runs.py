"""The scheduled jobs' runs in flight, so that stopping Vigil lets them finish.

APScheduler's asyncio executor cancels the coroutines still running when the
scheduler shuts down, and logs each as a job that "raised an exception" with a
``CancelledError`` traceback; the thread a job started with
``asyncio.to_thread`` cannot be cancelled and would go on using the database
after the engine is disposed. ``serve`` therefore pauses the scheduler (no new
runs), waits a bounded time for the runs in flight, and only then shuts it down.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]


class JobRuns:
    """Tracks the runs of wrapped jobs that have started and not finished."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[object]] = set()

    def wrap(self, job: Job) -> Job:
        """``job``, with each run recorded while it is in flight."""

        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            finally:
                if task is not None:
                    self._running.discard(task)

        run.__name__ = run.__qualname__ = getattr(job, "__name__", "job")
        return run

    async def drain(self, timeout: float) -> int:
        """Wait at most ``timeout`` seconds for the runs in flight to end; return how
        many are still running then (they will be cancelled by the shutdown)."""
        pending = {t for t in self._running if not t.done()}
        if not pending:
            return 0
        _, still = await asyncio.wait(pending, timeout=timeout)
        return len(still)
