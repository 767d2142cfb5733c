"""Button presses: run as the person who PRESSED the button."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.listeners.shared import Slack, message_kwargs
from bot.messages import Outgoing


def register(app: AsyncApp, slack: Slack) -> None:
    @app.action(re.compile(render.ACTION_ID_PATTERN.pattern))
    async def on_button(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                        respond: Any, context: Any) -> None:
        await ack()
        _, user = render.actor(body)
        channel = str((body.get("channel") or {}).get("id") or "")
        from_home = (body.get("view") or {}).get("type") == "home"

        async def reply(out: Outgoing) -> None:
            kwargs = message_kwargs(out)
            if channel and not render.is_direct_channel(channel) and body.get("response_url"):
                await respond(response_type="ephemeral", replace_original=False, **kwargs)
            else:
                await client.chat_postMessage(channel=channel or user, **kwargs)

        async def work() -> None:
            member = await slack.member(client, context, body, user)
            incoming = render.incoming_from_action(body, member.workspace_id, member.person_id)
            if incoming is None:
                await reply(Outgoing.say("That button is out of date; try the command instead."))
                return
            await slack.answer(await slack.ask(incoming), reply, client, user)
            if from_home:
                await slack.publish_home(client, member, user)

        await slack.guarded(work, reply, "button")
