"""A 429 from Telegram never puts the dispatcher's pass to sleep.

The application's bot carries python-telegram-bot's ``AIORateLimiter`` (it
spaces requests out); with ``max_retries`` above 0 it would also *sleep* for
``retry_after`` on a 429 and try again — inside the dispatcher's pass,
holding its lease (the fault #15 item 1 removed for Slack). Vigil sets
``max_retries=0``: the ``RetryAfter`` reaches the port at once, becomes a
``TransientError`` with the delay, and the dispatcher reschedules the row.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from tg_fake_api import run

from adapters.telegram.application import build_application
from adapters.telegram.port import TelegramPort, Throttle
from bot.notify.dispatcher import Dispatcher
from bot.services import people as people_svc
from engine.model import WorkCalendar

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_a_429_reschedules_the_row_instead_of_sleeping_in_the_pass(settings, conversation,
                                                                   fake_api, uow):
    with uow() as u:
        ws = u.workspaces.create("telegram:1", "Team", calendar=WorkCalendar(tz="UTC")).id
        person = people_svc.add_person(u, ws, "Priya", handle="priya")
        u.people.add_identity(ws, person.id, "telegram", "5")
        row = u.outbox.add(ws, person.id, "telegram", "digest", {"text": "Your morning"},
                           "rate:1", NOW)
        assert row is not None
        u.commit()
    fake_api.fail("sendMessage", 429, "Too Many Requests: retry after 30",
                  {"retry_after": 30}, times=5)

    async def go() -> tuple[float, object]:
        app = build_application(settings, conversation)
        await app.initialize()
        try:
            port = TelegramPort(app.bot, asyncio.get_running_loop(), timeout=60,
                                throttle=Throttle(private_interval=0, group_interval=0,
                                                  per_second=0))
            dispatcher = Dispatcher(uow, {"telegram": port})
            began = time.monotonic()
            result = await asyncio.to_thread(dispatcher.run_once, NOW)
            return time.monotonic() - began, result
        finally:
            await app.shutdown()

    spent, result = run(go())
    assert spent < 5, f"the pass slept {spent:.0f} s on Retry-After"
    assert len(fake_api.called("sendMessage")) == 1  # asked once, not retried in the pass
    with uow() as u:
        again = u.outbox.get(ws, row.id)
    assert again is not None and again.status == "pending"
    assert again.next_attempt_at is not None
    assert again.next_attempt_at >= NOW + timedelta(seconds=30)  # as Telegram asked
    assert [d.error for d in result.retried] == [
        "TransientError: Flood control exceeded. Retry in 30 seconds"]
