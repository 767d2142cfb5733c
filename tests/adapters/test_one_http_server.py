"""Slack HTTP mode and the Telegram webhook share Vigil's one HTTP server and port."""

from __future__ import annotations

import asyncio
import json
import socket

import aiohttp
from fake_slack import start_fake_slack
from slack_harness import SECRET, Slack, wait_for
from tg_fake_api import NOW, TOKEN, FakeBotApi, message_update, private_chat, user

from adapters.telegram.texts import ONBOARDING_PRIVATE
from bot.app import start_platforms
from bot.clock import FixedClock
from bot.config import Settings
from bot.conversation import Conversation
from bot.http_server import HttpServer
from bot.notify.ports import NotificationPort

TG_SECRET = "tg-webhook-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_slack_http_and_the_telegram_webhook_answer_on_the_same_port(uow):
    fake, stop_fake = start_fake_slack()
    api = FakeBotApi()
    api.thread.start()
    port = _free_port()
    settings = Settings(_env_file=None, VIGIL_HTTP_PORT=port,
                        SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SECRET,
                        SLACK_API_URL=fake.api_url,
                        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.base_url,
                        TELEGRAM_MODE="webhook", TELEGRAM_WEBHOOK_SECRET=TG_SECRET,
                        TELEGRAM_WEBHOOK_URL="https://vigil.example/telegram/webhook")
    conversation = Conversation(uow, FixedClock(NOW))

    async def main() -> None:
        ports: dict[str, NotificationPort] = {}
        http = HttpServer(port, host="127.0.0.1")
        stoppers = await start_platforms(settings, conversation, ports, http)
        try:
            assert set(ports) == {"slack", "telegram"} and http.port == port
            async with aiohttp.ClientSession() as session:
                slack = Slack(fake, session, port)
                assert (await slack.command("help"))[0] == 200
                await wait_for(fake, "respond")
                update = message_update(private_chat(9), user(9, "Zed"), "hi")
                async with session.post(f"http://127.0.0.1:{port}/telegram/webhook",
                                        data=json.dumps(update),
                                        headers={"X-Telegram-Bot-Api-Secret-Token":
                                                 TG_SECRET}) as resp:
                    assert resp.status == 200
            sent = await asyncio.to_thread(api.wait_for, "sendMessage", 1, 5.0)
            assert sent[-1]["text"] == ONBOARDING_PRIVATE
            assert api.called("setWebhook")[-1]["url"] == "https://vigil.example/telegram/webhook"
        finally:
            for stop in reversed(stoppers):
                await stop()

    try:
        asyncio.run(asyncio.wait_for(main(), 30))
    finally:
        stop_fake()
        api.server.shutdown()
        api.server.server_close()
