"""Telegram under Vigil's supervisor: polling failures are one line each, state follows."""

from __future__ import annotations

import asyncio
import logging
import time

from tg_fake_api import FakeBotApi

from adapters.telegram.runner import TelegramRunner
from bot.config import Settings
from bot.conversation import Conversation
from bot.observe.supervisor import CONNECTED, DISCONNECTED, Backoff, Supervisor


async def _until(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


def test_failing_getupdates_shows_disconnected_then_connected_again(
    fake_api: FakeBotApi, settings: Settings, conversation: Conversation, caplog
):
    caplog.set_level(logging.INFO)

    async def scenario() -> list[str]:
        runner = TelegramRunner(settings, conversation)
        runner.failed_recently = 3.0  # longer than PTB's retry waits (1 s, 1.5 s, …)
        supervisor = Supervisor(runner, Backoff(base=0.05, cap=0.1), watch_every=0.1)
        supervisor.start()
        await _until(lambda: supervisor.state.state == CONNECTED)
        seen = [supervisor.state.state]
        fake_api.fail("getUpdates", 502, "Bad Gateway", times=3)
        await _until(lambda: supervisor.state.state == DISCONNECTED)
        seen.append(supervisor.state.state)
        await _until(lambda: supervisor.state.state == CONNECTED)  # PTB retried by itself
        seen.append(supervisor.state.state)
        await supervisor.stop()
        return seen

    assert asyncio.run(asyncio.wait_for(scenario(), 40)) == [CONNECTED, DISCONNECTED, CONNECTED]
    failures = [r for r in caplog.records if "getUpdates failed" in r.getMessage()]
    assert len(failures) == 3
    assert "Bad Gateway" in failures[0].getMessage()
    assert all(r.exc_info is None for r in failures)
    assert not any("Exception happened while polling" in r.getMessage()
                   for r in caplog.records)
    starts = [r for r in caplog.records if "Telegram started" in r.getMessage()]
    assert len(starts) == 1  # not restarted: the library reconnected by itself
