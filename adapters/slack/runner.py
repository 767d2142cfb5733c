"""Start Slack inside the running event loop: Socket Mode or HTTP, never blocking.

``start_slack`` returns an async stop function. Socket Mode is used when
``SLACK_APP_TOKEN`` is set (no public URL needed); otherwise an aiohttp server
on ``VIGIL_HTTP_PORT`` serves ``/slack/events`` (commands, interactivity and
events), with Slack's request signature always verified. A multi-workspace
(OAuth) app also serves ``/slack/install`` and ``/slack/oauth_redirect`` there;
OAuth always runs in HTTP mode.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.slack.app import _secret, build_app
from bot.conversation import Conversation

log = logging.getLogger("vigil.slack")

EVENTS_PATH = "/slack/events"
Stop = Callable[[], Awaitable[None]]


def web_application(app: AsyncApp, path: str = EVENTS_PATH) -> web.Application:
    """An aiohttp application that hands ``POST path`` to Bolt (signature checked by Bolt)."""

    async def events(request: web.Request) -> web.Response:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    web_app = web.Application()
    web_app.router.add_post(path, events)
    flow = app.oauth_flow
    if flow is not None:
        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_installation(await to_bolt_request(request)))

        async def oauth_redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await flow.handle_callback(await to_bolt_request(request)))

        web_app.router.add_get(flow.install_path, install)
        web_app.router.add_get(flow.redirect_uri_path, oauth_redirect)
    web_app.router.add_get("/healthz", health)
    return web_app


async def serve_http(app: AsyncApp, port: int, host: str = "0.0.0.0",
                     path: str = EVENTS_PATH) -> tuple[Stop, int]:
    """Serve Bolt over HTTP in this loop; returns (stop, bound port). Port 0 picks one."""
    runner = web.AppRunner(web_application(app, path), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = port
    server = getattr(site, "_server", None)
    if server is not None and server.sockets:
        bound = server.sockets[0].getsockname()[1]
    log.info("Slack HTTP endpoint listening on %s:%s%s", host, bound, path)

    async def stop() -> None:
        await runner.cleanup()

    return stop, bound


async def start_socket_mode(app: AsyncApp, app_token: str) -> Stop:
    """Connect to Slack over Socket Mode in this loop (returns once connected)."""
    handler = AsyncSocketModeHandler(app, app_token)
    await handler.connect_async()
    log.info("Slack Socket Mode connected")

    async def stop() -> None:
        await handler.close_async()

    return stop


async def start_slack(settings: Any, conversation: Conversation, *,
                      app: AsyncApp | None = None) -> Stop:
    """Start whatever Slack connection ``settings`` configure; returns the stop function."""
    app = app or build_app(settings, conversation)
    app_token = _secret(settings.slack_app_token)
    if app_token and app.oauth_flow is not None:
        log.warning("Multi-workspace OAuth installs need HTTP mode: SLACK_APP_TOKEN is "
                    "ignored and Slack is served over HTTP (/slack/events, /slack/install, "
                    "/slack/oauth_redirect). Unset SLACK_CLIENT_ID/SECRET for Socket Mode.")
        app_token = None
    if app_token:
        return await start_socket_mode(app, app_token)
    if not _secret(settings.slack_signing_secret):
        raise ValueError("HTTP mode needs SLACK_SIGNING_SECRET (or set SLACK_APP_TOKEN "
                         "for Socket Mode)")
    stop, _ = await serve_http(app, settings.http_port)
    return stop
