"""Pure translation between Slack payloads and Vigil's neutral messages.

Outgoing -> Block Kit blocks, and Slack payloads (slash commands, DMs, app
mentions, button presses) -> ``Incoming``. No IO here: the app layer looks up
the workspace and person ids and passes them in.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.messages import Action, Button, Incoming, Outgoing, Picker

log = logging.getLogger("vigil.slack")

SECTION_LIMIT = 3000  # characters of mrkdwn text in one section block
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_ACTIONS_BLOCK = 25
MESSAGE_BLOCK_LIMIT = 50
HOME_BLOCK_LIMIT = 100
FALLBACK_LIMIT = 3900  # chat.postMessage ``text`` (notifications, screen readers)

ACTION_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]+:\d+$")
# Pickers in questions (#13); not ``name:n`` so the button listener never sees them.
DATE_PICKER_ACTION = "vigil_pick_date"
USER_PICKER_ACTION = "vigil_pick_user"
BLOCK_ID_LIMIT = 255
ADD_MODAL_CALLBACK = "task.add_modal"
FROM_MESSAGE_CALLBACK = "task.from_message"

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_TASK_REF = re.compile(r"#(\d{1,9})\b")
PROOF_FILES_LIMIT = 10  # files of one message kept as proof


# ---------------------------------------------------------------- outgoing ---


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def encode_action(action: str, args: Mapping[str, object]) -> str:
    """A button value: compact JSON of the action id and its id arguments."""
    return json.dumps({"a": action, "args": dict(args)}, separators=(",", ":"), sort_keys=True)


def decode_action(value: str | None) -> Action | None:
    """The Action a button value carries, or None when it is not one of ours."""
    if not value or len(value) > BUTTON_VALUE_LIMIT:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    action, args = data.get("a"), data.get("args", {})
    if not isinstance(action, str) or not action or not isinstance(args, dict):
        return None
    return Action(action, args)


def _chunks(text: str, size: int) -> list[str]:
    """Split text into pieces of at most ``size`` characters, preferring line breaks."""
    pieces: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut <= 0:
            cut = size
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text or not pieces:
        pieces.append(text)
    return pieces


def _button(button: Button, index: int) -> dict[str, Any] | None:
    value = encode_action(button.action, button.args)
    if len(value) > BUTTON_VALUE_LIMIT:
        log.warning("button %s dropped: value of %d characters", button.action, len(value))
        return None
    label = button.label if len(button.label) <= BUTTON_LABEL_LIMIT else (
        button.label[: BUTTON_LABEL_LIMIT - 1] + "…")
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label or button.action, "emoji": True},
        "action_id": f"{button.action}:{index}",
        "value": value,
    }
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def _picker(picker: Picker) -> dict[str, Any] | None:
    """A datepicker or users_select; the block id carries the core action and its ids."""
    block_id = encode_action(picker.action, picker.args)
    if len(block_id) > BLOCK_ID_LIMIT:
        log.warning("picker %s dropped: block id of %d characters", picker.action, len(block_id))
        return None
    placeholder = {"type": "plain_text", "text": picker.placeholder or "Pick…", "emoji": True}
    if picker.kind == "date":
        element = {"type": "datepicker", "action_id": DATE_PICKER_ACTION,
                   "placeholder": placeholder}
    elif picker.kind == "person":
        element = {"type": "users_select", "action_id": USER_PICKER_ACTION,
                   "placeholder": placeholder}
    else:
        return None
    return {"type": "actions", "block_id": block_id, "elements": [element]}


def blocks(message: Outgoing, limit: int = MESSAGE_BLOCK_LIMIT) -> list[dict[str, Any]]:
    """Block Kit for a message: a section per Section, an actions block for its buttons.

    Every button's ``action_id`` is unique in the message (``{action}:{n}``);
    its ``value`` carries ids only. ``image_path`` is uploaded separately.
    """
    out: list[dict[str, Any]] = []
    index = 0
    for section in message.sections:
        for piece in _chunks(escape(section.text), SECTION_LIMIT):
            if piece.strip():
                out.append({"type": "section", "text": {"type": "mrkdwn", "text": piece}})
        elements = []
        for button in section.buttons:
            element = _button(button, index)
            index += 1
            if element is not None:
                elements.append(element)
        for start in range(0, len(elements), BUTTONS_PER_ACTIONS_BLOCK):
            out.append({"type": "actions",
                        "elements": elements[start:start + BUTTONS_PER_ACTIONS_BLOCK]})
        if section.picker is not None:
            picker = _picker(section.picker)
            if picker is not None:
                out.append(picker)
    if len(out) > limit:
        out = out[: limit - 1] + [{"type": "context", "elements": [
            {"type": "mrkdwn", "text": "… more than fits here; use a narrower command."}]}]
    return out


def fallback_text(message: Outgoing) -> str:
    """The plain ``text`` sent beside the blocks (notifications, screen readers)."""
    text = message.text.strip() or "Vigil"
    return text if len(text) <= FALLBACK_LIMIT else text[: FALLBACK_LIMIT - 1] + "…"


def home_view(message: Outgoing) -> dict[str, Any]:
    """The App Home tab: a header and the person's My Tasks."""
    header = {"type": "header", "text": {"type": "plain_text", "text": "My Tasks"}}
    return {"type": "home", "blocks": [header] + blocks(message, HOME_BLOCK_LIMIT - 1)}


def add_modal(title: str = "", private_metadata: str = "") -> dict[str, Any]:
    """The add-task modal: title (prefilled), owner picker, due date picker."""
    title_input: dict[str, Any] = {"type": "plain_text_input", "action_id": "title",
                                   "multiline": True, "max_length": 3000}
    if title.strip():
        title_input["initial_value"] = title.strip()[:3000]
    return {
        "type": "modal",
        "callback_id": ADD_MODAL_CALLBACK,
        "private_metadata": private_metadata,
        "title": {"type": "plain_text", "text": "New task"},
        "submit": {"type": "plain_text", "text": "Add"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "input", "block_id": "title", "label":
                {"type": "plain_text", "text": "Title"}, "element": title_input},
            {"type": "input", "block_id": "owner", "optional": True,
             "label": {"type": "plain_text", "text": "Owner"},
             "element": {"type": "users_select", "action_id": "owner"}},
            {"type": "input", "block_id": "due", "optional": True,
             "label": {"type": "plain_text", "text": "Due"},
             "element": {"type": "datepicker", "action_id": "due"}},
        ],
    }


# ---------------------------------------------------------------- incoming ---


@dataclass(frozen=True)
class ModalTask:
    title: str
    owner_user: str | None
    due: date | None


def read_add_modal(view: Mapping[str, Any]) -> tuple[ModalTask | None, dict[str, str]]:
    """The fields of a submitted add modal, or the per-block errors to show."""
    values = (view.get("state") or {}).get("values") or {}
    title = ((values.get("title") or {}).get("title") or {}).get("value") or ""
    owner = ((values.get("owner") or {}).get("owner") or {}).get("selected_user")
    raw_due = ((values.get("due") or {}).get("due") or {}).get("selected_date")
    errors: dict[str, str] = {}
    title = " ".join(title.split())
    if not title:
        errors["title"] = "A task needs a title."
    due: date | None = None
    if raw_due:
        try:
            due = date.fromisoformat(raw_due)
        except (TypeError, ValueError):
            errors["due"] = "That is not a date Vigil understands."
    if errors:
        return None, errors
    return ModalTask(title, owner or None, due), {}


def modal_text(task: ModalTask, owner_handle: str | None) -> str:
    """The ``add`` command a submitted modal stands for."""
    text = f"add {task.title}"
    if owner_handle:
        text += f" @{owner_handle}"
    if task.due:
        text += f" due {task.due.isoformat()}"
    return text


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
