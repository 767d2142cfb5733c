""""Create task from message" and the add-task modal.

The message's mentions are resolved through ``users.info`` (the mentioned
people join the workspace) before the title is prefilled, within a short
budget: Slack's ``trigger_id`` expires 3 seconds after the click.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.listeners.shared import Slack, message_kwargs
from adapters.slack.people import Refused
from bot.messages import Incoming, Outgoing

log = logging.getLogger("vigil.slack")

NOT_AN_OWNER = ("That owner can't take tasks here (a bot, or someone from another "
                "organisation); nothing was added. Pick a teammate, or leave Owner empty.")
MENTION_BUDGET = 1.5  # seconds of the trigger's 3 spent resolving mentions at most


def register(app: AsyncApp, slack: Slack) -> None:
    @app.shortcut(render.FROM_MESSAGE_CALLBACK)
    async def on_message_shortcut(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                                  context: Any) -> None:
        await ack()
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or ""
        _, user = inbound.actor(body)
        raw = message.get("text") or ""
        try:
            await slack.member(client, context, body, user)
            title = await asyncio.wait_for(slack.mentions(client, context, body, raw),
                                           MENTION_BUDGET)
        except Refused as refused:
            if refused.reply and channel:
                await client.chat_postEphemeral(channel=channel, user=user, text=refused.reply)
            return
        except Exception:  # slow or failing lookups: prefill the names Slack gave, not ids
            log.warning("could not resolve the mentions of a shortcut message", exc_info=True)
            title = inbound.unescape(inbound.replace_mentions(raw, {}))
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=render.add_modal(
                title, json.dumps({"c": channel}, separators=(",", ":"))))
        except Exception:
            log.exception("slack could not open the add modal")
            if channel and user:
                await client.chat_postEphemeral(channel=channel, user=user,
                                                text="I could not open the task form; "
                                                     "try /task add … instead.")

    @app.view(render.ADD_MODAL_CALLBACK)
    async def on_add_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any],
                               client: AsyncWebClient, context: Any) -> None:
        task, errors = render.read_add_modal(view)
        if task is not None and task.due is not None:
            today = slack.conversation.clock.now().date()
            if task.due < today:
                errors = {"due": "That date is in the past; pick today or later."}
        if task is None or errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        _, user = inbound.actor(body)
        try:
            channel = json.loads(view.get("private_metadata") or "{}").get("c") or ""
        except ValueError:
            channel = ""

        async def reply(out: Outgoing) -> None:
            kwargs = message_kwargs(out)
            if channel and not inbound.is_direct_channel(channel):
                try:
                    await client.chat_postEphemeral(channel=channel, user=user, **kwargs)
                    return
                except Exception:
                    log.info("ephemeral reply in %s failed; sending a DM", channel)
            await client.chat_postMessage(channel=user, **kwargs)

        async def work() -> None:
            member = await slack.member(client, context, body, user)
            owner = None
            if task.owner_user:
                try:
                    owner = (await slack.member(client, context, {}, task.owner_user)).handle
                except Refused:
                    await reply(Outgoing.say(NOT_AN_OWNER))
                    return
            text = render.modal_text(task, owner)
            await slack.answer(await slack.ask(Incoming(
                member.workspace_id, member.person_id, text=text, direct=False,
                reply_to=channel or None)), reply, client, user)

        await slack.guarded(work, reply, "add modal")
