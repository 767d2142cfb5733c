"""Button presses: run as the person who PRESSED the button."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.listeners.shared import Slack, action_replier
from bot.messages import Outgoing


def register(app: AsyncApp, slack: Slack) -> None:
    @app.action(re.compile(render.ACTION_ID_PATTERN.pattern))
    async def on_button(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                        respond: Any, context: Any) -> None:
        await ack()
        _, user = inbound.actor(body)
        from_home = (body.get("view") or {}).get("type") == "home"

        reply = action_replier(body, respond, client, user)

        async def work() -> None:
            member = await slack.member(client, context, body, user)
            incoming = inbound.incoming_from_action(body, member.workspace_id, member.person_id)
            if incoming is None:
                await reply(Outgoing.say("That button is out of date; try the command instead."))
                return
            await slack.answer(await slack.ask(incoming), reply, client, user)
            if from_home:
                await slack.publish_home(client, member, user)

        await slack.guarded(work, reply, "button")
