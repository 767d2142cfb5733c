"""Slack event retries are handled once across processes and restarts (ids in the database)."""

from __future__ import annotations

import asyncio

import aiohttp
from fake_slack import TEAM
from slack_harness import NOW, Slack, run, serve_http, settings_for, wait_for
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import build_app
from bot.clock import FixedClock
from bot.conversation import Conversation
from bot.jobs import prune_seen_events


def _dm(text: str, user: str = "U1") -> dict:
    return {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
            "text": text, "ts": "1700000001.000100", "event_ts": "1700000001.000100"}


def _tasks(uow) -> list[str]:
    with uow() as u:
        ws = u.workspaces.by_key(f"slack:{TEAM}")
        return [t.title for t in u.tasks.list(ws.id)] if ws else []


async def _process(fake, uow):
    """One Vigil 'process': its own Bolt app, conversation and memory, on the shared database."""
    app = build_app(settings_for(fake), Conversation(uow, FixedClock(NOW)),
                    client=AsyncWebClient(token="xoxb-test", base_url=fake.api_url))
    return await serve_http(app, 0, host="127.0.0.1")


def test_a_retry_reaching_another_process_or_a_restarted_one_creates_no_second_task(fake,
                                                                                   uow):
    async def main() -> None:
        (stop_a, port_a), (stop_b, port_b) = await _process(fake, uow), await _process(fake, uow)
        try:
            async with aiohttp.ClientSession() as session:
                a, b = Slack(fake, session, port_a), Slack(fake, session, port_b)
                event = _dm("add Send the Acme filing by Friday")
                assert (await a.event(event, "Ev1"))[0] == 200
                await wait_for(fake, "chat.postMessage")
                assert (await b.event(event, "Ev1", retry=1))[0] == 200  # the other process
                await stop_a()  # process A restarts ...
                stop_a, port_a = await _process(fake, uow)
                a = Slack(fake, session, port_a)
                assert (await a.event(event, "Ev1", retry=2))[0] == 200  # ... and is told again
                await b.event(_dm("tasks"), "Ev2")  # a new event is still handled
                await wait_for(fake, "chat.postMessage", 2)
                await asyncio.sleep(0.2)  # room for a wrong second reply
        finally:
            await stop_a()
            await stop_b()

    run(main)
    assert _tasks(uow) == ["Send the Acme filing"]
    posts = fake.texts("chat.postMessage")
    assert len(posts) == 2 and "Added #1" in posts[0]


def test_the_same_event_at_two_processes_at_once_is_handled_once(fake, uow):
    async def main() -> None:
        (stop_a, port_a), (stop_b, port_b) = await _process(fake, uow), await _process(fake, uow)
        try:
            async with aiohttp.ClientSession() as session:
                a, b = Slack(fake, session, port_a), Slack(fake, session, port_b)
                event = _dm("add Book the venue by Friday")
                statuses = await asyncio.gather(a.event(event, "Ev7"), b.event(event, "Ev7"))
                assert [s for s, _ in statuses] == [200, 200]
                await wait_for(fake, "chat.postMessage")
                await asyncio.sleep(0.3)
        finally:
            await stop_a()
            await stop_b()

    run(main)
    assert _tasks(uow) == ["Book the venue"]
    assert len(fake.named("chat.postMessage")) == 1


def test_event_ids_are_forgotten_after_a_day(uow):
    from datetime import timedelta

    with uow() as u:
        u.seen.first_time("slack", "EvOld", NOW - timedelta(days=1, minutes=1))
        u.seen.first_time("slack", "EvNew", NOW - timedelta(hours=23))
        u.commit()
    assert prune_seen_events(uow, FixedClock(NOW)) == 1
    with uow() as u:
        assert u.seen.first_time("slack", "EvOld", NOW)
        assert not u.seen.first_time("slack", "EvNew", NOW)
