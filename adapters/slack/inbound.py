"""Slack payloads (slash commands, DMs, app mentions, button presses) -> ``Incoming``.

Pure: the listeners look up the workspace and person ids and pass them in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.render import decode_action
from bot.messages import Incoming

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_TASK_REF = re.compile(r"#(\d{1,9})\b")
PROOF_FILES_LIMIT = 10  # files of one message kept as proof


def command_text(command: str, text: str | None) -> str:
    """``/task add X`` -> ``add X``; ``/tasks @sam`` -> ``tasks @sam``."""
    text = (text or "").strip()
    name = command.strip().lstrip("/").lower()
    if name == "tasks":
        return f"tasks {text}".strip()
    return text or "help"


def mention_ids(text: str | None) -> list[str]:
    """Slack user ids mentioned in a message, in order, without repeats."""
    seen: list[str] = []
    for uid in _MENTION.findall(text or ""):
        if uid not in seen:
            seen.append(uid)
    return seen


def replace_mentions(text: str, handles: Mapping[str, str], prefix: str = "@") -> str:
    """``<@U123|sam>`` -> ``@sam`` for every user the bot knows (``prefix`` + handle)."""
    def sub(match: re.Match[str]) -> str:
        handle = handles.get(match.group(1))
        return f"{prefix}{handle}" if handle else match.group(0)
    return _MENTION.sub(sub, text)


def strip_bot_mention(text: str | None, bot_user_id: str | None) -> str:
    """An app_mention's text without the bot's own mention."""
    text = text or ""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    return " ".join(text.split())


def unescape(text: str) -> str:
    """Undo Slack's escaping of user-typed text (after mentions were replaced)."""
    text = re.sub(r"<(https?://[^|>]+)(?:\|[^>]*)?>", r"\1", text)
    text = re.sub(r"<#[A-Z0-9]+\|([^>]+)>", r"#\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def handle_for(user: Mapping[str, Any]) -> str:
    """A Vigil handle for a Slack user (``users.info`` user object)."""
    profile = user.get("profile") or {}
    for candidate in (profile.get("display_name"), user.get("name"), profile.get("real_name"),
                      user.get("id")):
        handle = "".join(ch for ch in (candidate or "").lower() if ch.isalnum() or ch in "._-")
        if handle:
            return handle
    return "someone"


def name_for(user: Mapping[str, Any]) -> str:
    profile = user.get("profile") or {}
    return (user.get("real_name") or profile.get("real_name") or profile.get("display_name")
            or user.get("name") or user.get("id") or "Someone")


SLACKBOT = "USLACKBOT"
# Message subtypes a person wrote (Slack's other subtypes are edits, joins, bots, system notes).
USER_SUBTYPES = frozenset({None, "file_share", "thread_broadcast", "me_message"})


def from_a_bot(body: Mapping[str, Any]) -> bool:
    """A payload caused by a bot or Slackbot (never answered, never onboarded)."""
    event = body.get("event")
    if isinstance(event, Mapping):
        return bool(event.get("bot_id") or event.get("bot_profile")
                    or event.get("subtype") == "bot_message" or event.get("user") == SLACKBOT)
    user = body.get("user")
    who = user.get("id") if isinstance(user, Mapping) else body.get("user_id")
    return who == SLACKBOT or (isinstance(user, Mapping) and bool(user.get("is_bot")))


def actor_team(body: Mapping[str, Any]) -> str | None:
    """The team (or Grid org) of whoever caused the payload, where the payload says it.

    Events in shared channels carry ``user_team``; interactions carry
    ``user.team_id``. None: the payload does not say (the actor is then the
    installation's own user, or users.info decides).
    """
    event = body.get("event")
    if isinstance(event, Mapping):
        team = event.get("user_team")
        return team if isinstance(team, str) and team else None
    user = body.get("user")
    if isinstance(user, Mapping) and isinstance(user.get("team_id"), str):
        return str(user["team_id"]) or None
    return None


def is_outsider(body: Mapping[str, Any], team: str, enterprise: str | None) -> bool:
    """The payload's actor belongs to another organisation than the installation."""
    theirs = actor_team(body)
    return theirs is not None and theirs not in (team, enterprise)


def actor(body: Mapping[str, Any]) -> tuple[str, str]:
    """(team id, user id) of whoever caused a payload; "" where the payload has none."""
    if "command" in body:
        team, user = body.get("team_id"), body.get("user_id")
    elif isinstance(body.get("event"), Mapping):
        event = body["event"]
        team, user = body.get("team_id") or event.get("team"), event.get("user")
    else:
        who = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or who.get("team_id")
        user = who.get("id")
    return (team if isinstance(team, str) else "", user if isinstance(user, str) else "")


def is_direct_channel(channel_id: str | None) -> bool:
    """Direct-message conversations have ids starting with D."""
    return bool(channel_id) and str(channel_id).startswith("D")


def is_dm_command(body: Mapping[str, Any]) -> bool:
    """A slash command typed in a one-to-one DM (with Vigil or with someone else)."""
    return body.get("channel_name") == "directmessage" or is_direct_channel(
        body.get("channel_id"))


def incoming_from_command(body: Mapping[str, Any], workspace_id: int, person_id: int,
                          text: str | None = None, direct: bool | None = None) -> Incoming:
    """A slash command; ``text`` is the command text with mentions already resolved.

    ``direct``: typed in the person's DM with Vigil (default: in any DM).
    """
    words = text if text is not None else unescape(body.get("text") or "")
    return Incoming(workspace_id, person_id,
                    text=command_text(body.get("command") or "/task", words),
                    direct=is_dm_command(body) if direct is None else direct,
                    reply_to=body.get("channel_id"), chat=str(body.get("channel_id") or ""))


def incoming_from_message(event: Mapping[str, Any], workspace_id: int, person_id: int,
                          bot_user_id: str | None = None, text: str | None = None) -> Incoming:
    """A DM or an app mention (the bot's own mention stripped)."""
    words = text if text is not None else unescape(event.get("text") or "")
    words = strip_bot_mention(words, bot_user_id)
    return Incoming(workspace_id, person_id, text=words,
                    direct=event.get("channel_type") == "im",
                    reply_to=event.get("channel"), chat=str(event.get("channel") or ""))


@dataclass(frozen=True)
class SharedFile:
    """A file shared in a message: ``photo`` (an image) or ``file``, and where to open it."""

    kind: str
    link: str


def shared_files(event: Mapping[str, Any]) -> list[SharedFile]:
    """The files of a ``file_share`` message that can be opened (permalink, else url_private).

    Files Slack no longer shows (deleted: ``tombstone``; beyond a free plan's
    history: ``hidden_by_limit``) carry no link and are left out.
    """
    found = [f for f in (shared_file(item) for item in event.get("files") or []) if f]
    return found[:PROOF_FILES_LIMIT]


def shared_file(item: object) -> SharedFile | None:
    """One file object (of an event or of ``files.info``) as proof, None without a link."""
    if not isinstance(item, Mapping) or item.get("mode") in ("tombstone", "hidden_by_limit"):
        return None
    link = item.get("permalink") or item.get("url_private")
    if not isinstance(link, str) or not link.startswith("https://"):
        return None
    kind = "photo" if str(item.get("mimetype") or "").startswith("image/") else "file"
    return SharedFile(kind, link)


def withheld_files(event: Mapping[str, Any]) -> list[str]:
    """Ids of shared files Slack sent without their details (Slack Connect).

    Files from another organisation arrive as ``{"id": …, "mode": "file_access",
    "file_access": "check_file_info"}``: only ``files.info`` tells what they are.
    """
    return [str(item["id"]) for item in event.get("files") or []
            if isinstance(item, Mapping) and item.get("id")
            and item.get("file_access") == "check_file_info"][:PROOF_FILES_LIMIT]


def task_number(text: str | None) -> int | None:
    """The one task a text names by number (``#12``); None for none or several."""
    numbers = {int(n) for n in _TASK_REF.findall(text or "")}
    return numbers.pop() if len(numbers) == 1 else None


def proof_text(number: int, files: list[SharedFile]) -> str:
    """Core text for proof files: ``done #12 photo:<link> file:<link>`` (as Telegram's)."""
    return f"done #{number} " + " ".join(f"{f.kind}:{f.link}" for f in files)


def incoming_from_action(body: Mapping[str, Any], workspace_id: int,
                         person_id: int) -> Incoming | None:
    """A button press, as the person who PRESSED it; None for buttons that are not ours."""
    actions = body.get("actions") or []
    if not actions:
        return None
    action = decode_action(actions[0].get("value"))
    if action is None:
        return None
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id")
    return Incoming(workspace_id, person_id, action=action,
                    direct=is_direct_channel(channel), reply_to=channel, chat=str(channel or ""))
