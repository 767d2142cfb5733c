"""Telegram's connection inside Vigil's running event loop (never ``run_polling``).

``TelegramRunner`` is built once; the composition root calls
``register_routes(http)`` before the shared HTTP server starts, then
``start()`` / ``stop()``. Polling (default): ``initialize`` / ``start`` /
``updater.start_polling``. Webhook: ``POST /telegram/webhook`` on Vigil's one
HTTP server (``VIGIL_HTTP_PORT``) and ``setWebhook`` with the secret token.
Both ask Telegram for exactly the update kinds Vigil handles (``ALLOWED_UPDATES``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError
from telegram.ext import Application

from adapters.telegram import webhook
from adapters.telegram.app import ALLOWED_UPDATES
from adapters.telegram.application import build_application, register_commands
from adapters.telegram.port import TelegramPort, Throttle
from bot.config import Settings
from bot.conversation import Conversation
from bot.http_server import HttpServer

log = logging.getLogger("vigil.telegram")

WEBHOOK_PATH = webhook.WEBHOOK_PATH
FAILED_RECENTLY = 60.0  # seconds: a getUpdates failure this recent means "not connected"


class TelegramRunner:
    """One Telegram bot: its delivery port, its webhook route, start and stop."""

    name = "telegram"

    def __init__(self, settings: Settings, conversation: Conversation,
                 throttle: Throttle | None = None) -> None:
        if settings.telegram_mode == "webhook" and settings.telegram_webhook_secret is None:
            raise ValueError("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET")
        self.settings = settings
        self.application: Application = build_application(settings, conversation)
        self.port = TelegramPort(self.application.bot, asyncio.get_running_loop(),
                                 throttle=throttle)
        self._stops: list[Callable[[], Awaitable[None]]] = []
        self._failed_at: float | None = None
        self.last_error: str | None = None
        self.failed_recently = FAILED_RECENTLY

    @property
    def mode(self) -> str:
        return self.settings.telegram_mode

    @property
    def _secret(self) -> str:
        assert self.settings.telegram_webhook_secret is not None
        return self.settings.telegram_webhook_secret.get_secret_value()

    def register_routes(self, http: HttpServer) -> None:
        """Webhook mode: mount ``POST /telegram/webhook`` on the shared server."""
        if self.mode == "webhook":
            webhook.register_routes(http, self.application, self._secret)

    async def start(self) -> None:
        """getMe (a wrong token or URL fails here, loudly), commands, then updates flow."""
        application = self.application
        await application.initialize()
        self._stops.append(application.shutdown)
        try:
            await register_commands(application)
            await application.start()
            self._stops.append(application.stop)
            if self.mode == "webhook":
                await self._set_webhook()
            else:
                assert application.updater is not None
                await application.updater.start_polling(allowed_updates=list(ALLOWED_UPDATES),
                                                        error_callback=self._polling_failed)
                self._stops.append(application.updater.stop)
        except BaseException:
            await self.stop()
            raise
        log.info("Telegram started as @%s (%s)", application.bot.username, self.mode)

    # Polling retries by itself (python-telegram-bot backs off up to 30 s); Vigil's supervisor
    # only reads the state. The library's own callback would log a traceback per retry.
    reconnects_itself = True

    def _polling_failed(self, exc: TelegramError) -> None:
        first = self._failed_at is None
        self._failed_at = time.monotonic()
        self.last_error = f"{type(exc).__name__}: {exc}"
        log.warning("telegram: getUpdates failed (%s); python-telegram-bot retries%s",
                    self.last_error, "" if first else " (again)")

    async def connected(self) -> bool:
        """Webhook: always. Polling: running, and no failed getUpdates in the last minute."""
        if self.mode == "webhook":
            return True
        updater = self.application.updater
        if updater is None or not updater.running:
            return False
        failed = self._failed_at
        if failed is not None and time.monotonic() - failed < self.failed_recently:
            return False
        self._failed_at, self.last_error = None, None
        return True

    async def _set_webhook(self) -> None:
        url = self.settings.telegram_webhook_url
        if not url:
            log.warning("TELEGRAM_WEBHOOK_URL is not set: setWebhook not called")
            return
        try:
            await self.application.bot.set_webhook(url, secret_token=self._secret,
                                                   allowed_updates=list(ALLOWED_UPDATES))
        except TelegramError as exc:
            log.error("setWebhook failed (%s); serving anyway", exc)

    async def stop(self) -> None:
        """Stop polling and the Application (idempotent; the route stops with the server)."""
        stops, self._stops = self._stops, []
        for step in reversed(stops):
            try:
                await step()
            except Exception:  # stopping must finish
                log.exception("telegram: error while stopping")
