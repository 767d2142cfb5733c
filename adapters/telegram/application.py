"""Building python-telegram-bot's ``Application`` for Vigil: token, Bot API URL, rate limiter,
handlers, the command menu."""

from __future__ import annotations

import logging

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application

from adapters.telegram import replay
from adapters.telegram.app import TelegramBot
from adapters.telegram.texts import COMMANDS
from bot.config import Settings
from bot.conversation import Conversation
from bot.event_log import EventLog

log = logging.getLogger("vigil.telegram")


async def register_commands(application: Application) -> bool:
    """``setMyCommands``; a server that does not support it is logged, never fatal."""
    try:
        await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        return True
    except TelegramError as exc:
        log.warning("Telegram command menu not registered (%s); carrying on", exc)
        return False


def _rate_limiter() -> AIORateLimiter:
    # max_retries=0: on a 429 the limiter would otherwise sleep for retry_after and try
    # again inside the dispatcher's pass (holding its lease); the RetryAfter goes to the
    # port instead, and the dispatcher reschedules the row for the time Telegram named.
    return AIORateLimiter(max_retries=0)


def build_application(settings: Settings, conversation: Conversation) -> Application:
    """The Application (not started): handlers installed, Bot API base URL from settings."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    token = settings.telegram_bot_token.get_secret_value()
    builder = Application.builder().token(token)
    if settings.telegram_api_url:
        base = settings.telegram_api_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    # PTB types the builder for BaseRateLimiter[None]; AIORateLimiter is BaseRateLimiter[int].
    builder = builder.rate_limiter(_rate_limiter())  # type: ignore[arg-type]
    application = builder.build()
    secret = (settings.telegram_webhook_secret.get_secret_value()
              if settings.telegram_webhook_secret else token)
    TelegramBot(conversation, secret).install(application)
    replay.install(application, EventLog(conversation.uow_factory, conversation.clock), token)
    return application
