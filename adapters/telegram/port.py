"""Delivery to Telegram: async send/edit helpers and the synchronous ``TelegramPort``.

The port runs in the dispatcher's worker thread and schedules the Bot API calls
on the bot's event loop (``run_coroutine_threadsafe``). References are
``"{chat_id}:{message_id}"``. Telegram's limits (about 30 messages/s overall,
1/s per private chat, 20/min per group) are respected by waiting, never by
dropping: ``Throttle`` sleeps in the worker thread before each call.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from adapters.telegram.render import MAX_TEXT, render, split_text
from bot.charts import discard_chart
from bot.messages import Outgoing
from bot.notify.ports import PermanentError, Recipient, TransientError

log = logging.getLogger("vigil.telegram")
T = TypeVar("T")

MAX_CAPTION = 1024
MAX_PHOTO_SIDES = 10000  # width + height
MAX_PHOTO_RATIO = 20


def _photo_fits(path: Path) -> bool:
    """Telegram refuses photos with w+h > 10000 or a side ratio over 20: send those as files."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with matplotlib
        return True
    try:
        with Image.open(path) as img:
            width, height = img.size
    except OSError:
        return True
    small, large = sorted((max(width, 1), max(height, 1)))
    return width + height <= MAX_PHOTO_SIDES and large / small <= MAX_PHOTO_RATIO


async def _send_image(bot: Bot, chat_id: int | str, path: Path,
                      reply: ReplyParameters | None) -> None:
    """The chart as a photo, or as a document when Telegram would refuse the photo."""
    as_photo = _photo_fits(path)
    try:
        if as_photo:
            await bot.send_photo(chat_id, path.read_bytes(), reply_parameters=reply)
        else:
            await bot.send_document(chat_id, path.read_bytes(), filename=path.name,
                                    reply_parameters=reply)
    except BadRequest as exc:
        if not as_photo:
            raise
        log.info("photo refused (%s); sending %s as a document", exc, path.name)
        await bot.send_document(chat_id, path.read_bytes(), filename=path.name,
                                reply_parameters=reply)
    except OSError as exc:
        log.warning("image %s could not be read: %s", path, exc)


async def deliver(bot: Bot, chat_id: int | str, out: Outgoing, workspace_id: int | None = None,
                  reply_to_message_id: int | None = None) -> Message:
    """Send a reply or notice; an image goes first (photo, or document when too wide).

    Returns the message carrying the text and buttons (the one later edits target).
    """
    rendered = render(out, workspace_id)
    reply = (ReplyParameters(reply_to_message_id, allow_sending_without_reply=True)
             if reply_to_message_id else None)
    if out.image_path:
        path = Path(out.image_path)
        try:
            await _send_image(bot, chat_id, path, reply)
        finally:
            discard_chart(path)
        reply = None
    *first, last = split_text(rendered.text)
    for chunk in first:
        await bot.send_message(chat_id, chunk, reply_parameters=reply)
        reply = None
    return await bot.send_message(chat_id, last, reply_markup=rendered.markup,
                                  reply_parameters=reply)


async def edit(bot: Bot, platform_ref: str, out: Outgoing,
               workspace_id: int | None = None) -> None:
    chat_id, message_id = parse_ref(platform_ref)
    rendered = render(out, workspace_id)
    text = rendered.text if len(rendered.text) <= MAX_TEXT else rendered.text[: MAX_TEXT - 1] + "…"
    try:
        markup = rendered.markup if isinstance(rendered.markup, InlineKeyboardMarkup) else None
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return
        raise


def parse_ref(ref: str) -> tuple[int, int]:
    chat, sep, message = ref.partition(":")
    try:
        if not sep:
            raise ValueError(ref)
        return int(chat), int(message)
    except ValueError:
        raise PermanentError(f"not a Telegram message reference: {ref!r}") from None


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def translate_error(exc: BaseException) -> Exception:
    """Telegram's errors in the dispatcher's terms."""
    if isinstance(exc, RetryAfter):
        return TransientError(str(exc), retry_after=retry_seconds(exc))
    if isinstance(exc, Forbidden):
        return PermanentError(f"Telegram refused: {exc}")
    if isinstance(exc, BadRequest):
        # Chat not found, message to edit not found, bad markup: retrying cannot help.
        return PermanentError(f"Telegram rejected the message: {exc}")
    if isinstance(exc, (NetworkError, TelegramError)):  # includes TimedOut
        return TransientError(f"Telegram unavailable: {exc}")
    if isinstance(exc, (concurrent.futures.TimeoutError, TimeoutError)):
        return TransientError("Telegram did not answer in time")
    return TransientError(f"{type(exc).__name__}: {exc}")


class Throttle:
    """Waits so that at most ``per_second`` messages leave overall, one per
    ``private_interval`` per private chat and one per ``group_interval`` per group."""

    def __init__(self, per_second: float = 30.0, private_interval: float = 1.0,
                 group_interval: float = 3.0,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.global_interval = 1.0 / per_second if per_second > 0 else 0.0
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.monotonic = monotonic
        self.sleep = sleep
        self._lock = threading.Lock()
        self._next_global = 0.0
        self._next_chat: dict[int, float] = {}

    def wait(self, chat_id: int) -> float:
        """Reserve the next free slot for ``chat_id`` and sleep until it; returns the wait."""
        interval = self.group_interval if chat_id < 0 else self.private_interval
        with self._lock:
            now = self.monotonic()
            slot = max(now, self._next_global, self._next_chat.get(chat_id, 0.0))
            self._next_global = slot + self.global_interval
            self._next_chat[chat_id] = slot + interval
        delay = slot - now
        if delay > 0:
            self.sleep(delay)
        return delay


class TelegramPort:
    """``NotificationPort`` for Telegram (private messages; group chats for digests).

    ``platform_identity`` is the Telegram user id (or a group chat id).
    Call it from a worker thread, never from the bot's event loop thread.
    """

    def __init__(self, bot: Bot, loop: asyncio.AbstractEventLoop, timeout: float = 30.0,
                 throttle: Throttle | None = None) -> None:
        self.bot = bot
        self.loop = loop
        self.timeout = timeout
        self.throttle = throttle if throttle is not None else Throttle()

    def _run(self, coro_factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            raise TransientError("TelegramPort called on the event loop thread")
        if self.loop.is_closed() or not self.loop.is_running():
            raise TransientError("the Telegram event loop is not running")
        future = asyncio.run_coroutine_threadsafe(coro_factory(), self.loop)
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise translate_error(exc) from exc
        except (TelegramError, OSError) as exc:
            raise translate_error(exc) from exc

    def send(self, recipient: Recipient, platform_identity: str | None, message: Outgoing) -> str:
        if not platform_identity:
            raise PermanentError(f"{recipient.name} has no Telegram account linked")
        try:
            chat_id = int(platform_identity)
        except ValueError:
            raise PermanentError(f"not a Telegram chat id: {platform_identity!r}") from None
        self.throttle.wait(chat_id)
        sent = self._run(lambda: deliver(self.bot, chat_id, message, recipient.workspace_id))
        return f"{sent.chat_id}:{sent.message_id}"

    def edit(self, platform_ref: str, message: Outgoing) -> None:
        chat_id, _ = parse_ref(platform_ref)
        self.throttle.wait(chat_id)
        self._run(lambda: edit(self.bot, platform_ref, message))
