"""The Telegram webhook as a route on Vigil's shared HTTP server.

``POST /telegram/webhook``: the ``X-Telegram-Bot-Api-Secret-Token`` header is
compared (in constant time) BEFORE the body is read — a request without the
right secret gets 403 and its body is never touched. A body that is not a
Telegram update gets 400. Good updates go on the Application's update queue.
Headers and body size are limited by the server (``bot.http_server``).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.http_server import HttpServer

log = logging.getLogger("vigil.telegram")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def parse_update(raw: bytes, application: Application) -> Update | None:
    """The update a webhook body carries, or None when it is not one."""
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return None
        return Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def webhook_handler(http: HttpServer, application: Application, secret: str) -> Any:
    expected = secret.encode()

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            return web.Response(status=403, text="wrong or missing secret token")
        update = parse_update(await http.read_body(request), application)
        if update is None:
            return web.Response(status=400, text="not a Telegram update")
        await application.update_queue.put(update)
        return web.Response(text="ok")

    return webhook


def register_routes(http: HttpServer, application: Application, secret: str) -> None:
    """Mount ``POST /telegram/webhook`` for ``application`` on the shared server."""
    http.add_routes([web.post(WEBHOOK_PATH, webhook_handler(http, application, secret))])
