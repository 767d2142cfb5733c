"""Plain words: DMs with Vigil and mentions, with shared files as proof.

Only what a person wrote counts (``inbound.USER_SUBTYPES``: plain messages,
file shares, thread replies also sent to the channel, ``/me`` messages);
edits, joins and bot posts are not for Vigil. In single-token mode the first
person who writes to Vigil in a DM sets the workspace up (and is its admin).
Files shared from another organisation (Slack Connect) arrive without links:
``files.info`` fetches them; when a file cannot be read the person is told
and the task is not completed.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.listeners.shared import Slack, message_kwargs
from bot.messages import Incoming, Outgoing

log = logging.getLogger("vigil.slack")

PROOF_HELP = (
    "Which task is this proof for? Share the file again with a caption like '#12 done', "
    "or in the thread of the task's message."
)
UNREADABLE = (
    "I could not open the file you shared (it comes from another organisation, or Slack "
    "would not let me read it), so #{number} was not completed. Upload the file here "
    "directly, or add a link to it as a note."
)


async def readable_files(client: AsyncWebClient, event: dict[str, Any]
                         ) -> tuple[list[inbound.SharedFile], list[str]]:
    """The event's files as proof, Slack Connect ones through ``files.info``.

    Returns (files, ids of files that could not be read).
    """
    files = inbound.shared_files(event)
    unreadable: list[str] = []
    for file_id in inbound.withheld_files(event):
        try:
            found = inbound.shared_file((await client.files_info(file=file_id)).get("file"))
        except Exception as exc:  # file_not_found, access_denied, missing files:read ...
            log.info("files.info could not read %s: %s", file_id, exc)
            found = None
        if found is None:
            unreadable.append(file_id)
        else:
            files.append(found)
    return files, unreadable


def register(app: AsyncApp, slack: Slack, *, create_on_dm: bool) -> None:
    """``create_on_dm``: a first DM sets Vigil up (single-token mode)."""

    async def on_words(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
                       context: Any) -> None:
        _, user = inbound.actor(body)
        channel = str(event.get("channel") or "")
        direct = event.get("channel_type") == "im"

        async def reply(out: Outgoing) -> None:
            kwargs = message_kwargs(out)
            thread = event.get("thread_ts")
            if thread:
                kwargs["thread_ts"] = thread
            if direct:
                await client.chat_postMessage(channel=channel, **kwargs)
            else:
                await client.chat_postEphemeral(channel=channel, user=user, **kwargs)

        async def work() -> None:
            member = await slack.member(client, context, body, user,
                                        may_create=direct and create_on_dm)
            text = await slack.mentions(client, context, body, event.get("text") or "")
            incoming = inbound.incoming_from_message(event, member.workspace_id,
                                                    member.person_id,
                                                    context.get("bot_user_id"), text)
            if event.get("files"):  # proof: "#12 done" with a photo or file completes #12
                number = inbound.task_number(text) or await thread_task(client, event)
                if number is None:
                    await reply(Outgoing.say(PROOF_HELP))
                    return
                files, unreadable = await readable_files(client, event)
                if unreadable or not files:
                    await reply(Outgoing.say(UNREADABLE.format(number=number)))
                    return
                incoming = Incoming(member.workspace_id, member.person_id,
                                    text=inbound.proof_text(number, files),
                                    direct=incoming.direct, reply_to=incoming.reply_to,
                                    attachment=files[0].link)
            await slack.answer(await slack.ask(incoming), reply, client, user)

        await slack.guarded(work, reply, event.get("type", "event"))

    async def is_dm_for_vigil(event: dict[str, Any]) -> bool:
        """A person's own words (or shared files) in their DM with Vigil."""
        return (event.get("channel_type") == "im"
                and event.get("subtype") in inbound.USER_SUBTYPES
                and not event.get("bot_id") and bool(event.get("user")))

    app.event("message", matchers=[is_dm_for_vigil])(on_words)
    app.event("app_mention")(on_words)

    @app.event("message")
    async def ignore_other_messages() -> None:
        """Edits, joins, bot posts and channel chatter are not for Vigil."""


async def thread_task(client: AsyncWebClient, event: dict[str, Any]) -> int | None:
    """The task named by the message a file was shared under (its thread's parent)."""
    thread, channel = event.get("thread_ts"), event.get("channel")
    if not thread or not channel or thread == event.get("ts"):
        return None
    try:
        found = await client.conversations_replies(channel=channel, ts=thread, limit=1)
    except Exception:
        log.warning("could not read the thread of a shared file in %s", channel, exc_info=True)
        return None
    messages = found.get("messages") or []
    return inbound.task_number(messages[0].get("text")) if messages else None
