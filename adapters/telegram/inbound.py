"""Which Telegram messages are for Vigil, and the text the core reads from them.

* ``addressed_text``: private chats, commands to this bot, mentions and replies
  (``/add@VigilBot x`` -> ``add x``);
* ``proof_text``: a photo or document with a caption like "#12 done".
"""

from __future__ import annotations

import re

from telegram import Message

_COMMAND_RE = re.compile(r"^/(?P<verb>[A-Za-z0-9_]{1,32})(?:@(?P<bot>[A-Za-z0-9_]+))?(?P<rest>.*)$",
                         re.S)


def command(text: str, bot_username: str | None) -> tuple[str, str] | None:
    """("add", "Send the filing") for "/add@VigilBot Send the filing".

    None when the text is no command, or a command addressed to another bot.
    """
    m = _COMMAND_RE.match(text.strip())
    if m is None:
        return None
    target = m.group("bot")
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return m.group("verb").lower(), m.group("rest").strip()


def is_private(message: Message) -> bool:
    return message.chat.type == "private"


def _mentions_bot(message: Message, text: str, bot_username: str | None) -> bool:
    if not bot_username:
        return False
    return f"@{bot_username.lower()}" in text.lower()


def _replies_to_bot(message: Message, bot_id: int | None) -> bool:
    reply = message.reply_to_message
    return bool(reply and reply.from_user and bot_id is not None and reply.from_user.id == bot_id)


def strip_mention(text: str, bot_username: str | None) -> str:
    if not bot_username:
        return text.strip()
    cleaned = re.sub(rf"@{re.escape(bot_username)}\b[,:]?", " ", text, flags=re.I)
    return re.sub(r"\s+", " ", cleaned).strip(" ,:")


def addressed_text(message: Message, text: str, bot_username: str | None,
                   bot_id: int | None) -> str | None:
    """The words Vigil should read, or None when the message is not for Vigil.

    Private chat: everything. Groups: commands (to this bot), mentions of the
    bot and replies to the bot's messages. Commands lose the slash and
    ``@botname`` so they reach the core as the same verbs as everywhere else.
    """
    text = text or ""
    cmd = command(text, bot_username)
    if text.strip().startswith("/"):
        if cmd is None:
            return None
        verb, rest = cmd
        return f"{verb} {strip_mention(rest, bot_username)}".strip()
    if is_private(message) or _mentions_bot(message, text, bot_username) \
            or _replies_to_bot(message, bot_id):
        cleaned = strip_mention(text, bot_username)
        return cleaned
    return None


_TASK_REF_RE = re.compile(r"#(\d{1,9})\b")


def attachment_id(message: Message) -> tuple[str, str] | None:
    """("photo", file_id) / ("file", file_id) for a photo or document, else None."""
    if message.photo:
        return "photo", message.photo[-1].file_id  # the largest size
    if message.document:
        return "file", message.document.file_id
    return None


def proof_text(message: Message, caption: str | None, kind: str, file_id: str) -> str | None:
    """Core text for a proof upload: ``done #12 photo:<file_id>``.

    The task comes from the caption ("#12 done", "done #12") or, failing that,
    from the bot message it replies to ("Added #12 …"). None when no task is named.
    """
    m = _TASK_REF_RE.search(caption or "")
    if m is None and message.reply_to_message is not None:
        m = _TASK_REF_RE.search(message.reply_to_message.text
                                or message.reply_to_message.caption or "")
    if m is None:
        return None
    return f"done #{m.group(1)} {kind}:{file_id}"
