"""A signed request copied within Slack's 5-minute window runs once (real Bolt, HTTP)."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

from fake_slack import TEAM
from slack_harness import wait_for


def _tasks(uow):
    with uow() as u:
        ws = u.workspaces.by_key(f"slack:{TEAM}")
        return [(t.number, t.title, t.due) for t in u.tasks.list(ws.id)]


def test_a_replayed_slash_command_adds_one_task(slack_http, fake, uow):
    async def scenario(slack):
        body = slack.command_body("add Send the Acme filing by Friday")
        headers = slack.signed(body, "application/x-www-form-urlencoded")
        first = await slack.post(body, headers)
        await wait_for(fake, "respond")
        copies = [await slack.post(body, headers) for _ in range(3)]
        await asyncio.sleep(0.3)  # time for any (wrong) second handling to reply
        return first, copies

    first, copies = slack_http(scenario)
    assert first[0] == 200 and [c[0] for c in copies] == [200, 200, 200]
    assert [t[1] for t in _tasks(uow)] == ["Send the Acme filing"]
    assert len(fake.named("respond")) == 1


def test_the_same_command_typed_again_is_not_a_replay(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Call the bank")
        await wait_for(fake, "respond")
        await asyncio.sleep(1.1)  # a new request: a new timestamp (and trigger_id in Slack)
        await slack.command("add Call the bank")
        await wait_for(fake, "respond", 2)

    slack_http(scenario)
    assert [t[1] for t in _tasks(uow)] == ["Call the bank", "Call the bank"]


def test_a_replayed_button_press_moves_the_deadline_once(slack_http, fake, uow):
    async def scenario(slack):
        await slack.command("add Send the Acme filing by Friday")
        await wait_for(fake, "respond")
        value = json.dumps({"a": "task.due_plus", "args": {"task": 1, "days": 7}},
                           separators=(",", ":"))
        payload = {
            "type": "block_actions", "team": {"id": TEAM, "domain": "acme"},
            "user": {"id": "U1", "team_id": TEAM}, "api_app_id": "A1",
            "container": {"type": "message", "channel_id": "C1", "message_ts": "1.1"},
            "channel": {"id": "C1", "name": "general"}, "trigger_id": "77.88",
            "response_url": f"{fake.url}/respond/U1",
            "actions": [{"type": "button", "action_id": "task.due_plus:0", "block_id": "b1",
                         "value": value, "action_ts": "1700000001.000200"}]}
        body = urlencode({"payload": json.dumps(payload)})
        headers = slack.signed(body, "application/x-www-form-urlencoded")
        before = _tasks(uow)[0][2]
        assert (await slack.post(body, headers))[0] == 200
        await wait_for(fake, "respond", 2)
        assert (await slack.post(body, headers))[0] == 200  # the copy
        await asyncio.sleep(0.3)
        return before

    before = slack_http(scenario)
    after = _tasks(uow)[0][2]
    assert (after - before).days == 7  # not 14
    assert len(fake.named("respond")) == 2  # the add and one press


def test_a_replayed_event_copy_is_handled_once(slack_http, fake, uow):
    async def scenario(slack):
        event = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1",
                 "text": "add Renew the lease", "ts": "1700000002.000100"}
        body = json.dumps({"token": "legacy", "team_id": TEAM, "api_app_id": "A1",
                           "event": event, "type": "event_callback", "event_id": "Ev0REPLAY",
                           "event_time": 1700000002})
        headers = slack.signed(body, "application/json")
        assert (await slack.post(body, headers))[0] == 200
        await wait_for(fake, "chat.postMessage")
        assert (await slack.post(body, headers))[0] == 200
        await asyncio.sleep(0.3)

    slack_http(scenario)
    assert [t[1] for t in _tasks(uow)] == ["Renew the lease"]
    assert len(fake.named("chat.postMessage")) == 1


def test_a_copy_sent_to_another_process_is_refused_there_too(slack_http, fake, uow,
                                                           conversation):
    """The key is in the shared database, not in one process's memory."""
    from adapters.slack.listeners.replay import KIND
    from bot.event_log import EventLog

    async def scenario(slack):
        body = slack.command_body("add Book the venue")
        headers = slack.signed(body, "application/x-www-form-urlencoded")
        await slack.post(body, headers)
        await wait_for(fake, "respond")
        return body, headers

    body, headers = slack_http(scenario)
    from slack_bolt.request.async_request import AsyncBoltRequest

    from adapters.slack.listeners.replay import request_key

    key = request_key(AsyncBoltRequest(body=body, headers=headers))
    other_process = EventLog(conversation.uow_factory, conversation.clock)
    assert key is not None and other_process.first_time(KIND, key) is False
