"""The long-running process: scheduler (and, as configured, chat adapters).

Jobs on the AsyncIOScheduler of the bot's event loop, database work in a
worker thread (``asyncio.to_thread``):

* ``rule-tick``  every ``VIGIL_TICK_SECONDS``: evaluate what is due;
* ``escalation`` every tick interval: climb the escalation ladder;
* ``digests``    every tick interval: queue each person's morning digest once a day;
* ``dispatch``   every ``DISPATCH_SECONDS``: send due outbox rows;
* ``homes``      every ``HOME_SECONDS`` when a platform has a home screen (Slack's
  App Home): publish the My Tasks of people whose tasks changed;
* ``housekeeping`` every ``HOUSEKEEPING_SECONDS``: forget old platform event ids.
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
from bot.config import Settings
from bot.conversation import Conversation
from bot.http_server import HttpServer
from bot.jobs import (
    digest_all,
    dispatch_due,
    escalate_all,
    prune_seen_events,
    refresh_homes,
    tick_all,
)
from bot.language import warm_up
from bot.notify.dispatcher import Dispatcher
from bot.notify.home import HomePublisher
from bot.notify.ports import ConsolePort, NotificationPort
from bot.observe.context import ObservedConversation
from storage.db import make_engine, upgrade
from storage.uow import make_uow_factory

log = logging.getLogger("vigil")

DISPATCH_SECONDS = 5.0
# Short, so a Home follows a change within seconds; changes in between coalesce.
HOME_SECONDS = 3.0
HOUSEKEEPING_SECONDS = 3600.0


def default_ports() -> dict[str, NotificationPort]:
    """Ports available without chat platforms: the console prints to the log."""
    return {"console": ConsolePort(lambda text: log.info("notice:\n%s", text))}


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
    http: HttpServer,
) -> list[Callable[[], Awaitable[None]]]:
    """Start every configured chat platform in this event loop; add its delivery port.

    Each platform first mounts its routes on ``http`` (the one HTTP server);
    the server starts once every route is in, before the platforms connect (a
    Telegram webhook must be reachable when ``setWebhook`` is called). Returns
    the functions that stop them, the HTTP server last. No tokens: nothing
    starts (the console port still delivers notices to the log).
    """
    platforms = configured_platforms(settings, conversation)
    for platform in platforms:
        platform.register_routes(http)
        ports[platform.name] = platform.port
    stoppers: list[Callable[[], Awaitable[None]]] = []
    if http.has_routes:
        await http.start()
        stoppers.append(http.stop)
    try:
        for platform in platforms:
            await platform.start()
            stoppers.append(platform.stop)
            log.info("%s connected (%s)", platform.name.capitalize(), platform.mode)
    except BaseException:
        for stop_platform in reversed(stoppers):
            await stop_platform()
        raise
    return stoppers


async def serve(
    settings: Settings,
    stop: asyncio.Event | None = None,
    ports: dict[str, NotificationPort] | None = None,
) -> None:
    """Migrate the database, then tick, escalate and dispatch until stopped.

    ``ports``: platform -> NotificationPort (default: the console port only;
    chat adapters add theirs when they are started).
    """
    engine = make_engine(settings.database_url)
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
        results = await asyncio.to_thread(tick_all, uow_factory, clock)
        changed = sum(len(v) for v in results.values())
        if changed:
            log.info("tick: %d violation change(s) in %d workspace(s)", changed, len(results))

    ports = dict(ports if ports is not None else default_ports())
    http = HttpServer(settings.http_port)
    stoppers = await start_platforms(settings, ObservedConversation(uow_factory, clock), ports,
                                     http)
    dispatcher = Dispatcher(uow_factory, ports, clock=clock.now,
                            max_age=timedelta(hours=settings.notice_max_age_hours))
    homes = HomePublisher(uow_factory, ports)

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
    scheduler.add_job(
        run_escalation,
        "interval",
        seconds=settings.tick_seconds,
        id="escalation",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        run_digests,
        "interval",
        seconds=settings.tick_seconds,
        id="digests",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        run_dispatch,
        "interval",
        seconds=min(DISPATCH_SECONDS, settings.tick_seconds),
        id="dispatch",
        max_instances=1,
        coalesce=True,
        next_run_time=clock.now(),
    )
    if homes.platforms:
        scheduler.add_job(
            run_homes,
            "interval",
            seconds=min(HOME_SECONDS, settings.tick_seconds),
            id="homes",
            max_instances=1,
            coalesce=True,
            next_run_time=clock.now(),
        )
    scheduler.add_job(
        run_housekeeping,
        "interval",
        seconds=HOUSEKEEPING_SECONDS,
        id="housekeeping",
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
        for stop_platform in reversed(stoppers):
            await stop_platform()
        engine.dispose()
        log.info("Vigil stopped")
