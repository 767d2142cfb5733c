"""Native pickers inside Vigil's questions: a Block Kit datepicker and users_select (#13).

The picker's ``block_id`` carries the core action and its id arguments (as a
button's value does); choosing a day adds ``date`` (ISO), choosing a person
adds ``owner`` (their Vigil id: a Slack user Vigil has not met yet is looked up
through users.info first, like any mention).
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.listeners.shared import Slack, action_replier
from bot.messages import Action, Incoming, Outgoing


def register(app: AsyncApp, slack: Slack) -> None:
    @app.action(render.DATE_PICKER_ACTION)
    async def on_date(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                      respond: Any, context: Any) -> None:
        await ack()
        await _picked(slack, body, client, respond, context)

    @app.action(render.USER_PICKER_ACTION)
    async def on_user(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                      respond: Any, context: Any) -> None:
        await ack()
        await _picked(slack, body, client, respond, context)


async def _picked(slack: Slack, body: dict[str, Any], client: AsyncWebClient, respond: Any,
                  context: Any) -> None:
    _, user = inbound.actor(body)
    channel = str((body.get("channel") or {}).get("id") or "")

    reply = action_replier(body, respond, client, user)

    async def work() -> None:
        member = await slack.member(client, context, body, user)
        picked = (body.get("actions") or [{}])[0]
        action = render.decode_action(picked.get("block_id"))
        if action is None:
            await reply(Outgoing.say("That picker is out of date; try the command instead."))
            return
        args = dict(action.args)
        if picked.get("selected_date"):
            args["date"] = str(picked["selected_date"])
        elif picked.get("selected_user"):
            chosen = await slack.member(client, context, body, str(picked["selected_user"]))
            args["owner"] = chosen.person_id
        else:
            return  # cleared: nothing chosen
        incoming = Incoming(member.workspace_id, member.person_id,
                            action=Action(action.action, args),
                            direct=inbound.is_direct_channel(channel), reply_to=channel,
                            chat=channel)
        await slack.answer(await slack.ask(incoming), reply, client, user)

    await slack.guarded(work, reply, "picker")
