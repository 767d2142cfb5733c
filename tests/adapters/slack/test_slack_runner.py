"""SlackRunner: Socket Mode against a local WebSocket 'Slack'; HTTP mode on the shared server."""

from __future__ import annotations

import asyncio
import json
import socket

import aiohttp
import pytest
from aiohttp import web
from fake_slack import TEAM
from pydantic import SecretStr
from slack_harness import Slack, installed_by, run, settings_for, wait_for

from adapters.slack.runner import SlackRunner
from bot.http_server import HttpServer


def test_socket_mode_receives_a_command_acks_it_and_answers(fake, conversation, uow):
    acks: list[dict] = []

    async def main() -> None:
        got_ack = asyncio.Event()

        async def socket(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
            await ws.send_str(json.dumps({
                "envelope_id": "env-1", "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {"team_id": TEAM, "team_domain": "acme", "channel_id": "C1",
                            "channel_name": "general", "user_id": "U1", "command": "/task",
                            "text": "add Send the Acme filing by Friday", "api_app_id": "A1",
                            "response_url": f"{fake.url}/respond/U1", "trigger_id": "1.2"}}))
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    acks.append(json.loads(message.data))
                    got_ack.set()
            return ws

        server = web.Application()
        server.router.add_get("/link", socket)
        runner = web.AppRunner(server)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        fake.ws_url = f"ws://127.0.0.1:{port}/link"
        settings = settings_for(fake, slack_app_token=SecretStr("xapp-test"),
                                slack_signing_secret=None)
        installed_by(conversation)
        slack = SlackRunner(settings, conversation)
        http = HttpServer(0, host="127.0.0.1")
        slack.register_routes(http)
        assert not http.has_routes  # Socket Mode needs no public URL
        await slack.start()
        try:
            await asyncio.wait_for(got_ack.wait(), 5)
            await wait_for(fake, "respond")
        finally:
            await slack.stop()
            await runner.cleanup()

    run(main)
    assert acks[0]["envelope_id"] == "env-1"
    assert [c.method for c in fake.calls][:1] == ["apps.connections.open"]
    reply = fake.named("respond")[0].params
    assert "Added #1 Send the Acme filing" in reply["text"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_http_mode_serves_slack_events_without_blocking(fake, conversation):
    port = _free_port()

    async def main() -> tuple[int, int]:
        slack = SlackRunner(settings_for(fake), conversation)
        http = HttpServer(port, host="127.0.0.1")
        slack.register_routes(http)
        await http.start()
        await slack.start()
        try:
            async with aiohttp.ClientSession() as session:
                client = Slack(fake, session, port)
                ok, _ = await client.command("help")
                body = client.command_body("help")
                forged = await client.post(body, client.signed(
                    body, "application/x-www-form-urlencoded", secret="wrong"))
                await wait_for(fake, "respond")
                return ok, forged[0]
        finally:
            await slack.stop()
            await http.stop()

    assert run(main) == (200, 401)


def test_http_mode_refuses_to_start_without_a_signing_secret(fake, conversation):
    async def main() -> None:
        SlackRunner(settings_for(fake, slack_signing_secret=None), conversation)

    with pytest.raises(ValueError, match="SIGNING_SECRET"):
        run(main)
