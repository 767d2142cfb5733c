"""Slack's HTTP endpoints on Vigil's shared HTTP server.

``POST /slack/events`` takes slash commands, interactivity and events. The
body (already size-limited by the server) is checked against Slack's request
signature BEFORE it is parsed: an unsigned or forged request is refused with
401 and never reaches Bolt; a signed but malformed one gets 400. In
multi-workspace (OAuth) mode the install and redirect pages are public routes.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.http_server import HttpServer

log = logging.getLogger("vigil.slack")

EVENTS_PATH = "/slack/events"


def signature_ok(verifier: SignatureVerifier, body: str, headers: Any) -> bool:
    """Slack's v0 signature over the raw body; a malformed timestamp is simply invalid."""
    try:
        return verifier.is_valid(body=body,
                                 timestamp=headers.get("X-Slack-Request-Timestamp"),
                                 signature=headers.get("X-Slack-Signature"))
    except (TypeError, ValueError):
        return False


def events_handler(http: HttpServer, app: AsyncApp, signing_secret: str) -> Any:
    """The aiohttp handler for ``POST /slack/events``: verify, then parse, then Bolt."""
    verifier = SignatureVerifier(signing_secret)

    async def events(request: web.Request) -> web.Response:
        try:
            body = (await http.read_body(request)).decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="body is not text")
        if not signature_ok(verifier, body, request.headers):
            return web.Response(status=401, text="invalid signature")
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string,
                                            headers=dict(request.headers))
        except (ValueError, TypeError, KeyError) as exc:  # signed but not a Slack payload
            return web.Response(status=400, text=f"malformed payload ({type(exc).__name__})")
        return await to_aiohttp_response(await app.async_dispatch(bolt_request))

    return events


def register_routes(http: HttpServer, app: AsyncApp, signing_secret: str) -> None:
    """Mount ``/slack/events`` (and the OAuth pages when the app installs per team)."""
    http.add_routes([web.post(EVENTS_PATH, events_handler(http, app, signing_secret))])
    flow = app.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request)))

    async def oauth_redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_callback(await to_bolt_request(request)))

    http.add_routes([web.get(flow.install_path, install),
                     web.get(flow.redirect_uri_path, oauth_redirect)], public=True)
