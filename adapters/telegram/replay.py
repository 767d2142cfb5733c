"""Each Telegram update once, per bot: a repeated ``update_id`` does nothing.

Telegram resends a webhook update it did not see answered with 200, and long
polling hands an update out again when the offset was not confirmed before a
restart; a copy may also reach another replica. ``update_id`` is unique per
bot, so it is recorded (``seen_events``, kind ``telegram:<bot id>``) in the
shared database before any handler runs; a copy stops there.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.event_log import EventLog

log = logging.getLogger("vigil.telegram")

GROUP = -100  # before every other handler group


def bot_kind(token: str) -> str:
    """``telegram:<bot id>`` — the id is the token's public part before the colon."""
    return f"telegram:{token.split(':', 1)[0][:20]}"


def install(application: Application, events: EventLog, token: str) -> None:  # type: ignore[type-arg]
    """Stop every update whose id this bot has seen before (any process)."""
    kind = bot_kind(token)

    async def drop_repeated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            first = await asyncio.to_thread(events.first_time, kind, str(update.update_id))
        except Exception:  # the database is away: the conversation answers that itself
            log.warning("could not record telegram update %s", update.update_id, exc_info=True)
            return
        if not first:
            log.info("telegram update %s already handled; ignored", update.update_id)
            raise ApplicationHandlerStop

    application.add_handler(TypeHandler(Update, drop_repeated), group=GROUP)
