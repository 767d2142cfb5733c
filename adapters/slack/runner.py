"""Slack's connection inside the running event loop: Socket Mode or HTTP, never blocking.

``SlackRunner`` is built once; the composition root calls
``register_routes(http)`` before the shared HTTP server starts, then
``start()`` / ``stop()`` (which a supervisor may call again to reconnect).
Socket Mode is used when ``SLACK_APP_TOKEN`` is set (no public URL needed);
otherwise ``/slack/events`` (commands, interactivity and events, signature
checked before parsing) is served by Vigil's one HTTP server on
``VIGIL_HTTP_PORT``. A multi-workspace (OAuth) app also serves
``/slack/install`` and ``/slack/oauth_redirect`` there; OAuth always runs in
HTTP mode.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.slack import http as slack_http
from adapters.slack.app import _secret, build_app
from adapters.slack.port import SlackPort
from adapters.slack.socket_attempt import AttemptLogger, connect_once
from bot.conversation import Conversation
from bot.http_server import HttpServer

log = logging.getLogger("vigil.slack")

EVENTS_PATH = slack_http.EVENTS_PATH


class SlackRunner:
    """One Slack connection: its delivery port, its HTTP routes, start and stop."""

    name = "slack"

    def __init__(self, settings: Any, conversation: Conversation, *,
                 app: AsyncApp | None = None) -> None:
        self.app = app or build_app(settings, conversation)
        app_token = _secret(settings.slack_app_token)
        if app_token and self.app.oauth_flow is not None:
            log.warning("Multi-workspace OAuth installs need HTTP mode: SLACK_APP_TOKEN is "
                        "ignored and Slack is served over HTTP (/slack/events, /slack/install, "
                        "/slack/oauth_redirect). Unset SLACK_CLIENT_ID/SECRET for Socket Mode.")
            app_token = None
        self.app_token = app_token
        self.signing_secret = _secret(settings.slack_signing_secret)
        if not app_token and not self.signing_secret:
            raise ValueError("HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN "
                             "for Socket Mode)")
        self.port = SlackPort.from_settings(settings)
        self._socket: AsyncSocketModeHandler | None = None
        self._attempt: AttemptLogger | None = None

    @property
    def mode(self) -> str:
        return "Socket Mode" if self.app_token else "HTTP"

    def register_routes(self, http: HttpServer) -> None:
        """HTTP mode: mount ``/slack/events`` (and the OAuth pages) on the shared server."""
        if self.app_token is None:
            assert self.signing_secret is not None
            slack_http.register_routes(http, self.app, self.signing_secret)

    async def start(self) -> None:
        """Socket Mode: connect (returns once connected). HTTP: the routes already serve."""
        if self.app_token is None:
            log.info("Slack serves %s over HTTP", EVENTS_PATH)
            return
        # One attempt, failing fast: Vigil's supervisor retries (bot/observe/supervisor.py).
        self._socket, self._attempt = await connect_once(self.app, self.app_token)
        log.info("Slack Socket Mode connected")

    async def connected(self) -> bool:
        """HTTP mode: always (the server serves). Socket Mode: the WebSocket is up."""
        if self.app_token is None:
            return True
        return self._socket is not None and bool(await self._socket.client.is_connected())

    @property
    def last_error(self) -> str | None:
        return self._attempt.last_error if self._attempt is not None else None

    async def stop(self) -> None:
        """Close the Socket Mode connection (idempotent; HTTP routes stop with the server)."""
        socket, self._socket = self._socket, None
        if socket is not None:
            await socket.close_async()
