"""The Bolt ``AsyncApp``: Slack requests in, the neutral ``Conversation`` in between.

The listeners live in ``adapters.slack.listeners`` (one module per concern).
Every listener acknowledges first (Slack allows 3 seconds) and does the slow
work afterwards: the database runs in a worker thread via ``asyncio.to_thread``.
Replies are ephemeral in channels and normal in direct messages (also for a
slash command typed in the person's DM with Vigil). Any error is logged and
answered with a short message — never silence. Bots and Slackbot are never
answered; people of another organisation are refused politely.

Slack resends an event it thinks was missed; event ids are recorded in the
database (``bot.event_log``), so a resent event is handled once whichever
process gets it, also after a restart. In multi-workspace (OAuth) mode
``app_uninstalled`` and ``tokens_revoked`` delete the team's installation,
so nothing is sent there again.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.listeners import register
from adapters.slack.listeners.installation import callback_options
from adapters.slack.listeners.middleware import SeenEvents
from adapters.slack.oauth import OAuthStores, oauth_configured, oauth_mode, oauth_settings
from adapters.slack.people import PLATFORM, Member, People, workspace_key
from bot.conversation import Conversation
from bot.event_log import EventLog

__all__ = ["PLATFORM", "Member", "People", "SeenEvents", "build_app", "register",
           "workspace_key"]

log = logging.getLogger("vigil.slack")


def build_app(settings: Any, conversation: Conversation, *,
              client: AsyncWebClient | None = None,
              seen: SeenEvents | None = None,
              events: EventLog | None = None,
              oauth: AsyncOAuthSettings | None = None) -> AsyncApp:
    """A Bolt AsyncApp for ``settings`` with Vigil's listeners registered.

    Request signatures are always verified. Socket Mode needs no signing secret
    (Slack does not sign socket messages), so without one a random secret is
    used and any HTTP request is rejected. Without ``SLACK_BOT_TOKEN`` but with
    ``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET`` (or ``oauth`` given) the app is
    multi-workspace: each team's bot token comes from the OAuth installation store.
    """
    token = _secret(settings.slack_bot_token)
    signing_secret = _secret(settings.slack_signing_secret) or secrets.token_hex(32)
    if not token:
        if oauth is None:
            if not oauth_mode(settings):
                raise ValueError("SLACK_BOT_TOKEN is not set (or set SLACK_CLIENT_ID and "
                                 "SLACK_CLIENT_SECRET for multi-workspace installs)")
            oauth = oauth_settings(settings, OAuthStores.from_settings(settings))
        if client is None:
            client = AsyncWebClient(base_url=_base_url(settings))
        client.token = None  # the token is per team, from the installation store
        if oauth.callback_options is None:  # the installation sets the workspace up
            oauth.callback_options = callback_options(conversation, client.base_url)
        app = AsyncApp(signing_secret=signing_secret, client=client, oauth_settings=oauth,
                       request_verification_enabled=True)
        register(app, conversation, seen=seen, events=events)
        return app
    if oauth_configured(settings):
        log.info("SLACK_BOT_TOKEN is set: single workspace; SLACK_CLIENT_ID/SECRET ignored")
    if client is None:
        client = AsyncWebClient(token=token, base_url=_base_url(settings))
    elif client.token is None:
        client.token = token
    app = AsyncApp(signing_secret=signing_secret, client=client,
                   request_verification_enabled=True)
    register(app, conversation, seen=seen, events=events)
    return app


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    getter = getattr(value, "get_secret_value", None)
    return (getter() if getter else str(value)) or None


def _base_url(settings: Any) -> str:
    url = getattr(settings, "slack_api_url", None)
    if not url:
        return AsyncWebClient.BASE_URL
    return url if url.endswith("/") else url + "/"
