"""Translation between Telegram and Vigil's neutral messages (no business logic).

* ``render(Outgoing)`` -> message text + ``InlineKeyboardMarkup``;
* ``encode_callback`` / ``decode_callback``: compact callback data (at most 64
  bytes, ids only) <-> ``Action``;
* ``message_text``: which Telegram messages are for Vigil, and the command text
  the core understands (``/add@VigilBot x`` -> ``add x``);
* ``proof_text``: a photo or document with a caption like "#12 done".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.messages import Action, Button, Outgoing

MAX_CALLBACK_BYTES = 64
MAX_TEXT = 4096  # Telegram's limit for one message
BUTTONS_PER_ROW = 3

# Short codes for the action ids the core uses (bot/handlers/actions.py HANDLERS
# and the notifier). Codes never contain a ".", full action ids always do, so an
# action without a code still travels as its own id when it fits.
ACTION_CODES: dict[str, str] = {
    "task.done": "td",
    "task.approve": "ta",
    "task.send_back": "tsb",
    "task.unblock": "tu",
    "task.block": "tb",
    "task.show": "ts",
    "task.show_chain": "tsc",
    "task.show_subtasks": "tss",
    "task.progress": "tp",
    "task.due_plus": "tdp",
    "task.extend": "te",
    "task.pick_date": "tpd",
    "task.assign_me": "tam",
    "task.reassign": "tr",
    "task.reassign_backup": "trb",
    "task.help": "th",
    "task.escalate": "tes",
    "task.move_to_parent_date": "tmp",
    "task.move_to_project_deadline": "tmj",
    "task.shift_after_dependency": "tsd",
    "task.move_parent": "tmv",
    "task.remove_dependency": "trd",
    "task.assign": "tas",
    "project.make_me_manager": "pmm",
    "project.pick_manager": "ppm",
    "person.portfolio": "upf",
    "recurring.done": "rd",
    "recurring.add_proof": "rap",
    "recurring.history": "rh",
    "violation.ack": "va",
    "violation.snooze": "vs",
    "alerts.show_all": "asa",
    "capture.create": "cc",
    "capture.cancel": "cx",
    "capture.pick_date": "cp",
    "someone.invite_owner": "soi",
    "someone.create_ownerless": "soc",
    "question.pick": "qp",
    "person.invite": "pi",
    "person.set_my_backup": "psb",
    "task.create_titled": "tct",
    "task.set_date": "tsdt",
    "task.set_backup": "tsbk",
    "task.reopen": "tro",
    "task.cancel": "tca",
    "task.delete": "tdl",
    "task.keep": "tk",
    "task.take": "tt",
    "task.ask_delete": "tad",
    "task.ask_snooze": "tsz",
    "task.ask_backup": "tab",
}
CODE_ACTIONS: dict[str, str] = {code: action for action, code in ACTION_CODES.items()}
assert len(CODE_ACTIONS) == len(ACTION_CODES), "duplicate action code"

# Argument keys the core puts in button args; unknown keys travel as themselves.
ARG_CODES: dict[str, str] = {
    "task": "t",
    "value": "v",
    "days": "d",
    "hours": "h",
    "owner": "o",
    "violation": "x",
    "project": "p",
    "person": "u",
    "workspace": "w",
    "draft": "q",
    "option": "n",
}
CODE_ARGS: dict[str, str] = {code: key for key, code in ARG_CODES.items()}

_ACTION_ID_RE = re.compile(r"^[a-z][a-z_]*(?:\.[a-z][a-z_]*)+$")
_CODE_RE = re.compile(r"^[a-z]{1,4}$")
_KEY_RE = re.compile(r"^[a-z_]{1,20}$")
_INT_RE = re.compile(r"^-?\d{1,18}$")
_WORD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{0,30}$")


class CallbackError(ValueError):
    """Callback data that is not ours, malformed, or too long."""


def encode_callback(action: str, args: Mapping[str, object],
                    workspace_id: int | None = None) -> str:
    """``tp|w=3|t=12|v=50``: action code, then ids. Raises CallbackError if it cannot fit.

    ``workspace_id`` pins the press to the workspace the message was rendered for.
    """
    if not _ACTION_ID_RE.match(action):
        raise CallbackError(f"not an action id: {action!r}")
    parts = [ACTION_CODES.get(action, action)]
    items: list[tuple[str, object]] = []
    if workspace_id is not None:
        items.append(("workspace", workspace_id))
    items.extend((k, v) for k, v in args.items() if k != "workspace")
    for key, value in items:
        if not _KEY_RE.match(key):
            raise CallbackError(f"bad argument name {key!r}")
        parts.append(f"{ARG_CODES.get(key, key)}={_value(value)}")
    data = "|".join(parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def _value(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise CallbackError(f"button arguments are ids only, not {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (_INT_RE.match(value) or _WORD_RE.match(value)):
        return value
    raise CallbackError(f"button arguments are ids only, not {value!r}")


def decode_callback(data: str | None) -> tuple[Action, int | None]:
    """The Action and the pinned workspace id (if any); CallbackError when malformed."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise CallbackError("empty or oversized callback data")
    head, *rest = data.split("|")
    if head in CODE_ACTIONS:
        action = CODE_ACTIONS[head]
    elif _ACTION_ID_RE.match(head) and not _CODE_RE.match(head):
        action = head
    else:
        raise CallbackError(f"unknown action {head!r}")
    args: dict[str, object] = {}
    workspace: int | None = None
    for part in rest:
        key, sep, raw = part.partition("=")
        if not sep or not raw:
            raise CallbackError(f"malformed argument {part!r}")
        name = CODE_ARGS.get(key, key)
        if not _KEY_RE.match(name) or name in args:
            raise CallbackError(f"bad argument {part!r}")
        if _INT_RE.match(raw):
            value: object = int(raw)
        elif _WORD_RE.match(raw):
            value = raw
        else:
            raise CallbackError(f"bad value in {part!r}")
        if name == "workspace":
            if not isinstance(value, int) or workspace is not None:
                raise CallbackError("bad workspace")
            workspace = value
        else:
            args[name] = value
    return Action(action, args), workspace


@dataclass(frozen=True)
class Rendered:
    text: str
    markup: InlineKeyboardMarkup | ForceReply | None
    dropped: tuple[Button, ...] = ()  # buttons whose payload could not be encoded


def keyboard(buttons: Iterable[Button], workspace_id: int | None = None,
             per_row: int = BUTTONS_PER_ROW) -> tuple[InlineKeyboardMarkup | None,
                                                      tuple[Button, ...]]:
    """Inline keyboard rows (``per_row`` per row); buttons that cannot be encoded are dropped."""
    rows: list[list[InlineKeyboardButton]] = []
    dropped: list[Button] = []
    row: list[InlineKeyboardButton] = []
    for button in buttons:
        try:
            data = encode_callback(button.action, button.args, workspace_id)
        except CallbackError:
            dropped.append(button)
            continue
        label = button.label[:64] or "·"
        row.append(InlineKeyboardButton(label, callback_data=data))
        if len(row) == per_row:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return (InlineKeyboardMarkup(rows) if rows else None), tuple(dropped)


def render(out: Outgoing, workspace_id: int | None = None) -> Rendered:
    """Plain text (no parse mode: user text never breaks Markdown) and the keyboard."""
    text = out.text.strip() or "…"
    markup, dropped = keyboard(out.buttons, workspace_id)
    picker = out.picker
    if markup is None and picker is not None:
        # A question with no buttons: open the reply field, so the answer comes back to it
        # (#13). ``selective`` asks only the person the bot replied to in a group.
        return Rendered(text, ForceReply(selective=True,
                                         input_field_placeholder=(picker.placeholder
                                                                  or "Your answer")[:64]),
                        dropped)
    return Rendered(text, markup, dropped)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram-sized chunks, cut at line breaks where possible; nothing is dropped."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    chunks.append(text)
    return chunks


# ---------------------------------------------------------------- incoming


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
