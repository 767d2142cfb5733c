"""Replayed Slack requests do nothing: each signed HTTP request is handled once.

Slack signs ``v0:{timestamp}:{body}`` and Bolt accepts a signature for five
minutes, so a copy of a slash command, button press, shortcut, modal
submission or event — captured on the way, or sent twice by a proxy — would
otherwise run again (a second task; "+1 week" moving 14 days). The key is the
request's timestamp with a digest of its raw body, recorded in the shared
database (``seen_events``, kind ``slack-request``) by whichever process gets
it first, far longer than the window. A copy is acknowledged (200) and
ignored. Slack's own event retries carry a new timestamp and are dropped by
their event id (``middleware``). Socket Mode messages come over Vigil's own
authenticated connection, unsigned, but Slack redelivers an envelope it
thinks was not acknowledged (and a reconnect can replay one) with the same
payload: there the key is the payload's ``trigger_id`` — one per slash
command, button press, shortcut or modal submission — and events are again
dropped by their event id.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.event_log import EventLog

log = logging.getLogger("vigil.slack")

KIND = "slack-request"
Next = Callable[[], Awaitable[None]]


def request_key(req: AsyncBoltRequest) -> str | None:
    """The replay key of a request: a signed HTTP request's timestamp and body digest,
    a Socket Mode payload's trigger id (None: nothing to key it by, e.g. an event)."""
    if req.mode != "http":
        trigger = req.body.get("trigger_id") if isinstance(req.body, dict) else None
        return f"socket:{str(trigger)[:100]}" if trigger else None
    stamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
    if not stamp:
        return None
    digest = hashlib.sha256(req.raw_body.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{stamp[:20]}:{digest}"


def register(app: AsyncApp, events: EventLog) -> None:
    """Acknowledge and ignore a request this or another process has already handled."""

    @app.middleware
    async def drop_replayed_requests(req: AsyncBoltRequest, next: Next) -> BoltResponse | None:
        key = request_key(req)
        if key is not None:
            try:
                first = await asyncio.to_thread(events.first_time, KIND, key)
            except Exception:  # the database is away: the conversation answers that itself
                log.warning("could not record a slack request for replay protection",
                            exc_info=True)
                first = True
            if not first:
                log.info("slack request replayed (%s); ignored", key.rsplit(":", 1)[0])
                return BoltResponse(status=200, body="")
        await next()
        return None
