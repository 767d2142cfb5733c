"""The long-running process: scheduler (and, as configured, chat adapters).

Jobs on the AsyncIOScheduler of the bot's event loop, database work in a
worker thread (``asyncio.to_thread``); which jobs and how often:
``bot.job_cadence`` (``job_cadence`` is importable from here).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import SystemClock
from bot.config import Settings, SettingsError
from bot.conversation import Conversation
from bot.http_server import HttpServer
from bot.job_cadence import job_cadence
from bot.job_runs import JobRuns
from bot.jobs import (
    anything_due,
    digest_all,
    dispatch_due,
    escalate_all,
    materialize_all,
    prune_conversation_state,
    prune_seen_events,
    refresh_homes,
    tick_all,
)
from bot.language import warm_up
from bot.notify.dispatcher import Dispatcher
from bot.notify.home import HomePublisher
from bot.notify.ports import NotificationPort
from bot.observe import health, instrument
from bot.observe.context import ObservedConversation
from bot.observe.health import Readiness, TickClock
from bot.observe.supervisor import Backoff, Supervisor, start_all, stop_all
from storage import operations
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

log = logging.getLogger("vigil")
__all__ = ["Platform", "configured_platforms", "default_ports", "job_cadence", "serve",
           "start_platforms", "supervise"]

STOP_WAIT = 5.0  # longest a stop waits for scheduled jobs in flight (each pass is bounded)
STARTUP_WAIT = 3.0  # longest the start waits for the platforms' first connection attempts


def default_ports() -> dict[str, NotificationPort]:
    """Ports available without chat platforms: none.

    Notices for console people are not delivered here (``vigil run`` has no
    terminal attached): they stay pending and ``vigil console`` shows them when
    that person next opens it.
    """
    return {}


class Platform(Protocol):
    """A chat platform's connection as the composition root drives it (see adapters/*/runner)."""

    @property
    def name(self) -> str: ...  # "slack", "telegram": the key of its delivery port
    @property
    def port(self) -> NotificationPort: ...
    @property
    def mode(self) -> str: ...  # how it connects, for the log ("Socket Mode", "webhook", …)

    def register_routes(self, http: HttpServer) -> None: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


def configured_platforms(settings: Settings, conversation: Conversation) -> list[Platform]:
    """Every chat platform ``settings`` configure (built, not started). No tokens: none."""
    platforms: list[Platform] = []
    slack_oauth = bool(settings.slack_client_id and settings.slack_client_secret)
    if settings.slack_bot_token is not None or slack_oauth:
        from adapters.slack.runner import SlackRunner

        platforms.append(SlackRunner(settings, conversation))
    if settings.telegram_bot_token is not None:
        from adapters.telegram.runner import TelegramRunner

        platforms.append(TelegramRunner(settings, conversation))
    return platforms


async def start_platforms(
    settings: Settings, conversation: Conversation, ports: dict[str, NotificationPort],
    http: HttpServer, mount: Callable[[HttpServer, list[Supervisor]], None] | None = None,
) -> list[Callable[[], Awaitable[None]]]:
    """Start every configured chat platform in this event loop; add its delivery port.

    Each platform first mounts its routes on ``http`` (the one HTTP server),
    then ``mount`` adds the rest (health, metrics); the server starts once
    every route is in, before the platforms connect (a Telegram webhook must be
    reachable when ``setWebhook`` is called). Each platform then connects in
    its own supervised task (``bot.observe.supervisor``): an unreachable one is
    retried with backoff and never holds up the rest; this waits at most
    ``STARTUP_WAIT`` seconds for the first attempts. Returns the functions that
    stop them, the HTTP server last.
    """
    try:
        platforms = configured_platforms(settings, conversation)
    except ValueError as exc:  # a platform half configured: a settings error, one line
        raise SettingsError(str(exc)) from None
    for platform in platforms:
        platform.register_routes(http)
        ports[platform.name] = platform.port
    supervisors = supervise(platforms, settings)
    if mount is not None:
        mount(http, supervisors)
    stoppers: list[Callable[[], Awaitable[None]]] = []
    if http.has_routes:
        try:
            await http.start()
        except OSError as exc:
            raise SettingsError(
                f"VIGIL_HTTP_PORT={settings.http_port!r} is not usable "
                f"({exc.strerror or exc}): expected a free port") from None
        stoppers.append(http.stop)
    await start_all(supervisors, STARTUP_WAIT)

    async def stop_platforms() -> None:
        await stop_all(supervisors)

    stoppers.append(stop_platforms)
    return stoppers


def supervise(platforms: list[Platform], settings: Settings) -> list[Supervisor]:
    """One connection supervisor per platform, backing off up to the configured cap."""
    backoff = Backoff(cap=settings.reconnect_max_seconds)
    return [Supervisor(platform, backoff) for platform in platforms]


# SQLite's page cache (MiB) per connection of ``vigil run``: a tick batch of a
# thousand due tasks dirties a few thousand scattered table and index pages; with
# SQLite's 2 MiB default they spill and are read back (docs/scale.md, "The
# tick's portfolios"). Grows only as used; bounded per pooled connection.
RUN_CACHE_MIB = 32


async def serve(
    settings: Settings,
    stop: asyncio.Event | None = None,
    ports: dict[str, NotificationPort] | None = None,
) -> None:
    """Migrate the database, then tick, escalate and dispatch until stopped.

    ``ports``: platform -> NotificationPort (default: none — console notices wait for
    ``vigil console``); chat adapters add theirs when they are started.
    """
    engine = make_engine(settings.database_url, sqlite_cache_mib=RUN_CACHE_MIB)
    upgrade(engine)
    # Parsing must take milliseconds: pay dateparser's start-up cost before the first message.
    await asyncio.to_thread(warm_up, zones=(settings.timezone,))
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
        if not await asyncio.to_thread(anything_due, uow_factory, clock.now()):
            instrument.idle_wake()  # nothing due: no evaluation work, no tick metrics
            ticks.finished()
            return
        started = await asyncio.to_thread(instrument.before_tick, engine, clock.now())
        results = await asyncio.to_thread(tick_all, uow_factory, clock, None, False)
        instrument.after_tick(started, results)
        ticks.finished()
        changed = sum(len(v) for v in results.values())
        if changed:
            log.info("tick: %d violation change(s) in %d workspace(s)", changed, len(results))

    ports = dict(ports if ports is not None else default_ports())
    http = HttpServer(settings.http_port)
    ticks = TickClock()
    scheduler = AsyncIOScheduler(event_loop=loop)

    def mount_operations(server: HttpServer, supervisors: list[Supervisor]) -> None:
        readiness = Readiness(lambda: operations.ping(engine), lambda: scheduler.running, ticks,
                              settings.tick_seconds, supervisors)
        server.add_routes(health.routes(readiness), public=True)
        server.app.middlewares.insert(0, health.count_requests)  # outermost: counts 429s too

    stoppers = await start_platforms(settings, ObservedConversation(uow_factory, clock), ports,
                                     http, mount_operations)
    dispatcher = Dispatcher(uow_factory, ports, clock=clock.now,
                            lease=timedelta(seconds=settings.notice_lease_seconds),
                            max_age=timedelta(hours=settings.notice_max_age_hours))
    homes = HomePublisher(uow_factory, ports)

    async def run_recurring() -> None:
        results = await asyncio.to_thread(materialize_all, uow_factory, clock)
        created = sum(len(v) for v in results.values())
        if created:
            log.info("recurring: %d violation change(s) from new occurrences", created)

    async def run_escalation() -> None:
        results = await asyncio.to_thread(escalate_all, uow_factory, clock)
        queued = sum(len(v) for v in results.values())
        if queued:
            log.info("escalation: %d notice(s) queued", queued)

    async def run_digests() -> None:
        queued = await asyncio.to_thread(digest_all, uow_factory, clock)
        if queued:
            log.info("digest: %d morning digest(s) queued", queued)

    async def run_dispatch() -> None:
        result = await asyncio.to_thread(dispatch_due, dispatcher, clock)
        instrument.after_dispatch(result, clock.now())
        if result.claimed:
            log.info(
                "dispatch: %d sent, %d edited, %d retrying, %d failed",
                len(result.sent), len(result.edited), len(result.retried), len(result.failed),
            )

    async def run_homes() -> None:
        result = await asyncio.to_thread(refresh_homes, homes, clock)
        if result.claimed:
            log.info(
                "homes: %d published, %d retrying, %d dropped",
                len(result.published) + len(result.again), len(result.retried),
                len(result.dropped),
            )

    async def run_housekeeping() -> None:
        removed = await asyncio.to_thread(prune_seen_events, uow_factory, clock)
        if removed:
            log.info("housekeeping: forgot %d old platform event id(s)", removed)
        stale = await asyncio.to_thread(prune_conversation_state, uow_factory, clock)
        if stale:
            log.info("housekeeping: forgot %d expired question(s) and old chat topic(s)", stale)

    async def run_gauges() -> None:
        await asyncio.to_thread(instrument.refresh_gauges, engine)

    run: dict[str, Callable[[], Awaitable[None]]] = {
        "rule-tick": run_tick, "recurring": run_recurring, "escalation": run_escalation,
        "digests": run_digests, "dispatch": run_dispatch, "housekeeping": run_housekeeping,
        "gauges": run_gauges, "homes": run_homes,
    }
    runs = JobRuns()
    for job_id, seconds, at_once in job_cadence(settings, bool(homes.platforms)):
        # One instance at a time; a run missed while the previous one was busy is dropped.
        # (next_run_time=None would add the job paused, so "not at once" omits it.)
        first = {"next_run_time": clock.now()} if at_once else {}
        scheduler.add_job(runs.wrap(run[job_id]), "interval", seconds=seconds, id=job_id,
                          max_instances=1,
                          coalesce=True, **first)
    scheduler.start()
    log.info(
        "Vigil is watching (database %s, rule tick looks every %ss)",
        engine.url.render_as_string(hide_password=True),
        min(settings.tick_wake_seconds, settings.tick_seconds),
    )
    try:
        await stop.wait()
    finally:
        scheduler.pause()  # no new runs; the ones in flight finish (bot.job_runs)
        left = await runs.drain(STOP_WAIT)
        if left:
            log.warning("stopping with %d scheduled job(s) still running after %.0f s; "
                        "they are cancelled", left, STOP_WAIT)
        scheduler.shutdown(wait=False)
        for stop_platform in reversed(stoppers):
            await stop_platform()
        engine.dispose()
        log.info("Vigil stopped")
