"""Slack users -> Vigil people, and who may not be one.

A person joins the workspace of the Slack team Vigil is installed in. Bots
(``is_bot``, Slackbot ``USLACKBOT``) are never people. Users of another
organisation (a Slack Connect channel or DM: their team differs from the
installation's and they are not in its Enterprise Grid org) are refused
politely. A Vigil workspace is only created where the caller allows it
(``may_create``: the installation, or in single-token mode a first DM);
everywhere else an unknown team gets "not set up yet".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from bot.conversation import Conversation

log = logging.getLogger("vigil.slack")

PLATFORM = "slack"
SLACKBOT = "USLACKBOT"
NOT_SET_UP = (
    "Vigil is not set up in this Slack workspace yet. Send me a direct message to start — "
    "the first person to do so (or whoever installed the app) becomes its admin."
)
NOT_INSTALLED = (
    "Vigil's installation in this Slack workspace did not finish setting it up. Ask whoever "
    "installed Vigil to install it again (they become its admin)."
)
EXTERNAL = (
    "Sorry — I only work for members of the Slack workspace I'm installed in, so I can't "
    "take requests from another organisation. Your organisation can install Vigil for itself."
)


def workspace_key(team_id: str) -> str:
    return f"{PLATFORM}:{team_id}"


class Refused(Exception):
    """This Slack user is not (or not yet) a Vigil person; ``reply`` says why (None: silence)."""

    def __init__(self, reply: str | None) -> None:
        super().__init__(reply or "ignored")
        self.reply = reply


@dataclass(frozen=True)
class Member:
    workspace_id: int
    person_id: int
    handle: str


def is_external_user(user: Mapping[str, Any], team: str, enterprise: str | None) -> bool:
    """A users.info user of another organisation than the installation's."""
    if user.get("is_stranger"):
        return True
    home = user.get("team_id")
    if not home or home == team:
        return False
    their_org = (user.get("enterprise_user") or {}).get("enterprise_id")
    return not (enterprise and their_org == enterprise)


def is_bot_user(user: Mapping[str, Any]) -> bool:
    return bool(user.get("is_bot")) or user.get("id") == SLACKBOT


class People:
    """Slack users -> Vigil people, onboarded on first contact from ``users.info``."""

    def __init__(self, conversation: Conversation, not_set_up: str = NOT_SET_UP) -> None:
        self.conversation = conversation
        self.not_set_up = not_set_up  # what a person of a team without a workspace is told
        self._known: dict[tuple[str, str], Member] = {}
        self._users: dict[str, Mapping[str, Any]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def lookup(self, client: AsyncWebClient, user_id: str) -> Mapping[str, Any] | None:
        """The users.info user (cached once found); None when Slack would not say."""
        if user_id in self._users:
            return self._users[user_id]
        try:
            info = await client.users_info(user=user_id)
        except Exception:  # a missing scope or a hiccup must not lock the person out
            log.warning("users.info failed for %s", user_id, exc_info=True)
            return None
        user = info.get("user")
        if isinstance(user, Mapping):
            self._users[user_id] = user
            return user
        return None

    async def member(self, client: AsyncWebClient, team: str, user_id: str, *,
                     enterprise: str | None = None, team_name: str | None = None,
                     may_create: bool = False) -> Member:
        """The Vigil person for a Slack user; raises ``Refused`` for bots and outsiders."""
        if user_id == SLACKBOT:
            raise Refused(None)
        key = (team, user_id)
        if key in self._known:
            return self._known[key]
        # one first contact at a time per user, so concurrent requests onboard once
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self._known:
                return self._known[key]
            found = await self.lookup(client, user_id)
            user: Mapping[str, Any] = found or {"id": user_id}
            if is_bot_user(user):
                raise Refused(None)
            if is_external_user(user, team, enterprise):
                raise Refused(EXTERNAL)
            tz, handle, name = user.get("tz") or "UTC", inbound.handle_for(user), \
                inbound.name_for(user)
            if may_create:
                ws, person = await asyncio.to_thread(
                    self.conversation.onboard, workspace_key(team),
                    team_name or f"Slack {team}", PLATFORM, user_id, name, handle, tz)
            else:
                joined = await asyncio.to_thread(self.conversation.join, workspace_key(team),
                                                 PLATFORM, user_id, name, handle, tz)
                if joined is None:
                    raise Refused(self.not_set_up)
                ws, person = joined
            member = Member(ws, person, handle)
            if found is not None:  # after a failed lookup, try users.info again next time
                self._known[key] = member
        self._locks.pop(key, None)
        return member

    async def resolve_mentions(self, client: AsyncWebClient, team: str, text: str,
                               bot_user_id: str | None = None, *,
                               enterprise: str | None = None) -> str:
        """Slack mentions -> ``@handle`` (mentioned people join too), then unescape.

        A mentioned bot or outsider is not a person: their mention becomes their
        name without ``@``, so it reads naturally and names nobody.
        """
        names: dict[str, str] = {}
        for uid in inbound.mention_ids(text):
            if uid == bot_user_id:
                continue
            try:
                names[uid] = "@" + (await self.member(client, team, uid,
                                                      enterprise=enterprise)).handle
            except Refused:
                user = await self.lookup(client, uid) or {"id": uid}
                names[uid] = inbound.name_for(user)
        return inbound.unescape(inbound.replace_mentions(text, names, prefix=""))
