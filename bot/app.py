"""The long-running process: scheduler (and, as configured, chat adapters)."""

from __future__ import annotations

import asyncio
import logging
import signal

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import SystemClock
from bot.config import Settings
from bot.jobs import tick_all
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

log = logging.getLogger("vigil")


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Migrate the database, then tick every ``tick_seconds`` until stopped."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    uow_factory = make_uow_factory(engine)
    clock = SystemClock()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread
            pass

    async def run_tick() -> None:
        results = await asyncio.to_thread(tick_all, uow_factory, clock)
        changed = sum(len(v) for v in results.values())
        if changed:
            log.info("tick: %d violation change(s) in %d workspace(s)", changed, len(results))

    scheduler = AsyncIOScheduler(event_loop=loop)
    scheduler.add_job(
        run_tick,
        "interval",
        seconds=settings.tick_seconds,
        id="rule-tick",
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )
    scheduler.start()
    log.info(
        "Vigil is watching (database %s, tick every %ss)",
        engine.url.render_as_string(hide_password=True),
        settings.tick_seconds,
    )
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        engine.dispose()
        log.info("Vigil stopped")
