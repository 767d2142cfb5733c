"""Slash commands ``/task …`` and ``/tasks``."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.listeners.shared import Slack, home_team, message_kwargs
from bot.messages import Outgoing


def register(app: AsyncApp, slack: Slack, *, create_on_dm: bool) -> None:
    """``create_on_dm``: a command typed in the DM with Vigil may set it up (single token)."""

    async def on_command(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                         respond: Any, context: Any) -> None:
        await ack()
        channel = str(body.get("channel_id") or "")
        in_dm = False  # typed in the person's own DM with Vigil (known inside work)

        async def reply(out: Outgoing) -> None:
            if in_dm:  # a normal message: ephemeral ones vanish from a DM on reload
                await client.chat_postMessage(channel=channel, **message_kwargs(out))
            else:
                await respond(response_type="ephemeral", replace_original=False,
                              **message_kwargs(out))

        async def work() -> None:
            nonlocal in_dm
            team, _ = home_team(context, body)
            _, user = inbound.actor(body)
            # A DM with someone else is theirs too: Vigil answers there only privately.
            in_dm = inbound.is_dm_command(body) and await slack.own_dm(client, team,
                                                                       user) == channel
            # Typed in the DM with Vigil is "writing in a DM": it may set Vigil up.
            member = await slack.member(client, context, body, user,
                                        may_create=in_dm and create_on_dm,
                                        team_name=body.get("team_domain"))
            text = await slack.mentions(client, context, body, body.get("text") or "")
            await slack.answer(await slack.ask(inbound.incoming_from_command(
                body, member.workspace_id, member.person_id, text, direct=in_dm)),
                reply, client, user)

        await slack.guarded(work, reply, body.get("command", "command"))

    app.command("/task")(on_command)
    app.command("/tasks")(on_command)
