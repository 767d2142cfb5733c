"""Vigil's neutral messages -> Telegram text and inline keyboards (no business logic).

Callback data lives in ``callbacks``, incoming messages in ``inbound``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup

from adapters.telegram.callbacks import CallbackError, encode_callback
from bot.messages import Button, Outgoing

MAX_TEXT = 4096  # Telegram's limit for one message
BUTTONS_PER_ROW = 3


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
