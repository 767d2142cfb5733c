"""What every Slack listener module shares: the core, the people, replies and errors."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.people import EXTERNAL, Member, People, Refused
from bot.charts import discard_chart
from bot.conversation import Conversation
from bot.messages import Incoming, Outgoing

log = logging.getLogger("vigil.slack")

SORRY = "Something went wrong on my side; nothing was changed. Please try again."
Reply = Callable[[Outgoing], Awaitable[None]]


def message_kwargs(out: Outgoing) -> dict[str, Any]:
    return {"text": render.fallback_text(out), "blocks": render.blocks(out)}


def home_team(context: Mapping[str, Any], body: Mapping[str, Any]) -> tuple[str, str | None]:
    """(team, enterprise) of the installation a payload reached.

    Single-token apps: the token's team (auth.test), whatever team the payload
    names — an outsider's interaction names theirs. OAuth apps: the installation
    Bolt authorised. Org-wide installs: the workspace the payload came from.
    """
    result = context.get("authorize_result")
    team = getattr(result, "team_id", None) or context.get("team_id") or inbound.actor(body)[0]
    enterprise = getattr(result, "enterprise_id", None) or context.get("enterprise_id")
    return str(team or ""), enterprise


@dataclass
class Slack:
    """The listeners' shared services (one per Bolt app)."""

    conversation: Conversation
    people: People
    dm_channels: dict[tuple[str, str], str] = field(default_factory=dict)

    async def ask(self, incoming: Incoming) -> Outgoing:
        return await asyncio.to_thread(self.conversation.handle, incoming)

    async def member(self, client: AsyncWebClient, context: Mapping[str, Any],
                     body: Mapping[str, Any], user: str, *, may_create: bool = False,
                     team_name: str | None = None) -> Member:
        """The person behind a payload; ``Refused`` for bots, outsiders, unknown teams."""
        team, enterprise = home_team(context, body)
        if inbound.from_a_bot(body):
            raise Refused(None)
        if inbound.is_outsider(body, team, enterprise):
            raise Refused(EXTERNAL)
        return await self.people.member(client, team, user, enterprise=enterprise,
                                        team_name=team_name, may_create=may_create)

    async def mentions(self, client: AsyncWebClient, context: Mapping[str, Any],
                       body: Mapping[str, Any], text: str) -> str:
        team, enterprise = home_team(context, body)
        return await self.people.resolve_mentions(client, team, text,
                                                  context.get("bot_user_id"),
                                                  enterprise=enterprise)

    async def answer(self, out: Outgoing, reply: Reply, client: AsyncWebClient,
                     user: str) -> None:
        """Send the reply; a chart (PNG) goes to the person's DM with Vigil, never a channel."""
        await reply(out)
        if out.image_path:
            try:
                await send_image(client, user, out.image_path)
            finally:
                discard_chart(out.image_path)

    async def guarded(self, work: Callable[[], Awaitable[None]], reply: Reply,
                      what: str) -> None:
        """Run a listener's work: refusals are answered, errors logged and apologised for."""
        try:
            await work()
            return
        except Refused as refused:
            if refused.reply is None:
                return
            text = refused.reply
        except Exception:
            log.exception("slack %s failed", what)
            text = SORRY
        try:
            await reply(Outgoing.say(text))
        except Exception:
            log.exception("could not tell the user why %s got no answer", what)

    async def own_dm(self, client: AsyncWebClient, team: str, user: str) -> str | None:
        """The id of the user's DM with Vigil (None when Slack would not say)."""
        key = (team, user)
        if key not in self.dm_channels:
            try:
                opened = await client.conversations_open(users=user)
                self.dm_channels[key] = str(opened["channel"]["id"])
            except Exception:
                log.warning("conversations.open failed for %s; answering privately", user,
                            exc_info=True)
                return None
        return self.dm_channels[key]

    async def publish_home(self, client: AsyncWebClient, member: Member, user: str) -> None:
        """Publish My Tasks at once (the Home job repaints it later when tasks change)."""
        tasks = await asyncio.to_thread(self.conversation.home, member.workspace_id,
                                        member.person_id)
        await client.views_publish(user_id=user, view=render.home_view(tasks))


async def send_image(client: AsyncWebClient, user: str, path: str) -> None:
    """Upload a chart to the user's DM with Vigil (needs the ``files:write`` scope)."""
    try:
        opened = await client.conversations_open(users=user)
        await client.files_upload_v2(channel=opened["channel"]["id"], file=path,
                                     filename=os.path.basename(path), title="Vigil chart")
    except Exception:
        log.exception("slack chart upload failed for %s", user)
        try:
            await client.chat_postMessage(channel=user, text=(
                "I drew the chart but could not upload it to Slack "
                "(the app may be missing the files:write scope)."))
        except Exception:
            log.exception("could not tell %s about the failed chart", user)


def action_replier(body: dict[str, Any], respond: Any, client: Any, user: str) -> Any:
    """How to answer a button or picker press: privately in a channel, normally in a DM."""
    channel = str((body.get("channel") or {}).get("id") or "")

    async def reply(out: Outgoing) -> None:
        kwargs = message_kwargs(out)
        if channel and not inbound.is_direct_channel(channel) and body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, **kwargs)
        else:
            await client.chat_postMessage(channel=channel or user, **kwargs)

    return reply
