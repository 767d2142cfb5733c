"""App Home: the person's My Tasks. Opening it never sets a workspace up."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.listeners.shared import Slack
from adapters.slack.people import Refused
from bot.messages import Outgoing

log = logging.getLogger("vigil.slack")


def register(app: AsyncApp, slack: Slack) -> None:
    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
                      context: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        _, user = inbound.actor(body)
        try:
            try:
                member = await slack.member(client, context, body, user)
            except Refused as refused:
                if refused.reply is not None:  # not set up yet, or an outsider: say so there
                    await client.views_publish(user_id=user, view=render.home_view(
                        Outgoing.say(refused.reply)))
                return
            await slack.publish_home(client, member, user)
        except Exception:
            log.exception("slack app home failed for %s", user)
