"""The Bolt ``AsyncApp``: Slack requests in, the neutral ``Conversation`` in between.

Every listener acknowledges first (Slack allows 3 seconds) and does the slow
work afterwards: the database runs in a worker thread via ``asyncio.to_thread``.
Replies are ephemeral in channels and normal in direct messages (also for a
slash command typed in the person's DM with Vigil). Any error is logged and
answered with a short message — never silence.

Slack resends an event it thinks was missed; event ids are recorded in the
database (``bot.event_log``), so a resent event is handled once whichever
process gets it, also after a restart. A file shared in the DM with a caption
naming a task ("#12 done") is proof: the task is completed with the file's
link, as on Telegram. In multi-workspace (OAuth) mode ``app_uninstalled`` and
``tokens_revoked`` delete the team's installation, so nothing is sent there again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.oauth import OAuthStores, oauth_configured, oauth_mode, oauth_settings
from bot.conversation import Conversation
from bot.event_log import EventLog
from bot.messages import Incoming, Outgoing

log = logging.getLogger("vigil.slack")

PLATFORM = "slack"
SORRY = "Something went wrong on my side; nothing was changed. Please try again."
PROOF_HELP = (
    "Which task is this proof for? Share the file again with a caption like '#12 done', "
    "or in the thread of the task's message."
)
# Events about the app itself: no user, and Bolt skips the token lookup for them.
APP_EVENTS = ("app_uninstalled", "tokens_revoked")


def workspace_key(team_id: str) -> str:
    return f"slack:{team_id}"


class SeenEvents:
    """A bounded LRU of event ids already handled by this process.

    In front of the database's ``EventLog``: a quick retry to the same process
    is dropped without a database round trip.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        while len(self._ids) > self.capacity:
            self._ids.popitem(last=False)
        return True


@dataclass(frozen=True)
class Member:
    workspace_id: int
    person_id: int
    handle: str


class People:
    """Slack users -> Vigil people, created on first contact from ``users.info``."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self._known: dict[tuple[str, str], Member] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def member(self, client: AsyncWebClient, team_id: str, user_id: str,
                     team_name: str | None = None) -> Member:
        key = (team_id, user_id)
        if key in self._known:
            return self._known[key]
        # one first contact at a time per user, so concurrent requests onboard once
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self._known:
                return self._known[key]
            user: Mapping[str, Any] = {"id": user_id}
            looked_up = False
            try:
                info = await client.users_info(user=user_id)
                user, looked_up = info.get("user") or user, True
            except Exception:  # a missing scope or a hiccup must not lock the person out
                log.warning("users.info failed for %s; onboarding with defaults", user_id,
                            exc_info=True)
            tz = user.get("tz") or "UTC"
            handle = render.handle_for(user)
            ws, person = await asyncio.to_thread(
                self.conversation.onboard, workspace_key(team_id),
                team_name or f"Slack {team_id}", PLATFORM, user_id, render.name_for(user),
                handle, tz)
            member = Member(ws, person, handle)
            if looked_up:  # after a failed lookup, try users.info again next time
                self._known[key] = member
        self._locks.pop(key, None)
        return member

    async def resolve_mentions(self, client: AsyncWebClient, team_id: str, text: str,
                               bot_user_id: str | None = None) -> str:
        """Slack mentions -> ``@handle`` (mentioned users are onboarded too), then unescape."""
        handles: dict[str, str] = {}
        for uid in render.mention_ids(text):
            if uid == bot_user_id:
                continue
            handles[uid] = (await self.member(client, team_id, uid)).handle
        return render.unescape(render.replace_mentions(text, handles))


Reply = Callable[[Outgoing], Awaitable[None]]


def _message_kwargs(out: Outgoing) -> dict[str, Any]:
    return {"text": render.fallback_text(out), "blocks": render.blocks(out)}


def register(app: AsyncApp, conversation: Conversation, *,
             seen: SeenEvents | None = None, events: EventLog | None = None) -> People:
    """Attach every Vigil listener to ``app``; returns the people mapper it uses.

    ``events``: where handled event ids are kept (default: Vigil's database).
    """
    people = People(conversation)
    seen = seen or SeenEvents()
    events = events or EventLog(conversation.uow_factory, conversation.clock)
    dm_channels: dict[tuple[str, str], str] = {}

    async def ask(incoming: Incoming) -> Outgoing:
        return await asyncio.to_thread(conversation.handle, incoming)

    async def answer(out: Outgoing, reply: Reply, client: AsyncWebClient, user: str) -> None:
        """Send the reply; a chart (PNG) goes to the person's DM with Vigil, never a channel."""
        await reply(out)
        if out.image_path:
            await send_image(client, user, out.image_path)

    async def guarded(work: Callable[[], Awaitable[None]], reply: Reply, what: str) -> None:
        try:
            await work()
        except Exception:
            log.exception("slack %s failed", what)
            try:
                await reply(Outgoing.say(SORRY))
            except Exception:
                log.exception("could not tell the user that %s failed", what)

    async def first_time(event_id: str) -> bool:
        """This process, then every process (the database), sees the event for the first time."""
        if not seen.first_time(event_id):
            return False
        try:
            return await asyncio.to_thread(events.first_time, PLATFORM, event_id)
        except Exception:  # handled anyway: a lost event is worse than a rare double
            log.exception("could not record slack event %s; handling it anyway", event_id)
            return True

    # -- retried events: Slack resends when the ack was slow; handle each event once --
    @app.middleware
    async def drop_retried_events(body: dict[str, Any], next: Callable[[], Awaitable[None]]
                                  ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await first_time(str(event_id)):
            log.info("slack event %s already handled; retry ignored", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    # -- nothing to map a person from (message edits, bot posts, system events) -----
    @app.middleware
    async def require_actor(body: dict[str, Any], next: Callable[[], Awaitable[None]]
                            ) -> BoltResponse | None:
        team, user = render.actor(body)
        if (body.get("event") or {}).get("type") in APP_EVENTS and team:
            await next()
            return None
        if not team or not user:
            log.debug("slack payload without a team or user ignored: %s", body.get("type"))
            return BoltResponse(status=200, body="")
        await next()
        return None

    # -- slash commands ------------------------------------------------------------
    async def own_dm(client: AsyncWebClient, team: str, user: str) -> str | None:
        """The id of the user's DM with Vigil (None when Slack would not say)."""
        key = (team, user)
        if key not in dm_channels:
            try:
                opened = await client.conversations_open(users=user)
                dm_channels[key] = str(opened["channel"]["id"])
            except Exception:
                log.warning("conversations.open failed for %s; answering privately", user,
                            exc_info=True)
                return None
        return dm_channels[key]

    async def on_command(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                         respond: Any, context: Any) -> None:
        await ack()
        channel = str(body.get("channel_id") or "")
        in_dm = False  # typed in the person's own DM with Vigil (known inside work)

        async def reply(out: Outgoing) -> None:
            if in_dm:  # a normal message: ephemeral ones vanish from a DM on reload
                await client.chat_postMessage(channel=channel, **_message_kwargs(out))
            else:
                await respond(response_type="ephemeral", replace_original=False,
                              **_message_kwargs(out))

        async def work() -> None:
            nonlocal in_dm
            team, user = render.actor(body)
            member = await people.member(client, team, user, body.get("team_domain"))
            # A DM with someone else is theirs too: Vigil answers there only privately.
            in_dm = render.is_dm_command(body) and await own_dm(client, team, user) == channel
            text = await people.resolve_mentions(client, team, body.get("text") or "",
                                                 context.get("bot_user_id"))
            await answer(await ask(render.incoming_from_command(
                body, member.workspace_id, member.person_id, text, direct=in_dm)),
                reply, client, user)

        await guarded(work, reply, body.get("command", "command"))

    app.command("/task")(on_command)
    app.command("/tasks")(on_command)

    # -- plain words: DMs and mentions --------------------------------------------
    async def on_words(body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient,
                       context: Any) -> None:
        team, user = render.actor(body)
        channel = str(event.get("channel") or "")
        direct = event.get("channel_type") == "im"

        async def reply(out: Outgoing) -> None:
            kwargs = _message_kwargs(out)
            thread = event.get("thread_ts")
            if thread:
                kwargs["thread_ts"] = thread
            if direct:
                await client.chat_postMessage(channel=channel, **kwargs)
            else:
                await client.chat_postEphemeral(channel=channel, user=user, **kwargs)

        async def work() -> None:
            member = await people.member(client, team, user)
            bot = context.get("bot_user_id")
            text = await people.resolve_mentions(client, team, event.get("text") or "", bot)
            incoming = render.incoming_from_message(event, member.workspace_id,
                                                    member.person_id, bot, text)
            files = render.shared_files(event)
            if files:  # proof: "#12 done" with a photo or file completes #12 with it
                number = render.task_number(text) or await thread_task(client, event)
                if number is None:
                    await reply(Outgoing.say(PROOF_HELP))
                    return
                incoming = Incoming(member.workspace_id, member.person_id,
                                    text=render.proof_text(number, files),
                                    direct=incoming.direct, reply_to=incoming.reply_to,
                                    attachment=files[0].link)
            await answer(await ask(incoming), reply, client, user)

        await guarded(work, reply, event.get("type", "event"))

    async def thread_task(client: AsyncWebClient, event: dict[str, Any]) -> int | None:
        """The task named by the message a file was shared under (its thread's parent)."""
        thread, channel = event.get("thread_ts"), event.get("channel")
        if not thread or not channel or thread == event.get("ts"):
            return None
        try:
            found = await client.conversations_replies(channel=channel, ts=thread, limit=1)
        except Exception:
            log.warning("could not read the thread of a shared file in %s", channel,
                        exc_info=True)
            return None
        messages = found.get("messages") or []
        return render.task_number(messages[0].get("text")) if messages else None

    async def is_dm_for_vigil(event: dict[str, Any]) -> bool:
        """A person's own words (or shared files) in their DM with Vigil."""
        return (event.get("channel_type") == "im"
                and event.get("subtype") in (None, "file_share")
                and not event.get("bot_id") and bool(event.get("user")))

    app.event("message", matchers=[is_dm_for_vigil])(on_words)
    app.event("app_mention")(on_words)

    @app.event("message")
    async def ignore_other_messages() -> None:
        """Edits, joins, bot posts and channel chatter are not for Vigil."""

    # -- buttons ---------------------------------------------------------------------
    @app.action(re.compile(render.ACTION_ID_PATTERN.pattern))
    async def on_button(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                        respond: Any) -> None:
        await ack()
        team, user = render.actor(body)
        channel = str((body.get("channel") or {}).get("id") or "")
        from_home = (body.get("view") or {}).get("type") == "home"

        async def reply(out: Outgoing) -> None:
            kwargs = _message_kwargs(out)
            if channel and not render.is_direct_channel(channel) and body.get("response_url"):
                await respond(response_type="ephemeral", replace_original=False, **kwargs)
            else:
                await client.chat_postMessage(channel=channel or user, **kwargs)

        async def work() -> None:
            member = await people.member(client, team, user)
            incoming = render.incoming_from_action(body, member.workspace_id, member.person_id)
            if incoming is None:
                await reply(Outgoing.say("That button is out of date; try the command instead."))
                return
            await answer(await ask(incoming), reply, client, user)
            if from_home:
                await publish_home(client, member, user)

        await guarded(work, reply, "button")

    # -- App Home ------------------------------------------------------------------------
    async def publish_home(client: AsyncWebClient, member: Member, user: str) -> None:
        """Publish My Tasks at once (the Home job repaints it later when tasks change)."""
        tasks = await asyncio.to_thread(conversation.home, member.workspace_id,
                                        member.person_id)
        await client.views_publish(user_id=user, view=render.home_view(tasks))

    @app.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any],
                      client: AsyncWebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        team, user = render.actor(body)
        try:
            await publish_home(client, await people.member(client, team, user), user)
        except Exception:
            log.exception("slack app home failed for %s", user)

    # -- "Create task from message" and the add modal --------------------------------------
    @app.shortcut(render.FROM_MESSAGE_CALLBACK)
    async def on_message_shortcut(ack: Any, body: dict[str, Any],
                                  client: AsyncWebClient) -> None:
        await ack()
        # trigger_id expires in 3 seconds: open the modal before anything slow
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or ""
        title = render.unescape(render.replace_mentions(message.get("text") or "", {}))
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=render.add_modal(
                title, json.dumps({"c": channel}, separators=(",", ":"))))
        except Exception:
            log.exception("slack could not open the add modal")
            team, user = render.actor(body)
            if channel and user:
                await client.chat_postEphemeral(channel=channel, user=user,
                                                text="I could not open the task form; "
                                                     "try /task add … instead.")

    @app.view(render.ADD_MODAL_CALLBACK)
    async def on_add_submitted(ack: Any, body: dict[str, Any], view: dict[str, Any],
                               client: AsyncWebClient) -> None:
        task, errors = render.read_add_modal(view)
        if task is not None and task.due is not None:
            today = conversation.clock.now().date()
            if task.due < today:
                errors = {"due": "That date is in the past; pick today or later."}
        if task is None or errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        team, user = render.actor(body)
        try:
            channel = json.loads(view.get("private_metadata") or "{}").get("c") or ""
        except ValueError:
            channel = ""

        async def reply(out: Outgoing) -> None:
            kwargs = _message_kwargs(out)
            if channel and not render.is_direct_channel(channel):
                try:
                    await client.chat_postEphemeral(channel=channel, user=user, **kwargs)
                    return
                except Exception:
                    log.info("ephemeral reply in %s failed; sending a DM", channel)
            await client.chat_postMessage(channel=user, **kwargs)

        async def work() -> None:
            member = await people.member(client, team, user)
            owner = (await people.member(client, team, task.owner_user)).handle \
                if task.owner_user else None
            text = render.modal_text(task, owner)
            await answer(await ask(Incoming(member.workspace_id, member.person_id, text=text,
                                            direct=False, reply_to=channel or None)),
                         reply, client, user)

        await guarded(work, reply, "add modal")

    register_app_events(app)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("slack request failed: %s", error, exc_info=error)

    return people


def register_app_events(app: AsyncApp) -> None:
    """``app_uninstalled`` and ``tokens_revoked``: forget the team's installation.

    With an installation store (OAuth) the team's bot is deleted, so the
    delivery port finds no token and fails its notices permanently instead of
    retrying them. A single-token app has nothing to delete: it says so in the
    log (Slack then refuses the old token, which the port also treats as final).
    """
    store = app.installation_store
    revocation = AsyncTokenRevocationListeners(store) if store is not None else None

    @app.event("app_uninstalled")
    async def on_uninstalled(context: Any) -> None:
        team = context.team_id
        if revocation is None:
            log.warning("Vigil was uninstalled from Slack team %s; set a new SLACK_BOT_TOKEN "
                        "after installing it again", team)
            return
        await revocation.handle_app_uninstalled_events(context)
        log.warning("Vigil was uninstalled from Slack team %s: installation deleted, nothing "
                    "more is sent there", team)

    @app.event("tokens_revoked")
    async def on_tokens_revoked(event: dict[str, Any], context: Any) -> None:
        team = context.team_id
        if revocation is None:
            log.warning("Slack team %s revoked Vigil's tokens: %s", team, event.get("tokens"))
            return
        await revocation.handle_tokens_revoked_events(event, context)
        log.warning("Slack team %s revoked Vigil's tokens %s: deleted", team,
                    event.get("tokens"))


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
