"""Start Telegram inside Vigil's running event loop (never ``run_polling``).

Polling (default): ``initialize`` / ``start`` / ``updater.start_polling``.
Webhook: ``setWebhook`` with the secret token, and a small asyncio HTTP server
on ``VIGIL_HTTP_PORT`` serving ``POST /telegram/webhook``. Requests without the
right ``X-Telegram-Bot-Api-Secret-Token`` get 403 and are not parsed.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from adapters.telegram.app import build_application, register_commands
from adapters.telegram.port import TelegramPort, Throttle
from bot.config import Settings
from bot.conversation import Conversation

log = logging.getLogger("vigil.telegram")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "x-telegram-bot-api-secret-token"
MAX_BODY = 1_000_000
READ_TIMEOUT = 10.0


@dataclass
class RunningTelegram:
    """What ``start_telegram`` returns: ``await running()`` (or ``.stop()``) stops it."""

    application: Application
    port: TelegramPort
    server: asyncio.Server | None = None
    _stops: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _stopped: bool = False

    @property
    def http_port(self) -> int | None:
        if self.server is None or not self.server.sockets:
            return None
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for step in reversed(self._stops):
            try:
                await step()
            except Exception:  # stopping must finish
                log.exception("telegram: error while stopping")

    async def __call__(self) -> None:
        await self.stop()


async def start_telegram(settings: Settings, conversation: Conversation,
                         host: str = "0.0.0.0", throttle: Throttle | None = None
                         ) -> RunningTelegram:
    """Start the bot in the current loop; returns the running handle (call it to stop)."""
    if settings.telegram_mode == "webhook" and settings.telegram_webhook_secret is None:
        raise ValueError("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET")
    application = build_application(settings, conversation)
    running = RunningTelegram(application, TelegramPort(application.bot,
                                                        asyncio.get_running_loop(),
                                                        throttle=throttle))
    await application.initialize()  # getMe: a wrong token or URL fails here, loudly
    running._stops.append(application.shutdown)
    await register_commands(application)
    await application.start()
    running._stops.append(application.stop)
    try:
        if settings.telegram_mode == "webhook":
            await _start_webhook(settings, running, host)
        else:
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=["message",
                                                                     "callback_query"])
            running._stops.append(application.updater.stop)
    except BaseException:
        await running.stop()
        raise
    log.info("Telegram started as @%s (%s)", application.bot.username, settings.telegram_mode)
    return running


async def _start_webhook(settings: Settings, running: RunningTelegram, host: str) -> None:
    assert settings.telegram_webhook_secret is not None
    secret = settings.telegram_webhook_secret.get_secret_value()
    handler = WebhookHandler(running.application, secret)
    server = await asyncio.start_server(handler, host, settings.http_port)
    running.server = server

    async def close() -> None:
        server.close()
        await server.wait_closed()

    running._stops.append(close)
    if settings.telegram_webhook_url:
        try:
            await running.application.bot.set_webhook(
                settings.telegram_webhook_url, secret_token=secret,
                allowed_updates=["message", "callback_query"])
        except TelegramError as exc:
            log.error("setWebhook failed (%s); serving anyway", exc)
    else:
        log.warning("TELEGRAM_WEBHOOK_URL is not set: setWebhook not called")


class WebhookHandler:
    """A minimal HTTP/1.1 endpoint: one request per connection, no keep-alive."""

    def __init__(self, application: Application, secret: str) -> None:
        self.application = application
        self.secret = secret

    async def __call__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            status, body = await asyncio.wait_for(self._serve(reader), READ_TIMEOUT)
        except (TimeoutError, asyncio.IncompleteReadError, ValueError, ConnectionError):
            status, body = 400, "bad request"
        except Exception:
            log.exception("webhook request failed")
            status, body = 500, "error"
        reasons = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
                   405: "Method Not Allowed", 413: "Payload Too Large", 500: "Server Error"}
        payload = body.encode()
        try:
            writer.write(
                f"HTTP/1.1 {status} {reasons.get(status, 'OK')}\r\n"
                f"Content-Type: text/plain\r\nContent-Length: {len(payload)}\r\n"
                "Connection: close\r\n\r\n".encode() + payload)
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader) -> tuple[int, str]:
        request_line = (await reader.readline()).decode("latin-1").strip()
        parts = request_line.split()
        if len(parts) != 3:
            return 400, "bad request"
        method, target, _ = parts
        headers: dict[str, str] = {}
        while True:
            line = (await reader.readline()).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if target.split("?", 1)[0] != WEBHOOK_PATH:
            return 404, "not found"
        if method != "POST":
            return 405, "method not allowed"
        given = headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook request with a wrong or missing secret token rejected")
            return 403, "forbidden"
        length = int(headers.get("content-length", "0") or "0")
        if length < 0 or length > MAX_BODY:
            return 413, "too large"
        raw = await reader.readexactly(length)
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.application.bot)
        except Exception:  # any malformed update is the sender's problem, never ours
            return 400, "bad update"
        await self.application.update_queue.put(update)
        return 200, "ok"
