"""Global middleware: each event once, and nothing from bots or payloads without a person."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from adapters.slack import inbound
from adapters.slack.people import PLATFORM
from bot.event_log import EventLog

log = logging.getLogger("vigil.slack")

# Events about the app itself: no user, and Bolt skips the token lookup for them.
APP_EVENTS = ("app_uninstalled", "tokens_revoked")
Next = Callable[[], Awaitable[None]]


class SeenEvents:
    """A bounded LRU of event ids already handled by this process.

    In front of the database's ``EventLog``: a quick retry to the same process
    is dropped without a database round trip.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True


def register(app: AsyncApp, seen: SeenEvents, events: EventLog) -> None:
    """Drop retried events, bot traffic and payloads that name no person."""

    async def first_time(event_id: str) -> bool:
        """This process, then every process (the database), sees the event for the first time."""
        if not seen.first_time(event_id):
            return False
        try:
            return await asyncio.to_thread(events.first_time, PLATFORM, event_id)
        except Exception:  # handled anyway: a lost event is worse than a rare double
            log.exception("could not record slack event %s; handling it anyway", event_id)
            return True

    # -- retried events: Slack resends when the ack was slow; handle each event once --
    @app.middleware
    async def drop_retried_events(body: dict[str, Any], next: Next) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await first_time(str(event_id)):
            log.info("slack event %s already handled; retry ignored", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    # -- nothing to map a person from: bots, Slackbot, system events ------------------
    @app.middleware
    async def require_person(body: dict[str, Any], next: Next) -> BoltResponse | None:
        team, user = inbound.actor(body)
        if (body.get("event") or {}).get("type") in APP_EVENTS and team:
            await next()
            return None
        if not team or not user:
            log.debug("slack payload without a team or user ignored: %s", body.get("type"))
            return BoltResponse(status=200, body="")
        if inbound.from_a_bot(body):
            log.debug("slack payload from a bot ignored: %s", body.get("type"))
            return BoltResponse(status=200, body="")
        await next()
        return None
