"""Vigil's neutral messages -> Slack Block Kit (blocks, Home, the add modal).

Also the button value codec (``encode_action`` / ``decode_action``). Slack
payloads -> ``Incoming`` live in ``adapters.slack.inbound``. No IO here.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.messages import Action, Button, Outgoing, Picker

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
