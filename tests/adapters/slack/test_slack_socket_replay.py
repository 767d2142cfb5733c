"""A Slack envelope delivered twice over Socket Mode runs once.

Slack redelivers a Socket Mode envelope it thinks was not acknowledged (with
``retry_attempt``), and a reconnect can replay one; the payload is the same,
so its ``trigger_id`` (slash commands, buttons, shortcuts, modals) or
``event_id`` (events) is recorded in the shared database and the copy is
acknowledged and ignored: one task, "+1 week" moves the deadline 7 days.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
from aiohttp import web
from fake_slack import TEAM
from pydantic import SecretStr
from slack_harness import installed_by, run, settings_for, wait_for

from adapters.slack.runner import SlackRunner

COMMAND = {"team_id": TEAM, "team_domain": "acme", "channel_id": "C1", "channel_name": "general",
           "user_id": "U1", "command": "/task", "text": "add Send the Acme filing by Friday",
           "api_app_id": "A1", "trigger_id": "11.22"}
EVENT = {"token": "legacy", "team_id": TEAM, "api_app_id": "A1", "type": "event_callback",
         "event_id": "Ev0SOCKET", "event_time": 1700000002,
         "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1",
                   "text": "add Renew the lease", "ts": "1700000002.000100"}}


def _press(fake_url: str) -> dict:
    value = json.dumps({"a": "task.due_plus", "args": {"task": 1, "days": 7}},
                       separators=(",", ":"))
    return {"type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": "U1", "team_id": TEAM}, "api_app_id": "A1",
            "container": {"type": "message", "channel_id": "C1", "message_ts": "1.1"},
            "channel": {"id": "C1", "name": "general"}, "trigger_id": "77.88",
            "response_url": f"{fake_url}/respond/U1",
            "actions": [{"type": "button", "action_id": "task.due_plus:0", "block_id": "b1",
                         "value": value, "action_ts": "1700000001.000200"}]}


def _tasks(uow):
    with uow() as u:
        ws = u.workspaces.by_key(f"slack:{TEAM}")
        return [(t.title, t.due) for t in u.tasks.list(ws.id)]


def test_each_envelope_delivered_twice_runs_once(fake, conversation, uow, caplog):
    acks: list[str] = []
    dues = []

    async def main() -> None:
        async def socket(request: web.Request) -> web.WebSocketResponse:
            ws = web.WebSocketResponse()
            await ws.prepare(request)
            await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))

            async def twice(envelope: dict) -> None:
                for attempt in (None, 1):  # the original, then Slack's redelivery
                    copy = dict(envelope)
                    if attempt:
                        copy.update(retry_attempt=attempt, retry_reason="timeout")
                    await ws.send_str(json.dumps(copy))
                    await asyncio.sleep(0.3)

            await twice({"envelope_id": "env-cmd", "type": "slash_commands",
                         "accepts_response_payload": True,
                         "payload": {**COMMAND, "response_url": f"{fake.url}/respond/U1"}})
            await wait_for(fake, "respond")
            dues.append(_tasks(uow)[0][1])
            await twice({"envelope_id": "env-press", "type": "interactive",
                         "accepts_response_payload": False, "payload": _press(fake.url)})
            await twice({"envelope_id": "env-event", "type": "events_api",
                         "accepts_response_payload": False, "payload": EVENT})
            await asyncio.sleep(0.5)
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    acks.append(json.loads(message.data)["envelope_id"])
            return ws

        server = web.Application()
        server.router.add_get("/link", socket)
        runner = web.AppRunner(server)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        fake.ws_url = f"ws://127.0.0.1:{runner.addresses[0][1]}/link"
        settings = settings_for(fake, slack_app_token=SecretStr("xapp-test"),
                                slack_signing_secret=None)
        installed_by(conversation)
        slack = SlackRunner(settings, conversation)
        await slack.start()
        try:
            await wait_for(fake, "chat.postMessage")
            await asyncio.sleep(1.5)  # time for any (wrong) second handling
        finally:
            await slack.stop()
            await runner.cleanup()

    run(main)
    tasks = _tasks(uow)
    assert [title for title, _ in tasks] == ["Send the Acme filing", "Renew the lease"]
    assert (tasks[0][1] - dues[0]).days == 7  # the press ran once: not 14
    assert len(fake.named("respond")) == 2  # the command and one press
    assert len(fake.named("chat.postMessage")) == 1  # the DM answered once
    assert sorted(set(acks)) == ["env-cmd", "env-event", "env-press"]  # copies acknowledged
    # Bolt reads the client logger's level after every acknowledgement: no error logged for it.
    errors = [r.getMessage() for r in caplog.records if r.levelno >= 40]
    assert not errors, errors
