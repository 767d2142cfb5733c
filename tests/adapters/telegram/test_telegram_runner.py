"""TelegramRunner inside a running loop: long polling, and the webhook on the shared server."""

from __future__ import annotations

import asyncio
import json
import logging

from tg_fake_api import FakeBotApi, message_update, private_chat, run, user

from adapters.telegram.runner import TelegramRunner
from adapters.telegram.texts import ONBOARDING_PRIVATE
from bot.config import Settings
from bot.http_server import HttpServer

SECRET = "s3cret-token_value"


async def _post(port: int, body: bytes, headers: dict[str, str],
                path: str = "/telegram/webhook") -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{head}\r\n"
                 .encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


def test_polling_starts_in_the_running_loop_and_answers(settings, conversation,
                                                        fake_api: FakeBotApi):
    async def go() -> None:
        running = TelegramRunner(settings, conversation)
        await running.start()
        try:
            assert fake_api.called("setMyCommands")
            fake_api.push(message_update(private_chat(9), user(9, "Zed"), "hi"))
            for _ in range(300):
                if fake_api.called("sendMessage"):
                    break
                await asyncio.sleep(0.01)
            assert fake_api.called("sendMessage")[-1]["text"] == ONBOARDING_PRIVATE
        finally:
            await running.stop()
        await running.stop()  # idempotent

    run(go())
    assert fake_api.called("getMe") and fake_api.called("getUpdates")
    # exactly the updates Vigil handles: group lifecycle included, edits not
    asked = fake_api.called("getUpdates")[-1]["allowed_updates"]
    assert sorted(asked) == ["callback_query", "message", "my_chat_member"]


def test_set_my_commands_error_does_not_stop_start(settings, conversation, fake_api, caplog):
    fake_api.fail("setMyCommands", 404, "Not Found: method not supported")

    async def go() -> None:
        with caplog.at_level(logging.WARNING, logger="vigil.telegram"):
            running = TelegramRunner(settings, conversation)
            await running.start()
        await running.stop()

    run(go())
    assert "command menu not registered" in caplog.text


def _webhook_settings(fake_api: FakeBotApi) -> Settings:
    return Settings(_env_file=None, TELEGRAM_BOT_TOKEN="123456:TEST-token",
                    TELEGRAM_API_URL=fake_api.base_url, TELEGRAM_MODE="webhook",
                    TELEGRAM_WEBHOOK_URL="https://vigil.example/telegram/webhook",
                    TELEGRAM_WEBHOOK_SECRET=SECRET, VIGIL_HTTP_PORT=0)


def test_webhook_rejects_wrong_secret_and_processes_right_one(conversation, fake_api):
    settings = _webhook_settings(fake_api)
    update = json.dumps(message_update(private_chat(9), user(9, "Zed"), "hi")).encode()

    async def go() -> None:
        running = TelegramRunner(settings, conversation)
        http = HttpServer(0, host="127.0.0.1")
        running.register_routes(http)
        port = await http.start()
        await running.start()
        try:
            hook = fake_api.called("setWebhook")[-1]
            assert hook["secret_token"] == SECRET
            assert hook["url"] == "https://vigil.example/telegram/webhook"
            assert sorted(hook["allowed_updates"]) == ["callback_query", "message",
                                                       "my_chat_member"]
            assert await _post(port, update, {}) == 403
            assert await _post(port, update,
                               {"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
            assert await _post(port, update, {"X-Telegram-Bot-Api-Secret-Token": SECRET},
                               path="/other") == 404
            await asyncio.sleep(0.2)
            assert fake_api.called("sendMessage") == []  # nothing was processed
            for junk in (b"not json", b"[]", b"{}", b'{"update_id": 1, "message": "x"}',
                         b'{"update_id": 1, "message": {"x": 1}}'):
                assert await _post(port, junk,
                                   {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 400
            assert await _post(port, update,
                               {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 200
            for _ in range(300):
                if fake_api.called("sendMessage"):
                    break
                await asyncio.sleep(0.01)
            assert fake_api.called("sendMessage")[-1]["text"] == ONBOARDING_PRIVATE
        finally:
            await running.stop()
            await http.stop()

    run(go())
    assert fake_api.called("getUpdates") == []


def test_webhook_mode_without_a_secret_refuses_to_start(conversation, fake_api):
    settings = _webhook_settings(fake_api).model_copy(update={"telegram_webhook_secret": None})

    async def go() -> None:
        try:
            TelegramRunner(settings, conversation)
        except ValueError as exc:
            return str(exc)
        return None

    assert "TELEGRAM_WEBHOOK_SECRET" in (run(go()) or "")


def test_webhook_refuses_header_floods_and_big_bodies_before_the_secret_or_the_update(
        conversation, fake_api, caplog):
    settings = _webhook_settings(fake_api)
    update = json.dumps(message_update(private_chat(9), user(9, "Zed"), "hi")).encode()
    right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def go() -> None:
        running = TelegramRunner(settings, conversation)
        http = HttpServer(0, host="127.0.0.1")
        running.register_routes(http)
        port = await http.start()
        await running.start()
        try:
            flood = {f"X-Flood-{i}": "x" * 100 for i in range(200)}
            assert await _post(port, update, {**right, **flood}) == 400
            assert await _post(port, update, {**right, "X-Big": "x" * 20_000}) == 400
            assert await _post(port, b"{" + b" " * 2_000_000 + b"}", right) == 413
            assert await _post(port, b"x" * 2_000_000, {}) == 403  # body never read
            await asyncio.sleep(0.2)
            assert fake_api.called("sendMessage") == []
        finally:
            await running.stop()
            await http.stop()

    with caplog.at_level(logging.DEBUG):
        run(go())
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
